"""The event bus and SLA tracker adapters against moto: EventBridgePublisher and StepFunctionsTracker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from complaint_builders import received_at_t0
from moto_tables import REGION, drain

from complaints.adapters.eventbridge import EventBridgePublisher, EventPublishFailed
from complaints.adapters.stepfunctions import StepFunctionsTracker
from complaints.core.errors import ServiceUnavailable
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Complaint

BUS = "complaint-guard-test"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ENVELOPE = {"id", "occurredAt", "complaintId", "version", "data", "correlationId"}


def domain_event(n: int, name: EventName = EventName.COMPLAINT_UPDATED) -> DomainEvent:
    return DomainEvent(
        name=name,
        complaint_id=f"c-{n:02d}",
        version=n,
        data={"n": n, "note": "投诉"},
        correlation_id=f"req-{n:02d}",
    )


# --- EventBridge ------------------------------------------------------------------------------------


@pytest.fixture
def events_client(aws: Any) -> Any:
    return boto3.client("events", region_name=REGION)


@pytest.fixture
def queue(aws: Any, events_client: Any) -> Iterator[tuple[Any, str]]:
    """An SQS queue fed by a rule on the custom bus that matches everything from complaint-guard."""
    sqs = boto3.client("sqs", region_name=REGION)
    events_client.create_event_bus(Name=BUS)
    url = sqs.create_queue(QueueName="bus-tap")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events_client.put_rule(
        Name="tap", EventBusName=BUS, EventPattern=json.dumps({"source": ["complaint-guard"]})
    )
    events_client.put_targets(Rule="tap", EventBusName=BUS, Targets=[{"Id": "tap", "Arn": arn}])
    yield sqs, url


def test_23_events_go_out_in_3_put_events_calls_and_all_arrive(
    events_client: Any, queue: tuple[Any, str]
) -> None:
    sqs, url = queue
    batches: list[int] = []
    events_client.meta.events.register(
        "before-parameter-build.events.PutEvents",
        lambda params, **_: batches.append(len(params["Entries"])),
    )
    events = [domain_event(n) for n in range(1, 24)]
    events[4] = domain_event(5, EventName.SLA_AT_RISK)

    EventBridgePublisher(BUS, events_client).publish(events)

    # PutEvents takes at most 10 entries: 10 + 10 + 3
    assert batches == [10, 10, 3]
    arrived = drain(sqs, url)
    assert len(arrived) == 23
    by_complaint = {message["detail"]["complaintId"]: message for message in arrived}
    assert set(by_complaint) == {f"c-{n:02d}" for n in range(1, 24)}
    for message in arrived:
        assert message["source"] == "complaint-guard"
        assert set(message["detail"]) == ENVELOPE
    five = by_complaint["c-05"]
    assert five["detail-type"] == "SlaAtRisk"
    assert by_complaint["c-06"]["detail-type"] == "ComplaintUpdated"
    assert five["detail"]["id"] == events[4].id
    assert five["detail"]["version"] == 5
    assert five["detail"]["data"] == {"n": 5, "note": "投诉"}
    assert five["detail"]["correlationId"] == "req-05"
    assert datetime.fromisoformat(five["detail"]["occurredAt"].replace("Z", "+00:00")) == (
        events[4].occurred_at
    )


def test_an_event_without_correlation_id_still_carries_the_whole_envelope(
    events_client: Any, queue: tuple[Any, str]
) -> None:
    sqs, url = queue
    event = DomainEvent(name=EventName.COMPLAINT_CLOSED, complaint_id="c-1", version=7)
    EventBridgePublisher(BUS, events_client).publish([event])
    (message,) = drain(sqs, url)
    assert message["detail-type"] == "ComplaintClosed"
    assert message["detail"]["correlationId"] is None
    assert message["detail"]["data"] == {}
    assert set(message["detail"]) == ENVELOPE


def test_nothing_to_publish_makes_no_call(events_client: Any) -> None:
    calls: list[str] = []
    events_client.meta.events.register("before-call.events.PutEvents", lambda **_: calls.append("put"))
    EventBridgePublisher(BUS, events_client).publish([])
    assert calls == []


def test_a_failed_entry_raises_and_names_the_event(aws: Any) -> None:
    client = boto3.client("events", region_name=REGION)
    ok = domain_event(1, EventName.COMPLAINT_UPDATED)
    failing = domain_event(2, EventName.SLA_BREACHED)
    with Stubber(client) as stub:
        stub.add_response(
            "put_events",
            {
                "FailedEntryCount": 1,
                "Entries": [
                    {"EventId": "11111111-1111-1111-1111-111111111111"},
                    {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"},
                ],
            },
        )
        with pytest.raises(EventPublishFailed) as raised:
            EventBridgePublisher(BUS, client).publish([ok, failing])
    message = raised.value.message
    assert "SlaBreached" in message
    assert failing.id in message
    assert "InternalFailure" in message
    assert ok.id not in message
    # a publish failure is a 503 to the caller: nothing was silently dropped
    assert isinstance(raised.value, ServiceUnavailable)
    assert raised.value.status == 503


def test_a_refused_put_events_call_raises(aws: Any) -> None:
    client = boto3.client("events", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_client_error("put_events", service_error_code="ThrottlingException", http_status_code=400)
        with pytest.raises(EventPublishFailed):
            EventBridgePublisher(BUS, client).publish([domain_event(1)])


def test_a_failure_in_the_second_batch_is_reported(aws: Any) -> None:
    client = boto3.client("events", region_name=REGION)
    events = [domain_event(n) for n in range(1, 13)]  # 10 + 2
    with Stubber(client) as stub:
        stub.add_response(
            "put_events",
            {"FailedEntryCount": 0, "Entries": [{"EventId": f"e{n}"} for n in range(10)]},
        )
        stub.add_response(
            "put_events",
            {"FailedEntryCount": 1, "Entries": [{"EventId": "e10"}, {"ErrorCode": "AccessDenied"}]},
        )
        with pytest.raises(EventPublishFailed) as raised:
            EventBridgePublisher(BUS, client).publish(events)
    assert events[11].id in raised.value.message  # the 12th event, second in the second batch
    assert "AccessDenied" in raised.value.message


# --- Step Functions ---------------------------------------------------------------------------------


@pytest.fixture
def states(aws: Any) -> Any:
    return boto3.client("stepfunctions", region_name=REGION)


@pytest.fixture
def state_machine(states: Any) -> str:
    definition = {"StartAt": "Wait", "States": {"Wait": {"Type": "Pass", "End": True}}}
    created = states.create_state_machine(
        name="sla-tracker-test",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/sla-tracker",
    )
    return str(created["stateMachineArn"])


@pytest.fixture
def tracker(states: Any, state_machine: str) -> StepFunctionsTracker:
    return StepFunctionsTracker(state_machine, states)


def complaint(complaint_id: str = "c-1", generation: int = 1) -> Complaint:
    return received_at_t0(id=complaint_id, trackerGeneration=generation)


def executions(states: Any, state_machine: str) -> list[dict[str, Any]]:
    return list(states.list_executions(stateMachineArn=state_machine)["executions"])


def test_starting_twice_is_idempotent(tracker: StepFunctionsTracker, states: Any, state_machine: str) -> None:
    tracker.start(complaint())
    tracker.start(complaint())
    (execution,) = executions(states, state_machine)
    assert execution["name"] == "c-1"
    assert execution["status"] == "RUNNING"
    started = states.describe_execution(executionArn=execution["executionArn"])
    assert json.loads(started["input"]) == {
        "complaintId": "c-1",
        "attempts": 0,
        "waited": {"name": "none", "dueAt": "none"},
    }


def test_is_running_only_for_the_generation_that_was_started(tracker: StepFunctionsTracker) -> None:
    tracker.start(complaint())
    assert tracker.is_running(complaint()) is True
    assert tracker.is_running(complaint(generation=2)) is False
    assert tracker.is_running(complaint("c-never")) is False


def test_the_next_generation_is_a_second_execution(
    tracker: StepFunctionsTracker, states: Any, state_machine: str
) -> None:
    tracker.start(complaint())
    tracker.start(complaint(generation=2))
    assert sorted(e["name"] for e in executions(states, state_machine)) == ["c-1", "c-1--2"]
    assert tracker.is_running(complaint(generation=2)) is True


def test_stop_ends_the_execution(tracker: StepFunctionsTracker, states: Any, state_machine: str) -> None:
    tracker.start(complaint())
    tracker.stop(complaint())
    assert tracker.is_running(complaint()) is False
    (execution,) = executions(states, state_machine)
    assert execution["status"] == "ABORTED"


def test_stopping_an_execution_that_never_started_is_fine(tracker: StepFunctionsTracker) -> None:
    tracker.stop(complaint(generation=5))
    assert tracker.is_running(complaint(generation=5)) is False


def test_an_unavailable_step_functions_is_a_service_unavailable(states: Any, state_machine: str) -> None:
    tracker = StepFunctionsTracker(state_machine, states)
    with Stubber(states) as stub:
        stub.add_client_error(
            "start_execution", service_error_code="ThrottlingException", http_status_code=400
        )
        with pytest.raises(ServiceUnavailable):
            tracker.start(complaint())
