"""The complaint lifecycle as one explicit table (docs/architecture.md §2).

Each action lists the statuses it may start from and the status it leads to. Anything not in the
table is refused with `IllegalTransition`, never applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from complaints.core.errors import IllegalTransition
from complaints.core.models import Status


class Action(StrEnum):
    RECEIVE = "receive"
    UPDATE = "update"
    RESPOND = "respond"
    NOTE = "note"
    PAUSE = "pause"
    RESUME = "resume"
    ESCALATE = "escalate"
    EXTEND = "extend"
    # A complex complaint's solution plan (what will be done, by when): the seed policy's 48-hour milestone.
    SOLUTION_PLAN = "give_solution_plan"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    FEEDBACK = "give_feedback"
    FOLLOW_UP = "complete_follow_up"
    # A supervisor takes an open follow-up, or names who of the team is to make the call.
    ASSIGN_FOLLOW_UP = "assign_follow_up"
    # The sweep escalates a follow-up still open when it falls due, once (to the managers).
    FOLLOW_UP_OVERDUE = "escalate_follow_up"
    WARN = "warn_at_risk"
    RESTART_TRACKER = "restart_tracker"
    # The sweep reminds a customer the bank is waiting on, halfway through the pause.
    REMIND = "remind_customer"
    # The customer accepts the outcome through the tracking link: it may then be closed at once.
    ACCEPT = "accept_outcome"
    # Evidence attached (complaints/attachments), and the malware scanner's verdict on it.
    ATTACH = "attach_file"
    RECORD_SCAN = "record_scan_result"
    # Compliance keeps a complaint (retention, erasure) for litigation or an investigation.
    LEGAL_HOLD = "set_legal_hold"
    # A customer's erasure (privacy/erasure.py): written by its own path, never a transition.
    ERASE = "erase_personal_data"
    # A supervisor or manager opens an accountability record by hand (sla/accountability.py).
    OPEN_ACCOUNTABILITY = "open_accountability"
    # Triage's reading of a new complaint (complaints/triage), and the link it makes to the same
    # customer's complaint about the same matter, recorded on that one too.
    TRIAGE = "triage"
    LINK = "link_complaint"
    # A supervisor makes a resolved complaint a case of the case library, with its lesson (complaints/cases).
    MARK_CASE = "mark_library_case"
    # Taken by the SLA tracker state machine itself; named here for the audit trail only.
    SLA_ESCALATE = "sla_escalate"


OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER}
)

_STAY_OPEN: Mapping[Status, Status] = {status: status for status in OPEN_STATUSES}

TRANSITIONS: Mapping[Action, Mapping[Status, Status]] = {
    # Triage (assignee, team, category …) keeps the status; assigning an acknowledged complaint
    # starts the work — the service applies that one rule, see ComplaintService.update.
    Action.UPDATE: _STAY_OPEN,
    # The first public response acknowledges the complaint; later ones keep the status.
    Action.RESPOND: {**_STAY_OPEN, Status.RECEIVED: Status.ACKNOWLEDGED},
    # Internal notes go to the audit trail only, in any state but the final ones.
    Action.NOTE: {**_STAY_OPEN, Status.RESOLVED: Status.RESOLVED},
    # Asking the customer for information stops the clock; only after a first response.
    Action.PAUSE: {
        Status.ACKNOWLEDGED: Status.AWAITING_CUSTOMER,
        Status.IN_PROGRESS: Status.AWAITING_CUSTOMER,
    },
    # Resumed by staff, by the customer's answer through the tracking link, or by the sweep when the
    # pause reaches the policy's limit (docs/architecture.md §3).
    Action.RESUME: {Status.AWAITING_CUSTOMER: Status.IN_PROGRESS},
    Action.REMIND: {Status.AWAITING_CUSTOMER: Status.AWAITING_CUSTOMER},
    Action.ESCALATE: _STAY_OPEN,
    Action.EXTEND: _STAY_OPEN,
    # Told to the customer, so it answers them as a response does; not while the bank waits on them.
    Action.SOLUTION_PLAN: {
        Status.RECEIVED: Status.ACKNOWLEDGED,
        Status.ACKNOWLEDGED: Status.ACKNOWLEDGED,
        Status.IN_PROGRESS: Status.IN_PROGRESS,
    },
    # The customer rates the resolution (once per resolution); a low rating opens a follow-up (回访)
    # that a supervisor completes, whether or not the complaint was closed meanwhile.
    Action.FEEDBACK: {Status.RESOLVED: Status.RESOLVED, Status.CLOSED: Status.CLOSED},
    Action.FOLLOW_UP: {Status.RESOLVED: Status.RESOLVED, Status.CLOSED: Status.CLOSED, **_STAY_OPEN},
    Action.ASSIGN_FOLLOW_UP: {Status.RESOLVED: Status.RESOLVED, Status.CLOSED: Status.CLOSED, **_STAY_OPEN},
    Action.FOLLOW_UP_OVERDUE: {Status.RESOLVED: Status.RESOLVED, Status.CLOSED: Status.CLOSED, **_STAY_OPEN},
    # The sweep's work: only where the clock runs (a complaint awaiting the customer is not watched).
    Action.WARN: {status: status for status in OPEN_STATUSES if status is not Status.AWAITING_CUSTOMER},
    Action.RESTART_TRACKER: {
        status: status for status in OPEN_STATUSES if status is not Status.AWAITING_CUSTOMER
    },
    Action.RESOLVE: {status: Status.RESOLVED for status in OPEN_STATUSES},
    # Closed by staff once the customer accepted the outcome, or by the sweep when the cooling-off
    # period ends undisputed (ComplaintService.close, close_after_cooling_off).
    Action.CLOSE: {Status.RESOLVED: Status.CLOSED},
    Action.ACCEPT: {Status.RESOLVED: Status.RESOLVED},
    # A customer who disputes the resolution reopens it; a closed complaint stays closed.
    Action.REOPEN: {Status.RESOLVED: Status.IN_PROGRESS},
    # Only at the customer's request: through their tracking link, or recorded by staff or the channel
    # app with how and when it reached the bank (ComplaintService.withdraw).
    Action.WITHDRAW: {status: Status.WITHDRAWN for status in OPEN_STATUSES},
    # Evidence may be attached while the complaint is open, and once resolved (the customer may back a
    # dispute with it); never to a closed or withdrawn one. Attaching never moves the status.
    Action.ATTACH: {**_STAY_OPEN, Status.RESOLVED: Status.RESOLVED},
    # The scanner's verdict arrives whenever its scan ends, whatever the complaint's status by then.
    Action.RECORD_SCAN: {status: status for status in Status},
    Action.LEGAL_HOLD: {status: status for status in Status},
    # About the handling, at any point of the complaint's life; never moves the status.
    Action.OPEN_ACCOUNTABILITY: {status: status for status in Status},
    # What triage read is recorded whatever happened meanwhile (a complaint withdrawn in its first
    # seconds is still read); neither moves the status.
    Action.TRIAGE: {status: status for status in Status},
    Action.LINK: {status: status for status in Status},
    # Only a complaint with a resolution teaches a lesson; marking it never moves the status.
    Action.MARK_CASE: {Status.RESOLVED: Status.RESOLVED, Status.CLOSED: Status.CLOSED},
}


def next_status(action: Action, current: Status) -> Status:
    allowed = TRANSITIONS.get(action, {})  # RECEIVE creates a complaint; it never moves one
    if current not in allowed:
        starts = ", ".join(sorted(allowed)) or "nowhere"
        raise IllegalTransition(
            f"cannot {action.value} a complaint that is {current.value}; allowed from: {starts}",
            [{"field": "status", "message": f"is {current.value}", "allowedFrom": sorted(allowed)}],
        )
    return allowed[current]
