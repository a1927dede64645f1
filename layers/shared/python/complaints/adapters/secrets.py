"""The key of customers' tracking links, read once per Lambda instance.

Two homes are supported: an SSM SecureString parameter (`TRACKING_SECRET_PARAMETER`, read with
decryption; what the stack names) and a Secrets Manager secret (`TRACKING_SECRET_ARN`; it wins when both
are set). The key never sits in code or in the environment; only its name does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.exceptions import ClientError

from ..config import settings
from ..errors import ServiceUnavailable
from ..tracking import SecretProvider
from .runtime import client

# Codes that mean "busy, retry"; anything else is a deployment fault (missing key, no permission).
_TRANSIENT = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "InternalServerError",
        "InternalServiceError",
        "InternalFailure",
        "ServiceUnavailable",
    }
)


class TrackingKeyUnavailable(RuntimeError):
    """The key cannot be read for a reason a retry will not fix (a deployment fault)."""


def _translate(error: ClientError, where: str) -> Exception:
    code = error.response.get("Error", {}).get("Code", "")
    if code in _TRANSIENT:
        return ServiceUnavailable("the tracking service is busy; nothing was changed, retry")
    return TrackingKeyUnavailable(f"cannot read the tracking key from {where}: {code or 'unknown error'}")


class SsmSecretProvider:
    """An SSM SecureString parameter, decrypted, cached for the life of the instance."""

    def __init__(self, parameter_name: str, client: Any) -> None:
        self._name = parameter_name
        self._client = client
        self._value: str | None = None

    def secret(self) -> str:
        if self._value is None:
            try:
                response = self._client.get_parameter(Name=self._name, WithDecryption=True)
            except ClientError as error:
                raise _translate(error, f"SSM parameter {self._name}") from error
            self._value = str(response["Parameter"]["Value"])
        return self._value


class SecretsManagerSecretProvider:
    """A Secrets Manager secret whose string is the key, cached for the life of the instance."""

    def __init__(self, secret_id: str, client: Any) -> None:
        self._id = secret_id
        self._client = client
        self._value: str | None = None

    def secret(self) -> str:
        if self._value is None:
            try:
                response = self._client.get_secret_value(SecretId=self._id)
            except ClientError as error:
                raise _translate(error, f"secret {self._id}") from error
            self._value = str(response["SecretString"])
        return self._value


@cache
def secret_provider() -> SecretProvider:
    config = settings()
    if config.tracking_secret_arn:
        return SecretsManagerSecretProvider(config.tracking_secret_arn, client("secretsmanager"))
    if config.tracking_secret_parameter:
        return SsmSecretProvider(config.tracking_secret_parameter, client("ssm"))
    raise TrackingKeyUnavailable(
        "neither TRACKING_SECRET_ARN nor TRACKING_SECRET_PARAMETER is set: tracking links cannot be signed"
    )
