"""The notification adapters against moto (and botocore's Stubber for the errors moto cannot make):
SES e-mail, SNS SMS and staff topics, and the notification log on the complaint table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError, ParamValidationError
from botocore.stub import Stubber
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto_tables import REGION, TABLE_NAME, TRAIL_TABLE_NAME

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog, NotificationAlreadyRecorded
from complaints.adapters.ses import SesEmailSender
from complaints.adapters.sns import SnsSmsSender, SnsStaffNotifier
from complaints.core.errors import ServiceUnavailable
from complaints.notifications.messages import DeliveryChannel, MessageKind
from complaints.notifications.ports import (
    DeliveryFailed,
    DeliveryStatus,
    DeliveryThrottled,
    NotificationRecord,
)

SENDER = "complaints@bank.example"
PHONE = "+8613912345678"
EMAIL = "zhang.wei@example.com"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


# --- SES ------------------------------------------------------------------------------------------


@pytest.fixture
def ses(aws: Any) -> Any:
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
    return boto3.client("sesv2", region_name=REGION)


def test_an_email_goes_out_from_the_verified_sender(ses: Any) -> None:
    message_id = SesEmailSender(SENDER, ses).send(EMAIL, "您的投诉已受理", "正文", "<p>正文</p>")
    (sent,) = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    assert sent.id == message_id
    assert (sent.source, sent.subject, sent.body) == (SENDER, "您的投诉已受理", "<p>正文</p>")
    assert sent.destinations == {"ToAddresses": [EMAIL]}


def test_the_email_is_simple_content_in_utf8_with_text_and_html(ses: Any) -> None:
    with Stubber(ses) as stub:
        stub.add_response(
            "send_email",
            {"MessageId": "m-1"},
            {
                "FromEmailAddress": SENDER,
                "Destination": {"ToAddresses": [EMAIL]},
                "Content": {
                    "Simple": {
                        "Subject": {"Data": "主题", "Charset": "UTF-8"},
                        "Body": {
                            "Text": {"Data": "正文", "Charset": "UTF-8"},
                            "Html": {"Data": "<p>正文</p>", "Charset": "UTF-8"},
                        },
                    }
                },
                "ConfigurationSetName": "complaint-guard",
            },
        )
        assert (
            SesEmailSender(SENDER, ses, "complaint-guard").send(EMAIL, "主题", "正文", "<p>正文</p>") == "m-1"
        )


def test_an_unverified_sender_is_a_failure_by_its_code(aws: Any) -> None:
    sender = SesEmailSender("nobody@unverified.example", boto3.client("sesv2", region_name=REGION))
    with pytest.raises(DeliveryFailed) as raised:
        sender.send(EMAIL, "s", "t", "<p>t</p>")
    assert raised.value.provider_code == "MessageRejected"
    assert EMAIL not in raised.value.message and raised.value.__cause__ is None


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("TooManyRequestsException", 429, DeliveryThrottled),
        ("Throttling", 400, DeliveryThrottled),
        ("MessageRejected", 400, DeliveryFailed),
        ("AccountSuspendedException", 400, DeliveryFailed),
    ],
)
def test_ses_errors_become_domain_errors_by_code_never_by_text(
    ses: Any, code: str, status: int, error: type[Exception]
) -> None:
    with Stubber(ses) as stub:
        # The text names the recipient, as SES's own messages may: it must not travel on.
        stub.add_client_error("send_email", code, f"Address {EMAIL} refused", status)
        with pytest.raises(error) as raised:
            SesEmailSender(SENDER, ses).send(EMAIL, "s", "t", "<p>t</p>")
    assert getattr(raised.value, "provider_code", None) == code
    assert isinstance(raised.value, ServiceUnavailable) is (error is DeliveryThrottled)
    assert EMAIL not in str(raised.value) and raised.value.__cause__ is None


class Unreachable:
    def send_email(self, **_: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="https://email.eu-west-2.amazonaws.com")

    def publish(self, **_: Any) -> Any:
        raise ParamValidationError(report=f"Invalid PhoneNumber {PHONE}")


def test_no_answer_is_retried_later_and_an_invalid_request_is_a_failure_without_its_parameters() -> None:
    with pytest.raises(DeliveryThrottled) as raised:
        SesEmailSender(SENDER, Unreachable()).send(EMAIL, "s", "t", "h")
    assert raised.value.provider_code == "EndpointConnectionError"
    with pytest.raises(DeliveryFailed) as refused:
        SnsSmsSender(Unreachable()).send(PHONE, "t")
    assert refused.value.provider_code == "ParamValidationError" and PHONE not in str(refused.value)


# --- SNS --------------------------------------------------------------------------------------------


@pytest.fixture
def sns(aws: Any) -> Any:
    return boto3.client("sns", region_name=REGION)


def test_an_sms_is_a_transactional_publish_to_the_phone_number(sns: Any) -> None:
    message_id = SnsSmsSender(sns).send(PHONE, "【示例银行】您的投诉已受理")
    assert sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages[message_id] == (
        PHONE,
        "【示例银行】您的投诉已受理",
    )
    with Stubber(sns) as stub:
        stub.add_response(
            "publish",
            {"MessageId": "m-1"},
            {
                "PhoneNumber": PHONE,
                "Message": "text",
                "MessageAttributes": {
                    "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                    "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "ExampleBk"},
                },
            },
        )
        assert SnsSmsSender(sns, sender_id="ExampleBk").send(PHONE, "text") == "m-1"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("Throttled", DeliveryThrottled),
        ("KMSThrottling", DeliveryThrottled),
        ("InternalError", DeliveryThrottled),
        ("InvalidParameter", DeliveryFailed),
        ("AuthorizationError", DeliveryFailed),
    ],
)
def test_sns_errors_become_domain_errors_by_code(sns: Any, code: str, error: type[Exception]) -> None:
    with Stubber(sns) as stub:
        stub.add_client_error("publish", code, f"cannot send to {PHONE}", 400)
        with pytest.raises(error) as raised:
            SnsSmsSender(sns).send(PHONE, "text")
    assert getattr(raised.value, "provider_code", None) == code
    assert PHONE not in str(raised.value)


def test_staff_messages_go_to_the_topic_of_their_audience(sns: Any) -> None:
    arns = {
        name: sns.create_topic(Name=f"cg-{name}")["TopicArn"] for name in ("supervisor", "manager", "at_risk")
    }
    notifier = SnsStaffNotifier(arns, sns)  # no topic for compliance
    notifier.publish(
        "manager", "[CG-1] Escalation to level 2", "投诉已升级", {"team": "cards", "assignee": ""}
    )
    notifier.publish(
        "1", "[CG-1] Escalation to level 1", "一级", {"level": "1"}
    )  # a level names its audience
    topics = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics
    ((_, text, subject, attributes, _),) = topics[arns["manager"]].sent_notifications
    assert (text, subject) == ("投诉已升级", "[CG-1] Escalation to level 2")
    assert attributes == {"team": {"Type": "String", "Value": "cards"}}  # empty values are left out
    assert len(topics[arns["supervisor"]].sent_notifications) == 1
    with pytest.raises(DeliveryFailed) as raised:
        notifier.publish("compliance", "s", "t", {})
    assert raised.value.provider_code == "TopicNotConfigured"


# --- the notification log ---------------------------------------------------------------------------


def entry(
    at: datetime, key: str = "receipt:sms", status: DeliveryStatus = DeliveryStatus.SENT
) -> NotificationRecord:
    return NotificationRecord(
        complaint_id="c-1",
        event_id="e-1",
        event_name="ComplaintReceived",
        message_key=key,
        kind=MessageKind.RECEIPT,
        channel=DeliveryChannel.SMS if key.endswith("sms") else DeliveryChannel.EMAIL,
        recipient="+86139****5678",
        status=status,
        provider_message_id="p-1" if status is DeliveryStatus.SENT else None,
        error_code=None if status is DeliveryStatus.SENT else "Throttled",
        at=at,
    )


def test_the_log_keeps_every_attempt_oldest_first(dynamodb: Any) -> None:
    log = DynamoDbNotificationLog(TABLE_NAME, dynamodb)
    later = entry(T0 + timedelta(seconds=10), "receipt:sms")
    failed = entry(T0 + timedelta(microseconds=500), "receipt:sms", DeliveryStatus.FAILED)
    email = entry(T0 + timedelta(seconds=1), "receipt:email")
    for item in (later, failed, email):
        log.record(item)
    assert log.for_complaint("c-1") == [failed, email, later]
    assert log.for_complaint("c-2") == []
    item = dynamodb.get_item(
        TableName=TABLE_NAME,
        Key={
            "pk": {"S": "COMPLAINT#c-1"},
            "sk": {"S": "NOTIFICATION#2026-03-02T01:00:00.000500Z#e-1#receipt:sms"},
        },
    )["Item"]
    assert item["entity"] == {"S": "notification"}
    assert item["errorCode"] == {"S": "Throttled"} and "providerMessageId" not in item


def test_an_entry_is_never_overwritten(dynamodb: Any) -> None:
    log = DynamoDbNotificationLog(TABLE_NAME, dynamodb)
    log.record(entry(T0))
    with pytest.raises(NotificationAlreadyRecorded):
        log.record(entry(T0, status=DeliveryStatus.FAILED))
    assert [e.status for e in log.for_complaint("c-1")] == [DeliveryStatus.SENT]


def test_notifications_stay_out_of_the_audit_trail(dynamodb: Any) -> None:
    DynamoDbNotificationLog(TABLE_NAME, dynamodb).record(entry(T0))
    assert (
        DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME)
        .events("c-1", 10, None)
        .items
        == []
    )


def test_a_busy_table_is_service_unavailable(dynamodb: Any) -> None:
    log = DynamoDbNotificationLog(TABLE_NAME, dynamodb)
    with Stubber(dynamodb) as stub:
        stub.add_client_error("put_item", "ProvisionedThroughputExceededException", "slow down", 400)
        stub.add_client_error("query", "ThrottlingException", "slow down", 400)
        with pytest.raises(ServiceUnavailable):
            log.record(entry(T0))
        with pytest.raises(ServiceUnavailable):
            log.for_complaint("c-1")
