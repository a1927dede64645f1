"""Claims → Caller, and who may do what (docs/architecture.md §1, §5)."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.core.auth import Caller, Permission, Role, caller_from_claims
from complaints.core.errors import Forbidden, Unauthenticated

STAFF_SCOPE = "complaint-guard/staff"
SUBMIT_SCOPE = "complaint-guard/complaints.submit"
READ_SCOPE = "complaint-guard/complaints.read"


def staff(groups: Any, username: str = "alice") -> Caller:
    return caller_from_claims({"cognito:groups": groups, "username": username, "scope": STAFF_SCOPE})


def channel_app(scope: str = f"{SUBMIT_SCOPE} {READ_SCOPE}", client_id: str = "mobile-app") -> Caller:
    return caller_from_claims({"client_id": client_id, "scope": scope})


# --- claims → Caller --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "groups",
    [
        ["agent", "supervisor"],  # a JSON list (local runtime, tests)
        "[agent supervisor]",  # API Gateway REST flattens a list claim like this
        "agent,supervisor",  # … or like this
        "[agent, supervisor]",
    ],
)
def test_groups_are_read_from_a_list_or_a_flattened_string(groups: Any) -> None:
    caller = staff(groups)
    assert caller.id == "alice"
    assert caller.roles == {Role.AGENT, Role.SUPERVISOR}


def test_single_group_string() -> None:
    assert staff("compliance").roles == {Role.COMPLIANCE}


def test_unknown_groups_are_ignored() -> None:
    caller = staff("[agent admins us-east-1_AbCdEf_Google]")
    assert caller.roles == {Role.AGENT}


def test_staff_scope_alone_grants_nothing() -> None:
    caller = caller_from_claims({"username": "bob", "scope": STAFF_SCOPE})
    assert caller.roles == frozenset()
    assert caller.permissions == frozenset()
    with pytest.raises(Forbidden):
        caller.require(Permission.READ)


def test_channel_app_is_identified_by_client_id_and_scopes() -> None:
    caller = channel_app()
    assert caller.id == "mobile-app"
    assert caller.roles == {Role.CHANNEL_APP}
    assert caller.can(Permission.SUBMIT)
    assert caller.can(Permission.READ)


def test_scopes_given_as_a_list_also_work() -> None:
    caller = caller_from_claims({"client_id": "kiosk", "scope": [SUBMIT_SCOPE]})
    assert caller.can(Permission.SUBMIT)
    assert not caller.can(Permission.READ)


def test_unknown_scopes_are_ignored() -> None:
    caller = caller_from_claims({"client_id": "crm", "scope": "openid email other-api/write"})
    assert caller.roles == frozenset()
    assert caller.permissions == frozenset()


def test_channel_app_with_only_the_read_scope_cannot_submit() -> None:
    caller = channel_app(scope=READ_SCOPE)
    assert caller.can(Permission.READ)
    assert not caller.can(Permission.SUBMIT)
    with pytest.raises(Forbidden) as caught:
        caller.require(Permission.SUBMIT)
    assert caught.value.status == 403
    assert "submit complaints" in caught.value.message
    assert "channel_app" in caught.value.message


@pytest.mark.parametrize("claims", [None, {}])
def test_no_claims_is_unauthenticated(claims: Any) -> None:
    with pytest.raises(Unauthenticated) as caught:
        caller_from_claims(claims)
    assert caught.value.status == 401


def test_claims_naming_nobody_are_unauthenticated() -> None:
    with pytest.raises(Unauthenticated):
        caller_from_claims({"scope": f"{SUBMIT_SCOPE} {READ_SCOPE}"})


def test_sub_is_the_last_resort_identity() -> None:
    assert caller_from_claims({"sub": "3f1c", "cognito:groups": ["agent"]}).id == "3f1c"


def test_require_returns_the_caller_for_chaining() -> None:
    caller = staff(["agent"])
    assert caller.require(Permission.WORK) is caller


# --- permissions per role ---------------------------------------------------------------------------

P = Permission
# Hand-written from docs/architecture.md §1, §5: who may do what.
EXPECTED: dict[str, dict[Permission, bool]] = {
    "channel_app": {
        P.VERIFY_TRAIL: False, P.ERASE: False, P.LEGAL_HOLD: False,
        P.FIND_OPEN: True, P.NOTE: False,
        P.SUBMIT: True, P.READ: True, P.LIST: False, P.WORK: False, P.EXTEND: False,
        P.READ_AUDIT: False, P.REVIEW: False, P.READ_REPORTS: False, P.PREVIEW_SLA: True,
        P.READ_PERFORMANCE: False,
    },
    "agent": {
        P.VERIFY_TRAIL: False, P.ERASE: False, P.LEGAL_HOLD: False,
        P.FIND_OPEN: False, P.NOTE: True,
        P.SUBMIT: False, P.READ: True, P.LIST: True, P.WORK: True, P.EXTEND: False,
        P.READ_AUDIT: True, P.REVIEW: False, P.READ_REPORTS: False, P.PREVIEW_SLA: True,
        P.READ_PERFORMANCE: False,
    },
    "supervisor": {
        P.VERIFY_TRAIL: True, P.ERASE: False, P.LEGAL_HOLD: False,
        P.FIND_OPEN: False, P.NOTE: True,
        P.SUBMIT: False, P.READ: True, P.LIST: True, P.WORK: True, P.EXTEND: True,
        P.READ_AUDIT: True, P.REVIEW: True, P.READ_REPORTS: False, P.PREVIEW_SLA: True,
        P.READ_PERFORMANCE: True,
    },
    "manager": {
        P.VERIFY_TRAIL: True, P.ERASE: False, P.LEGAL_HOLD: False,
        P.FIND_OPEN: False, P.NOTE: True,
        P.SUBMIT: False, P.READ: True, P.LIST: True, P.WORK: True, P.EXTEND: True,
        P.READ_AUDIT: True, P.REVIEW: True, P.READ_REPORTS: True, P.PREVIEW_SLA: True,
        P.READ_PERFORMANCE: True,
    },
    "compliance": {
        P.VERIFY_TRAIL: True, P.ERASE: True, P.LEGAL_HOLD: True,
        P.FIND_OPEN: False, P.NOTE: True,
        P.SUBMIT: False, P.READ: True, P.LIST: True, P.WORK: False, P.EXTEND: False,
        P.READ_AUDIT: True, P.REVIEW: False, P.READ_REPORTS: False, P.PREVIEW_SLA: True,
        P.READ_PERFORMANCE: False,
    },
}  # fmt: skip


def caller_for(role: str) -> Caller:
    return channel_app() if role == "channel_app" else staff([role], username=f"{role}-1")


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (role, permission, allowed)
        for role, table in EXPECTED.items()
        for permission, allowed in table.items()
    ],
)
def test_permission_matrix(role: str, permission: Permission, allowed: bool) -> None:
    caller = caller_for(role)
    assert caller.can(permission) is allowed
    if allowed:
        caller.require(permission)
    else:
        with pytest.raises(Forbidden):
            caller.require(permission)


def test_the_matrix_covers_every_permission() -> None:
    for table in EXPECTED.values():
        assert set(table) == set(Permission)


def test_channel_app_can_submit_and_read_but_not_list_or_work() -> None:
    caller = channel_app()
    caller.require(Permission.SUBMIT)
    caller.require(Permission.READ)
    for refused in (Permission.LIST, Permission.WORK):
        with pytest.raises(Forbidden):
            caller.require(refused)


def test_agent_works_but_cannot_extend_and_supervisor_can() -> None:
    agent = staff(["agent"])
    agent.require(Permission.WORK)
    with pytest.raises(Forbidden, match="extend deadlines"):
        agent.require(Permission.EXTEND)
    staff(["supervisor"]).require(Permission.EXTEND)


def test_compliance_reads_the_audit_trail_but_cannot_work() -> None:
    compliance = staff("compliance")
    compliance.require(Permission.READ_AUDIT)
    with pytest.raises(Forbidden, match="compliance"):
        compliance.require(Permission.WORK)


def test_permissions_of_several_groups_add_up() -> None:
    caller = staff("[agent,compliance]")
    assert caller.can(Permission.WORK)
    assert caller.can(Permission.READ_AUDIT)
    assert not caller.can(Permission.EXTEND)


# --- team groups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "groups",
    [
        ["agent", "team:cards", "team:intake"],  # a JSON list (local runtime, tests)
        "[agent team:cards team:intake]",  # API Gateway REST flattens a list claim like this
        "agent,team:cards,team:intake",  # … or like this (the local gateway)
    ],
)
def test_team_groups_become_the_callers_teams(groups: Any) -> None:
    caller = staff(groups)
    assert caller.roles == {Role.AGENT}
    assert caller.teams == {"cards", "intake"}


def test_a_staff_member_without_team_groups_has_no_teams() -> None:
    assert staff("[manager]").teams == frozenset()


def test_an_empty_team_group_and_look_alike_groups_are_no_teams() -> None:
    assert staff("[agent team: teams:cards Team:cards cards]").teams == frozenset()


def test_team_groups_without_a_staff_role_grant_nothing() -> None:
    caller = staff("[team:cards]")
    assert caller.roles == frozenset() and caller.teams == frozenset()
    assert caller.permissions == frozenset()


def test_a_channel_app_has_no_teams_and_may_look_up_open_complaints_only_if_it_may_submit() -> None:
    assert channel_app().teams == frozenset()
    assert channel_app(scope=SUBMIT_SCOPE).can(Permission.FIND_OPEN)
    assert not channel_app(scope=READ_SCOPE).can(Permission.FIND_OPEN)
