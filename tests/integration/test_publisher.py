"""The outbox publisher end to end on moto: ComplaintService writes to the complaints table, its
DynamoDB stream is read as Lambda would hand it over, functions/publisher/app.py puts the domain
events on the custom bus, and an SQS queue behind a rule shows what a consumer of the bus receives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from types import ModuleType
from typing import Any

import boto3
import pytest
from api_events import CUSTOMER, LambdaContext, handler_module
from botocore.stub import Stubber
from emf import emitted
from fakes import DynamoDbSlaStore, FakeTracker
from moto_tables import REGION, TABLE_NAME, TRAIL_TABLE_NAME, clear_caches, drain
from streams import Stream

from complaints.adapters.eventbridge import EventBridgePublisher
from complaints.composition import publisher as publisher_root
from complaints.core.auth import SLA_SWEEP, caller_from_claims
from complaints.core.events import EventName
from complaints.core.models import AuditEvent, Complaint, Outcome
from complaints.intake.commands import IntakeRequest, ResolveRequest, ResponseRequest
from complaints.intake.outbox import derived_id
from complaints.intake.service import ComplaintService
from complaints.sla.escalation import Step

BUS = "complaint-guard-bus-test"
ENVELOPE = {"id", "occurredAt", "complaintId", "version", "data", "correlationId"}
CHANNEL_APP = caller_from_claims(
    {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read"}
)
AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
)
RESOLUTION = {
    "outcome": "upheld",
    "summary": "The duplicate debit of 500 CNY was refunded on 3 March.",
    "rootCause": "payment switch retry",
    "redress": None,
}

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


def context() -> LambdaContext:
    return LambdaContext("complaint-guard-publisher", memory_limit_in_mb=256)


def event_key(record: dict[str, Any]) -> str:
    """`<complaintId>#<version>`: the trail table's key of the record's event."""
    keys = record["dynamodb"]["Keys"]
    return f"{keys['complaintId']['S']}#{keys['version']['N']}"


@pytest.fixture
def stream(dynamodb: Any) -> Stream:
    """The trail table's stream (the stack's: new images)."""
    return Stream(dynamodb.describe_table(TableName=TRAIL_TABLE_NAME)["Table"]["LatestStreamArn"])


@pytest.fixture
def queue(aws: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    """The custom bus with a rule sending everything from complaint-guard to an SQS queue; the
    function's environment names the bus."""
    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    events.create_event_bus(Name=BUS)
    url = sqs.create_queue(QueueName="publisher-tap")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="tap", EventBusName=BUS, EventPattern=json.dumps({"source": ["complaint-guard"]}))
    events.put_targets(Rule="tap", EventBusName=BUS, Targets=[{"Id": "tap", "Arn": arn}])
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    clear_caches()
    return sqs, url


@pytest.fixture
def app_module(aws: Any) -> ModuleType:
    return handler_module("publisher.app")


@pytest.fixture
def handle(app_module: ModuleType) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    def invoke(records: list[dict[str, Any]]) -> dict[str, Any]:
        return app_module.handler({"Records": records}, context())

    return invoke


@pytest.fixture
def service(dynamodb: Any) -> ComplaintService:
    return ComplaintService(
        DynamoDbSlaStore(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME), FakeTracker()
    )


@pytest.fixture
def put_events_batches(queue: Any) -> list[int]:
    """The number of entries of each PutEvents call the runtime's own events client makes."""
    batches: list[int] = []
    client = publisher_root.event_publisher()._client  # type: ignore[attr-defined]
    client.meta.events.register(
        "before-parameter-build.events.PutEvents",
        lambda params, **_: batches.append(len(params["Entries"])),
    )
    return batches


def submit(service: ComplaintService) -> Complaint:
    request = IntakeRequest.model_validate(
        {
            "channel": "mobile_app",
            "customer": CUSTOMER,
            "description": "A transfer of 500 CNY was debited twice on 20 November.",
            "category": "product",
            "product": "payment",
            "priority": "normal",
            "slaPolicy": "cbirc-2020",
        }
    )
    return service.intake(request, CHANNEL_APP)


def respond(service: ComplaintService, complaint_id: str, message: str) -> Complaint:
    return service.respond(complaint_id, ResponseRequest(message=message), AGENT)


def resolve(service: ComplaintService, complaint_id: str) -> Complaint:
    return service.resolve(
        complaint_id,
        ResolveRequest(
            outcome=Outcome.UPHELD, summary=RESOLUTION["summary"], root_cause="payment switch retry"
        ),
        AGENT,
    )


def trail(service: ComplaintService, complaint_id: str) -> list[AuditEvent]:
    return service.events(complaint_id, 100, None).items


def occurred_at(message: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(message["detail"]["occurredAt"].replace("Z", "+00:00"))


def test_intake_response_and_resolution_reach_a_consumer_of_the_bus_in_order(
    service: ComplaintService, stream: Stream, queue: tuple[Any, str], handle: Callable[..., dict[str, Any]]
) -> None:
    sqs, url = queue
    complaint = submit(service)
    respond(service, complaint.id, "We are looking into the double debit.")
    resolve(service, complaint.id)
    records = stream.take()
    # the trail's stream: the receipt, the response and the resolution
    assert len(records) == 3

    assert handle(records) == {"batchItemFailures": []}

    arrived = drain(sqs, url)
    assert [message["detail-type"] for message in arrived] == [
        "ComplaintReceived",
        "ComplaintAcknowledged",
        "ComplaintResolved",
    ]
    received, acknowledged, resolved = (message["detail"] for message in arrived)
    for message in arrived:
        assert message["source"] == "complaint-guard"
        assert set(message["detail"]) == ENVELOPE
        assert message["detail"]["complaintId"] == complaint.id
    assert [detail["version"] for detail in (received, acknowledged, resolved)] == [1, 2, 3]
    audit = trail(service, complaint.id)
    assert [detail["id"] for detail in (received, acknowledged, resolved)] == [event.id for event in audit]
    assert [occurred_at(message) for message in arrived] == [event.at for event in audit]
    assert [detail["correlationId"] for detail in (received, acknowledged, resolved)] == [
        "mobile-app",
        "agent-7",
        "agent-7",
    ]
    assert received["data"] == {
        "action": "receive",
        "reference": complaint.reference,
        "channel": "mobile_app",
        "category": "product",
        "priority": "normal",
        "slaPolicy": "cbirc-2020",
    }
    assert acknowledged["data"] == {
        "action": "respond",
        "message": "We are looking into the double debit.",
        "public": True,
        "kind": "response",
        # answered within seconds of the receipt: long before the first-response deadline
        "firstResponseDueAt": complaint.deadlines.to_json()["firstResponseDueAt"],
        "firstResponseOnTime": True,
    }
    assert resolved["data"] == {"action": "resolve", "resolution": RESOLUTION}
    on_the_bus = json.dumps(arrived, ensure_ascii=False)
    for personal in ("Li Wei", "+8613800138000", "li.wei@bank-customer.cn"):
        assert personal not in on_the_bus


def test_records_that_are_not_audit_events_publish_nothing(
    service: ComplaintService,
    stream: Stream,
    queue: tuple[Any, str],
    put_events_batches: list[int],
    handle: Callable[..., dict[str, Any]],
) -> None:
    sqs, url = queue
    complaint = submit(service)
    respond(service, complaint.id, "We are looking into it.")
    inserted = stream.take()
    assert [(record["eventName"], event_key(record)) for record in inserted] == [
        ("INSERT", f"{complaint.id}#1"),
        ("INSERT", f"{complaint.id}#2"),
    ]
    # An erasure rewrites an event's content (MODIFY): not news. An image that is no event: nothing.
    others = [{**record, "eventName": "MODIFY"} for record in inserted]
    others.append({**inserted[0], "dynamodb": {**inserted[0]["dynamodb"], "NewImage": {"id": {"S": "x"}}}})

    assert handle(others) == {"batchItemFailures": []}

    assert drain(sqs, url) == []
    assert put_events_batches == []


def test_23_audit_events_in_one_call_go_out_in_3_put_events_calls(
    service: ComplaintService,
    stream: Stream,
    queue: tuple[Any, str],
    put_events_batches: list[int],
    handle: Callable[..., dict[str, Any]],
) -> None:
    sqs, url = queue
    complaint = submit(service)
    for n in range(1, 23):
        respond(service, complaint.id, f"update {n}")
    records = stream.take()
    assert len(records) == 23

    assert handle(records) == {"batchItemFailures": []}

    assert put_events_batches == [10, 10, 3]
    arrived = drain(sqs, url)
    assert [message["detail"]["version"] for message in arrived] == list(range(1, 24))
    assert [message["detail-type"] for message in arrived] == [
        "ComplaintReceived",
        "ComplaintAcknowledged",
        *["ComplaintUpdated"] * 21,
    ]
    assert arrived[22]["detail"]["data"] == {
        "action": "respond",
        "message": "update 22",
        "public": True,
        "kind": "response",
    }


def test_an_entry_the_bus_refuses_is_reported_by_its_records_sequence_number(
    service: ComplaintService,
    stream: Stream,
    queue: tuple[Any, str],
    handle: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    complaint = submit(service)
    respond(service, complaint.id, "We are looking into the double debit.")
    resolve(service, complaint.id)
    records = stream.take()
    assert [event_key(record) for record in records] == [f"{complaint.id}#{version}" for version in (1, 2, 3)]
    second = records[1]["dynamodb"]["SequenceNumber"]

    client = boto3.client("events", region_name=REGION)
    sent: list[list[str]] = []
    client.meta.events.register(
        "before-parameter-build.events.PutEvents",
        lambda params, **_: sent.append([entry["DetailType"] for entry in params["Entries"]]),
    )
    stubber = Stubber(client)
    stubber.add_response(
        "put_events",
        {
            "FailedEntryCount": 1,
            "Entries": [
                {"EventId": "11111111-1111-1111-1111-111111111111"},
                {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"},
                {"EventId": "33333333-3333-3333-3333-333333333333"},
            ],
        },
    )
    # cached like the real one: the fixtures clear the composition caches when the test ends
    monkeypatch.setattr(publisher_root, "event_publisher", cache(lambda: EventBridgePublisher(BUS, client)))

    with stubber:
        reply = handle(records)

    stubber.assert_no_pending_responses()
    assert sent == [["ComplaintReceived", "ComplaintAcknowledged", "ComplaintResolved"]]
    assert reply == {"batchItemFailures": [{"itemIdentifier": second}]}
    # the stream hands the batch over again from the refused record: only the receipt is counted now
    counted = emitted(capsys.readouterr().out)
    assert {name for name, _ in counted} == {"ComplaintsReceived", "EventsRefused"}
    assert counted[("ComplaintsReceived", ())] == 1


TRACKER_EVENT_ID = "5d0c6b1e-6a57-4c0e-9d2b-0e8f3c1a7b11"


def tracker_escalation(
    dynamodb: Any, complaint: Complaint, before: int = 0, after: int = 1, event_id: str = TRACKER_EVENT_ID
) -> None:
    """The audit event the SLA tracker's state machine writes when the first-response deadline
    passes (infra/statemachines/sla-tracker.asl.json, Escalate), attribute for attribute."""
    version = complaint.version + 1
    dynamodb.put_item(
        TableName=TRAIL_TABLE_NAME,
        Item={
            "id": {"S": event_id},
            "complaintId": {"S": complaint.id},
            "version": {"N": str(version)},
            "action": {"S": "sla_escalate"},
            "actor": {"M": {"id": {"S": "sla-tracker"}, "roles": {"L": [{"S": "system"}]}}},
            "at": {"S": "2026-03-03T01:00:01Z"},
            "changes": {
                "M": {"escalationLevel": {"M": {"before": {"N": str(before)}, "after": {"N": str(after)}}}}
            },
            "data": {
                "M": {
                    "step": {"S": "firstResponse"},
                    "dueAt": {"S": "2026-03-03T01:00:01Z"},
                    "execution": {"S": f"{complaint.id}--2"},
                    "reference": {"S": complaint.reference},
                    "team": {"S": "unassigned"},
                    "assignee": {"S": "unassigned"},
                }
            },
        },
    )


def test_the_facts_of_the_batch_are_counted_once_with_low_cardinality_dimensions(
    service: ComplaintService,
    dynamodb: Any,
    stream: Stream,
    queue: tuple[Any, str],
    handle: Callable[..., dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    answered = submit(service)
    respond(service, answered.id, "We are looking into the double debit.")
    respond(service, answered.id, "A second message is not a first response.")
    resolve(service, answered.id)
    unanswered = submit(service)
    tracker_escalation(dynamodb, unanswered)
    capsys.readouterr()

    assert handle(stream.take()) == {"batchItemFailures": []}

    # two receipts (mobile_app, product); one first response in time (the second response is not
    # one); one resolution (upheld); the tracker's step: a first-response breach raising level 0 → 1,
    # counted once though it is announced twice (SlaBreached and ComplaintEscalated): 7 events of 6
    # audit events
    assert emitted(capsys.readouterr().out) == {
        ("ComplaintsReceived", ()): 2,
        ("ComplaintsReceived", (("channel", "mobile_app"),)): 2,
        ("ComplaintsReceived", (("category", "product"),)): 2,
        ("FirstResponsesOnTime", ()): 1,
        ("ComplaintsResolved", ()): 1,
        ("ComplaintsResolved", (("outcome", "upheld"),)): 1,
        ("SlaBreaches", ()): 1,
        ("SlaBreaches", (("deadline", "firstResponse"),)): 1,
        ("ComplaintsEscalated", ()): 1,
        ("ComplaintsEscalated", (("level", "1"),)): 1,
        ("EventsPublished", ()): 7,
    }


# --- what the SLA machinery announces, all through the trail ------------------------------------------


def test_a_tracker_step_and_a_critical_intake_each_reach_the_bus_as_two_events(
    service: ComplaintService,
    dynamodb: Any,
    stream: Stream,
    queue: tuple[Any, str],
    handle: Callable[..., dict[str, Any]],
) -> None:
    sqs, url = queue
    late = submit(service)
    tracker_escalation(dynamodb, late)
    critical = service.intake(
        IntakeRequest.model_validate(
            {
                "channel": "hotline",
                "customer": CUSTOMER,
                "description": "Card used abroad while in my wallet.",
                "priority": "critical",
            }
        ),
        CHANNEL_APP,
    )

    assert handle(stream.take()) == {"batchItemFailures": []}

    arrived = drain(sqs, url)
    assert [(m["detail"]["complaintId"], m["detail-type"]) for m in arrived] == [
        (late.id, "ComplaintReceived"),
        (late.id, "SlaBreached"),
        (late.id, "ComplaintEscalated"),
        (critical.id, "ComplaintReceived"),
        (critical.id, "ComplaintEscalated"),
    ]
    _, breached, escalated, received, at_intake = (m["detail"] for m in arrived)
    # what the state machine used to put on the bus itself, now from its audit event
    assert breached["data"] == {
        "deadline": "firstResponse",
        "dueAt": "2026-03-03T01:00:01Z",
        "reference": late.reference,
    }
    assert escalated["data"] == {
        "level": 1,
        "previousLevel": 0,
        "step": "firstResponse",
        "reference": late.reference,
        "team": "unassigned",
        "assignee": "unassigned",
    }
    assert breached["version"] == escalated["version"] == 2
    assert breached["correlationId"] == escalated["correlationId"] == f"{late.id}--2"
    # one audit event, two ids: the audit event's own and one derived from it (the same on a retry)
    assert breached["id"] == TRACKER_EVENT_ID
    assert escalated["id"] == derived_id(TRACKER_EVENT_ID, EventName.COMPLAINT_ESCALATED)
    receipt_id = trail(service, critical.id)[0].id
    assert received["id"] == receipt_id
    assert at_intake["id"] == derived_id(receipt_id, EventName.COMPLAINT_ESCALATED)
    assert at_intake["data"] == {
        "level": 1,
        "previousLevel": 0,
        "reason": "critical at intake",
        "notify": ["supervisor", "compliance"],
        "reference": critical.reference,
    }
    assert len({m["detail"]["id"] for m in arrived}) == 5


def test_a_tracker_step_that_keeps_the_level_is_announced_as_a_breach_only(
    service: ComplaintService,
    dynamodb: Any,
    stream: Stream,
    queue: tuple[Any, str],
    handle: Callable[..., dict[str, Any]],
) -> None:
    sqs, url = queue
    complaint = submit(service)
    tracker_escalation(dynamodb, complaint, before=2, after=2)  # escalated by hand to 2 before the step

    assert handle(stream.take()) == {"batchItemFailures": []}

    assert [m["detail-type"] for m in drain(sqs, url)] == ["ComplaintReceived", "SlaBreached"]


def test_the_sweeps_warning_is_recorded_then_announced_by_the_publisher(
    service: ComplaintService,
    stream: Stream,
    queue: tuple[Any, str],
    handle: Callable[..., dict[str, Any]],
) -> None:
    sqs, url = queue
    complaint = submit(service)
    warned = service.warn_at_risk(complaint.id, Step.FIRST_RESPONSE, SLA_SWEEP)

    assert handle(stream.take()) == {"batchItemFailures": []}

    _, warning = drain(sqs, url)
    assert warning["detail-type"] == "SlaAtRisk"
    assert warning["detail"]["id"] == trail(service, complaint.id)[-1].id
    assert warning["detail"]["version"] == warned.version == 2
    assert warning["detail"]["data"] == {
        "deadline": "firstResponse",
        "dueAt": complaint.deadlines.first_response_due_at.isoformat(),
        "reference": complaint.reference,
        "assignee": None,
        "team": None,
    }


def test_a_refused_second_event_retries_its_record_and_counts_nothing_of_it(
    service: ComplaintService,
    dynamodb: Any,
    stream: Stream,
    queue: tuple[Any, str],
    handle: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The tracker's step is one record and two events: the bus taking the breach but refusing the
    escalation still hands the record back to the stream (the breach comes again, with its id, for
    consumers to drop), and its facts are counted when it is handed over again, not now."""
    complaint = submit(service)
    tracker_escalation(dynamodb, complaint)
    records = stream.take()
    step = records[1]["dynamodb"]["SequenceNumber"]

    client = boto3.client("events", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_response(
        "put_events",
        {
            "FailedEntryCount": 1,
            "Entries": [
                {"EventId": "11111111-1111-1111-1111-111111111111"},
                {"EventId": "22222222-2222-2222-2222-222222222222"},
                {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"},
            ],
        },
    )
    monkeypatch.setattr(publisher_root, "event_publisher", cache(lambda: EventBridgePublisher(BUS, client)))
    capsys.readouterr()

    with stubber:
        reply = handle(records)

    assert reply == {"batchItemFailures": [{"itemIdentifier": step}]}
    counted = emitted(capsys.readouterr().out)
    assert {name for name, _ in counted} == {"ComplaintsReceived", "EventsRefused"}
    assert counted[("EventsRefused", ())] == 1
