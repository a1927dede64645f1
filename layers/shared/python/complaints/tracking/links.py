"""The customer's tracking link: `<base>/t/<id>?token=<keyId>.<expires>.<mac>`.

- `keyId` names the key that signed it (`[A-Za-z0-9_-]{1,32}`), `expires` is Unix seconds, and `mac` is
  HMAC-SHA256 under that key of `tracking\\n<id>\\n<keyId>\\n<expires>`, base64url without padding. The key
  id and the expiry are signed: changing either makes the link a wrong one.
- A link is issued with `expires` = issue + `TRACKING_LINK_LIFETIME` (180 days); every message to the
  customer carries a freshly signed one. Past `expires` a link still opens while its complaint is open,
  and for `TRACKING_LINK_LIFETIME` after it was closed or withdrawn (tracking/service.py decides this,
  because only the complaint knows when it ended). A resolved complaint is still open to its customer:
  they may rate the resolution or reopen it.
- Keys: tracking links and report links have separate key rings (adapters/parameters.py): a current
  key, which signs, and during a rotation a previous key, which still verifies. A link signed with any
  other key id (a retired or an invented one) is a wrong link.
- Links issued before key ids (`?token=<mac>`, the HMAC of the bare complaint id) are verified with the
  legacy key (the single parameter of the first release) for as long as operations keep it, under the same
  rule as an expired link: while the complaint is open and for 180 days after it ended.

Every wrong, expired or unknown-key link is answered the same way (a 403), whether the complaint exists
or not. Whoever holds a valid link may see that one complaint as its customer does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol
from urllib.parse import quote

MIN_SECRET_LENGTH = 32
TRACKING_LINK_LIFETIME = timedelta(days=180)
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_UNIX_SECONDS = re.compile(r"[0-9]{1,11}")
_MAC = re.compile(r"[A-Za-z0-9_-]{43}")


# --- the keys -------------------------------------------------------------------------------------


class SigningKey(NamedTuple):
    key_id: str
    secret: str


class KeyRing(Protocol):
    """A current key and the keys still accepted (page tokens need no more)."""

    def current(self) -> SigningKey:
        """The key that signs new links."""

    def accepted(self) -> Sequence[SigningKey]:
        """The keys whose links still open: the current one and, during a rotation, the previous one."""


class LinkKeys(KeyRing, Protocol):
    """One key ring (tracking links or report links), and the key of links sent before key ids."""

    def legacy(self) -> str | None:
        """The key of links without a key id, while operations keep it; None once retired."""


def _key(secret: str) -> bytes:
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"a link key must have at least {MIN_SECRET_LENGTH} characters")
    return secret.encode()


def parse_key(value: str) -> SigningKey:
    """A stored key, `<keyId>:<secret>`; ValueError if it is not one."""
    key_id, separator, secret = value.strip().partition(":")
    if not separator or not KEY_ID.fullmatch(key_id):
        raise ValueError("a link key is stored as <keyId>:<secret>, the id of [A-Za-z0-9_-]{1,32}")
    _key(secret)
    return SigningKey(key_id, secret)


def signature(message: str, secret: str) -> str:
    """HMAC-SHA256 of `message` under a link key, base64url without padding."""
    digest = hmac.new(_key(secret), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def equal(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def key_for(keys: LinkKeys, key_id: str) -> SigningKey | None:
    return next((key for key in keys.accepted() if hmac.compare_digest(key.key_id, key_id)), None)


# --- the token ------------------------------------------------------------------------------------


def _message(complaint_id: str, key_id: str, expires: int) -> str:
    return f"tracking\n{complaint_id}\n{key_id}\n{expires}"


def tracking_token(complaint_id: str, key: SigningKey | str, expires_at: datetime | None = None) -> str:
    """The token of a new link, signed with `key`, valid until `expires_at` (default: 180 days from now).
    Given a bare secret instead of a key, the legacy form (no key id, no expiry)."""
    if isinstance(key, str):
        return signature(complaint_id, key)
    expiry = expires_at if expires_at is not None else datetime.now(UTC) + TRACKING_LINK_LIFETIME
    expires = int(expiry.timestamp())
    return f"{key.key_id}.{expires}.{signature(_message(complaint_id, key.key_id, expires), key.secret)}"


@dataclass(frozen=True)
class VerifiedToken:
    """A token signed by an accepted key for this complaint; `expires_at` None for a legacy one."""

    expires_at: datetime | None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is None or now >= self.expires_at


def verify_tracking_token(complaint_id: str, token: str | None, keys: LinkKeys) -> VerifiedToken | None:
    """The token's expiry if it is signed for `complaint_id` by an accepted key, else None. Whether an
    expired one still opens depends on the complaint (tracking/service.py)."""
    if not token:
        return None
    parts = token.split(".")
    if len(parts) == 1:
        legacy = keys.legacy() if _MAC.fullmatch(token) else None
        if legacy is None or not equal(signature(complaint_id, legacy), token):
            return None
        return VerifiedToken(expires_at=None)
    if len(parts) != 3:
        return None
    key_id, expires, mac = parts
    if not KEY_ID.fullmatch(key_id) or not _UNIX_SECONDS.fullmatch(expires) or not _MAC.fullmatch(mac):
        return None
    key = key_for(keys, key_id)
    if key is None or not equal(signature(_message(complaint_id, key_id, int(expires)), key.secret), mac):
        return None
    return VerifiedToken(expires_at=datetime.fromtimestamp(int(expires), UTC))


def tracking_link(
    complaint_id: str, key: SigningKey | str, base_url: str, expires_at: datetime | None = None
) -> str:
    """`<base>/t/<id>?token=<token>`: the link for receipts and every later message."""
    token = tracking_token(complaint_id, key, expires_at)
    return f"{base_url.rstrip('/')}/t/{quote(complaint_id, safe='')}?token={token}"
