"""The composition root: builds the service and its adapters once per Lambda instance, on first use,
so a cold start pays only for what the first request needs."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

from ..config import settings
from ..measures import Backlog
from ..ports import EventPublisher, NullTracker, RecordingPublisher, SlaTracker
from ..reporting import Reporting
from ..service import ComplaintService
from ..sweep import SlaSweep
from ..tracking import TrackingService
from .dynamodb import DynamoDbSlaStore
from .eventbridge import EventBridgePublisher
from .idempotency import IdempotentIntake
from .notification_log import DynamoDbNotificationLog
from .secrets import secret_provider
from .stepfunctions import StepFunctionsTracker

if TYPE_CHECKING:
    from ..report import Reports

# Fail fast and let the caller retry: API Gateway gives a request 29 s, a Lambda instance is shared.
_BOTO_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=_BOTO_CONFIG)


@cache
def store() -> DynamoDbSlaStore:
    return DynamoDbSlaStore(settings().table_name, dynamodb_client())


@cache
def tracker() -> SlaTracker:
    arn = settings().sla_tracker_arn
    if not arn:
        return NullTracker()
    return StepFunctionsTracker(arn, boto3.client("stepfunctions", config=_BOTO_CONFIG))


@cache
def publisher() -> EventPublisher:
    bus = settings().event_bus_name
    if not bus:
        return RecordingPublisher()
    return EventBridgePublisher(bus, boto3.client("events", config=_BOTO_CONFIG))


@cache
def complaint_service() -> ComplaintService:
    return ComplaintService(
        store(), default_policy=settings().sla_policy, tracker=tracker(), events=publisher()
    )


@cache
def sla_sweep() -> SlaSweep:
    return SlaSweep(complaint_service(), store(), tracker())


@cache
def backlog() -> Backlog:
    return Backlog(store())


@cache
def idempotent_intake() -> IdempotentIntake:
    config = settings()
    if not config.idempotency_table_name:
        raise RuntimeError("IDEMPOTENCY_TABLE_NAME is not set for this function")
    return IdempotentIntake(config.idempotency_table_name, config.idempotency_ttl_seconds, dynamodb_client())


@cache
def notification_log() -> DynamoDbNotificationLog:
    return DynamoDbNotificationLog(settings().table_name, dynamodb_client())


@cache
def tracking() -> TrackingService:
    return TrackingService(complaint_service(), store(), secret_provider())


@cache
def reporting() -> Reporting:
    return Reporting(store())


@cache
def reports() -> Reports:
    from ..report import HmacLinkSigner, Reports, ReportSettings
    from ..report_page import render
    from .reports import DynamoDbReportRecords, S3ArtifactStore, SesReportMailer, SqsReportQueue
    from .ses import SesEmailSender

    config = settings()
    if not config.report_bucket:
        raise RuntimeError("REPORT_BUCKET is not set for this function")
    mailer = (
        SesReportMailer(SesEmailSender(config.sender_email, boto3.client("sesv2", config=_BOTO_CONFIG)))
        if config.sender_email
        else None
    )
    queue = (
        SqsReportQueue(config.report_queue_url, boto3.client("sqs", config=_BOTO_CONFIG))
        if config.report_queue_url
        else None
    )
    return Reports(
        store(),
        DynamoDbReportRecords(config.table_name, dynamodb_client()),
        # Signature version 4 explicitly: S3 refuses older presigned links to KMS-encrypted objects.
        S3ArtifactStore(
            config.report_bucket,
            boto3.client("s3", config=_BOTO_CONFIG.merge(Config(signature_version="s3v4"))),
        ),
        publisher(),
        HmacLinkSigner(secret_provider()),
        render,
        ReportSettings(
            timezone=config.report_timezone,
            recipients=tuple(
                address.strip() for address in config.report_recipients.split(",") if address.strip()
            ),
            link_lifetime=timedelta(days=config.report_link_days),
            public_base_url=config.public_base_url or "",
            bank_name=config.bank_name,
        ),
        queue=queue,
        mailer=mailer,
    )
