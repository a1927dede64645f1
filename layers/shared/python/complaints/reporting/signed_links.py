"""The signed links in the report e-mail: `/r/{id}/{file}?expires=&signature=<keyId>.<mac>`, valid until
they expire, each for one file of one report.

They are signed with the report key ring, not the tracking one (adapters/parameters.py): `mac` is
HMAC-SHA256 under the key `keyId` of `report\\n<id>\\n<file>\\n<expires>\\n<keyId>`. The current report key
signs; the previous one still verifies during a rotation. A signature without a key id (a link sent
before key ids, at most REPORT_LINK_DAYS old) is verified with the legacy key while operations keep it.
"""

from __future__ import annotations

import re
from datetime import datetime

from complaints.reporting.models import Artifact
from complaints.tracking.links import KEY_ID, LinkKeys, equal, key_for, signature

INVALID_LINK = "this report link is not valid or has expired: ask for a new one"
# A link's expiry: Unix seconds, at most 11 digits (before the year 5000, within what datetime holds).
UNIX_SECONDS = re.compile(r"[0-9]{1,11}")


class HmacLinkSigner:
    """Signs report links with the report keys. The signed text starts with `report` and has line breaks
    no complaint id has, so no link of one kind is valid as the other even under one key."""

    def __init__(self, keys: LinkKeys) -> None:
        self._keys = keys

    @staticmethod
    def _message(report_id: str, artifact: Artifact, expires_at: datetime, key_id: str | None) -> str:
        message = f"report\n{report_id}\n{artifact.value}\n{int(expires_at.timestamp())}"
        return message if key_id is None else f"{message}\n{key_id}"

    def sign(self, report_id: str, artifact: Artifact, expires_at: datetime) -> str:
        key = self._keys.current()
        mac = signature(self._message(report_id, artifact, expires_at, key.key_id), key.secret)
        return f"{key.key_id}.{mac}"

    def valid(self, report_id: str, artifact: Artifact, expires_at: datetime, signature_: str) -> bool:
        key_id, separator, mac = signature_.rpartition(".")
        if not separator:
            legacy = self._keys.legacy()
            return legacy is not None and equal(
                signature(self._message(report_id, artifact, expires_at, None), legacy), signature_
            )
        if not KEY_ID.fullmatch(key_id):
            return False
        key = key_for(self._keys, key_id)
        return key is not None and equal(
            signature(self._message(report_id, artifact, expires_at, key_id), key.secret), mac
        )
