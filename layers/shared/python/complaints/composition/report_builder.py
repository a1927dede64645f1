"""The report builder's composition root: builds, stores, publishes and e-mails quarterly reports."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from complaints.adapters.aws import client
from complaints.composition import parts
from complaints.composition.settings import ReportBuilderSettings

if TYPE_CHECKING:
    from complaints.reporting.quarterly_reports import QuarterlyReports


@cache
def settings() -> ReportBuilderSettings:
    return ReportBuilderSettings.from_environment()


@cache
def quarterly_reports() -> QuarterlyReports:
    from complaints.adapters.ses import SesEmailSender, SesReportMailer

    config = settings()
    return parts.quarterly_reports(
        config,
        client("dynamodb"),
        recipients=config.recipients(),
        mailer=SesReportMailer(SesEmailSender(config.sender_email, client("sesv2"))),
    )
