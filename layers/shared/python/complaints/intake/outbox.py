"""The audit trail is the outbox: every change writes an audit event in the same transaction as the
complaint, and DynamoDB Streams hands each new audit event to the publisher, which turns it into the
domain event of docs/architecture.md §6 and puts it on the bus. So an event is published if and only if its
change was stored, and a failed publication is retried from the stream, never lost.
"""

from __future__ import annotations

from typing import Any

from complaints.core.events import DomainEvent, EventName
from complaints.core.models import AuditEvent
from complaints.intake.lifecycle import Action

# Published by the SLA tracker state machine itself (SlaBreached, ComplaintEscalated), and the sweep's
# own bookkeeping: nothing more to announce.
_NOT_ANNOUNCED = frozenset({Action.SLA_ESCALATE.value, Action.RESTART_TRACKER.value, Action.WARN.value})

# Announced with the audit event's own data; every other change is a ComplaintUpdated.
_SIMPLE = {
    Action.CLOSE.value: EventName.COMPLAINT_CLOSED,
    Action.REOPEN.value: EventName.COMPLAINT_REOPENED,
    Action.FEEDBACK.value: EventName.FEEDBACK_RECEIVED,
}


def domain_event_for(audit: AuditEvent) -> DomainEvent | None:
    """The domain event an audit event announces (None for what is not announced)."""
    if audit.action in _NOT_ANNOUNCED:
        return None
    data: dict[str, Any] = {"action": audit.action, **audit.data}
    if audit.action == Action.RECEIVE.value:
        # The receipt carries what routing needs, not the customer's details (read them fresh).
        name = EventName.COMPLAINT_RECEIVED
        data = {"action": audit.action} | {
            key: audit.after(key) for key in ("reference", "channel", "category", "priority", "slaPolicy")
        }
    elif audit.action == Action.RESPOND.value:
        first = audit.after("status") == "acknowledged"
        name = EventName.COMPLAINT_ACKNOWLEDGED if first else EventName.COMPLAINT_UPDATED
        data["kind"] = "response"
    elif audit.action == Action.NOTE.value:
        # An internal note is announced without its text: it is not for the customer.
        name, data = EventName.COMPLAINT_UPDATED, {"action": audit.action, "kind": "note", "public": False}
    elif audit.action == Action.ESCALATE.value:
        name = EventName.COMPLAINT_ESCALATED
        data |= {"level": audit.after("escalationLevel"), "manual": True}
        before = audit.changes.get("escalationLevel")
        data["previousLevel"] = None if before is None else before.before
    elif audit.action == Action.RESOLVE.value:
        name = EventName.COMPLAINT_RESOLVED
        data["resolution"] = audit.after("resolution")
    else:
        name = _SIMPLE.get(audit.action, EventName.COMPLAINT_UPDATED)
        if name is EventName.COMPLAINT_UPDATED:
            data["fields"] = sorted(audit.changes)
    return DomainEvent(
        name=name,
        id=audit.id,
        occurred_at=audit.at,
        complaint_id=audit.complaint_id,
        version=audit.version,
        data=data,
        correlation_id=audit.actor.id,
    )
