"""The retention schedule and erasure at the DynamoDB adapters (moto): what the table's TTL will act on,
and the notification log's recipients removed by an erasure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from moto_tables import TABLE_NAME

from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog
from complaints.notifications.messages import DeliveryChannel, MessageKind
from complaints.notifications.ports import DeliveryStatus, NotificationRecord

SENT_AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def entry(key: str, channel: DeliveryChannel, recipient: str) -> NotificationRecord:
    return NotificationRecord(
        complaint_id="c-1",
        event_id="e-1",
        event_name="ComplaintReceived",
        message_key=key,
        kind=MessageKind.RECEIPT,
        channel=channel,
        recipient=recipient,
        status=DeliveryStatus.SENT,
        provider_message_id="p-1",
        at=SENT_AT,
    )


def test_a_log_entry_expires_after_the_schedules_days_and_an_erasure_removes_its_recipient(
    dynamodb: Any,
) -> None:
    log = DynamoDbNotificationLog(TABLE_NAME, dynamodb, timedelta(days=1825))
    log.record(entry("receipt:sms", DeliveryChannel.SMS, "+86139****5678"))
    log.record(entry("receipt:email", DeliveryChannel.EMAIL, "z***@example.com"))
    log.record(entry("escalation:manager", DeliveryChannel.STAFF, "topic:manager"))

    items = dynamodb.scan(TableName=TABLE_NAME)["Items"]
    # 2026-03-02T01:00Z + 1825 days = 2031-03-01T01:00Z, as the TTL's epoch seconds
    assert {item["expiresAt"]["N"] for item in items} == {
        str(int(datetime(2031, 3, 1, 1, tzinfo=UTC).timestamp()))
    }

    assert log.erase_recipients("c-1") == 2
    recipients = sorted(entry.recipient for entry in log.for_complaint("c-1"))
    assert recipients == ["erased", "erased", "topic:manager"]  # a staff topic is nobody's data
    assert log.erase_recipients("c-2") == 0
