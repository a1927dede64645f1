"""The customer's tracking link: `<base>/t/<id>?token=<token>`, the token HMAC-SHA256 of the complaint
id under a key only the bank holds, base64url without padding; whoever holds the link may see that one
complaint as its customer does (tracking/service.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Protocol
from urllib.parse import quote

MIN_SECRET_LENGTH = 32


# --- the token ------------------------------------------------------------------------------------


class SecretProvider(Protocol):
    def secret(self) -> str:
        """The key that signs tracking links (at least 32 characters)."""


def _key(secret: str) -> bytes:
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"the tracking key must have at least {MIN_SECRET_LENGTH} characters")
    return secret.encode()


def signature(message: str, secret: str) -> str:
    """HMAC-SHA256 of `message` under the bank's link key, base64url without padding."""
    digest = hmac.new(_key(secret), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def tracking_token(complaint_id: str, secret: str) -> str:
    return signature(complaint_id, secret)


def verify_tracking_token(complaint_id: str, token: str | None, secret: str) -> bool:
    """Constant-time comparison; a missing token is a wrong one."""
    if not token:
        return False
    expected = tracking_token(complaint_id, secret).encode()
    return hmac.compare_digest(expected, token.encode("utf-8", "replace"))


def tracking_link(complaint_id: str, secret: str, base_url: str) -> str:
    """`<base>/t/<id>?token=<token>`: the link for receipts and every later message."""
    token = tracking_token(complaint_id, secret)
    return f"{base_url.rstrip('/')}/t/{quote(complaint_id, safe='')}?token={token}"
