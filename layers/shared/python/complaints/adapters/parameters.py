"""The keys that sign customers' tracking links and the report links: SSM SecureString parameters, read
with decryption through Powertools parameters, which cache them for `max_age` (5 minutes) so a rotated
key reaches every instance within minutes. No key sits in code or in the environment; only the name of
the first release's parameter does (`TRACKING_SECRET_PARAMETER`, e.g. `/complaint-guard/tracking-secret`,
called P below), and every other name is derived from it:

    P/tracking/current    <keyId>:<secret>   signs new tracking links
    P/tracking/previous   <keyId>:<secret>   still verifies tracking links, during a rotation only
    P/reports/current     <keyId>:<secret>   signs new report links
    P/reports/previous    <keyId>:<secret>   still verifies report links, during a rotation only
    P                     <secret>           the legacy key: verifies links sent before key ids, while kept

A key id is `[A-Za-z0-9_-]{1,32}` (e.g. `t-2026-12`), a secret at least 32 characters (e.g.
`openssl rand -hex 32`). Each ring is read in one `GetParametersByPath` call, so an instance sees both of
its keys from one moment.

Rotating a ring (operations; the same for `tracking` and `reports`):

1. `put-parameter --name P/<ring>/previous --type SecureString --overwrite --value <the current value>`
   (the current key is accepted as previous before anything else changes);
2. `put-parameter --name P/<ring>/current --type SecureString --overwrite --value <newId>:<newSecret>`;
   within 5 minutes (the cache) every instance signs with the new key; links signed meanwhile with the
   old one verify as previous;
3. after the rotation window, `delete-parameter --name P/<ring>/previous`: links signed with the old key
   no longer open. The window is as long as links signed with it should keep working: at least 180 days
   for tracking links (customers keep them; each new message carries a freshly signed link), at least
   REPORT_LINK_DAYS for report links. For a leaked key, skip the window: delete `previous` at once.

Retiring the legacy links: `delete-parameter --name P` (until then a link without key id opens while its
complaint is open and for 180 days after it ended, tracking/links.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.core.errors import ServiceUnavailable
from complaints.tracking.links import SigningKey, parse_key

if TYPE_CHECKING:
    from mypy_boto3_ssm.client import SSMClient

KEY_MAX_AGE = timedelta(minutes=5)
TRACKING_RING = "tracking"
REPORTS_RING = "reports"


class SigningKeyUnavailable(RuntimeError):
    """The key cannot be read for a reason a retry will not fix (a deployment fault)."""


def _unavailable(name: str, error: Exception) -> Exception:
    # Powertools wraps the AWS error; its code is on the one it wraps.
    cause = error.__context__
    if isinstance(cause, ClientError) and is_busy(cause):
        return ServiceUnavailable("the tracking service is busy; nothing was changed, retry")
    code = error_code(cause) if isinstance(cause, ClientError) else type(cause).__name__
    return SigningKeyUnavailable(f"cannot read the signing key from SSM parameter {name}: {code}")


def _not_found(error: Exception) -> bool:
    cause = error.__context__
    return isinstance(cause, ClientError) and error_code(cause) == "ParameterNotFound"


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
            raise _unavailable(self._name, error) from None
        return str(value)


class SsmKeyRing:
    """One key ring (`P/tracking` or `P/reports`) and the legacy key `P`; see the module's docstring."""

    def __init__(
        self, legacy_name: str, ring: str, client: SSMClient, max_age: timedelta = KEY_MAX_AGE
    ) -> None:
        from aws_lambda_powertools.utilities.parameters import SSMProvider

        self._legacy_name = legacy_name
        self._path = f"{legacy_name.rstrip('/')}/{ring}"
        self._provider = SSMProvider(boto3_client=client)
        self._max_age = int(max_age.total_seconds())
        # Powertools caches values, not absence: a retired legacy key is remembered here as long.
        self._legacy_absent_until = 0.0

    @property
    def path(self) -> str:
        return self._path

    def _ring(self) -> dict[str, Any]:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        try:
            values = self._provider.get_multiple(self._path, decrypt=True, max_age=self._max_age)
        except GetParameterError as error:
            raise _unavailable(self._path, error) from None
        return dict(values)

    def _parsed(self, values: dict[str, Any], name: str) -> SigningKey | None:
        value = values.get(name)
        if value is None:
            return None
        try:
            return parse_key(str(value))
        except ValueError as error:
            raise SigningKeyUnavailable(f"SSM parameter {self._path}/{name}: {error}") from None

    def current(self) -> SigningKey:
        key = self._parsed(self._ring(), "current")
        if key is None:
            raise SigningKeyUnavailable(f"SSM parameter {self._path}/current is missing")
        return key

    def accepted(self) -> Sequence[SigningKey]:
        values = self._ring()
        keys = [self._parsed(values, "current"), self._parsed(values, "previous")]
        return [key for key in keys if key is not None]

    def legacy(self) -> str | None:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        if time.monotonic() < self._legacy_absent_until:
            return None
        try:
            value = self._provider.get(self._legacy_name, decrypt=True, max_age=self._max_age)
        except GetParameterError as error:
            if _not_found(error):
                self._legacy_absent_until = time.monotonic() + self._max_age
                return None
            raise _unavailable(self._legacy_name, error) from None
        return str(value)
