"""Who may do what.

Staff sign in to the Cognito user pool and belong to groups (agent, supervisor, manager, compliance)
and to the groups of their teams (`team:<name>`, e.g. `team:cards`; `team:intake` for the intake
queue); channel apps are app clients using the client-credentials grant with OAuth scopes. API
Gateway's Cognito authorizer verifies the token and passes its claims in the request context;
`caller_from_claims` turns them into a `Caller` here, so the same checks run in AWS, locally and in
tests. What a role may do at all is here; on which complaints, in `core/access`.
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
    # The customer through the tracking link: given only by the tracking service, after it checked
    # the link's token for that complaint; never from a Cognito token.
    CUSTOMER = "customer"


STAFF_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.COMPLIANCE)


class Permission(StrEnum):
    SUBMIT = "submit complaints"
    READ = "read complaints"
    LIST = "list complaints"
    FIND_OPEN = "look up a customer's open complaints"
    WORK = "work complaints"
    NOTE = "add internal notes"
    EXTEND = "extend deadlines"
    REVIEW = "review accountability records"
    READ_AUDIT = "read audit trails"
    VERIFY_TRAIL = "verify audit trails"
    ERASE = "erase a customer's personal data"
    LEGAL_HOLD = "place legal holds"
    READ_REPORTS = "read reports"
    # Per handler and per team (GET /v1/kpis?groupBy=): managers bank-wide, supervisors their teams'
    # (core/access.performance_scope).
    READ_PERFORMANCE = "read the performance of handlers and teams"
    PREVIEW_SLA = "preview deadlines"


SCOPE_PERMISSIONS: Mapping[Scope, frozenset[Permission]] = {
    # An app that may submit may first look for the customer's open complaints (a repeat is not
    # submitted twice); what it sees there is narrow (core/access, intake/customer_lookup).
    Scope.SUBMIT: frozenset({Permission.SUBMIT, Permission.FIND_OPEN, Permission.PREVIEW_SLA}),
    Scope.READ: frozenset({Permission.READ, Permission.PREVIEW_SLA}),
    Scope.STAFF: frozenset(),  # staff rights come from their groups, not from the scope
}

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.SYSTEM: frozenset(),
    Role.CUSTOMER: frozenset(),
    Role.CHANNEL_APP: frozenset(),  # a channel app's rights come from the scopes it was granted
    Role.AGENT: frozenset(
        {
            Permission.READ,
            Permission.LIST,
            Permission.WORK,
            Permission.NOTE,
            Permission.READ_AUDIT,
            Permission.PREVIEW_SLA,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.READ,
            Permission.LIST,
            Permission.WORK,
            Permission.NOTE,
            Permission.EXTEND,
            Permission.REVIEW,
            Permission.READ_AUDIT,
            Permission.VERIFY_TRAIL,
            Permission.READ_PERFORMANCE,
            Permission.PREVIEW_SLA,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Permission.READ,
            Permission.LIST,
            Permission.WORK,
            Permission.NOTE,
            Permission.EXTEND,
            Permission.REVIEW,
            Permission.READ_AUDIT,
            Permission.VERIFY_TRAIL,
            Permission.READ_REPORTS,
            Permission.READ_PERFORMANCE,
            Permission.PREVIEW_SLA,
        }
    ),
    # Compliance reads everything and may add internal notes, but works no complaint.
    Role.COMPLIANCE: frozenset(
        {
            Permission.READ,
            Permission.LIST,
            Permission.NOTE,
            Permission.READ_AUDIT,
            Permission.VERIFY_TRAIL,
            Permission.ERASE,
            Permission.LEGAL_HOLD,
            Permission.PREVIEW_SLA,
        }
    ),
}


@dataclass(frozen=True)
class Caller:
    id: str
    roles: frozenset[Role]
    permissions: frozenset[Permission]
    # The teams whose complaints a staff member acts on (and an agent or supervisor reads): the
    # `team:<name>` groups of the token; `intake` is the queue of complaints with no team yet.
    teams: frozenset[str] = frozenset()

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> Caller:
        if not self.can(permission):
            held = ", ".join(sorted(self.roles)) or "none"
            raise Forbidden(f"your role ({held}) may not {permission.value}")
        return self


_STAFF_GROUPS = frozenset(role.value for role in STAFF_ROLES)
TEAM_GROUP_PREFIX = "team:"
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
    groups = _split(claims.get("cognito:groups"))
    staff_roles = {Role(group) for group in groups if group in _STAFF_GROUPS}
    # Team groups mean something only to staff: a team group without a staff role grants nothing.
    teams = {
        group.removeprefix(TEAM_GROUP_PREFIX)
        for group in groups
        if group.startswith(TEAM_GROUP_PREFIX) and group != TEAM_GROUP_PREFIX
    }
    scopes = {Scope(scope) for scope in _split(claims.get("scope")) if scope in _SCOPES}
    permissions = {p for role in staff_roles for p in ROLE_PERMISSIONS[role]}
    permissions |= {p for scope in scopes for p in SCOPE_PERMISSIONS[scope]}
    roles = staff_roles | ({Role.CHANNEL_APP} if scopes - {Scope.STAFF} else set())
    caller_id = str(claims.get("username") or claims.get("client_id") or claims.get("sub") or "")
    if not caller_id:
        raise Unauthenticated("the token names no user or client")
    return Caller(
        id=caller_id,
        roles=frozenset(roles),
        permissions=frozenset(permissions),
        teams=frozenset(teams) if staff_roles else frozenset(),
    )


SLA_SWEEP = Caller(id="sla-sweep", roles=frozenset({Role.SYSTEM}), permissions=frozenset())
# The event-driven step that reads each new complaint (complaints/triage).
TRIAGE = Caller(id="triage", roles=frozenset({Role.SYSTEM}), permissions=frozenset())
