"""Local stand-in for Cognito: signed tokens whose claims look like Cognito access tokens.

`GET /_local/tokens` hands out one per role, and two more to try the access rules with (core/access):
a second channel app (`channel_app_2`, which cannot read the first one's complaints) and an agent of
another team (`agent_other_team`). The gateway verifies them as API Gateway's Cognito
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

from complaints.core.access import INTAKE_TEAM
from complaints.core.auth import STAFF_ROLES, TEAM_GROUP_PREFIX, Role, Scope

ISSUER = "http://127.0.0.1/local-cognito"
LIFETIME_SECONDS = 12 * 3600
# The teams `make demo` assigns complaints to (scripts/demo.py TEAMS, and its default), and the one
# the README's example assigns to: the local agent and supervisor work them and the intake queue.
LOCAL_TEAMS = (INTAKE_TEAM, "branch-ops", "cards", "payments", "lending", "customer-care")
OTHER_TEAM = "collections"
# Each staff token's team groups. The manager and compliance read bank-wide and work no team here, so
# the manager may review any team's accountability record (nobody reviews their own team's).
STAFF_TEAMS: dict[Role, tuple[str, ...]] = {
    Role.AGENT: LOCAL_TEAMS,
    Role.SUPERVISOR: LOCAL_TEAMS,
    Role.MANAGER: (),
    Role.COMPLIANCE: (),
}


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
        """One token per role: a channel app (client credentials) and a staff user per group, in
        the groups of their teams; and a second channel app and an agent of another team."""
        tokens = {
            Role.CHANNEL_APP.value: self._channel_app("local-counter-app"),
            f"{Role.CHANNEL_APP.value}_2": self._channel_app("local-mobile-app"),
        }
        for role in STAFF_ROLES:
            tokens[role.value] = self._staff(f"local-{role.value}", role, STAFF_TEAMS[role])
        tokens["agent_other_team"] = self._staff("local-agent-other-team", Role.AGENT, (OTHER_TEAM,))
        return tokens

    def _channel_app(self, client_id: str) -> str:
        return self.issue(
            {"sub": client_id, "client_id": client_id, "scope": f"{Scope.SUBMIT.value} {Scope.READ.value}"}
        )

    def _staff(self, username: str, role: Role, teams: tuple[str, ...]) -> str:
        return self.issue(
            {
                "sub": username,
                "username": username,
                "cognito:groups": [role.value, *(f"{TEAM_GROUP_PREFIX}{team}" for team in teams)],
                "scope": f"openid {Scope.STAFF.value}",
            }
        )
