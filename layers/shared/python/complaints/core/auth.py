"""Who may do what.

Staff sign in to the Cognito user pool and belong to groups (agent, supervisor, manager, compliance);
channel apps are app clients using the client-credentials grant with OAuth scopes. API Gateway's
Cognito authorizer verifies the token and passes its claims in the request context; `caller_from_claims`
turns them into a `Caller` here, so the same checks run in AWS, locally and in tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from complaints.core.errors import Forbidden, Unauthenticated

RESOURCE_SERVER = "complaint-guard"


class Scope(StrEnum):
    """OAuth scopes of the resource server; API Gateway checks one of them on each method."""

    SUBMIT = f"{RESOURCE_SERVER}/complaints.submit"
    READ = f"{RESOURCE_SERVER}/complaints.read"
    STAFF = f"{RESOURCE_SERVER}/staff"


class Role(StrEnum):
    CHANNEL_APP = "channel_app"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    COMPLIANCE = "compliance"
    SYSTEM = "system"  # the SLA machinery acting on its own


STAFF_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.COMPLIANCE)


class Permission(StrEnum):
    SUBMIT = "submit complaints"
    READ = "read complaints"
    LIST = "list complaints"
    WORK = "work complaints"
    EXTEND = "extend deadlines"
    REVIEW = "review accountability records"
    READ_AUDIT = "read audit trails"
    READ_REPORTS = "read reports"
    PREVIEW_SLA = "preview deadlines"


SCOPE_PERMISSIONS: Mapping[Scope, frozenset[Permission]] = {
    Scope.SUBMIT: frozenset({Permission.SUBMIT, Permission.PREVIEW_SLA}),
    Scope.READ: frozenset({Permission.READ, Permission.PREVIEW_SLA}),
    Scope.STAFF: frozenset(),  # staff rights come from their groups, not from the scope
}

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.SYSTEM: frozenset(),
    Role.CHANNEL_APP: frozenset(),  # a channel app's rights come from the scopes it was granted
    Role.AGENT: frozenset(
        {Permission.READ, Permission.LIST, Permission.WORK, Permission.READ_AUDIT, Permission.PREVIEW_SLA}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.READ,
            Permission.LIST,
            Permission.WORK,
            Permission.EXTEND,
            Permission.REVIEW,
            Permission.READ_AUDIT,
            Permission.PREVIEW_SLA,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Permission.READ,
            Permission.LIST,
            Permission.WORK,
            Permission.EXTEND,
            Permission.REVIEW,
            Permission.READ_AUDIT,
            Permission.READ_REPORTS,
            Permission.PREVIEW_SLA,
        }
    ),
    Role.COMPLIANCE: frozenset(
        {Permission.READ, Permission.LIST, Permission.READ_AUDIT, Permission.PREVIEW_SLA}
    ),
}


@dataclass(frozen=True)
class Caller:
    id: str
    roles: frozenset[Role]
    permissions: frozenset[Permission]

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> Caller:
        if not self.can(permission):
            held = ", ".join(sorted(self.roles)) or "none"
            raise Forbidden(f"your role ({held}) may not {permission.value}")
        return self


_STAFF_GROUPS = frozenset(role.value for role in STAFF_ROLES)
_SCOPES = frozenset(scope.value for scope in Scope)


def _split(value: Any) -> list[str]:
    """Claims arrive as lists or, through API Gateway REST, as strings like "[a b]" or "a,b"."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [part for part in re.split(r"[\s,\[\]]+", str(value)) if part]


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller:
    if not claims:
        raise Unauthenticated("a bearer token is required")
    staff_roles = {Role(group) for group in _split(claims.get("cognito:groups")) if group in _STAFF_GROUPS}
    scopes = {Scope(scope) for scope in _split(claims.get("scope")) if scope in _SCOPES}
    permissions = {p for role in staff_roles for p in ROLE_PERMISSIONS[role]}
    permissions |= {p for scope in scopes for p in SCOPE_PERMISSIONS[scope]}
    roles = staff_roles | ({Role.CHANNEL_APP} if scopes - {Scope.STAFF} else set())
    caller_id = str(claims.get("username") or claims.get("client_id") or claims.get("sub") or "")
    if not caller_id:
        raise Unauthenticated("the token names no user or client")
    return Caller(id=caller_id, roles=frozenset(roles), permissions=frozenset(permissions))


SLA_SWEEP = Caller(id="sla-sweep", roles=frozenset({Role.SYSTEM}), permissions=frozenset())
