"""The notifier use case with fake senders and an in-memory log: every attempt is recorded (masked),
a failure is recorded and then raised, a retry sends only what did not go out, and a survey waits
for its resolution."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from notification_samples import EMAIL, PHONE, complaint, customer

from complaints.core.errors import NotFound, ServiceUnavailable
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Complaint, Language, Outcome, Resolution, Status
from complaints.notifications.masking import mask_email, mask_phone, mask_recipient
from complaints.notifications.messages import DeliveryChannel
from complaints.notifications.notifier import NotificationsFailed, Notifier
from complaints.notifications.planner import NotificationPlanner
from complaints.notifications.ports import (
    DeliveryFailed,
    DeliveryStatus,
    DeliveryThrottled,
    NotificationRecord,
)
from complaints.notifications.templates import Brand

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class Complaints:
    def __init__(self, *complaints: Complaint) -> None:
        self.items = {c.id: c for c in complaints}
        self.reads = 0

    def get(self, complaint_id: str) -> Complaint:
        self.reads += 1
        if complaint_id not in self.items:
            raise NotFound(f"no complaint with id {complaint_id}")
        return self.items[complaint_id]


class Outbox:
    """Every fake sender: keeps what was sent; `fail` maps a channel to the error its next sends raise."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []  # (channel, recipient, text)
        self.fail: dict[str, Exception] = {}

    def _go(self, channel: str, recipient: str, text: str) -> str:
        if channel in self.fail:
            raise self.fail[channel]
        self.sent.append((channel, recipient, text))
        return f"{channel}-{len(self.sent)}"


class Email:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        assert subject and html.startswith("<!DOCTYPE html>")
        return self.outbox._go("email", to, text)


class Sms:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def send(self, phone: str, text: str) -> str:
        return self.outbox._go("sms", phone, text)


class Staff:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self.attributes: list[Mapping[str, str]] = []

    def publish(self, level_or_kind: str, subject: str, text: str, attributes: Mapping[str, str]) -> str:
        self.attributes.append(attributes)
        return self.outbox._go("staff", level_or_kind, text)


class Log:
    def __init__(self) -> None:
        self.entries: list[NotificationRecord] = []
        self.reads = 0

    def record(self, entry: NotificationRecord) -> None:
        self.entries.append(entry)

    def for_complaint(self, complaint_id: str) -> list[NotificationRecord]:
        self.reads += 1
        return [entry for entry in self.entries if entry.complaint_id == complaint_id]


class World:
    def __init__(self, *complaints: Complaint) -> None:
        self.complaints = Complaints(*complaints)
        self.outbox = Outbox()
        self.log = Log()
        self.observed: list[NotificationRecord] = []
        planner = NotificationPlanner(Brand("Example Bank"), lambda c: f"https://x.example/t/{c.id}?token=t")
        self.notifier = Notifier(
            self.complaints,
            planner,
            Email(self.outbox),
            Sms(self.outbox),
            Staff(self.outbox),
            self.log,
            clock=lambda: NOW,
        )

    def notify(self, event: DomainEvent) -> Any:
        return self.notifier.notify(event, observe=self.observed.append)


def event(name: EventName, event_id: str = "e-1", **data: Any) -> DomainEvent:
    return DomainEvent(name=name, id=event_id, complaint_id="c-1", version=2, data=data)


RECEIVED = event(EventName.COMPLAINT_RECEIVED)


def test_every_send_is_recorded_with_a_masked_recipient() -> None:
    world = World(complaint())
    report = world.notify(RECEIVED)
    assert [(channel, recipient) for channel, recipient, _ in world.outbox.sent] == [
        ("sms", PHONE),
        ("email", EMAIL),
    ]
    assert [entry.model_dump(mode="json", by_alias=True) for entry in world.log.entries] == [
        {
            "complaintId": "c-1",
            "eventId": "e-1",
            "eventName": "ComplaintReceived",
            "messageKey": "receipt:sms",
            "kind": "receipt",
            "channel": "sms",
            "recipient": "+86139****5678",
            "status": "sent",
            "providerMessageId": "sms-1",
            "errorCode": None,
            "at": "2026-03-02T02:00:00Z",
        },
        {
            "complaintId": "c-1",
            "eventId": "e-1",
            "eventName": "ComplaintReceived",
            "messageKey": "receipt:email",
            "kind": "receipt",
            "channel": "email",
            "recipient": "z***@example.com",
            "status": "sent",
            "providerMessageId": "email-2",
            "errorCode": None,
            "at": "2026-03-02T02:00:00Z",
        },
    ]
    assert report.records == world.log.entries == world.observed


def test_a_failed_send_is_recorded_the_rest_still_go_and_then_it_raises() -> None:
    world = World(complaint())
    world.outbox.fail["sms"] = DeliveryThrottled("SNS refused the message: Throttled", "Throttled")
    with pytest.raises(NotificationsFailed) as raised:
        world.notify(RECEIVED)
    assert isinstance(raised.value, ServiceUnavailable)  # the queue retries it
    assert "receipt:sms (Throttled)" in raised.value.message
    assert [(e.message_key, e.status, e.error_code) for e in world.log.entries] == [
        ("receipt:sms", DeliveryStatus.FAILED, "Throttled"),
        ("receipt:email", DeliveryStatus.SENT, None),
    ]
    assert [channel for channel, _, _ in world.outbox.sent] == ["email"]
    assert [e.status for e in world.observed] == [DeliveryStatus.FAILED, DeliveryStatus.SENT]


def test_a_retry_sends_only_what_did_not_go_out() -> None:
    world = World(complaint())
    world.outbox.fail["sms"] = DeliveryFailed("SNS refused the message: InvalidParameter", "InvalidParameter")
    with pytest.raises(NotificationsFailed):
        world.notify(RECEIVED)
    del world.outbox.fail["sms"]
    report = world.notify(RECEIVED)
    assert report.skipped == ["receipt:email"]
    assert [channel for channel, _, _ in world.outbox.sent] == ["email", "sms"]
    # And a third delivery of the same event sends nothing at all.
    again = world.notify(RECEIVED)
    assert again.records == [] and again.skipped == ["receipt:sms", "receipt:email"]
    assert len(world.outbox.sent) == 2
    assert [(e.message_key, e.status) for e in world.log.entries] == [
        ("receipt:sms", DeliveryStatus.FAILED),
        ("receipt:email", DeliveryStatus.SENT),
        ("receipt:sms", DeliveryStatus.SENT),
    ]


def test_idempotency_is_per_event_a_new_event_is_told_again() -> None:
    world = World(complaint(status=Status.IN_PROGRESS))
    first = event(EventName.COMPLAINT_UPDATED, "e-1", kind="response", public=True, message="第一条")
    second = event(EventName.COMPLAINT_UPDATED, "e-2", kind="response", public=True, message="第二条")
    world.notify(first)
    world.notify(second)
    assert len(world.outbox.sent) == 4


def test_a_survey_waits_for_its_resolution_on_the_same_channel() -> None:
    resolution = Resolution(outcome=Outcome.UPHELD, summary="已退还", root_cause="x")
    world = World(complaint(status=Status.RESOLVED, resolution=resolution))
    resolved = event(EventName.COMPLAINT_RESOLVED)
    world.outbox.fail["email"] = DeliveryThrottled("SES is busy", "TooManyRequestsException")
    with pytest.raises(NotificationsFailed) as raised:
        world.notify(resolved)
    assert "waiting: survey:email" in raised.value.message
    assert [(e.message_key, e.status) for e in world.log.entries] == [
        ("resolution:sms", DeliveryStatus.SENT),
        ("resolution:email", DeliveryStatus.FAILED),
        ("survey:sms", DeliveryStatus.SENT),
    ]
    del world.outbox.fail["email"]
    world.notify(resolved)
    assert [(e.message_key, e.status) for e in world.log.entries][3:] == [
        ("resolution:email", DeliveryStatus.SENT),
        ("survey:email", DeliveryStatus.SENT),
    ]


def test_an_unexpected_error_is_recorded_by_its_type() -> None:
    world = World(complaint())
    world.outbox.fail["email"] = RuntimeError(f"boom for {EMAIL}")
    with pytest.raises(NotificationsFailed) as raised:
        world.notify(RECEIVED)
    assert world.log.entries[1].error_code == "RuntimeError"
    assert EMAIL not in str(raised.value) and raised.value.__cause__ is None


def test_staff_messages_are_published_with_their_attributes() -> None:
    world = World(complaint(team="branch-ops", assignee="li.na"))
    world.notify(event(EventName.COMPLAINT_ESCALATED, level=2, step="resolution"))
    assert [(channel, recipient) for channel, recipient, _ in world.outbox.sent] == [("staff", "manager")]
    assert world.log.entries[0].recipient == "topic:manager"
    assert world.log.entries[0].channel is DeliveryChannel.STAFF
    staff = world.notifier._staff
    assert isinstance(staff, Staff) and staff.attributes[0]["team"] == "branch-ops"


def test_events_no_one_hears_of_need_no_reads() -> None:
    world = World(complaint())
    report = world.notify(event(EventName.SLA_BREACHED, deadline="resolution"))
    assert report.records == [] and world.complaints.reads == 0 and world.log.reads == 0
    world.notify(event(EventName.SLA_AT_RISK, deadline="firstResponse"))
    assert world.complaints.reads == 1 and world.log.reads == 1


def test_an_unknown_complaint_fails_the_event() -> None:
    world = World()
    with pytest.raises(NotFound):
        world.notify(RECEIVED)


def test_masking() -> None:
    assert mask_phone("+8613800138000") == "+86138****8000"
    assert mask_phone("+447700900123") == "+44770****0123"
    assert mask_phone("+1234567") == "+12****67"
    assert mask_email("zhang.wei@example.com") == "z***@example.com"
    assert mask_email("nobody") == "***"
    assert mask_recipient(DeliveryChannel.STAFF, "compliance") == "topic:compliance"


def test_english_customers_get_english_messages() -> None:
    world = World(complaint(customer=customer(language=Language.EN, preferred_contact=["email"])))
    world.notify(RECEIVED)
    assert world.outbox.sent[0][2].startswith("Dear 张伟,")
