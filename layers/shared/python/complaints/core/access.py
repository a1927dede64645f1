"""On which complaints a caller may do what (docs/architecture.md §1, "Access rules").

`core/auth` says what a role may do at all (a permission: without it, a 403 naming the role, the same
for every id). This module says on which complaint or accountability record, from the caller's
relation to it, and is the one place that does:

| the caller's relation to the complaint | may                                                     |
|----------------------------------------|---------------------------------------------------------|
| channel app that submitted it          | read it; record the customer's request to withdraw it   |
| channel app, any other                 | nothing: 404, the answer to an unknown id               |
| agent of its team                      | read, work (triage, every lifecycle action), note       |
| supervisor of its team                 | that, and extend, complete the follow-up                |
| manager                                | read any; work, extend, follow-up on their teams' ones  |
| compliance                             | read any, add internal notes to any; no other work      |
| agent or supervisor of another team    | nothing: 403 naming the rule                            |

"Work" is every lifecycle action and triage (PATCH), and internal notes; compliance adds internal notes
on any complaint but does no other work. A complaint with no team is in the intake queue, the team
`intake`: the staff in the `team:intake` group read and work it (triage it to a team). The audit trail is
read where the complaint is, with the audit permission.

A channel app is refused with the answer of an unknown id (404, same code and message), so an id
from a tracking link cannot be probed; staff, who may know ids, get a 403 that names the rule.

Accountability records are reviewed bank-wide by supervisors and managers, but never by the handler
the record names nor by a member of its team (the record's `unassigned` is the intake queue).

Follow-ups (回访) are listed (`GET /v1/follow-ups`, tracking/follow_ups.py) as complaints are: by
managers bank-wide, by supervisors for their own teams (`list_scope`, on the team that owes each one).

Performance per handler and per team (`GET /v1/kpis?groupBy=`) is read bank-wide by managers, and by
supervisors for their own teams only: those teams' complaints and the accountability records naming
them (`performance_scope`).

The customer (through the tracking link, whose token the tracking service checked for that
complaint) may rate, reopen, attach evidence, answer while the bank waits on them (which resumes the
clock), accept the outcome and withdraw the complaint; the system (the SLA sweep, the malware scanner)
records warnings, tracker restarts and scan verdicts, reminds a customer the bank waits on, resumes a
pause at its limit, closes a resolved complaint at the end of its cooling-off period and escalates a
follow-up (回访) left open past its due time. A withdrawal is always the customer's: staff and the
submitting app only record the request they received."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from complaints.core.auth import STAFF_ROLES, Caller, Permission, Role
from complaints.core.errors import DomainError, Forbidden, NotFound
from complaints.core.models import AccountabilityRecord, Complaint

INTAKE_TEAM = "intake"
"""The team of a complaint that has none yet: the intake queue (Cognito group `team:intake`)."""
UNASSIGNED = "unassigned"
"""What an accountability record names as team (and assignee) when the complaint had none."""

_BANK_WIDE_READERS = frozenset({Role.MANAGER, Role.COMPLIANCE})
_TEAM_READERS = frozenset({Role.AGENT, Role.SUPERVISOR})


class Need(StrEnum):
    """What a change asks of its caller on the complaint it changes."""

    WORK = "work"
    NOTE = "note"
    EXTEND = "extend"
    FOLLOW_UP = "follow_up"
    ATTACH = "attach"
    HOLD = "hold"
    WITHDRAW = "withdraw"
    ACCOUNTABILITY = "accountability"
    LIBRARY = "library"


# What each change of the lifecycle (by its audit action name, intake/lifecycle.Action) needs of
# staff. A change not listed here is refused to staff (tests/unit/test_access.py checks every action
# of the lifecycle table has its rule).
STAFF_NEEDS: Mapping[str, Need] = {
    "update": Need.WORK,
    "respond": Need.WORK,
    "note": Need.NOTE,
    "pause": Need.WORK,
    "resume": Need.WORK,
    "escalate": Need.WORK,
    "extend": Need.EXTEND,
    # A revised plan that moves its date later also needs Need.EXTEND (ComplaintService.give_solution_plan).
    "give_solution_plan": Need.WORK,
    "resolve": Need.WORK,
    "close": Need.WORK,
    "reopen": Need.WORK,
    # Recorded for the customer, who asked (ComplaintService.withdraw refuses it without how and when).
    "withdraw": Need.WITHDRAW,
    "complete_follow_up": Need.FOLLOW_UP,
    "assign_follow_up": Need.FOLLOW_UP,
    "attach_file": Need.ATTACH,
    "set_legal_hold": Need.HOLD,
    # By hand, about any team's complaint but the caller's own (require_opening refuses those).
    "open_accountability": Need.ACCOUNTABILITY,
    "mark_library_case": Need.LIBRARY,
}
# Changes that are not staff work: who alone may make them.
CUSTOMER_ACTIONS = frozenset(
    {"give_feedback", "reopen", "attach_file", "resume", "accept_outcome", "withdraw"}
)
SYSTEM_ACTIONS = frozenset(
    {
        "warn_at_risk",
        "restart_tracker",
        "record_scan_result",
        "remind_customer",
        "resume",
        "close",
        "escalate_follow_up",
        "triage",
        "link_complaint",
    }
)

# The permission each need asks first (a 403 naming the role, the same for every id); attaching asks
# none of its own: the rule itself names who may (staff who work it, the app that submitted it).
_PERMISSION: Mapping[Need, Permission | None] = {
    Need.WORK: Permission.WORK,
    Need.NOTE: Permission.NOTE,
    Need.EXTEND: Permission.EXTEND,
    Need.FOLLOW_UP: Permission.REVIEW,
    Need.ATTACH: None,
    Need.HOLD: Permission.LEGAL_HOLD,
    Need.WITHDRAW: None,
    Need.ACCOUNTABILITY: Permission.REVIEW,
    Need.LIBRARY: Permission.REVIEW,
}


# --- relations ------------------------------------------------------------------------------------


def team_of(complaint: Complaint) -> str:
    """The team a complaint is with: its own, or the intake queue while it has none."""
    return complaint.team or INTAKE_TEAM


def record_team(record: AccountabilityRecord) -> str:
    return INTAKE_TEAM if record.team == UNASSIGNED else record.team


def is_staff(caller: Caller) -> bool:
    return bool(caller.roles & set(STAFF_ROLES))


def reads_bank_wide(caller: Caller) -> bool:
    return caller.can(Permission.READ) and bool(caller.roles & _BANK_WIDE_READERS)


def in_my_teams(caller: Caller, complaint: Complaint) -> bool:
    return team_of(complaint) in caller.teams


# --- the rules ------------------------------------------------------------------------------------


def may_read(caller: Caller, complaint: Complaint) -> bool:
    if not caller.can(Permission.READ):
        return False
    if reads_bank_wide(caller):
        return True
    if caller.roles & _TEAM_READERS and in_my_teams(caller, complaint):
        return True
    return Role.CHANNEL_APP in caller.roles and complaint.submitted_by == caller.id


def may_read_audit(caller: Caller, complaint: Complaint) -> bool:
    return caller.can(Permission.READ_AUDIT) and may_read(caller, complaint)


def may_work(caller: Caller, complaint: Complaint) -> bool:
    """Triage and every lifecycle action but extend: on the complaints of one's teams."""
    return caller.can(Permission.WORK) and in_my_teams(caller, complaint)


def may_note(caller: Caller, complaint: Complaint) -> bool:
    """An internal note: whoever may work the complaint, and compliance on any complaint."""
    if not caller.can(Permission.NOTE):
        return False
    return (Role.COMPLIANCE in caller.roles and may_read(caller, complaint)) or in_my_teams(caller, complaint)


def may_extend(caller: Caller, complaint: Complaint) -> bool:
    return caller.can(Permission.EXTEND) and in_my_teams(caller, complaint)


def may_complete_follow_up(caller: Caller, complaint: Complaint) -> bool:
    return caller.can(Permission.REVIEW) and in_my_teams(caller, complaint)


def may_attach(caller: Caller, complaint: Complaint) -> bool:
    """Evidence: from staff who may work the complaint, or the channel app that submitted it."""
    submitter = Role.CHANNEL_APP in caller.roles and complaint.submitted_by == caller.id
    return may_work(caller, complaint) or (submitter and caller.can(Permission.SUBMIT))


def may_record_withdrawal(caller: Caller, complaint: Complaint) -> bool:
    """The customer's request to withdraw: recorded by staff who may work the complaint, or by the
    channel app that submitted it (the customer asks at the counter, on the hotline …)."""
    return may_attach(caller, complaint)


def may_hold(caller: Caller, complaint: Complaint) -> bool:
    """A legal hold: compliance, on any complaint it may read (every one)."""
    return caller.can(Permission.LEGAL_HOLD) and may_read(caller, complaint)


def may_open_accountability(caller: Caller, complaint: Complaint) -> bool:
    """Any complaint: the permission (supervisors, managers) is the gate; the team rule is the
    reverse of the usual one (require_opening: never one's own handling or team)."""
    return caller.can(Permission.REVIEW)


def may_mark_case(caller: Caller, complaint: Complaint) -> bool:
    """A case of the case library: supervisors of the complaint's team, managers of any."""
    return caller.can(Permission.REVIEW) and may_read(caller, complaint)


_RULES = {
    Need.WORK: may_work,
    Need.NOTE: may_note,
    Need.EXTEND: may_extend,
    Need.FOLLOW_UP: may_complete_follow_up,
    Need.ATTACH: may_attach,
    Need.HOLD: may_hold,
    Need.WITHDRAW: may_record_withdrawal,
    Need.ACCOUNTABILITY: may_open_accountability,
    Need.LIBRARY: may_mark_case,
}


def may(caller: Caller, need: Need, complaint: Complaint) -> bool:
    return _RULES[need](caller, complaint)


def may_review(caller: Caller, record: AccountabilityRecord) -> bool:
    return caller.can(Permission.REVIEW) and review_refusal(caller, record) is None


def review_refusal(caller: Caller, record: AccountabilityRecord) -> str | None:
    """Why `caller` may not review `record` (their own handling or their own team), or None."""
    if record.assignee == caller.id:
        return (
            f"you may not review accountability record {record.id}: it is about your own handling of "
            "the complaint; a supervisor or manager of another team reviews it"
        )
    if record_team(record) in caller.teams:
        return (
            f"you may not review accountability record {record.id}: it is about your own team "
            f"({record_team(record)}); a supervisor or manager of another team reviews it"
        )
    return None


def list_scope(caller: Caller) -> frozenset[str] | None:
    """The teams a listing is limited to: None for those who read bank-wide, else the caller's."""
    return None if reads_bank_wide(caller) else caller.teams


def performance_scope(caller: Caller) -> frozenset[str] | None:
    """The teams whose performance (per handler, per team) a caller may see: None (bank-wide) for
    those who read the bank-wide KPIs (managers), else the caller's own teams (supervisors); the
    complaints of those teams and the accountability records naming them. Anyone else: 403."""
    caller.require(Permission.READ_PERFORMANCE)
    if caller.can(Permission.READ_REPORTS):
        return None
    if not caller.teams:
        raise Forbidden(
            "supervisors see the performance of their own teams, and you belong to none "
            "(a `team:<name>` group)"
        )
    return caller.teams


# --- answers: raise what the caller is told -------------------------------------------------------


def hidden(complaint_id: str) -> NotFound:
    """The answer to a complaint a channel app may not see: the very answer to an unknown id (the
    repository's, adapters/dynamodb/complaints.py), so an id cannot be probed."""
    return NotFound(f"no complaint with id {complaint_id}")


def _teams(caller: Caller) -> str:
    return ", ".join(sorted(caller.teams)) or "none"


def _where(complaint: Complaint) -> str:
    if complaint.team is None:
        return f"complaint {complaint.id} is in the intake queue (team {INTAKE_TEAM})"
    return f"complaint {complaint.id} is with team {complaint.team}"


def _refused(caller: Caller, complaint: Complaint, message: str) -> DomainError:
    """A staff member is told the rule; anyone else who may not read the complaint learns nothing."""
    if not is_staff(caller) and not may_read(caller, complaint):
        return hidden(complaint.id)
    return Forbidden(message)


def require_read(caller: Caller, complaint: Complaint) -> Complaint:
    caller.require(Permission.READ)
    if not may_read(caller, complaint):
        raise _refused(
            caller,
            complaint,
            f"{_where(complaint)}: agents and supervisors read the complaints of their teams "
            f"(yours: {_teams(caller)})",
        )
    return complaint


def require_read_audit(caller: Caller, complaint: Complaint) -> Complaint:
    caller.require(Permission.READ_AUDIT)
    return require_read(caller, complaint)


def require(caller: Caller, need: Need, complaint: Complaint) -> Complaint:
    permission = _PERMISSION[need]
    if permission is not None:
        caller.require(permission)
    if not may(caller, need, complaint):
        raise _refused(
            caller,
            complaint,
            f"{_where(complaint)}: you act only on the complaints of your teams (yours: {_teams(caller)})",
        )
    return complaint


def require_change(caller: Caller, action: str, complaint: Complaint) -> Complaint:
    """The rule of one change (`action`, the audit name) on the complaint as it is before it."""
    if Role.CUSTOMER in caller.roles and action in CUSTOMER_ACTIONS:
        return complaint
    if Role.SYSTEM in caller.roles and action in SYSTEM_ACTIONS:
        return complaint
    need = STAFF_NEEDS.get(action)
    if need is not None:
        return require(caller, need, complaint)
    if action in CUSTOMER_ACTIONS:
        message = f"only the customer may {action.replace('_', ' ')}, through the tracking link"
    elif action in SYSTEM_ACTIONS:
        message = f"only the system (SLA machinery, triage) may {action.replace('_', ' ')}"
    else:  # a change of the lifecycle nobody wrote a rule for: refused until someone does
        message = f"no access rule for {action} (complaints/core/access.py)"
    raise _refused(caller, complaint, message)


def require_opening(caller: Caller, record: AccountabilityRecord) -> AccountabilityRecord:
    """A record opened by hand: by supervisors and managers, never about their own handling or their
    own team (the rule of the review: whoever opens one could not review it either)."""
    caller.require(Permission.REVIEW)
    if review_refusal(caller, record) is not None:
        own = record.assignee == caller.id
        about = "your own handling" if own else f"your own team ({record_team(record)})"
        raise Forbidden(
            f"you may not open an accountability record about {about}; a supervisor or manager of "
            "another team does"
        )
    return record


def require_review(caller: Caller, record: AccountabilityRecord) -> AccountabilityRecord:
    caller.require(Permission.REVIEW)
    reason = review_refusal(caller, record)
    if reason is not None:
        raise Forbidden(reason)
    return record
