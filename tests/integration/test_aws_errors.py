"""Every adapter reads AWS errors through complaints.adapters.aws: a busy code (`BUSY_CODES`) becomes
the busy domain error (ServiceUnavailable, or DeliveryThrottled for deliveries), any other code does not.

The errors come from botocore's Stubber on clients of the moto backend of each test (moto cannot make a
service busy)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from complaint_builders import at, complaint
from moto_tables import REGION, TABLE_NAME, TRAIL_TABLE_NAME

from complaints.adapters.aws import BUSY_CODES, error_code, is_busy
from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog
from complaints.adapters.dynamodb.report_records import DynamoDbReportRecords
from complaints.adapters.dynamodb.watch import DynamoDbWatchStore
from complaints.adapters.eventbridge import EventBridgePublisher, EventPublishFailed
from complaints.adapters.parameters import SigningKeyUnavailable, SsmSigningKey
from complaints.adapters.ses import SesEmailSender
from complaints.adapters.sns import SnsSmsSender
from complaints.adapters.sqs import SqsReportQueue
from complaints.adapters.stepfunctions import StepFunctionsTracker, TrackerUnavailable
from complaints.core.errors import ServiceUnavailable
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Actor, AuditEvent, Complaint
from complaints.notifications.ports import DeliveryFailed, DeliveryThrottled

# One busy code each service actually answers with, and codes that are not "busy".
DYNAMODB_BUSY = ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
DELIVERY_BUSY = ["TooManyRequestsException", "Throttling", "Throttled", "KMSThrottlingException"]
NOT_BUSY = ["AccessDeniedException", "ValidationException", "ResourceNotFoundException"]
SENDER = "complaints@bank.example"
STATE_MACHINE = "arn:aws:states:eu-west-2:123456789012:stateMachine:sla-tracker"


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "..."}}, "Operation")


def stubbed(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def test_the_code_is_read_from_the_response_and_only_busy_codes_are_busy() -> None:
    assert error_code(client_error("ThrottlingException")) == "ThrottlingException"
    assert error_code(ClientError({}, "Operation")) == ""
    assert all(is_busy(client_error(code)) for code in BUSY_CODES)
    assert not any(is_busy(client_error(code)) for code in NOT_BUSY)


# --- DynamoDB -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", DYNAMODB_BUSY)
def test_dynamodb_busy_is_service_unavailable(aws: Any, code: str) -> None:
    client = stubbed("dynamodb")
    with Stubber(client) as stub:
        # the complaint, its chain head (read before a change), the change itself, a report, a log, a watch
        for operation in ("get_item", "get_item", "get_item", "query", "update_item"):
            stub.add_client_error(operation, service_error_code=code, http_status_code=400)
        repository = DynamoDbComplaintRepository(TABLE_NAME, client, trail_table=TRAIL_TABLE_NAME)
        with pytest.raises(ServiceUnavailable):
            repository.get("c-1")
        item = complaint(1, at(3, 2), customer="C-1")
        with pytest.raises(ServiceUnavailable):
            repository.update(item, _audit_event(item), 0)
        with pytest.raises(ServiceUnavailable):
            DynamoDbReportRecords(TABLE_NAME, client).get("r-1")
        with pytest.raises(ServiceUnavailable):
            DynamoDbNotificationLog(TABLE_NAME, client).for_complaint("c-1")
        with pytest.raises(ServiceUnavailable):
            DynamoDbWatchStore(TABLE_NAME, client).rewatch(item)


@pytest.mark.parametrize("code", NOT_BUSY)
def test_dynamodb_other_errors_are_not_service_unavailable(aws: Any, code: str) -> None:
    client = stubbed("dynamodb")
    with Stubber(client) as stub:
        for operation in ("get_item", "get_item", "query", "update_item"):
            stub.add_client_error(operation, service_error_code=code, http_status_code=400)
        item = complaint(1, at(3, 2), customer="C-1")
        calls = [
            lambda: DynamoDbComplaintRepository(TABLE_NAME, client, trail_table=TRAIL_TABLE_NAME).get("c-1"),
            lambda: DynamoDbReportRecords(TABLE_NAME, client).get("r-1"),
            lambda: DynamoDbNotificationLog(TABLE_NAME, client).for_complaint("c-1"),
            lambda: DynamoDbWatchStore(TABLE_NAME, client).rewatch(item),
        ]
        for call in calls:
            with pytest.raises(ClientError) as caught:
                call()
            assert error_code(caught.value) == code


def _audit_event(item: Complaint) -> AuditEvent:
    return AuditEvent(
        id=f"ev-{item.id}-{item.version}",
        complaint_id=item.id,
        version=item.version,
        action="receive",
        actor=Actor(id="agent-7", roles=["agent"]),
        at=item.updated_at,
    )


# --- deliveries: SES and SNS ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "busy"), [*((c, True) for c in DELIVERY_BUSY), *((c, False) for c in NOT_BUSY)]
)
def test_a_busy_delivery_is_throttled_and_another_error_failed(aws: Any, code: str, busy: bool) -> None:
    ses, sns = stubbed("sesv2"), stubbed("sns")
    expected = DeliveryThrottled if busy else DeliveryFailed
    with Stubber(ses) as ses_stub, Stubber(sns) as sns_stub:
        ses_stub.add_client_error("send_email", service_error_code=code, http_status_code=400)
        sns_stub.add_client_error("publish", service_error_code=code, http_status_code=400)
        with pytest.raises((DeliveryThrottled, DeliveryFailed)) as by_email:
            SesEmailSender(SENDER, ses).send("li.wei@example.com", "主题", "正文", "<p>正文</p>")
        with pytest.raises((DeliveryThrottled, DeliveryFailed)) as by_sms:
            SnsSmsSender(sns).send("+8613800138000", "正文")
    for caught in (by_email, by_sms):
        assert type(caught.value) is expected
        assert isinstance(caught.value, ServiceUnavailable) is busy
        assert code in str(caught.value)


# --- SSM: the signing key ---------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "busy"), [("ThrottlingException", True), ("AccessDeniedException", False)])
def test_a_busy_ssm_is_service_unavailable_and_another_error_a_deployment_fault(
    aws: Any, code: str, busy: bool
) -> None:
    client = stubbed("ssm")
    with Stubber(client) as stub:
        stub.add_client_error("get_parameter", service_error_code=code, http_status_code=400)
        with pytest.raises((ServiceUnavailable, SigningKeyUnavailable)) as caught:
            SsmSigningKey(f"/key-{code}", client).secret()
    assert isinstance(caught.value, ServiceUnavailable) is busy
    if not busy:
        assert code in str(caught.value)


# --- Step Functions, EventBridge, SQS: every failure is "retry later", busy or not ----------------------


@pytest.mark.parametrize("code", ["ThrottlingException", "AccessDeniedException"])
def test_the_tracker_bus_and_queue_turn_any_error_into_service_unavailable(aws: Any, code: str) -> None:
    states, events, sqs = stubbed("stepfunctions"), stubbed("events"), stubbed("sqs")
    with Stubber(states) as states_stub, Stubber(events) as events_stub, Stubber(sqs) as sqs_stub:
        states_stub.add_client_error("start_execution", service_error_code=code, http_status_code=400)
        events_stub.add_client_error("put_events", service_error_code=code, http_status_code=400)
        sqs_stub.add_client_error("send_message", service_error_code=code, http_status_code=400)
        with pytest.raises(TrackerUnavailable):
            StepFunctionsTracker(STATE_MACHINE, states).start(complaint(1, at(3, 2), customer="C-1"))
        event = DomainEvent(name=EventName.COMPLAINT_UPDATED, complaint_id="c-1", version=1, data={})
        with pytest.raises(EventPublishFailed, match=code):
            EventBridgePublisher("bus", events).publish([event])
        with pytest.raises(ServiceUnavailable):
            SqsReportQueue("https://sqs.eu-west-2.amazonaws.com/123456789012/reports", sqs).submit("r-1")


def test_an_execution_that_exists_is_started_already(aws: Any) -> None:
    states = stubbed("stepfunctions")
    with Stubber(states) as stub:
        stub.add_client_error("start_execution", service_error_code="ExecutionAlreadyExists")
        StepFunctionsTracker(STATE_MACHINE, states).start(complaint(1, at(3, 2), customer="C-1"))
