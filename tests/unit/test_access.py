"""On which complaints each caller may do what (core/access, docs/architecture.md §1 "Access rules"):
the rules as a table of role × relation → allowed, hand-written from the architecture document."""

from __future__ import annotations

from typing import Any

import pytest
from complaint_builders import RECORD_DUE, received_at_t0

from complaints.core import access
from complaints.core.access import INTAKE_TEAM, Need
from complaints.core.auth import Caller, Role, caller_from_claims
from complaints.core.errors import Forbidden, NotFound
from complaints.core.models import AccountabilityRecord, AccountabilityStatus, Complaint
from complaints.intake.lifecycle import TRANSITIONS, Action
from complaints.tracking.service import CUSTOMER

STAFF_SCOPE = "complaint-guard/staff"
APP_SCOPES = "complaint-guard/complaints.submit complaint-guard/complaints.read"


def staff(username: str, *groups: str) -> Caller:
    return caller_from_claims({"cognito:groups": list(groups), "username": username, "scope": STAFF_SCOPE})


def app(client_id: str) -> Caller:
    return caller_from_claims({"client_id": client_id, "scope": APP_SCOPES})


SYSTEM = Caller(id="sla-sweep", roles=frozenset({Role.SYSTEM}), permissions=frozenset())
CALLERS: dict[str, Caller] = {
    "the app that submitted it": app("counter-app"),
    "another app": app("mobile-app"),
    "agent of its team": staff("agent-7", "agent", "team:cards"),
    "agent of another team": staff("agent-9", "agent", "team:loans"),
    "agent of the intake queue": staff("agent-1", "agent", "team:intake"),
    "agent of no team": staff("agent-0", "agent"),
    "supervisor of its team": staff("sup-1", "supervisor", "team:cards"),
    "supervisor of another team": staff("sup-2", "supervisor", "team:loans"),
    "manager of its team": staff("mgr-1", "manager", "team:cards"),
    "manager of another team": staff("mgr-2", "manager", "team:loans"),
    "compliance": staff("legal-1", "compliance"),
    "the customer": CUSTOMER,
    "the system": SYSTEM,
}

R, A, W, N, E, F = "read", "audit", "work", "note", "extend", "follow-up"
ALL = {R, A, W, N, E, F}
# A complaint with team `cards`, submitted by counter-app: who may do what on it.
ON_A_TEAMS_COMPLAINT: dict[str, set[str]] = {
    "the app that submitted it": {R},
    "another app": set(),
    "agent of its team": {R, A, W, N},
    "agent of another team": set(),
    "agent of the intake queue": set(),
    "agent of no team": set(),
    "supervisor of its team": ALL,
    "supervisor of another team": set(),
    "manager of its team": ALL,
    "manager of another team": {R, A},
    "compliance": {R, A, N},
    "the customer": set(),  # the tracking link is its own way in (tracking/service)
    "the system": set(),
}
# A complaint with no team yet: in the intake queue.
ON_A_COMPLAINT_IN_THE_INTAKE_QUEUE: dict[str, set[str]] = ON_A_TEAMS_COMPLAINT | {
    "agent of its team": set(),
    "agent of the intake queue": {R, A, W, N},
    "supervisor of its team": set(),
    "manager of its team": {R, A},
}

CHECKS = {
    R: access.may_read,
    A: access.may_read_audit,
    W: access.may_work,
    N: access.may_note,
    E: access.may_extend,
    F: access.may_complete_follow_up,
}


def in_cards() -> Complaint:
    return received_at_t0(team="cards", submittedBy="counter-app")


def in_intake() -> Complaint:
    return received_at_t0(submittedBy="counter-app")


@pytest.mark.parametrize(
    ("complaint", "table"),
    [(in_cards(), ON_A_TEAMS_COMPLAINT), (in_intake(), ON_A_COMPLAINT_IN_THE_INTAKE_QUEUE)],
    ids=["team cards", "intake queue"],
)
@pytest.mark.parametrize("who", list(CALLERS))
@pytest.mark.parametrize("what", list(CHECKS))
def test_the_rules(complaint: Complaint, table: dict[str, set[str]], who: str, what: str) -> None:
    assert CHECKS[what](CALLERS[who], complaint) is (what in table[who])


def test_the_tables_name_every_caller() -> None:
    assert set(ON_A_TEAMS_COMPLAINT) == set(ON_A_COMPLAINT_IN_THE_INTAKE_QUEUE) == set(CALLERS)


def test_a_complaint_without_a_team_is_in_the_intake_queue() -> None:
    assert access.team_of(in_intake()) == INTAKE_TEAM == "intake"
    assert access.team_of(in_cards()) == "cards"


# --- what a refused caller is told -----------------------------------------------------------------


def test_a_channel_app_gets_the_answer_of_an_unknown_id() -> None:
    with pytest.raises(NotFound) as caught:
        access.require_read(CALLERS["another app"], in_cards())
    unknown = access.hidden("c-1")
    assert (caught.value.status, caught.value.code, caught.value.message) == (
        unknown.status,
        unknown.code,
        unknown.message,
    )
    assert caught.value.message == "no complaint with id c-1"


def test_the_submitting_app_reads_its_complaint() -> None:
    complaint = in_cards()
    assert access.require_read(CALLERS["the app that submitted it"], complaint) is complaint


def test_staff_of_another_team_get_a_403_naming_the_rule() -> None:
    with pytest.raises(Forbidden) as read:
        access.require_read(CALLERS["agent of another team"], in_cards())
    assert "team cards" in read.value.message and "yours: loans" in read.value.message
    with pytest.raises(Forbidden) as work:
        access.require(CALLERS["agent of another team"], Need.WORK, in_intake())
    assert "intake queue" in work.value.message and "your teams" in work.value.message


def test_a_missing_permission_is_the_roles_403_whatever_the_complaint() -> None:
    with pytest.raises(Forbidden, match="your role \\(compliance\\) may not work complaints"):
        access.require(CALLERS["compliance"], Need.WORK, in_cards())
    # A channel app is refused work for lack of the permission: the same answer for every id.
    with pytest.raises(Forbidden, match="channel_app"):
        access.require(CALLERS["another app"], Need.WORK, in_cards())


def test_compliance_notes_on_any_complaint_but_does_no_other_work() -> None:
    compliance = CALLERS["compliance"]
    access.require_change(compliance, Action.NOTE.value, in_cards())
    for action in (Action.RESPOND, Action.UPDATE, Action.RESOLVE, Action.EXTEND, Action.FOLLOW_UP):
        with pytest.raises(Forbidden):
            access.require_change(compliance, action.value, in_cards())


@pytest.mark.parametrize(
    ("action", "who", "allowed"),
    [
        (Action.FEEDBACK, "the customer", True),
        (Action.FEEDBACK, "agent of its team", False),
        (Action.REOPEN, "the customer", True),
        (Action.REOPEN, "agent of its team", True),
        (Action.REOPEN, "agent of another team", False),
        (Action.RESOLVE, "the customer", False),
        (Action.WARN, "the system", True),
        (Action.RESTART_TRACKER, "the system", True),
        (Action.WARN, "manager of its team", False),
        (Action.RESOLVE, "the system", False),
        (Action.EXTEND, "agent of its team", False),
        (Action.EXTEND, "supervisor of its team", True),
        (Action.FOLLOW_UP, "supervisor of its team", True),
        (Action.FOLLOW_UP, "supervisor of another team", False),
        # withdrawn only at the customer's request: by them, or recorded by who received it
        (Action.WITHDRAW, "the customer", True),
        (Action.WITHDRAW, "agent of its team", True),
        (Action.WITHDRAW, "the app that submitted it", True),
        (Action.WITHDRAW, "another app", False),
        (Action.WITHDRAW, "agent of another team", False),
        (Action.WITHDRAW, "compliance", False),
        (Action.WITHDRAW, "the system", False),
        # the customer's answer resumes the clock, as the sweep does at the end of a pause
        (Action.RESUME, "the customer", True),
        (Action.RESUME, "the system", True),
        (Action.RESUME, "agent of another team", False),
        (Action.REMIND, "the system", True),
        (Action.REMIND, "agent of its team", False),
        # only the customer accepts the outcome; staff record it when they close
        (Action.ACCEPT, "the customer", True),
        (Action.ACCEPT, "manager of its team", False),
        (Action.ACCEPT, "the system", False),
        # the sweep closes at the end of the cooling-off period; the customer never closes
        (Action.CLOSE, "the system", True),
        (Action.CLOSE, "agent of its team", True),
        (Action.CLOSE, "the customer", False),
    ],
)
def test_who_may_make_each_change(action: Action, who: str, allowed: bool) -> None:
    complaint = in_cards()
    if allowed:
        assert access.require_change(CALLERS[who], action.value, complaint) is complaint
    else:
        with pytest.raises((Forbidden, NotFound)):
            access.require_change(CALLERS[who], action.value, complaint)


def test_every_change_of_the_lifecycle_has_a_rule() -> None:
    ruled = set(access.STAFF_NEEDS) | access.CUSTOMER_ACTIONS | access.SYSTEM_ACTIONS
    assert {action.value for action in TRANSITIONS} <= ruled
    assert ruled <= {action.value for action in Action}


def test_a_change_nobody_wrote_a_rule_for_is_refused() -> None:
    with pytest.raises(Forbidden, match="no access rule for rewrite_history"):
        access.require_change(CALLERS["manager of its team"], "rewrite_history", in_cards())


# --- listing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "scope"),
    [
        ("agent of its team", {"cards"}),
        ("supervisor of another team", {"loans"}),
        ("agent of no team", set()),
        ("manager of its team", None),
        ("compliance", None),
    ],
)
def test_the_listing_is_limited_to_the_callers_teams_unless_they_read_bank_wide(
    who: str, scope: set[str] | None
) -> None:
    assert access.list_scope(CALLERS[who]) == scope


# --- accountability reviews ------------------------------------------------------------------------


def record(**fields: Any) -> AccountabilityRecord:
    base = AccountabilityRecord(
        id="c-1",
        complaint_id="c-1",
        reference="CG-260302-ABCDEF",
        deadline="resolution",
        due_at=RECORD_DUE,
        assignee="agent-7",
        team="cards",
        status=AccountabilityStatus.OPEN,
        opened_at=RECORD_DUE,
    )
    return base.model_copy(update=fields)


@pytest.mark.parametrize(
    ("reviewer", "about", "refusal"),
    [
        (staff("sup-2", "supervisor", "team:loans"), record(), None),
        (staff("mgr-0", "manager"), record(), None),
        (staff("sup-1", "supervisor", "team:cards"), record(), "your own team (cards)"),
        (staff("mgr-1", "manager", "team:loans", "team:cards"), record(), "your own team (cards)"),
        # the handler it names, now a supervisor elsewhere
        (staff("agent-7", "supervisor", "team:loans"), record(), "your own handling"),
        # no team when it breached: the intake queue's
        (staff("sup-1", "supervisor", "team:intake"), record(team="unassigned"), "your own team (intake)"),
        (staff("sup-2", "supervisor", "team:cards"), record(team="unassigned", assignee="unassigned"), None),
    ],
)
def test_nobody_reviews_their_own_handling_or_their_own_team(
    reviewer: Caller, about: AccountabilityRecord, refusal: str | None
) -> None:
    assert access.may_review(reviewer, about) is (refusal is None)
    if refusal is None:
        assert access.require_review(reviewer, about) is about
    else:
        with pytest.raises(Forbidden) as caught:
            access.require_review(reviewer, about)
        assert refusal in caught.value.message


def test_agents_and_compliance_review_nothing() -> None:
    for who in ("agent of another team", "compliance"):
        assert not access.may_review(CALLERS[who], record())
        with pytest.raises(Forbidden, match="review accountability records"):
            access.require_review(CALLERS[who], record())
