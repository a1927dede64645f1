"""The pieces several functions compose the same way, built from their settings. Each function's own
module (api, sla_sweep, report_builder, notifier, publisher) builds what it needs once per instance, on
first use; modules are imported inside the builder, so a cold start pays only for what it uses
(docs/decisions.md, "Cold starts load what a route needs"; `make bench` measures it)."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from complaints.adapters.aws import client

if TYPE_CHECKING:
    from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
    from complaints.adapters.parameters import SsmKeyRing
    from complaints.attachments.ports import LinkCheck
    from complaints.attachments.service import AttachmentService
    from complaints.composition.settings import (
        ApiSettings,
        AttachmentSettings,
        LifecycleSettings,
        LinkSettings,
        ReportBuilderSettings,
    )
    from complaints.intake.ports import ComplaintRepository
    from complaints.intake.service import ComplaintService
    from complaints.notifications.templates import Brand
    from complaints.reporting.ports import ReportMailer, ReportQueue
    from complaints.reporting.quarterly_reports import QuarterlyReports
    from complaints.tracking.links import KeyRing

# Without BANK_NAME_ZH, Chinese messages use BANK_NAME, unless that is still the placeholder default.
_DEFAULT_BANK_NAME = "complaint-guard bank"
_DEFAULT_BANK_NAME_ZH = "某银行"


def complaint_repository(
    settings: LifecycleSettings, dynamodb: Any, page_keys: KeyRing | None = None
) -> DynamoDbComplaintRepository:
    """The complaints and their trail, one adapter a function's use cases share (its chain-head cache)."""
    from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository

    return DynamoDbComplaintRepository(
        settings.table_name, dynamodb, trail_table=settings.trail_table_name, page_keys=page_keys
    )


def complaint_service(
    settings: LifecycleSettings,
    dynamodb: Any,
    page_keys: KeyRing | None = None,
    repository: ComplaintRepository | None = None,
) -> ComplaintService:
    """The one path of every change: the complaints and trail tables and the SLA tracker (its events
    reach the bus through the trail: the publisher). `page_keys` sign the page tokens the api hands
    out (adapters/dynamodb/table.py, PageTokens)."""
    from complaints.adapters.stepfunctions import StepFunctionsTracker
    from complaints.intake.service import ComplaintService
    from complaints.privacy.retention import RetentionSchedule
    from complaints.sla.policies import use_seed_policy

    use_seed_policy(settings.seed_policy)
    return ComplaintService(
        repository or complaint_repository(settings, dynamodb, page_keys),
        tracker=StepFunctionsTracker(settings.sla_tracker_arn, client("stepfunctions")),
        default_policy=settings.sla_policy,
        retention=RetentionSchedule(complaint_days=settings.retention_complaint_days),
    )


def tracking_keys(settings: LinkSettings) -> SsmKeyRing:
    """The keys of customers' tracking links (adapters/parameters.py)."""
    from complaints.adapters.parameters import TRACKING_RING, SsmKeyRing

    return SsmKeyRing(settings.tracking_secret_parameter, TRACKING_RING, client("ssm"))


def report_keys(settings: LinkSettings) -> SsmKeyRing:
    """The keys of the report links, not those of tracking links (adapters/parameters.py)."""
    from complaints.adapters.parameters import REPORTS_RING, SsmKeyRing

    return SsmKeyRing(settings.tracking_secret_parameter, REPORTS_RING, client("ssm"))


def brand(settings: LinkSettings) -> Brand:
    from complaints.notifications.templates import Brand

    name_zh = settings.bank_name_zh
    if name_zh is None and settings.bank_name == _DEFAULT_BANK_NAME:
        name_zh = _DEFAULT_BANK_NAME_ZH
    return Brand(name=settings.bank_name, name_zh=name_zh)


def quarterly_reports(
    settings: ApiSettings | ReportBuilderSettings,
    dynamodb: Any,
    *,
    recipients: tuple[str, ...] = (),
    queue: ReportQueue | None = None,
    mailer: ReportMailer | None = None,
) -> QuarterlyReports:
    """Quarterly reports: the API asks for them and hands out their links (a queue, no mailer); the
    builder builds and e-mails them (a mailer, no queue)."""
    from complaints.adapters.dynamodb.history import DynamoDbComplaintHistory
    from complaints.adapters.dynamodb.report_records import DynamoDbReportRecords
    from complaints.adapters.eventbridge import EventBridgePublisher
    from complaints.adapters.s3 import S3ArtifactStore
    from complaints.reporting.page import render
    from complaints.reporting.quarterly_reports import QuarterlyReports, ReportSettings
    from complaints.reporting.signed_links import HmacLinkSigner

    return QuarterlyReports(
        DynamoDbComplaintHistory(settings.table_name, dynamodb),
        DynamoDbReportRecords(settings.table_name, dynamodb),
        # Signature version 4 explicitly: S3 refuses older presigned links to KMS-encrypted objects.
        S3ArtifactStore(settings.report_bucket, client("s3", signature_version="s3v4")),
        EventBridgePublisher(settings.event_bus_name, client("events")),
        HmacLinkSigner(report_keys(settings)),
        render,
        ReportSettings(
            timezone=settings.report_timezone,
            recipients=recipients,
            link_lifetime=timedelta(days=settings.report_link_days),
            public_base_url=settings.public_base_url,
            bank_name=settings.bank_name,
        ),
        queue=queue,
        mailer=mailer,
    )


def attachment_service(
    settings: AttachmentSettings, complaints: ComplaintService, link_check: LinkCheck
) -> AttachmentService:
    """Attachments: their bucket (presigned POSTs and GETs), the change path, whether a scanner runs."""
    from complaints.adapters.s3_attachments import S3AttachmentStore
    from complaints.attachments.service import AttachmentService

    # Signature version 4 explicitly (S3 refuses older presigned requests for KMS-encrypted objects), on
    # the regional virtual-hosted endpoint: a browser's POST must not meet the global endpoint's
    # redirect. Against an emulator's endpoint (AWS_ENDPOINT_URL: the local runtime), path style.
    style = "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"
    s3 = client("s3", signature_version="s3v4", s3={"addressing_style": style})
    return AttachmentService(
        complaints,
        S3AttachmentStore(settings.attachment_bucket, s3),
        scanned=settings.attachment_scanner != "none",
        link_check=link_check,
    )
