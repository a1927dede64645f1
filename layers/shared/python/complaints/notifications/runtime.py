"""The notifier's composition root: builds the notifier and its adapters once per Lambda instance, on
first use, from the settings (complaints.config). The tracking key is read only when a customer
message needs a link."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..adapters.dynamodb import DynamoDbComplaintRepository
from ..adapters.notification_log import DynamoDbNotificationLog
from ..adapters.runtime import client, dynamodb_client
from ..adapters.secrets import secret_provider
from ..adapters.ses import SesEmailSender
from ..adapters.sns import SnsSmsSender, SnsStaffNotifier
from ..config import settings
from ..models import Complaint
from ..tracking import tracking_link
from .messages import StaffTopic
from .notifier import Notifier
from .planner import NotificationPlanner
from .ports import DeliveryFailed
from .templates import Brand

# A send that hangs is worse than one that fails: the queue retries it.
# Without BANK_NAME_ZH, Chinese messages use BANK_NAME, unless that is still the placeholder default.
_DEFAULT_BANK_NAME = "complaint-guard bank"
_DEFAULT_BANK_NAME_ZH = "某银行"


class EmailNotConfigured:
    """No SENDER_EMAIL: every e-mail fails (recorded, retried, dead-lettered), never silently dropped."""

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        raise DeliveryFailed("SENDER_EMAIL is not set: customer e-mail cannot be sent", "SenderNotConfigured")


def brand() -> Brand:
    config = settings()
    name_zh = config.bank_name_zh
    if name_zh is None and config.bank_name == _DEFAULT_BANK_NAME:
        name_zh = _DEFAULT_BANK_NAME_ZH
    return Brand(name=config.bank_name, name_zh=name_zh)


def link_for(complaint: Complaint) -> str:
    """The customer's tracking link, signed with the tracking key (read once per instance)."""
    base_url = settings().public_base_url
    if not base_url:
        raise RuntimeError("PUBLIC_BASE_URL is not set: customer messages cannot carry a tracking link")
    return tracking_link(complaint.id, secret_provider().secret(), base_url)


@cache
def ses_client() -> Any:
    return client("sesv2")


@cache
def sns_client() -> Any:
    return client("sns")


@cache
def notifier() -> Notifier:
    config = settings()
    client = dynamodb_client()
    sender = config.sender_email
    return Notifier(
        complaints=DynamoDbComplaintRepository(config.table_name, client),
        planner=NotificationPlanner(brand(), link_for, staff_language=config.staff_language),
        email=SesEmailSender(sender, ses_client()) if sender else EmailNotConfigured(),
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
        log=DynamoDbNotificationLog(config.table_name, client),
    )
