"""Deployment settings, read once from the CDK context (cdk.json or `-c key=value`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aws_cdk import App
from pydantic import BaseModel, ConfigDict, Field, field_validator

from complaints.privacy.retention import RetentionSchedule
from complaints.sla.policies import SeedPolicySettings
from complaints.triage.rules import TriageRules

ROOT = Path(__file__).resolve().parents[2]

# The context key (`-c consoleWebAclArn=…`) that `make deploy` sets from the edge stack's output.
CONSOLE_WEB_ACL_CONTEXT = "consoleWebAclArn"
# A CLOUDFRONT-scope web ACL: always in us-east-1, "global" in its ARN.
_CLOUDFRONT_WEB_ACL_ARN = re.compile(
    r"arn:aws:wafv2:us-east-1:[0-9]{12}:global/webacl/[A-Za-z0-9_-]{1,128}/[A-Za-z0-9_-]{1,128}"
)


class StackSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    stack_name: str = "complaint-guard"
    # The deployment's SLA policy (seed, cbirc-2020, fca-disp, cfpb); channels may override it.
    sla_policy: str = "seed"
    # The seed policy's numbers, the bank's own to set (complaints/sla/policies.py, SeedPolicySettings):
    # pause_limit (ISO 8601, e.g. "P10D", "PT5M"), cooling_off_days, solution_plan_hours,
    # critical_solution_plan_hours, complex_resolution_days, complex_extended_days.
    seed_policy: SeedPolicySettings = SeedPolicySettings()
    # What triage does with what it reads (complaints/triage/rules.py): `sensitive` (the special path),
    # `teams` and the `routing` table (rows of category/product/channel/segment/flag → team; a team not
    # in `teams` fails the synthesis), `priority_segments` and `priority_team` (the priority lane),
    # `link_days`/`link_similarity` (the same matter), `repeat_days`/`repeat_count`.
    triage: TriageRules = TriageRules()
    log_retention_days: int = 365
    # How long the event bus archive keeps every domain event for replay.
    event_archive_days: int = Field(default=365, ge=1)
    # The From: of customer e-mails; its domain must be a verified SES identity in the account.
    sender_email: str = Field(default="complaints@example.com", pattern=r"^[^@\s]+@[^@\s]+$")
    # The bank's name in messages (SMS signature 【…】, e-mail sign-off).
    bank_name: str = "complaint-guard bank"
    # Where customers open their tracking links: the API's custom domain (the page is /t/{id}).
    public_base_url: str = "https://complaints.example.com"
    # The SSM SecureString (put once by operations) whose value signs customers' tracking links.
    tracking_secret_parameter: str = Field(default="/complaint-guard/tracking-secret", pattern=r"^/[\w./-]+$")
    # One Cognito app client (client-credentials grant) per channel app.
    channel_apps: tuple[str, ...] = (
        "counter",
        "hotline",
        "online-banking",
        "mobile-app",
        "email-intake",
        "kiosk",
    )
    # Where the staff console sends users back after sign-in (authorization-code grant).
    staff_callback_urls: tuple[str, ...] = ("https://localhost:8443/callback",)
    # Prefix of the Cognito hosted domain that serves /oauth2/token; must be unique in the region.
    cognito_domain_prefix: str | None = None
    # False only for throw-away test stacks: data stays when the stack is deleted.
    retain_data: bool = True
    api_throttle_rate: int = Field(default=100, description="steady requests per second per stage")
    api_throttle_burst: int = 200
    # Subscribed (e-mail) to the ops alarm topic when set; operations confirm the subscription once.
    ops_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    # The alarm on the unassigned queue: its oldest complaint has waited this long with nobody assigned.
    unassigned_alarm_minutes: int = Field(default=60, ge=15, le=24 * 60)
    # WAF blocks a client IP above this many requests in any 5 minutes (branches share NAT addresses).
    waf_requests_per_5_minutes: int = 3000
    # The console's web ACL at the edge (complaint_guard/edge.py), from `-c consoleWebAclArn=…` (make
    # deploy reads it from the edge stack). None: the distribution has no web ACL (local runtime, tests).
    console_web_acl_arn: str | None = None

    # How long each kind of record is kept (complaints/privacy/retention.py; the defaults and the
    # regulators' minimums they cover are in docs/architecture.md, "Retention"). The audit trail's
    # archive is locked (S3 Object Lock, compliance mode) for `trail_days`.
    retention: RetentionSchedule = RetentionSchedule()

    # The quarterly report: the time zone of its calendar quarters (and of its schedule, 01:00 on the
    # first day of each quarter), the management distribution list it is e-mailed to, and how many
    # days the links in that e-mail stay valid.
    report_timezone: str = "Asia/Shanghai"
    report_recipients: tuple[str, ...] = ()
    report_link_days: int = Field(default=7, ge=1, le=30)

    @field_validator("console_web_acl_arn")
    @classmethod
    def _cloudfront_web_acl(cls, value: str | None) -> str | None:
        if value is not None and not _CLOUDFRONT_WEB_ACL_ARN.fullmatch(value):
            raise ValueError(
                f"{CONSOLE_WEB_ACL_CONTEXT} must be the ARN of a CLOUDFRONT-scope web ACL, "
                "arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id> (the edge stack's output "
                f"ConsoleWebAclArn), not {value!r}"
            )
        return value

    @classmethod
    def from_context(cls, app: App) -> StackSettings:
        raw: dict[str, Any] = dict(app.node.try_get_context("complaint-guard") or {})
        console_web_acl_arn = app.node.try_get_context(CONSOLE_WEB_ACL_CONTEXT)
        if console_web_acl_arn is not None:
            raw["console_web_acl_arn"] = console_web_acl_arn
        return cls.model_validate(raw)
