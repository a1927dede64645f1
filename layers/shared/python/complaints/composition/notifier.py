"""The notifier's composition root: the notifier and its senders, built once per instance on first
use. The tracking keys are read only when a customer message needs a tracking link."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from complaints.adapters.aws import client
from complaints.composition import parts
from complaints.composition.settings import NotifierSettings

if TYPE_CHECKING:
    from complaints.adapters.parameters import SsmKeyRing
    from complaints.core.models import Complaint
    from complaints.notifications.notifier import Notifier


@cache
def settings() -> NotifierSettings:
    return NotifierSettings.from_environment()


@cache
def tracking_keys() -> SsmKeyRing:
    return parts.tracking_keys(settings())


def tracking_link_of(complaint: Complaint) -> str:
    """The customer's tracking link, signed with the current key, expiring 180 days from now (it still
    opens while the complaint is open: tracking/links.py)."""
    from complaints.tracking.links import tracking_link

    return tracking_link(complaint.id, tracking_keys().current(), settings().public_base_url)


@cache
def ses_client() -> Any:
    return client("sesv2")


@cache
def sns_client() -> Any:
    return client("sns")


@cache
def notifier() -> Notifier:
    from complaints.adapters.dynamodb.complaints import DynamoDbComplaintReader
    from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog
    from complaints.adapters.ses import SesEmailSender
    from complaints.adapters.sns import SnsSmsSender, SnsStaffNotifier
    from complaints.notifications.messages import StaffTopic
    from complaints.notifications.notifier import Notifier
    from complaints.notifications.planner import NotificationPlanner

    config = settings()
    dynamodb = client("dynamodb")
    return Notifier(
        complaints=DynamoDbComplaintReader(config.table_name, dynamodb),
        planner=NotificationPlanner(
            parts.brand(config), tracking_link_of, staff_language=config.staff_language
        ),
        email=SesEmailSender(config.sender_email, ses_client()),
        sms=SnsSmsSender(sns_client()),
        staff=SnsStaffNotifier(
            {
                StaffTopic.SUPERVISOR.value: config.staff_topic_supervisor,
                StaffTopic.MANAGER.value: config.staff_topic_manager,
                StaffTopic.COMPLIANCE.value: config.staff_topic_compliance,
                StaffTopic.AT_RISK.value: config.staff_topic_at_risk,
            },
            sns_client(),
        ),
        log=DynamoDbNotificationLog(
            config.table_name, dynamodb, timedelta(days=config.retention_notification_log_days)
        ),
    )
