"""Each function's settings, declared as a pydantic model and validated at cold start.

The CDK stack sets these variables on each function; the local runtime gives each function exactly the
environment the template gives it. A function that lacks a setting it needs does not start: its first
invocation fails with the name of the variable, never later with a half-composed service.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from complaints.core.models import Language, SlaPolicyName
from complaints.sla.policies import SeedPolicySettings
from complaints.triage.rules import TriageRules


class SettingsError(RuntimeError):
    """A function's environment lacks or garbles a setting; the message names each variable."""


class FunctionSettings(BaseModel):
    # Built when first validated: a function builds its own settings model, not the other four.
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore", defer_build=True)

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] | None = None) -> Self:
        try:
            return cls.model_validate(dict(os.environ if environment is None else environment))
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                for problem in error.errors()
            )
            raise SettingsError(f"{cls.__name__} of this function: {problems}") from None


class ComplaintsTableSettings(FunctionSettings):
    table_name: str = Field(alias="TABLE_NAME", min_length=1)


class LinkSettings(FunctionSettings):
    # The name P from which the link keys' SSM parameters are derived: P/tracking/{current,previous} and
    # P/reports/{current,previous}, P itself the legacy key of links sent before key ids
    # (complaints/adapters/parameters.py tells how operations put and rotate them).
    tracking_secret_parameter: str = Field(alias="TRACKING_SECRET_PARAMETER", min_length=1)
    # The base of links in messages, e.g. https://complaints.example.com (the page is /t/{id}).
    public_base_url: str = Field(alias="PUBLIC_BASE_URL", min_length=1)
    # The bank's name in messages (BANK_NAME_ZH for Chinese ones, e.g. the SMS signature 【…】).
    bank_name: str = Field(default="complaint-guard bank", alias="BANK_NAME")
    bank_name_zh: str | None = Field(default=None, alias="BANK_NAME_ZH")


def _json_object(value: Any) -> Any:
    """A setting holding an object arrives as JSON text in the environment."""
    return json.loads(value) if isinstance(value, str) else value


class LifecycleSettings(ComplaintsTableSettings):
    """What changing a complaint needs: its deadlines' policy, its SLA tracker and its trail (no bus:
    the trail is the outbox, which the publisher announces)."""

    sla_policy: SlaPolicyName = Field(default=SlaPolicyName.SEED, alias="SLA_POLICY")
    # The seed policy's numbers as the bank set them (cdk.json `seed_policy`; sla/policies.py).
    seed_policy: Annotated[SeedPolicySettings, BeforeValidator(_json_object)] = Field(
        default_factory=SeedPolicySettings, alias="SEED_POLICY"
    )
    sla_tracker_arn: str = Field(alias="SLA_TRACKER_ARN", min_length=1)
    # The audit trail's own table (append-only: complaints/trail/chain.py).
    trail_table_name: str = Field(alias="TRAIL_TABLE_NAME", min_length=1)
    # Days a complaint's record is kept after it ends (the retention schedule, privacy/retention.py).
    retention_complaint_days: int = Field(default=5 * 365, ge=3 * 365, alias="RETENTION_COMPLAINT_DAYS")


class ReportSettingsFromEnvironment(FunctionSettings):
    # The bucket of report files, the time zone whose calendar quarters reports cover and how many
    # days the links in the report e-mail stay valid.
    report_bucket: str = Field(alias="REPORT_BUCKET", min_length=1)
    report_timezone: str = Field(default="Asia/Shanghai", alias="REPORT_TIMEZONE")
    report_link_days: int = Field(default=7, ge=1, le=30, alias="REPORT_LINK_DAYS")


class AttachmentSettings(FunctionSettings):
    # The bucket of attached files, and what scans them: `guardduty` (GuardDuty Malware Protection for
    # S3; staff download only what it found clean) or `none` (no scanner: the local runtime, where
    # attachments read `not_scanned`). No default: a deployment never falls back to unscanned files.
    attachment_bucket: str = Field(alias="ATTACHMENT_BUCKET", min_length=1)
    attachment_scanner: Literal["guardduty", "none"] = Field(alias="ATTACHMENT_SCANNER")


class TriageRulesSettings(FunctionSettings):
    # The bank's triage rules (cdk.json `triage`: the special path, the routing table, the priority
    # lane, what counts as the same matter; complaints/triage/rules.py).
    triage_rules: Annotated[TriageRules, BeforeValidator(_json_object)] = Field(
        default_factory=TriageRules, alias="TRIAGE"
    )


class TriageSettings(LifecycleSettings, TriageRulesSettings):
    """The function that reads each new complaint (functions/triage)."""


class ApiSettings(
    LifecycleSettings, LinkSettings, ReportSettingsFromEnvironment, AttachmentSettings, TriageRulesSettings
):
    # The bus of the quarterly reports' `ReportPublished` (complaints/composition/parts.py).
    event_bus_name: str = Field(alias="EVENT_BUS_NAME", min_length=1)
    idempotency_table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=1)
    # Seconds a retried intake with the same Idempotency-Key returns the first answer.
    idempotency_ttl_seconds: int = Field(default=24 * 3600, alias="IDEMPOTENCY_TTL_SECONDS")
    # Where `POST /v1/reports` sends builds.
    report_queue_url: str = Field(alias="REPORT_QUEUE_URL", min_length=1)


class SweepSettings(LifecycleSettings):
    pass


class MalwareScanSettings(LifecycleSettings, AttachmentSettings):
    """The function that records the scanner's verdicts on attachments (functions/malware_scan)."""


class PublisherSettings(FunctionSettings):
    event_bus_name: str = Field(alias="EVENT_BUS_NAME", min_length=1)


class ArchiverSettings(FunctionSettings):
    # The bucket under Object Lock that keeps every audit event as the chain seals it.
    trail_archive_bucket: str = Field(alias="TRAIL_ARCHIVE_BUCKET", min_length=1)


class ReportBuilderSettings(ComplaintsTableSettings, LinkSettings, ReportSettingsFromEnvironment):
    event_bus_name: str = Field(alias="EVENT_BUS_NAME", min_length=1)
    # The From: of the report e-mail (a verified SES identity) and the management distribution list
    # (comma-separated addresses; empty: the report is built and published, not e-mailed).
    sender_email: str = Field(alias="SENDER_EMAIL", min_length=3)
    report_recipients: str = Field(default="", alias="REPORT_RECIPIENTS")

    def recipients(self) -> tuple[str, ...]:
        return tuple(address.strip() for address in self.report_recipients.split(",") if address.strip())


class NotifierSettings(ComplaintsTableSettings, LinkSettings):
    # The From: of customer e-mails (a verified SES identity), the language of staff messages and
    # one SNS topic per staff audience.
    sender_email: str = Field(alias="SENDER_EMAIL", min_length=3)
    staff_language: Language = Field(default=Language.ZH_CN, alias="STAFF_LANGUAGE")
    staff_topic_supervisor: str = Field(alias="STAFF_TOPIC_SUPERVISOR", min_length=1)
    staff_topic_manager: str = Field(alias="STAFF_TOPIC_MANAGER", min_length=1)
    staff_topic_compliance: str = Field(alias="STAFF_TOPIC_COMPLIANCE", min_length=1)
    staff_topic_at_risk: str = Field(alias="STAFF_TOPIC_AT_RISK", min_length=1)
    # Days an entry of the notification log is kept (privacy/retention.py).
    retention_notification_log_days: int = Field(
        default=5 * 365, ge=3 * 365, alias="RETENTION_NOTIFICATION_LOG_DAYS"
    )
