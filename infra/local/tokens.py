"""Local stand-in for Cognito: signed tokens whose claims look like Cognito access tokens.

`GET /_local/tokens` hands out one per role. The gateway verifies them as API Gateway's Cognito
authorizer verifies real ones (signature, expiry, one of the method's scopes) and passes the claims to
the handler in `requestContext.authorizer.claims`, where the handler's own role checks read them.
The signing key is new on every start, so a token never outlives the runtime that issued it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from complaints.core.auth import STAFF_ROLES, Role, Scope

ISSUER = "http://127.0.0.1/local-cognito"
LIFETIME_SECONDS = 12 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def issue(self, claims: dict[str, Any]) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "token_use": "access", "iat": now, "exp": now + LIFETIME_SECONDS, **claims}
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        signature = _b64(hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest())
        return f"{header}.{payload}.{signature}"

    def verify(self, token: str) -> dict[str, Any] | None:
        """The claims of a valid, unexpired token of ours; None otherwise."""
        try:
            header, payload, signature = token.split(".")
            expected = hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(signature)):
                return None
            claims: dict[str, Any] = json.loads(_unb64(payload))
        except (ValueError, UnicodeDecodeError):
            return None
        return claims if claims.get("exp", 0) > time.time() else None

    def role_tokens(self) -> dict[str, str]:
        """One token per role: a channel app (client credentials) and a staff user per group."""
        tokens = {
            Role.CHANNEL_APP.value: self.issue(
                {
                    "sub": "local-counter-app",
                    "client_id": "local-counter-app",
                    "scope": f"{Scope.SUBMIT.value} {Scope.READ.value}",
                }
            )
        }
        for role in STAFF_ROLES:
            tokens[role.value] = self.issue(
                {
                    "sub": f"local-{role.value}",
                    "username": f"local-{role.value}",
                    "cognito:groups": [role.value],
                    "scope": f"openid {Scope.STAFF.value}",
                }
            )
        return tokens
