"""The outbox mapping: which audit event becomes which domain event on the bus, and what it carries.

Audit events are built by hand, shaped as ComplaintService writes them (changes in camelCase JSON,
use-case data in `data`); the expected domain events are worked out from docs/architecture.md §6.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from api_events import CUSTOMER

from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Actor, AuditEvent, FieldChange
from complaints.intake.outbox import domain_event_for

COMPLAINT_ID = "0b7c2f7e-6d1a-4b8e-9a51-3c2f1d0e9a11"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
AGENT = Actor(id="agent-7", roles=["agent"])
CHANNEL_APP = Actor(id="counter-app", roles=["channel_app"])
RESOLUTION = {
    "outcome": "upheld",
    "summary": "The duplicate debit of 500 CNY was refunded.",
    "rootCause": "payment switch retry",
    "redress": None,
}


def audit(
    action: str,
    version: int,
    changes: dict[str, tuple[Any, Any]] | None = None,
    data: dict[str, Any] | None = None,
    actor: Actor = AGENT,
    event_id: str | None = None,
) -> AuditEvent:
    return AuditEvent(
        id=event_id or f"evt-{version:03d}",
        complaint_id=COMPLAINT_ID,
        version=version,
        action=action,
        actor=actor,
        at=T0.replace(minute=version),
        changes={
            field: FieldChange(before=before, after=after)
            for field, (before, after) in (changes or {}).items()
        },
        data=data or {},
    )


def announced(event: AuditEvent) -> DomainEvent:
    domain = domain_event_for(event)
    assert domain is not None, f"{event.action} should be announced"
    return domain


def receipt() -> AuditEvent:
    """The receive event as intake writes it: every field of the new complaint, before None."""
    new_complaint = {
        "id": COMPLAINT_ID,
        "reference": "CG-260302-7K3M9Q",
        "status": "received",
        "channel": "mobile_app",
        "category": "product",
        "product": "payment",
        "priority": "high",
        "complexity": "simple",
        "customer": CUSTOMER,
        "description": "A transfer of 500 CNY was debited twice on 20 November.",
        "receivedAt": "2026-03-02T01:00:00Z",
        "slaPolicy": "cbirc-2020",
        "escalationLevel": 0,
        "submittedBy": "counter-app",
    }
    return audit(
        "receive",
        1,
        {field: (None, value) for field, value in new_complaint.items()},
        actor=CHANNEL_APP,
        event_id="evt-receive",
    )


def test_receive_becomes_complaint_received_with_routing_fields_only() -> None:
    event = announced(receipt())

    assert event.name is EventName.COMPLAINT_RECEIVED
    assert event.data == {
        "action": "receive",
        "reference": "CG-260302-7K3M9Q",
        "channel": "mobile_app",
        "category": "product",
        "priority": "high",
        "slaPolicy": "cbirc-2020",
    }


def test_the_receipt_on_the_bus_carries_nothing_of_the_customer() -> None:
    detail = json.dumps(announced(receipt()).detail(), ensure_ascii=False)

    for personal in ("Li Wei", "+8613800138000", "li.wei@bank-customer.cn", "C-1001", "customer"):
        assert personal not in detail
    # nor the customer's own words
    assert "debited twice" not in detail


def test_the_event_keeps_the_audit_events_id_version_time_complaint_and_actor() -> None:
    event = announced(receipt())

    assert event.id == "evt-receive"
    assert event.version == 1
    assert event.occurred_at == datetime(2026, 3, 2, 1, 1, tzinfo=UTC)
    assert event.complaint_id == COMPLAINT_ID
    assert event.correlation_id == "counter-app"
    assert event.detail() == {
        "id": "evt-receive",
        "occurredAt": "2026-03-02T01:01:00Z",
        "complaintId": COMPLAINT_ID,
        "version": 1,
        "data": event.data,
        "correlationId": "counter-app",
    }


def test_the_first_public_response_acknowledges_the_complaint() -> None:
    first = audit(
        "respond",
        2,
        {
            "status": ("received", "acknowledged"),
            "firstRespondedAt": (None, "2026-03-02T01:02:00Z"),
        },
        data={"message": "We are looking into the double debit.", "public": True},
    )

    event = announced(first)

    assert event.name is EventName.COMPLAINT_ACKNOWLEDGED
    assert event.data == {
        "action": "respond",
        "message": "We are looking into the double debit.",
        "public": True,
        "kind": "response",
    }
    assert (event.id, event.version, event.correlation_id) == ("evt-002", 2, "agent-7")


def test_a_later_response_is_an_update_of_kind_response() -> None:
    later = audit(
        "respond",
        4,
        {},  # the status stays in_progress; firstRespondedAt is already set
        data={"message": "The refund is on its way.", "public": True},
    )

    event = announced(later)

    assert event.name is EventName.COMPLAINT_UPDATED
    assert event.data == {
        "action": "respond",
        "message": "The refund is on its way.",
        "public": True,
        "kind": "response",
    }


def test_a_response_to_an_in_progress_complaint_does_not_acknowledge_it_again() -> None:
    # A response that moves no status (here: the complaint was assigned, hence in progress, first).
    later = audit("respond", 3, {"firstRespondedAt": (None, "2026-03-02T01:03:00Z")}, data={"message": "m"})

    assert announced(later).name is EventName.COMPLAINT_UPDATED


def test_an_internal_note_is_announced_without_its_text() -> None:
    note = audit(
        "note",
        3,
        {},
        data={"message": "Customer sounded upset; check call recording 4411.", "public": False},
    )

    event = announced(note)

    assert event.name is EventName.COMPLAINT_UPDATED
    assert event.data == {"action": "note", "kind": "note", "public": False}
    detail = json.dumps(event.detail())
    assert "upset" not in detail
    assert "4411" not in detail


def test_resolve_becomes_complaint_resolved_with_the_resolution() -> None:
    resolved = audit(
        "resolve",
        5,
        {
            "status": ("in_progress", "resolved"),
            "resolvedAt": (None, "2026-03-02T01:05:00Z"),
            "resolution": (None, RESOLUTION),
        },
    )

    event = announced(resolved)

    assert event.name is EventName.COMPLAINT_RESOLVED
    assert event.data == {"action": "resolve", "resolution": RESOLUTION}
    assert event.version == 5


def test_a_manual_escalation_names_the_level_it_came_from_and_went_to() -> None:
    escalated = audit(
        "escalate",
        3,
        {"escalationLevel": (1, 2)},
        data={"reason": "customer threatens to go to the regulator"},
        actor=Actor(id="sup-1", roles=["supervisor"]),
    )

    event = announced(escalated)

    assert event.name is EventName.COMPLAINT_ESCALATED
    assert event.data == {
        "action": "escalate",
        "reason": "customer threatens to go to the regulator",
        "level": 2,
        "previousLevel": 1,
        "manual": True,
    }
    assert event.correlation_id == "sup-1"


def test_an_escalation_from_level_0_reports_previous_level_0() -> None:
    event = announced(audit("escalate", 2, {"escalationLevel": (0, 1)}, data={"reason": "r"}))

    assert (event.data["previousLevel"], event.data["level"]) == (0, 1)


def test_feedback_becomes_feedback_received_with_the_rating() -> None:
    feedback = audit(
        "give_feedback",
        6,
        {"feedback": ([], [{"rating": 2, "comment": "slow", "resolutionNumber": 1}])},
        data={"rating": 2, "lowRating": True},
        actor=Actor(id="customer", roles=["customer"]),
    )

    event = announced(feedback)

    assert event.name is EventName.FEEDBACK_RECEIVED
    assert event.data == {"action": "give_feedback", "rating": 2, "lowRating": True}


@pytest.mark.parametrize(
    ("action", "changes"),
    [
        ("sla_escalate", {"escalationLevel": (0, 1)}),
        ("restart_tracker", {"trackerGeneration": (1, 2)}),
        ("warn_at_risk", {"atRiskWarned": ({}, {"firstResponse": "2026-03-02T05:00:00Z"})}),
    ],
)
def test_the_trackers_and_the_sweeps_own_changes_are_not_announced_here(
    action: str, changes: dict[str, tuple[Any, Any]]
) -> None:
    assert domain_event_for(audit(action, 3, changes, actor=Actor(id="sla-tracker", roles=[]))) is None
