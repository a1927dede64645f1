"""The audit trail is the outbox: every change writes an audit event in the same transaction as the
complaint, and DynamoDB Streams hands each new audit event to the publisher, which turns it into the
domain events of docs/architecture.md §6 and puts them on the bus. So an event is published if and only
if its change was stored, and a failed publication is retried from the stream, never lost.

That holds for every writer of the trail: the api, the SLA sweep (its 80 % warnings) and the SLA
tracker's state machine (its escalations) announce nothing themselves.

Most audit events announce one domain event, with the audit event's own id. Three announce a second
one: the SLA tracker's step (`SlaBreached`, and `ComplaintEscalated` when the level rose), the receipt
of a complaint that starts escalated (`ComplaintReceived`, and `ComplaintEscalated` to its supervisor
and compliance) and a low rating (`FeedbackReceived`, and `FollowUpOpened` to the supervisors of the
team that owes the follow-up). The second has an id of its own derived from the audit event's
(`derived_id`): the same on every retry of the stream, never the first one's, so a consumer that drops
repeats by id drops neither.
"""

from __future__ import annotations

import uuid
from typing import Any

from complaints.core.events import DomainEvent, EventName
from complaints.core.models import AuditEvent
from complaints.intake.lifecycle import Action

# The sweep's own bookkeeping: nothing to announce.
_NOT_ANNOUNCED = frozenset({Action.RESTART_TRACKER.value})

# Announced with the audit event's own data; every other change is a ComplaintUpdated.
_SIMPLE = {
    Action.CLOSE.value: EventName.COMPLAINT_CLOSED,
    Action.REOPEN.value: EventName.COMPLAINT_REOPENED,
    Action.FEEDBACK.value: EventName.FEEDBACK_RECEIVED,
    # The sweep's escalation of an overdue follow-up (回访), to the managers.
    Action.FOLLOW_UP_OVERDUE.value: EventName.FOLLOW_UP_OVERDUE,
}

# What a pause (and its reminder) asks of the customer: its ComplaintUpdated carries `needed` and
# `pausedUntil`, from the event's data (`needed`, `until`) or else the complaint's fields the pause set
# (`pauseNeeded`, `pausedUntil`), so the customer is told what this pause asked, by when.
_WAITING = frozenset({Action.PAUSE.value, Action.REMIND.value})
_PAUSE_FACTS = (
    ("needed", ("needed",), "pauseNeeded"),
    ("pausedUntil", ("pausedUntil", "until"), "pausedUntil"),
)

# Who hears of a complaint that is critical at intake, besides the level's own audience.
_INTAKE_AUDIENCES = ["supervisor", "compliance"]

# The namespace of the ids of second events (a fixed, random UUID: changing it would change every id).
_DERIVED_IDS = uuid.UUID("5f0e4c3a-2b1d-4e8f-9a6c-7d5b3e1f0a92")


def derived_id(audit_id: str, name: EventName) -> str:
    """The id of the `name` event an audit event announces besides its first one."""
    return str(uuid.uuid5(_DERIVED_IDS, f"{audit_id}/{name.value}"))


def domain_events_for(audit: AuditEvent) -> list[DomainEvent]:
    """The domain events an audit event announces, in order (none for what is not announced)."""
    if audit.action in _NOT_ANNOUNCED:
        return []
    if audit.action == Action.SLA_ESCALATE.value:
        return _tracker_step(audit)
    if audit.action == Action.WARN.value:
        return [_event(audit, EventName.SLA_AT_RISK, _at_risk_data(audit))]
    if audit.action == Action.TRIAGE.value:
        return _triage(audit)
    name, data = _first(audit)
    events = [_event(audit, name, data)]
    level = _level(audit.after("escalationLevel"))
    if audit.action == Action.RECEIVE.value and level > 0:
        # A critical complaint starts escalated: its supervisor and compliance hear of it now.
        escalated = {
            "level": level,
            "previousLevel": 0,
            "reason": "critical at intake",
            "notify": list(_INTAKE_AUDIENCES),
            "reference": audit.after("reference"),
        }
        events.append(_event(audit, EventName.COMPLAINT_ESCALATED, escalated, second=True))
    opened = _follow_up_opened(audit)
    if opened is not None:
        events.append(_event(audit, EventName.FOLLOW_UP_OPENED, opened, second=True))
    return events


def _triage(audit: AuditEvent) -> list[DomainEvent]:
    """Triage's reading (complaints/triage): a `ComplaintUpdated` (the customer is told of links to
    the same matter from it); for a sensitive complaint also `ComplaintFlagged` and, when the level
    rose, `ComplaintEscalated` to its supervisor and compliance."""
    _, data = _first(audit)
    events = [_event(audit, EventName.COMPLAINT_UPDATED, data)]
    if not audit.data.get("sensitive"):
        return events
    flagged = {
        "reference": audit.data.get("reference"),
        "riskFlags": audit.data.get("riskFlags", []),
        "priority": "critical",
        "team": audit.data.get("team"),
    }
    events.append(_event(audit, EventName.COMPLAINT_FLAGGED, flagged, second=True))
    change = audit.changes.get("escalationLevel")
    if change is not None and _level(change.after) > _level(change.before):
        escalated = {
            "level": _level(change.after),
            "previousLevel": _level(change.before),
            "reason": "sensitive complaint (triage)",
            "riskFlags": audit.data.get("riskFlags", []),
            "notify": list(_INTAKE_AUDIENCES),
            "reference": audit.data.get("reference"),
            "team": audit.data.get("team"),
        }
        events.append(_event(audit, EventName.COMPLAINT_ESCALATED, escalated, second=True))
    return events


def _follow_up_opened(audit: AuditEvent) -> dict[str, Any] | None:
    """What a rating that opened a follow-up (回访) tells the team's supervisors: which team owes it,
    by when, the rating (the customer's comment and contact details are read fresh, not carried)."""
    if audit.action != Action.FEEDBACK.value:
        return None
    follow_up = audit.after("followUp")
    if not isinstance(follow_up, dict) or follow_up.get("status") != "open":
        return None
    return {key: follow_up.get(key) for key in ("team", "rating", "openedAt", "dueAt")}


def _first(audit: AuditEvent) -> tuple[EventName, dict[str, Any]]:
    """The one domain event of a change made through the api (or a customer's link)."""
    data: dict[str, Any] = {"action": audit.action, **audit.data}
    if audit.action == Action.RECEIVE.value:
        # The receipt carries what routing needs, not the customer's details (read them fresh).
        return EventName.COMPLAINT_RECEIVED, {"action": audit.action} | {
            key: audit.after(key) for key in ("reference", "channel", "category", "priority", "slaPolicy")
        }
    if audit.action == Action.RESPOND.value:
        first = audit.after("status") == "acknowledged"
        name = EventName.COMPLAINT_ACKNOWLEDGED if first else EventName.COMPLAINT_UPDATED
        return name, data | {"kind": "response"}
    if audit.action == Action.NOTE.value:
        # An internal note is announced without its text: it is not for the customer.
        return EventName.COMPLAINT_UPDATED, {"action": audit.action, "kind": "note", "public": False}
    if audit.action == Action.OPEN_ACCOUNTABILITY.value:
        # Internal, like a note: the record it opened, never the finding sought or the evidence.
        told = {
            "action": audit.action,
            "public": False,
            "accountabilityRecord": audit.data.get("accountabilityRecord"),
        }
        return EventName.COMPLAINT_UPDATED, told
    if audit.action == Action.ESCALATE.value:
        before = audit.changes.get("escalationLevel")
        return EventName.COMPLAINT_ESCALATED, data | {
            "level": audit.after("escalationLevel"),
            "manual": True,
            "previousLevel": None if before is None else before.before,
        }
    if audit.action == Action.RESOLVE.value:
        return EventName.COMPLAINT_RESOLVED, data | {"resolution": audit.after("resolution")}
    name = _SIMPLE.get(audit.action, EventName.COMPLAINT_UPDATED)
    if name is EventName.COMPLAINT_UPDATED:
        data["fields"] = sorted(audit.changes)
        # A change that moved the resolution deadline (resume, extend, a triage that took an extension)
        # names the new one: the customer is told the date this change set, not whatever the complaint
        # says when the message goes.
        moved_to = _resolution_moved_to(audit)
        if moved_to is not None:
            data["resolutionDueAt"] = moved_to
        if audit.action in _WAITING:
            for key, said, field in _PAUSE_FACTS:
                value = next((data[name] for name in said if data.get(name) is not None), audit.after(field))
                if value is not None:
                    data[key] = value
    return name, data


def _resolution_moved_to(audit: AuditEvent) -> Any:
    """The resolution deadline a change set, when it moved it (None otherwise)."""
    change = audit.changes.get("deadlines")
    if change is None or not isinstance(change.after, dict):
        return None
    was = change.before.get("resolutionDueAt") if isinstance(change.before, dict) else None
    now = change.after.get("resolutionDueAt")
    return now if now and now != was else None


def _tracker_step(audit: AuditEvent) -> list[DomainEvent]:
    """A step the SLA tracker took (infra/statemachines/sla-tracker.asl.json writes the event): the
    deadline it found missed, and the escalation when the step raised the level (a level already at
    or above the step's is kept, and nobody new is told).

    An event without `reference`, `team` and `assignee` was written by an execution started on the
    definition that announced its own steps (a running execution keeps its definition); the tracker's
    role may no longer call PutEvents, so that announcement is refused and this one is the only one:
    it says what it has (the notifier reads the complaint for the rest)."""
    data = audit.data
    # The tracker's execution, as its own announcements named it: the trail of one run of it.
    correlation = data.get("execution") or audit.actor.id
    breached = {"deadline": data.get("step"), "dueAt": data.get("dueAt"), "reference": data.get("reference")}
    events = [_event(audit, EventName.SLA_BREACHED, breached, correlation=correlation)]
    change = audit.changes.get("escalationLevel")
    if change is not None and _level(change.after) > _level(change.before):
        escalated = {
            "level": _level(change.after),
            "previousLevel": _level(change.before),
            "step": data.get("step"),
            "reference": data.get("reference"),
            "team": data.get("team"),
            "assignee": data.get("assignee"),
        }
        events.append(
            _event(audit, EventName.COMPLAINT_ESCALATED, escalated, correlation=correlation, second=True)
        )
    return events


def _at_risk_data(audit: AuditEvent) -> dict[str, Any]:
    """The sweep's 80 % warning, as the service recorded it (complaints/intake/service.py)."""
    return {key: audit.data.get(key) for key in ("deadline", "dueAt", "reference", "assignee", "team")}


def _level(value: Any) -> int:
    """An escalation level as the trail holds it (a number; none before the first change)."""
    try:
        return int(str(value or 0))
    except ValueError:
        return 0


def _event(
    audit: AuditEvent,
    name: EventName,
    data: dict[str, Any],
    *,
    correlation: str | None = None,
    second: bool = False,
) -> DomainEvent:
    return DomainEvent(
        name=name,
        id=derived_id(audit.id, name) if second else audit.id,
        occurred_at=audit.at,
        complaint_id=audit.complaint_id,
        version=audit.version,
        data=data,
        correlation_id=correlation or audit.actor.id,
    )
