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
from complaints.intake.outbox import derived_id, domain_events_for

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
    """The one domain event of an audit event that announces one."""
    events = domain_events_for(event)
    assert len(events) == 1, f"{event.action} should be announced once, not {[e.name for e in events]}"
    return events[0]


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


def test_a_rating_that_opens_a_follow_up_also_announces_it_to_the_team_that_owes_it() -> None:
    opened = {
        "status": "open",
        "rating": 2,
        "openedAt": "2026-03-02T01:06:00Z",
        "dueAt": "2026-03-04T01:06:00Z",
        "team": "cards",
        "escalatedAt": None,
        "completedAt": None,
        "completedBy": None,
        "outcome": None,
        "notes": None,
    }
    feedback = audit(
        "give_feedback",
        6,
        {
            "feedback": ([], [{"rating": 2, "comment": "slow", "resolutionNumber": 1}]),
            "followUp": (None, opened),
        },
        data={"rating": 2, "lowRating": True},
        actor=Actor(id="customer", roles=["customer"]),
    )

    received, follow_up = domain_events_for(feedback)

    assert received.name is EventName.FEEDBACK_RECEIVED and received.id == "evt-006"
    assert follow_up.name is EventName.FOLLOW_UP_OPENED
    assert follow_up.id == derived_id("evt-006", EventName.FOLLOW_UP_OPENED) != received.id
    assert follow_up.data == {
        "team": "cards",
        "rating": 2,
        "openedAt": "2026-03-02T01:06:00Z",
        "dueAt": "2026-03-04T01:06:00Z",
    }
    assert (follow_up.complaint_id, follow_up.version) == (COMPLAINT_ID, 6)


def test_the_sweeps_escalation_of_an_overdue_follow_up_is_follow_up_overdue() -> None:
    overdue = audit(
        "escalate_follow_up",
        9,
        {"followUp": ({"status": "open", "escalatedAt": None}, {"status": "open", "escalatedAt": "x"})},
        data={"reference": "CG-260302-7K3M9Q", "team": "cards", "rating": 2, "dueAt": "2026-03-04T01:06:00Z"},
        actor=Actor(id="sla-sweep", roles=["system"]),
    )

    event = announced(overdue)

    assert event.name is EventName.FOLLOW_UP_OVERDUE
    assert event.data == {
        "action": "escalate_follow_up",
        "reference": "CG-260302-7K3M9Q",
        "team": "cards",
        "rating": 2,
        "dueAt": "2026-03-04T01:06:00Z",
    }


def tracker_step(
    step: str, before: int, after: int, *, accountability: bool = False, version: int = 3
) -> AuditEvent:
    """The audit event the SLA tracker writes (infra/statemachines/sla-tracker.asl.json, the
    EscalationEvent and BreachEvent states), as the stream hands it over."""
    data = {
        "step": step,
        "dueAt": "2026-03-03T01:00:01Z",
        "execution": "0b7c2f7e--2",
        "reference": "CG-260302-7K3M9Q",
        "team": "cards",
        "assignee": "li.na",
    }
    if accountability:
        data["accountabilityRecord"] = COMPLAINT_ID
    return audit(
        "sla_escalate",
        version,
        {"escalationLevel": (before, after)},
        data=data,
        actor=Actor(id="sla-tracker", roles=["system"]),
        event_id="evt-step",
    )


def test_a_tracker_step_that_raises_the_level_is_a_breach_and_an_escalation() -> None:
    breached, escalated = domain_events_for(tracker_step("resolution", 1, 2, accountability=True))

    assert breached.name is EventName.SLA_BREACHED
    assert breached.data == {
        "deadline": "resolution",
        "dueAt": "2026-03-03T01:00:01Z",
        "reference": "CG-260302-7K3M9Q",
    }
    assert escalated.name is EventName.COMPLAINT_ESCALATED
    assert escalated.data == {
        "level": 2,
        "previousLevel": 1,
        "step": "resolution",
        "reference": "CG-260302-7K3M9Q",
        "team": "cards",
        "assignee": "li.na",
    }
    for event in (breached, escalated):
        # the change they announce, correlated with the tracker's execution as before
        assert (event.version, event.complaint_id, event.correlation_id) == (3, COMPLAINT_ID, "0b7c2f7e--2")
        assert event.occurred_at == datetime(2026, 3, 2, 1, 3, tzinfo=UTC)


def test_the_two_events_of_one_audit_event_have_distinct_ids_that_a_retry_repeats() -> None:
    """Consumers drop repeats by id: the two must differ, and the stream's retry of the same audit
    event must give the same two again."""
    first = [event.id for event in domain_events_for(tracker_step("firstResponse", 0, 1))]
    again = [event.id for event in domain_events_for(tracker_step("firstResponse", 0, 1))]

    assert first == again
    assert len(set(first)) == 2
    assert first == ["evt-step", derived_id("evt-step", EventName.COMPLAINT_ESCALATED)]
    # another audit event's escalation has another id
    other = audit(
        "sla_escalate", 4, {"escalationLevel": (1, 2)}, data={"step": "resolution", "reference": "R"}
    )
    assert domain_events_for(other)[1].id not in first


def test_a_tracker_step_that_keeps_the_level_is_a_breach_only() -> None:
    """A complaint escalated by hand to level 2 keeps it when the first-response step (level 1) is
    taken: the deadline was missed, but nobody new is told."""
    (breached,) = domain_events_for(tracker_step("firstResponse", 2, 2))

    assert breached.name is EventName.SLA_BREACHED
    assert breached.data["deadline"] == "firstResponse"


def test_a_step_written_by_a_tracker_on_the_earlier_definition_is_still_announced() -> None:
    """An execution started before the change keeps its definition: its events carry no reference,
    team or assignee, and its own PutEvents is now refused (its role lost it). The publisher announces
    what the event has; the notifier reads the complaint for the rest."""
    old = audit(
        "sla_escalate",
        2,
        {"escalationLevel": (0, 1)},
        data={"step": "firstResponse", "dueAt": "2026-03-03T01:00:01Z", "execution": "0b7c2f7e"},
        actor=Actor(id="sla-tracker", roles=["system"]),
    )

    breached, escalated = domain_events_for(old)

    assert breached.data == {"deadline": "firstResponse", "dueAt": "2026-03-03T01:00:01Z", "reference": None}
    assert (escalated.data["level"], escalated.data["previousLevel"], escalated.data["team"]) == (1, 0, None)
    assert breached.correlation_id == "0b7c2f7e"


def test_a_critical_complaint_is_received_and_escalated_to_supervisor_and_compliance() -> None:
    critical = receipt()
    critical.changes["escalationLevel"] = FieldChange(before=None, after=1)
    critical.changes["priority"] = FieldChange(before=None, after="critical")

    received, escalated = domain_events_for(critical)

    assert received.name is EventName.COMPLAINT_RECEIVED
    assert received.id == "evt-receive"
    assert escalated.name is EventName.COMPLAINT_ESCALATED
    assert escalated.id == derived_id("evt-receive", EventName.COMPLAINT_ESCALATED) != received.id
    assert escalated.data == {
        "level": 1,
        "previousLevel": 0,
        "reason": "critical at intake",
        "notify": ["supervisor", "compliance"],
        "reference": "CG-260302-7K3M9Q",
    }
    assert (escalated.version, escalated.correlation_id) == (1, "counter-app")
    # nothing of the customer in the escalation either
    detail = json.dumps(escalated.detail(), ensure_ascii=False)
    assert "Li Wei" not in detail and "debited twice" not in detail


def test_a_complaint_received_at_level_0_is_received_only() -> None:
    assert [event.name for event in domain_events_for(receipt())] == [EventName.COMPLAINT_RECEIVED]


def test_the_sweeps_warning_is_announced_as_sla_at_risk() -> None:
    warned = audit(
        "warn_at_risk",
        3,
        {"atRiskWarned": ({}, {"firstResponse": "2026-03-02T20:12:00Z"})},
        data={
            "deadline": "firstResponse",
            "dueAt": "2026-03-03T01:00:00+00:00",
            "reference": "CG-260302-7K3M9Q",
            "assignee": None,
            "team": "cards",
        },
        actor=Actor(id="sla-sweep", roles=["system"]),
    )

    event = announced(warned)

    assert event.name is EventName.SLA_AT_RISK
    assert event.id == "evt-003"
    assert event.data == {
        "deadline": "firstResponse",
        "dueAt": "2026-03-03T01:00:00+00:00",
        "reference": "CG-260302-7K3M9Q",
        "assignee": None,
        "team": "cards",
    }


def test_a_tracker_restart_is_not_announced() -> None:
    restarted = audit(
        "restart_tracker", 3, {"trackerGeneration": (1, 2)}, actor=Actor(id="sla-sweep", roles=[])
    )
    assert domain_events_for(restarted) == []


@pytest.mark.parametrize(
    ("action", "changes", "data", "announces"),
    [
        (
            "pause",
            {"status": ("in_progress", "awaiting_customer")},
            {"reason": "a copy of the statement"},
            {},
        ),
        (
            "resume",
            {
                "deadlines": (
                    {"resolutionDueAt": "2026-03-04T01:00:00Z"},
                    {"resolutionDueAt": "2026-03-05T03:00:00Z"},
                )
            },
            {},
            {"resolutionDueAt": "2026-03-05T03:00:00Z"},
        ),
        (
            "extend",
            {
                "deadlines": (
                    {"resolutionDueAt": "2026-03-17T15:59:59Z"},
                    {"resolutionDueAt": "2026-04-01T15:59:59Z"},
                )
            },
            {"reason": "the card scheme has not answered"},
            {"resolutionDueAt": "2026-04-01T15:59:59Z"},
        ),
        ("withdraw", {"status": ("in_progress", "withdrawn")}, {}, {}),
    ],
)
def test_a_change_of_course_is_an_update_with_what_the_customer_is_told(
    action: str, changes: dict[str, tuple[Any, Any]], data: dict[str, Any], announces: dict[str, Any]
) -> None:
    event = announced(audit(action, 4, changes, data=data))

    assert event.name is EventName.COMPLAINT_UPDATED
    assert event.data == {"action": action, **data, "fields": sorted(changes), **announces}


def test_a_pause_carries_what_the_customer_is_asked_for_and_by_when() -> None:
    """Whether the service writes them into the event's data or only onto the complaint (its
    `pauseNeeded` and `pausedUntil`), the announcement carries both."""
    pause = audit(
        "pause",
        4,
        {
            "status": ("in_progress", "awaiting_customer"),
            "pausedAt": (None, "2026-03-02T01:04:00Z"),
            "pauseNeeded": (None, "A copy of your March statement"),
            "pausedUntil": (None, "2026-03-16T01:04:00Z"),
        },
        data={"reason": "the statement shows the second debit"},
    )

    event = announced(pause)

    assert event.data["needed"] == "A copy of your March statement"
    assert event.data["pausedUntil"] == "2026-03-16T01:04:00Z"
    assert event.data["reason"] == "the statement shows the second debit"
    # what the data says wins over the complaint's field
    told = announced(audit("pause", 4, {"pauseNeeded": (None, "x")}, data={"reason": "r", "needed": "y"}))
    assert told.data["needed"] == "y" and "pausedUntil" not in told.data


def test_a_reminder_carries_what_is_needed_and_when_the_pause_ends() -> None:
    reminded = audit(
        "remind_customer",
        5,
        {"pauseRemindedAt": (None, "2026-03-07T01:04:00Z")},
        data={"needed": "A copy of your March statement", "until": "2026-03-12T01:04:00Z"},
        actor=Actor(id="sla-sweep", roles=["system"]),
    )

    event = announced(reminded)

    assert event.name is EventName.COMPLAINT_UPDATED
    assert (event.data["action"], event.data["needed"], event.data["pausedUntil"]) == (
        "remind_customer",
        "A copy of your March statement",
        "2026-03-12T01:04:00Z",
    )


def test_a_triage_that_moves_the_resolution_deadline_names_the_new_one() -> None:
    later = audit(
        "update",
        5,
        {
            "product": ("deposit", "payment"),
            "extensions": (0, 1),
            "deadlines": (
                {"firstResponseDueAt": "2026-03-03T01:00:00Z", "resolutionDueAt": "2026-03-04T01:00:00Z"},
                {"firstResponseDueAt": "2026-03-03T01:00:00Z", "resolutionDueAt": "2026-03-20T23:59:59Z"},
            ),
        },
        data={"reason": "a card scheme dispute"},
    )
    assert announced(later).data["resolutionDueAt"] == "2026-03-20T23:59:59Z"
    # a first-response deadline moved alone names no resolution date
    earlier = audit(
        "update",
        5,
        {
            "deadlines": (
                {"firstResponseDueAt": "2026-03-03T01:00:00Z", "resolutionDueAt": "2026-03-04T01:00:00Z"},
                {"firstResponseDueAt": "2026-03-02T05:00:00Z", "resolutionDueAt": "2026-03-04T01:00:00Z"},
            )
        },
    )
    assert "resolutionDueAt" not in announced(earlier).data


def test_close_is_complaint_closed() -> None:
    event = announced(audit("close", 6, {"status": ("resolved", "closed")}, data={"reason": "accepted"}))

    assert event.name is EventName.COMPLAINT_CLOSED
    assert event.data == {"action": "close", "reason": "accepted"}
