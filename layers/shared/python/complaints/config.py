"""Every resource name and setting a function needs, read once from its environment.

The CDK stack sets these variables on each function; the local runtime reads them back from the
deployed stack, so the two never disagree.
"""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from .models import Language, SlaPolicyName


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    table_name: str = Field(alias="TABLE_NAME")
    idempotency_table_name: str | None = Field(default=None, alias="IDEMPOTENCY_TABLE_NAME")
    # The SLA tracker state machine and the event bus; unset only in tests of the API alone.
    sla_tracker_arn: str | None = Field(default=None, alias="SLA_TRACKER_ARN")
    event_bus_name: str | None = Field(default=None, alias="EVENT_BUS_NAME")
    sla_policy: SlaPolicyName = Field(default=SlaPolicyName.SEED, alias="SLA_POLICY")
    # The key that signs customers' tracking links: the name of an SSM SecureString parameter (as the
    # stack sets it) or of a Secrets Manager secret; never the key itself.
    tracking_secret_arn: str | None = Field(default=None, alias="TRACKING_SECRET_ARN")
    tracking_secret_parameter: str | None = Field(default=None, alias="TRACKING_SECRET_PARAMETER")
    # The base of links in customer messages, e.g. https://complaints.example.com (the page is /t/{id}).
    public_base_url: str | None = Field(default=None, alias="PUBLIC_BASE_URL")
    # Seconds a retried intake with the same Idempotency-Key returns the first answer.
    idempotency_ttl_seconds: int = Field(default=24 * 3600, alias="IDEMPOTENCY_TTL_SECONDS")
    # Notifications (complaints/notifications): the From: of customer e-mails (a verified SES identity),
    # the bank's name in messages (BANK_NAME_ZH for Chinese ones, e.g. the SMS signature 【…】), the
    # language of staff messages, and one SNS topic per staff audience.
    sender_email: str | None = Field(default=None, alias="SENDER_EMAIL")
    bank_name: str = Field(default="complaint-guard bank", alias="BANK_NAME")
    bank_name_zh: str | None = Field(default=None, alias="BANK_NAME_ZH")
    staff_language: Language = Field(default=Language.ZH_CN, alias="STAFF_LANGUAGE")
    staff_topic_supervisor: str | None = Field(default=None, alias="STAFF_TOPIC_SUPERVISOR")
    staff_topic_manager: str | None = Field(default=None, alias="STAFF_TOPIC_MANAGER")
    staff_topic_compliance: str | None = Field(default=None, alias="STAFF_TOPIC_COMPLIANCE")
    staff_topic_at_risk: str | None = Field(default=None, alias="STAFF_TOPIC_AT_RISK")
    # The quarterly report (complaints/report.py): the bucket of its files, the queue of build requests,
    # the time zone whose calendar quarters it covers, the management distribution list (comma-separated
    # addresses) and how many days the links in its e-mail stay valid.
    report_bucket: str | None = Field(default=None, alias="REPORT_BUCKET")
    report_queue_url: str | None = Field(default=None, alias="REPORT_QUEUE_URL")
    report_timezone: str = Field(default="Asia/Shanghai", alias="REPORT_TIMEZONE")
    report_recipients: str = Field(default="", alias="REPORT_RECIPIENTS")
    report_link_days: int = Field(default=7, ge=1, le=30, alias="REPORT_LINK_DAYS")


@cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
