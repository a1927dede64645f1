"""The small interfaces the notifier sends and records through. Adapters implement them on SES
(`adapters.ses`), SNS (`adapters.sns`) and DynamoDB (`adapters.notification_log`); tests use fakes.

A sender returns the provider's message id, or raises `DeliveryThrottled` (the provider is busy: try
again later) or `DeliveryFailed` (the provider refused the message), each carrying the provider's
error code. Their messages never contain a recipient or any content of the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol

from pydantic import Field

from complaints.core.errors import DomainError, ServiceUnavailable
from complaints.core.models import ApiModel, Complaint, UtcDatetime
from complaints.notifications.messages import DeliveryChannel, MessageKind


class DeliveryFailed(DomainError):
    status = 502
    code = "delivery_failed"

    def __init__(self, message: str, provider_code: str) -> None:
        super().__init__(message)
        self.provider_code = provider_code


class DeliveryThrottled(ServiceUnavailable):
    code = "delivery_throttled"

    def __init__(self, message: str, provider_code: str) -> None:
        super().__init__(message)
        self.provider_code = provider_code


class EmailSender(Protocol):
    def send(self, to: str, subject: str, text: str, html: str) -> str:
        """Send one e-mail; return the provider's message id."""


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send one transactional SMS to an E.164 number; return the provider's message id."""


class StaffNotifier(Protocol):
    def publish(self, level_or_kind: str, subject: str, text: str, attributes: Mapping[str, str]) -> str:
        """Publish to the staff topic of an audience (`supervisor`, `manager`, `compliance`,
        `at_risk`); return the provider's message id."""


class ComplaintReader(Protocol):
    def get(self, complaint_id: str) -> Complaint:
        """Raises NotFound."""


class DeliveryStatus(StrEnum):
    SENT = "sent"
    FAILED = "failed"


class NotificationRecord(ApiModel):
    """One attempt to send one message: the complaint's notification log. The recipient is masked."""

    complaint_id: str
    event_id: str
    event_name: str
    message_key: str = Field(description="unique among the messages of one event, e.g. receipt:sms")
    kind: MessageKind
    channel: DeliveryChannel
    recipient: str = Field(description="masked: +86138****8000, z***@example.com, topic:manager")
    status: DeliveryStatus
    provider_message_id: str | None = None
    error_code: str | None = None
    at: UtcDatetime


class NotificationLog(Protocol):
    def record(self, entry: NotificationRecord) -> None:
        """Append one entry; an entry is never overwritten."""

    def for_complaint(self, complaint_id: str) -> list[NotificationRecord]:
        """Every entry of the complaint, oldest first."""
