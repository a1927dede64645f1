"""The signed links in the report e-mail: `/r/{id}/{file}?expires=&signature=`, valid until they
expire, each for one file of one report."""

from __future__ import annotations

import hmac
import re
from datetime import datetime

from complaints.reporting.models import Artifact
from complaints.tracking.links import SecretProvider, signature

INVALID_LINK = "this report link is not valid or has expired: ask for a new one"
# A link's expiry: Unix seconds, at most 11 digits (before the year 5000, within what datetime holds).
UNIX_SECONDS = re.compile(r"[0-9]{1,11}")


class HmacLinkSigner:
    """Signs report links with the key of the customers' tracking links. The signed text starts with
    `report` and has line breaks no complaint id has, so no link of one kind is valid as the other."""

    def __init__(self, secrets: SecretProvider) -> None:
        self._secrets = secrets

    @staticmethod
    def _message(report_id: str, artifact: Artifact, expires_at: datetime) -> str:
        return f"report\n{report_id}\n{artifact.value}\n{int(expires_at.timestamp())}"

    def sign(self, report_id: str, artifact: Artifact, expires_at: datetime) -> str:
        return signature(self._message(report_id, artifact, expires_at), self._secrets.secret())

    def valid(self, report_id: str, artifact: Artifact, expires_at: datetime, signature_: str) -> bool:
        expected = self.sign(report_id, artifact, expires_at).encode()
        return hmac.compare_digest(expected, signature_.encode("utf-8", "replace"))
