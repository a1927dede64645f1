"""The key that signs customers' tracking links and the report links: an SSM SecureString parameter
(`TRACKING_SECRET_PARAMETER`, put once by operations), read with decryption through Powertools
parameters, which cache it for `max_age` so a rotated key reaches every instance within minutes.
The key never sits in code or in the environment; only its name does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.core.errors import ServiceUnavailable

if TYPE_CHECKING:
    from mypy_boto3_ssm.client import SSMClient

KEY_MAX_AGE = timedelta(minutes=5)


class SigningKeyUnavailable(RuntimeError):
    """The key cannot be read for a reason a retry will not fix (a deployment fault)."""


class SsmSigningKey:
    """The SecureString parameter `name`, decrypted; cached by Powertools for `max_age`."""

    def __init__(self, name: str, client: SSMClient, max_age: timedelta = KEY_MAX_AGE) -> None:
        from aws_lambda_powertools.utilities.parameters import SSMProvider

        self._name = name
        self._provider = SSMProvider(boto3_client=client)
        self._max_age = int(max_age.total_seconds())

    def secret(self) -> str:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        try:
            value = self._provider.get(self._name, decrypt=True, max_age=self._max_age)
        except GetParameterError as error:
            # Powertools wraps the AWS error; its code is on the one it wraps.
            cause = error.__context__
            if isinstance(cause, ClientError) and is_busy(cause):
                raise ServiceUnavailable("the tracking service is busy; nothing was changed, retry") from None
            code = error_code(cause) if isinstance(cause, ClientError) else type(cause).__name__
            raise SigningKeyUnavailable(
                f"cannot read the signing key from SSM parameter {self._name}: {code}"
            ) from None
        return str(value)
