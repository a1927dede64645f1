"""The lifecycle table of docs/architecture.md §2, checked cell by cell for every action × status."""

from __future__ import annotations

import itertools

import pytest

from complaints.core.errors import Conflict, IllegalTransition
from complaints.core.models import Status
from complaints.intake.lifecycle import Action, next_status

R = Status.RECEIVED
A = Status.ACKNOWLEDGED
IP = Status.IN_PROGRESS
AC = Status.AWAITING_CUSTOMER
RES = Status.RESOLVED
CL = Status.CLOSED
W = Status.WITHDRAWN

# Written out by hand from the lifecycle diagram (docs/architecture.md §2), not derived from the code:
# (action, from) -> to. Every pair not listed here must be refused.
ALLOWED: dict[tuple[Action, Status], Status] = {
    # triage keeps the status in every open state
    (Action.UPDATE, R): R,
    (Action.UPDATE, A): A,
    (Action.UPDATE, IP): IP,
    (Action.UPDATE, AC): AC,
    # the first public response acknowledges; later ones keep the status
    (Action.RESPOND, R): A,
    (Action.RESPOND, A): A,
    (Action.RESPOND, IP): IP,
    (Action.RESPOND, AC): AC,
    # internal notes: any open state and a resolved one, nothing final
    (Action.NOTE, R): R,
    (Action.NOTE, A): A,
    (Action.NOTE, IP): IP,
    (Action.NOTE, AC): AC,
    (Action.NOTE, RES): RES,
    # the clock stops only once the complaint was acknowledged
    (Action.PAUSE, A): AC,
    (Action.PAUSE, IP): AC,
    (Action.RESUME, AC): IP,
    # the sweep's halfway reminder to a customer the bank waits on
    (Action.REMIND, AC): AC,
    # clock control and escalation in every open state, status unchanged
    (Action.ESCALATE, R): R,
    (Action.ESCALATE, A): A,
    (Action.ESCALATE, IP): IP,
    (Action.ESCALATE, AC): AC,
    (Action.EXTEND, R): R,
    (Action.EXTEND, A): A,
    (Action.EXTEND, IP): IP,
    (Action.EXTEND, AC): AC,
    # a solution plan answers the customer, as a response does; not while the bank waits on them
    (Action.SOLUTION_PLAN, R): A,
    (Action.SOLUTION_PLAN, A): A,
    (Action.SOLUTION_PLAN, IP): IP,
    # resolve from any open state
    (Action.RESOLVE, R): RES,
    (Action.RESOLVE, A): RES,
    (Action.RESOLVE, IP): RES,
    (Action.RESOLVE, AC): RES,
    # accept → closed; dissatisfied → back in progress
    (Action.CLOSE, RES): CL,
    (Action.REOPEN, RES): IP,
    # the customer accepts the outcome through their link: it stays resolved, and may now be closed
    (Action.ACCEPT, RES): RES,
    # withdraw from any open state
    (Action.WITHDRAW, R): W,
    (Action.WITHDRAW, A): W,
    (Action.WITHDRAW, IP): W,
    (Action.WITHDRAW, AC): W,
    # feedback on a resolution, and the supervisor's follow-up of a low rating
    (Action.FEEDBACK, RES): RES,
    (Action.FEEDBACK, CL): CL,
    (Action.FOLLOW_UP, R): R,
    (Action.FOLLOW_UP, A): A,
    (Action.FOLLOW_UP, IP): IP,
    (Action.FOLLOW_UP, AC): AC,
    (Action.FOLLOW_UP, RES): RES,
    (Action.FOLLOW_UP, CL): CL,
    # a supervisor takes or names who makes the follow-up call, while it is open
    (Action.ASSIGN_FOLLOW_UP, R): R,
    (Action.ASSIGN_FOLLOW_UP, A): A,
    (Action.ASSIGN_FOLLOW_UP, IP): IP,
    (Action.ASSIGN_FOLLOW_UP, AC): AC,
    (Action.ASSIGN_FOLLOW_UP, RES): RES,
    (Action.ASSIGN_FOLLOW_UP, CL): CL,
    # the sweep escalates an overdue follow-up wherever one may still be completed
    (Action.FOLLOW_UP_OVERDUE, R): R,
    (Action.FOLLOW_UP_OVERDUE, A): A,
    (Action.FOLLOW_UP_OVERDUE, IP): IP,
    (Action.FOLLOW_UP_OVERDUE, AC): AC,
    (Action.FOLLOW_UP_OVERDUE, RES): RES,
    (Action.FOLLOW_UP_OVERDUE, CL): CL,
    # the sweep's work, only where the clock runs
    (Action.WARN, R): R,
    (Action.WARN, A): A,
    (Action.WARN, IP): IP,
    (Action.RESTART_TRACKER, R): R,
    (Action.RESTART_TRACKER, A): A,
    (Action.RESTART_TRACKER, IP): IP,
    # evidence: attached while open or resolved, never moving the status
    (Action.ATTACH, R): R,
    (Action.ATTACH, A): A,
    (Action.ATTACH, IP): IP,
    (Action.ATTACH, AC): AC,
    (Action.ATTACH, RES): RES,
    # the malware scanner's verdict lands in any status and moves none
    (Action.RECORD_SCAN, R): R,
    (Action.RECORD_SCAN, A): A,
    (Action.RECORD_SCAN, IP): IP,
    (Action.RECORD_SCAN, AC): AC,
    (Action.RECORD_SCAN, RES): RES,
    (Action.RECORD_SCAN, CL): CL,
    (Action.RECORD_SCAN, W): W,
    # a supervisor opens an accountability record about the handling at any point, closed or not
    (Action.OPEN_ACCOUNTABILITY, R): R,
    (Action.OPEN_ACCOUNTABILITY, A): A,
    (Action.OPEN_ACCOUNTABILITY, IP): IP,
    (Action.OPEN_ACCOUNTABILITY, AC): AC,
    (Action.OPEN_ACCOUNTABILITY, RES): RES,
    (Action.OPEN_ACCOUNTABILITY, CL): CL,
    (Action.OPEN_ACCOUNTABILITY, W): W,
    # a legal hold is placed and lifted whatever the complaint's status, and never moves it
    (Action.LEGAL_HOLD, R): R,
    (Action.LEGAL_HOLD, A): A,
    (Action.LEGAL_HOLD, IP): IP,
    (Action.LEGAL_HOLD, AC): AC,
    (Action.LEGAL_HOLD, RES): RES,
    (Action.LEGAL_HOLD, CL): CL,
    (Action.LEGAL_HOLD, W): W,
    # triage's reading, and the link it writes on the customer's earlier complaint, whatever the status
    **{(Action.TRIAGE, status): status for status in Status},
    **{(Action.LINK, status): status for status in Status},
    # A library case is made of a complaint with a resolution only, and keeps its status.
    (Action.MARK_CASE, Status.RESOLVED): Status.RESOLVED,
    (Action.MARK_CASE, Status.CLOSED): Status.CLOSED,
}

# RECEIVE creates a complaint; it is never a transition of an existing one (tested separately below).
# RECEIVE creates a complaint; SLA_ESCALATE is taken by the tracker state machine, not this table.
CHANGE_ACTIONS = [
    action for action in Action if action not in (Action.RECEIVE, Action.SLA_ESCALATE, Action.ERASE)
]
REFUSED = [
    (action, status)
    for action, status in itertools.product(CHANGE_ACTIONS, Status)
    if (action, status) not in ALLOWED
]


def test_the_hand_written_table_covers_every_action_and_status() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(CHANGE_ACTIONS) * len(Status)
    # 84, the 7 statuses an accountability record is opened in, 14 of triage, 2 of the case library
    assert len(ALLOWED) == 107


@pytest.mark.parametrize(("action", "current", "expected"), [(a, s, t) for (a, s), t in ALLOWED.items()])
def test_allowed_transition_leads_to_the_expected_status(
    action: Action, current: Status, expected: Status
) -> None:
    assert next_status(action, current) is expected


@pytest.mark.parametrize(("action", "current"), REFUSED)
def test_every_other_combination_is_refused_naming_the_current_status(
    action: Action, current: Status
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_status(action, current)
    error = caught.value
    assert f"is {current.value}" in error.message
    assert action.value in error.message
    assert error.status == 409
    assert error.code == "illegal_transition"
    assert error.details and error.details[0]["field"] == "status"


def test_closed_and_withdrawn_are_final() -> None:
    # Nothing moves them; a closed complaint only takes the customer's rating, its follow-up and a
    # place in the case library, and
    # either takes the malware scanner's verdict on a file attached before it ended, a legal hold and
    # an accountability record opened by hand about its handling.
    for action in CHANGE_ACTIONS:
        for final in (CL, W):
            if (action, final) in ALLOWED:
                system = (
                    Action.RECORD_SCAN,
                    Action.LEGAL_HOLD,
                    Action.OPEN_ACCOUNTABILITY,
                    Action.TRIAGE,
                    Action.LINK,
                )
                assert action in system or (
                    final is CL
                    and action
                    in (
                        Action.FEEDBACK,
                        Action.FOLLOW_UP,
                        Action.ASSIGN_FOLLOW_UP,
                        Action.FOLLOW_UP_OVERDUE,
                        Action.MARK_CASE,
                    )
                )
                assert next_status(action, final) is final
            else:
                with pytest.raises(IllegalTransition):
                    next_status(action, final)


def test_a_refused_transition_lists_where_the_action_may_start() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_status(Action.CLOSE, IP)
    assert "resolved" in caught.value.message
    assert caught.value.details[0]["allowedFrom"] == ["resolved"]


def test_receive_is_not_a_transition_of_an_existing_complaint() -> None:
    # The module promises "anything not in the table is refused with IllegalTransition"; a RECEIVE on
    # an existing complaint is such a thing and must be a clean 409, not a crash.
    for status in Status:
        with pytest.raises(Conflict) as caught:
            next_status(Action.RECEIVE, status)
        assert isinstance(caught.value, IllegalTransition)
        assert status.value in caught.value.message
