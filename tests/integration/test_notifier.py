"""The notifier Lambda on moto: SQS batches of EventBridge events in, SES e-mails and SNS messages out,
every send in the complaint's notification log (issue 4, items 2, 3, 4 and 7).

The e-mails and SMS are read back from moto's own backends (`ses_backends[…].sent_messages`,
`sns_backends[…].sms_messages` and each topic's `sent_notifications`). A send failure is injected on
the SNS client for one phone number: SNS answers with an error whose text names that number and the
customer's address, as a real provider error might, and no log line may repeat them.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from api_events import LambdaContext
from emf import emitted
from fakes import FakeTracker, FixedSecretProvider
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto_tables import REGION, TABLE_NAME, TRAIL_TABLE_NAME, clear_caches, put_link_keys

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog
from complaints.composition import notifier as notifications
from complaints.composition.settings import SettingsError
from complaints.core.auth import SLA_SWEEP, caller_from_claims
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Complaint, Customer, Language, Priority, SlaPolicyName
from complaints.intake.commands import IntakeRequest, OptionalReasonRequest
from complaints.intake.service import ComplaintService
from complaints.notifications.ports import DeliveryStatus
from complaints.notifications.templates import sms_segments
from complaints.tracking.links import verify_tracking_token

SENDER = "complaints@bank.example"
BASE_URL = "https://complaints.bank.example"
SECRET = "tracking-key-for-tests-0123456789abcdefghij"
TOPICS = ("supervisor", "manager", "compliance", "at-risk")
CHANNEL_APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})

# The test customers: nothing the notifier logs may contain their phone, address or name.
ZHANG = {
    "customer_id": "C-10086",
    "name": "张伟",
    "phone": "+8613912345678",
    "email": "zhang.wei@example.com",
    "preferred_contact": ["sms", "email"],
}
LI = {
    "customer_id": "C-20001",
    "name": "Li Lei",
    "phone": "+8613800138000",
    "email": "li.lei@example.org",
    "preferred_contact": ["sms", "email"],
    "language": "en",
}

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


def context() -> LambdaContext:
    return LambdaContext("complaint-guard-notifier", memory_limit_in_mb=256)


def _clear() -> None:
    clear_caches()


@pytest.fixture
def topics(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The deployment around the notifier: a verified sender, the staff topics, the tracking key."""
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
    sns = boto3.client("sns", region_name=REGION)
    arns = {name: sns.create_topic(Name=f"complaint-guard-{name}")["TopicArn"] for name in TOPICS}
    put_link_keys("/complaint-guard/tracking-key", tracking=f"t1:{SECRET}")
    environment = {
        "SENDER_EMAIL": SENDER,
        "BANK_NAME": "Example Bank",
        "BANK_NAME_ZH": "示例银行",
        "PUBLIC_BASE_URL": BASE_URL,
        "TRACKING_SECRET_PARAMETER": "/complaint-guard/tracking-key",
        "STAFF_TOPIC_SUPERVISOR": arns["supervisor"],
        "STAFF_TOPIC_MANAGER": arns["manager"],
        "STAFF_TOPIC_COMPLIANCE": arns["compliance"],
        "STAFF_TOPIC_AT_RISK": arns["at-risk"],
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    _clear()
    yield arns
    _clear()


@pytest.fixture
def app(topics: dict[str, str]) -> ModuleType:
    # its metrics are single-metric documents: namespace and service come from the environment
    return importlib.import_module("notifier.app")


@pytest.fixture
def service(dynamodb: Any) -> ComplaintService:
    return ComplaintService(
        DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME), FakeTracker()
    )


@pytest.fixture
def submit(service: ComplaintService) -> Callable[..., Complaint]:
    def intake(customer: dict[str, Any], **fields: Any) -> Complaint:
        request = IntakeRequest(
            channel="counter", customer=Customer(**customer), description="ATM 吞卡", **fields
        )
        return service.intake(request, CHANNEL_APP)

    return intake


@pytest.fixture
def log(dynamodb: Any) -> DynamoDbNotificationLog:
    return DynamoDbNotificationLog(TABLE_NAME, dynamodb)


# --- what goes in and what comes out -----------------------------------------------------------------


def bus_event(name: EventName, complaint: Complaint, event_id: str, **data: Any) -> dict[str, Any]:
    """An EventBridge event as the bus rule puts it on the queue."""
    event = DomainEvent(
        name=name,
        id=event_id,
        complaint_id=complaint.id,
        version=complaint.version,
        data=data,
        correlation_id="req-1",
    )
    return {
        "version": "0",
        "id": f"bus-{event_id}",
        "detail-type": name.value,
        "source": "complaint-guard",
        "account": DEFAULT_ACCOUNT_ID,
        "time": "2026-11-28T09:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": event.detail(),
    }


def sqs_batch(*bodies: tuple[str, Any]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": message_id,
                "receiptHandle": f"handle-{message_id}",
                "body": body if isinstance(body, str) else json.dumps(body, ensure_ascii=False),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795856400000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1795856400001",
                },
                "messageAttributes": {},
                "md5OfBody": "0" * 32,
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT_ID}:complaint-guard-notifications",
                "awsRegion": REGION,
            }
            for message_id, body in bodies
        ]
    }


def emails() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def emails_to(address: str) -> list[Any]:
    return [m for m in emails() if address in m.destinations.get("ToAddresses", [])]


def sms() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


def sms_to(phone: str) -> list[str]:
    return [text for number, text in sms() if number == phone]


def staff(arn: str) -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """(message, subject, attributes) of each publish to a staff topic."""
    topic = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics[arn]
    return [(message, subject, attributes) for _, message, subject, attributes, _ in topic.sent_notifications]


def fail_sms_to(phone: str, code: str = "Throttled") -> Callable[[], None]:
    """Make SNS refuse every SMS to `phone` (the error text names the recipients, as a provider's
    might); returns the undo."""

    def refuse(params: dict[str, Any], **_: Any) -> Any:
        body = params.get("body")
        if isinstance(body, dict) and body.get("PhoneNumber") == phone:
            response = {
                "Error": {
                    "Code": code,
                    "Message": f"Rate exceeded for {phone} ({ZHANG['email']}, {ZHANG['name']})",
                },
                "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": "req-refused"},
            }
            return _Http(400), response
        return None

    client = notifications.sns_client()
    client.meta.events.register("before-call.sns.Publish", refuse, unique_id="fail-sms")
    return lambda: client.meta.events.unregister("before-call.sns.Publish", unique_id="fail-sms")


@dataclass
class _Http:
    """As much of an HTTP response as botocore reads from a short-circuited call."""

    status_code: int


def link_of(text: str) -> str:
    return next(word for word in text.replace("：", " ").split() if word.startswith(BASE_URL))


# --- the happy path ----------------------------------------------------------------------------------


def test_a_receipt_goes_by_email_and_sms_with_a_working_tracking_link(
    app: ModuleType, submit: Callable[..., Complaint], log: DynamoDbNotificationLog, dynamodb: Any
) -> None:
    complaint = submit(ZHANG)
    response = app.handler(
        sqs_batch(("m-1", bus_event(EventName.COMPLAINT_RECEIVED, complaint, "e-1"))), context()
    )
    assert response == {"batchItemFailures": []}

    (email,) = emails_to(ZHANG["email"])
    assert email.source == SENDER
    assert email.subject == f"您的投诉已受理（编号 {complaint.reference}）"
    assert email.body.startswith("<!DOCTYPE html>")  # moto keeps the HTML part when there is one
    assert "尊敬的张伟：" in email.body
    (text,) = sms_to(ZHANG["phone"])
    assert text.startswith(f"【示例银行】您的投诉已受理，编号{complaint.reference}")

    link = link_of(text)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL and parts.path == f"/t/{complaint.id}"
    assert verify_tracking_token(
        complaint.id, parse_qs(parts.query)["token"][0], FixedSecretProvider(SECRET, "t1")
    )
    assert link in email.body

    entries = log.for_complaint(complaint.id)
    assert [(e.message_key, e.channel.value, e.recipient, e.status) for e in entries] == [
        ("receipt:sms", "sms", "+86139****5678", DeliveryStatus.SENT),
        ("receipt:email", "email", "z***@example.com", DeliveryStatus.SENT),
    ]
    assert all(e.provider_message_id and e.event_id == "e-1" for e in entries)
    # The items sit next to the complaint, keyed by time, event and message, and hold no contact data.
    items = dynamodb.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :n)",
        ExpressionAttributeValues={":pk": {"S": f"COMPLAINT#{complaint.id}"}, ":n": {"S": "NOTIFICATION#"}},
    )["Items"]
    assert len(items) == 2
    for item in items:
        assert item["entity"]["S"] == "notification"
        assert item["sk"]["S"].endswith(f"#e-1#{item['messageKey']['S']}")
        flat = json.dumps(item, ensure_ascii=False)
        assert ZHANG["phone"] not in flat and ZHANG["email"] not in flat and ZHANG["name"] not in flat


def test_responses_resolution_survey_and_staff_messages(
    app: ModuleType,
    submit: Callable[..., Complaint],
    topics: dict[str, str],
    service: ComplaintService,
    log: DynamoDbNotificationLog,
) -> None:
    complaint = submit(LI, priority=Priority.CRITICAL)
    resolution = {
        "outcome": "partially_upheld",
        "summary": "The ATM kept your card.",
        "rootCause": "ATM fault",
    }

    def on(name: EventName, event_id: str, **data: Any) -> dict[str, Any]:
        return bus_event(name, complaint, event_id, **data)

    batch = sqs_batch(
        ("m-1", on(EventName.COMPLAINT_ACKNOWLEDGED, "e-2", kind="response", public=True, message="On it.")),
        ("m-2", on(EventName.COMPLAINT_UPDATED, "e-3", kind="note", public=False)),
        ("m-3", on(EventName.COMPLAINT_RESOLVED, "e-4", resolution=resolution)),
        ("m-4", on(EventName.COMPLAINT_ESCALATED, "e-5", level=1, reason="critical at intake",
                   notify=["supervisor", "compliance"])),
        ("m-5", on(EventName.SLA_AT_RISK, "e-6", deadline="firstResponse", team="cards", assignee="li.na")),
        ("m-6", on(EventName.SLA_BREACHED, "e-7", deadline="firstResponse")),
    )  # fmt: skip
    assert app.handler(batch, context()) == {"batchItemFailures": []}

    subjects = [m.subject for m in emails_to(LI["email"])]
    assert subjects == [
        f"An update on your complaint (reference {complaint.reference})",
        f"Our decision on your complaint (reference {complaint.reference})",
        f"How did we do? (complaint reference {complaint.reference})",
    ]
    decision = emails_to(LI["email"])[1].body
    assert "partially upheld" in decision and "The ATM kept your card." in decision
    assert "National Financial Regulatory Administration" in decision  # the seed policy's regime
    texts = sms_to(LI["phone"])
    assert len(texts) == 3 and "On it." in texts[0] and "Rate us 1-5" in texts[2]

    supervisor, compliance = staff(topics["supervisor"]), staff(topics["compliance"])
    assert len(supervisor) == len(compliance) == 1
    message, subject, attributes = supervisor[0]
    assert (
        subject == f"[{complaint.reference}] Escalation to level 1: critical complaint, escalated at intake"
    )
    assert "一级（团队主管）" in message
    assert attributes is not None and attributes["level"] == {
        "Type": "String",
        "Value": "1",
    }  # as moto keeps it
    assert staff(topics["manager"]) == []
    ((warning, warning_subject, warning_attributes),) = staff(topics["at-risk"])
    assert warning_subject is not None and warning_subject.startswith(f"[{complaint.reference}] At risk:")
    assert warning_attributes is not None and warning_attributes["team"]["Value"] == "cards"
    assert "li.na" in warning

    kinds = sorted(e.message_key for e in log.for_complaint(complaint.id))
    assert kinds == sorted(
        [
            "response:sms",
            "response:email",
            "resolution:sms",
            "resolution:email",
            "survey:sms",
            "survey:email",
            "escalation:supervisor",
            "escalation:compliance",
            "at_risk:at_risk",
        ]
    )


# --- failures and retries ----------------------------------------------------------------------------


def test_one_failed_send_fails_only_its_own_record_and_is_recorded(
    app: ModuleType,
    submit: Callable[..., Complaint],
    log: DynamoDbNotificationLog,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ok, failing = submit(LI), submit(ZHANG)
    undo = fail_sms_to(ZHANG["phone"])
    batch = sqs_batch(
        ("m-ok", bus_event(EventName.COMPLAINT_RECEIVED, ok, "e-ok")),
        ("m-bad", bus_event(EventName.COMPLAINT_RECEIVED, failing, "e-bad")),
        ("m-garbled", "this is not an event"),
        ("m-other", {"detail-type": "SomethingElse", "detail": {}}),  # not ours: nothing to tell
    )
    response = app.handler(batch, context())
    undo()
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-bad"}, {"itemIdentifier": "m-garbled"}]}

    assert [(e.message_key, e.status) for e in log.for_complaint(ok.id)] == [
        ("receipt:sms", DeliveryStatus.SENT),
        ("receipt:email", DeliveryStatus.SENT),
    ]
    failed = log.for_complaint(failing.id)
    assert [(e.message_key, e.status, e.error_code) for e in failed] == [
        ("receipt:sms", DeliveryStatus.FAILED, "Throttled"),
        ("receipt:email", DeliveryStatus.SENT, None),  # the other channel still went
    ]
    assert sms_to(ZHANG["phone"]) == [] and len(emails_to(ZHANG["email"])) == 1

    # sent: both receipts of the first, the e-mail of the second; failed: the second's SMS. Sent and
    # failed are counted the same way: in total, by channel and by kind, once for the batch.
    assert emitted(capsys.readouterr().out) == {
        ("NotificationsSent", ()): 3,
        ("NotificationsSent", (("channel", "sms"),)): 1,
        ("NotificationsSent", (("channel", "email"),)): 2,
        ("NotificationsSent", (("kind", "receipt"),)): 3,
        ("NotificationsFailed", ()): 1,
        ("NotificationsFailed", (("channel", "sms"),)): 1,
        ("NotificationsFailed", (("kind", "receipt"),)): 1,
    }


def test_a_retry_sends_what_failed_and_never_repeats_what_went(
    app: ModuleType, submit: Callable[..., Complaint], log: DynamoDbNotificationLog
) -> None:
    complaint = submit(ZHANG)
    record = ("m-1", bus_event(EventName.COMPLAINT_RECEIVED, complaint, "e-1"))
    undo = fail_sms_to(ZHANG["phone"])
    assert app.handler(sqs_batch(record), context()) == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    undo()

    # The queue delivers the message again (and, at least once, maybe a third time).
    assert app.handler(sqs_batch(record), context()) == {"batchItemFailures": []}
    assert app.handler(sqs_batch(record), context()) == {"batchItemFailures": []}

    assert len(emails_to(ZHANG["email"])) == 1
    assert len(sms_to(ZHANG["phone"])) == 1
    assert [(e.message_key, e.status) for e in log.for_complaint(complaint.id)] == [
        ("receipt:sms", DeliveryStatus.FAILED),
        ("receipt:email", DeliveryStatus.SENT),
        ("receipt:sms", DeliveryStatus.SENT),
    ]


def test_a_batch_that_fails_entirely_reports_every_message(
    app: ModuleType, submit: Callable[..., Complaint]
) -> None:
    complaint = submit(ZHANG)
    undo = fail_sms_to(ZHANG["phone"], code="InvalidParameter")
    response = app.handler(
        sqs_batch(("m-1", bus_event(EventName.COMPLAINT_RECEIVED, complaint, "e-1"))), context()
    )
    undo()
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}


def test_a_notifier_without_a_staff_topic_does_not_start_and_names_the_setting(
    topics: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STAFF_TOPIC_MANAGER")
    _clear()
    monkeypatch.delitem(sys.modules, "notifier.app", raising=False)
    with pytest.raises(SettingsError, match="STAFF_TOPIC_MANAGER: Field required"):
        importlib.import_module("notifier.app")


# --- no personal data in the logs ---------------------------------------------------------------------


def test_the_notifiers_logs_never_hold_the_customers_phone_email_or_name(
    app: ModuleType,
    submit: Callable[..., Complaint],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Everything the function's Powertools logger writes, at DEBUG, plus the domain's and Powertools'
    own loggers and stdout (the metrics), while it sends, fails and retries for a test customer."""
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(app.logger.registered_formatter)
    service_logger = logging.getLogger(app.logger.name)
    service_logger.addHandler(handler)
    previous_level = service_logger.level
    service_logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="complaints")
    caplog.set_level(logging.DEBUG, logger="aws_lambda_powertools")
    try:
        complaint = submit(ZHANG, priority=Priority.CRITICAL)
        events = [
            bus_event(EventName.COMPLAINT_RECEIVED, complaint, "e-1"),
            bus_event(
                EventName.COMPLAINT_ACKNOWLEDGED,
                complaint,
                "e-2",
                kind="response",
                public=True,
                message="您好张伟",
            ),
            bus_event(
                EventName.COMPLAINT_ESCALATED, complaint, "e-3", level=1, notify=["supervisor", "compliance"]
            ),
        ]
        batch = sqs_batch(*((f"m-{n}", body) for n, body in enumerate(events)))
        undo = fail_sms_to(ZHANG["phone"])
        first = app.handler(batch, context())
        undo()
        second = app.handler(batch, context())
    finally:
        service_logger.removeHandler(handler)
        service_logger.setLevel(previous_level)

    assert len(first["batchItemFailures"]) == 2 and second == {"batchItemFailures": []}
    logs = captured.getvalue()
    assert "notification sent" in logs and "notification failed" in logs  # the scan saw real lines
    assert "+86139****5678" in logs and "z***@example.com" in logs
    everything = "\n".join([logs, caplog.text, capsys.readouterr().out])
    for secret in (ZHANG["phone"], ZHANG["phone"].lstrip("+"), ZHANG["email"], ZHANG["name"], "zhang.wei"):
        assert secret not in everything, secret
    assert SECRET not in everything


def test_a_malformed_event_names_the_fields_not_their_values(
    app: ModuleType, submit: Callable[..., Complaint]
) -> None:
    from complaints.core.errors import InvalidInput
    from complaints.notifications.inbound import domain_event_from_bus

    body = {
        "detail-type": "ComplaintUpdated",
        "detail": {"id": "e-1", "complaintId": ZHANG["email"], "version": "x", "data": {}},
    }
    with pytest.raises(InvalidInput) as raised:
        domain_event_from_bus(body)
    assert "version" in raised.value.message and ZHANG["email"] not in raised.value.message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert domain_event_from_bus({"detail-type": "ReportRequested", "detail": {}}) is None


# --- changes of course, from the trail through the bus to the customer ---------------------------------


class Outbox:
    """The path a change takes to the customer, as deployed: the trail's stream → the publisher → the
    bus → the notifications rule (the pattern infra/complaint_guard/constructs/notifications.py gives
    it: the planner's NOTIFIED_EVENTS) → its queue → the notifier."""

    BUS = "complaint-guard-notified"

    def __init__(self, dynamodb: Any, notifier: ModuleType) -> None:
        from streams import Stream

        from complaints.notifications.planner import NOTIFIED_EVENTS

        events = boto3.client("events", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        events.create_event_bus(Name=self.BUS)
        self.queue = self.sqs.create_queue(QueueName="notifications")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])["Attributes"]
        pattern = {
            "source": ["complaint-guard"],
            "detail-type": sorted(name.value for name in NOTIFIED_EVENTS),
        }
        events.put_rule(Name="notified", EventBusName=self.BUS, EventPattern=json.dumps(pattern))
        events.put_targets(
            Rule="notified", EventBusName=self.BUS, Targets=[{"Id": "q", "Arn": arn["QueueArn"]}]
        )
        self.stream = Stream(dynamodb.describe_table(TableName=TRAIL_TABLE_NAME)["Table"]["LatestStreamArn"])
        self.notifier = notifier
        self.delivered: list[str] = []

    def deliver(self) -> None:
        """Publish what the trail holds since the last call, and notify what the rule passes."""
        from api_events import handler_module

        publisher = handler_module("publisher.app")
        published = publisher.handler(
            {"Records": self.stream.take()},
            LambdaContext("complaint-guard-publisher", memory_limit_in_mb=256),
        )
        assert published == {"batchItemFailures": []}
        passed = []
        while batch := self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            for message in batch:
                passed.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])
        self.delivered += [body["detail-type"] for body in passed]
        if passed:
            bodies = sqs_batch(*((f"m-{n}", body) for n, body in enumerate(passed)))
            assert self.notifier.handler(bodies, context()) == {"batchItemFailures": []}


@pytest.fixture
def outbox(app: ModuleType, dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Outbox:
    monkeypatch.setenv("EVENT_BUS_NAME", Outbox.BUS)
    _clear()
    return Outbox(dynamodb, app)


@pytest.fixture
def at_t0(dynamodb: Any) -> tuple[ComplaintService, Any]:
    """The service on moto with a clock at T0 (2 March 2026, 01:00 UTC: 09:00 in Beijing)."""
    from fakes import T0, FakeClock

    clock = FakeClock(T0)
    return ComplaintService(
        DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME),
        FakeTracker(),
        clock=clock,
    ), clock


def test_a_pause_a_resumption_a_withdrawal_and_an_extension_reach_the_customer_in_their_language(
    outbox: Outbox, at_t0: tuple[ComplaintService, Any]
) -> None:
    from complaints.intake.commands import PauseRequest, ReasonRequest, ResponseRequest, WithdrawRequest
    from complaints.notifications.templates import format_time

    service, clock = at_t0
    agent = caller_from_claims(
        {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
    )
    supervisor = caller_from_claims(
        {
            "cognito:groups": ["supervisor", "team:intake"],
            "username": "sup-1",
            "scope": "complaint-guard/staff",
        }
    )
    # the seed policy stops the clock while the bank waits on the customer
    complaint = service.intake(
        IntakeRequest(channel="counter", customer=Customer(**LI), description="ATM kept my card"), CHANNEL_APP
    )
    clock.advance(hours=1)
    service.respond(complaint.id, ResponseRequest(message="We are looking into it."), agent)
    clock.advance(hours=1)
    paused = service.pause(
        complaint.id,
        PauseRequest(reason="the ATM log shows no card", needed="A photo of the ATM's receipt"),
        agent,
    )
    outbox.deliver()
    # halfway through the pause the sweep reminds the customer, once
    assert paused.paused_at is not None and paused.paused_until is not None
    clock.now = paused.paused_at + (paused.paused_until - paused.paused_at) / 2
    service.remind_customer(complaint.id, SLA_SWEEP)
    outbox.deliver()
    clock.advance(hours=3)
    resumed = service.resume(complaint.id, OptionalReasonRequest(), agent)
    outbox.deliver()
    clock.advance(hours=1)
    service.withdraw(complaint.id, WithdrawRequest(received_via="phone", received_at=clock.now), agent)
    outbox.deliver()
    # cbirc-2020 never stops the clock; a complex case is extended instead (15 → 30 days)
    other = service.intake(
        IntakeRequest(
            channel="counter",
            customer=Customer(**LI),
            description="Card charged twice",
            sla_policy=SlaPolicyName.CBIRC_2020,
        ),
        CHANNEL_APP,
    )
    clock.advance(hours=1)
    extended = service.extend(
        other.id, ReasonRequest(reason="The card scheme has not answered yet"), supervisor
    )
    outbox.deliver()

    # every one of them passed the rule, the receipts and the first response too
    assert outbox.delivered == [
        "ComplaintReceived",
        "ComplaintAcknowledged",
        "ComplaintUpdated",  # pause
        "ComplaintUpdated",  # reminder
        "ComplaintUpdated",  # resume
        "ComplaintUpdated",  # withdraw
        "ComplaintReceived",
        "ComplaintUpdated",  # extend
    ]
    ref, other_ref = complaint.reference, other.reference
    mails = emails_to(LI["email"])
    assert [m.subject for m in mails] == [
        f"We have received your complaint (reference {ref})",
        f"An update on your complaint (reference {ref})",
        f"We need information from you (complaint reference {ref})",
        f"Reminder: we still need information from you (complaint reference {ref})",
        f"We are working on your complaint again (reference {ref})",
        f"Your complaint has been withdrawn (reference {ref})",
        f"We have received your complaint (reference {other_ref})",
        f"We need more time for your complaint (reference {other_ref})",
    ]
    pause_mail, reminder_mail, resume_mail, extend_mail = (mails[n].body for n in (2, 3, 4, 7))
    assert "A photo of the ATM&#39;s receipt" in pause_mail  # what is needed, escaped in the HTML part
    until = format_time(paused.paused_until, "Asia/Shanghai", Language.EN)
    assert f"Please let us have it by {until}." in pause_mail
    assert "A photo of the ATM&#39;s receipt" in reminder_mail
    assert f"Please let us have it by {until}; after that we will carry on" in reminder_mail
    # the resolution deadline moved by the wait, and the customer is told the new one
    waited = resumed.updated_at - paused.paused_at
    assert resumed.deadlines.resolution_due_at == complaint.deadlines.resolution_due_at + waited
    due = format_time(resumed.deadlines.resolution_due_at, "Asia/Shanghai", Language.EN)
    assert f"We will give you our decision by {due}." in resume_mail
    new_due = format_time(extended.deadlines.resolution_due_at, "Asia/Shanghai", Language.EN)
    assert f"We will now give you our decision by {new_due}." in extend_mail
    assert "The card scheme has not answered yet" in extend_mail

    texts = sms_to(LI["phone"])
    assert len(texts) == 8
    assert texts[2].startswith(f"Example Bank: we need information from you for complaint {ref}. A photo of")
    assert texts[3].startswith(
        f"Example Bank: a reminder, we still need information from you for complaint {ref}."
    )
    assert texts[5].startswith(f"Example Bank: complaint {ref} has been withdrawn")
    assert "Why: The card scheme has not answered yet." in texts[7]
    assert all(sms_segments(text) <= 3 for text in texts)


def test_a_closure_reaches_the_customer_and_a_pause_no_longer_waited_on_does_not(
    outbox: Outbox, at_t0: tuple[ComplaintService, Any], submit: Callable[..., Complaint]
) -> None:
    from complaints.intake.commands import CloseRequest, PauseRequest, ResolveRequest, ResponseRequest

    service, clock = at_t0
    agent = caller_from_claims(
        {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
    )
    complaint = service.intake(
        IntakeRequest(channel="counter", customer=Customer(**ZHANG), description="ATM 吞卡"), CHANNEL_APP
    )
    clock.advance(hours=1)
    service.respond(complaint.id, ResponseRequest(message="我们正在核实。"), agent)
    service.pause(complaint.id, PauseRequest(reason="需核实", needed="请提供取款凭条照片"), agent)
    clock.advance(hours=1)
    service.resolve(
        complaint.id, ResolveRequest(outcome="upheld", summary="卡片已退还。", root_cause="ATM fault"), agent
    )
    service.close(complaint.id, CloseRequest(received_via="phone", received_at=clock.now), agent)
    outbox.deliver()  # all at once: by the time the pause is told, the complaint no longer waits

    subjects = [m.subject for m in emails_to(ZHANG["email"])]
    ref = complaint.reference
    assert f"您的投诉（编号 {ref}）需要您补充信息" not in subjects
    assert subjects[-1] == f"您的投诉（编号 {ref}）已结案"
    assert sms_to(ZHANG["phone"])[-1].startswith(f"【示例银行】您的投诉{ref}已结案")
    assert "ComplaintClosed" in outbox.delivered
