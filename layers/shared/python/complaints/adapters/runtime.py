"""The composition root: builds the service and its adapters once per Lambda instance, on first use,
so a cold start pays only for what the first request needs.

Modules are imported inside the function that builds their object, not at the top: the api function
imports this module at init, and boto3, Powertools idempotency and the adapters a route does not use
would otherwise be loaded by every cold start (docs/decisions.md, "Cold starts load what a route
needs"; `make bench` measures it).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from ..config import settings

if TYPE_CHECKING:
    from ..measures import Backlog
    from ..ports import EventPublisher, SlaTracker
    from ..report import Reports
    from ..reporting import Reporting
    from ..service import ComplaintService
    from ..sweep import SlaSweep
    from ..tracking import TrackingService
    from .dynamodb import DynamoDbSlaStore
    from .idempotency import IdempotentIntake
    from .notification_log import DynamoDbNotificationLog


def boto_config() -> Any:
    """Fail fast and let the caller retry: API Gateway gives a request 29 s, a Lambda instance is shared."""
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


def client(service: str, **config: Any) -> Any:
    """A boto3 client with `boto_config()`, merged with any `config` given (e.g. a signature version)."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=boto_config().merge(Config(**config)))


@cache
def dynamodb_client() -> Any:
    return client("dynamodb")


@cache
def store() -> DynamoDbSlaStore:
    from .dynamodb import DynamoDbSlaStore

    return DynamoDbSlaStore(settings().table_name, dynamodb_client())


@cache
def tracker() -> SlaTracker:
    from ..ports import NullTracker
    from .stepfunctions import StepFunctionsTracker

    arn = settings().sla_tracker_arn
    if not arn:
        return NullTracker()
    return StepFunctionsTracker(arn, client("stepfunctions"))


@cache
def publisher() -> EventPublisher:
    from ..ports import RecordingPublisher
    from .eventbridge import EventBridgePublisher

    bus = settings().event_bus_name
    if not bus:
        return RecordingPublisher()
    return EventBridgePublisher(bus, client("events"))


@cache
def complaint_service() -> ComplaintService:
    from ..service import ComplaintService

    return ComplaintService(
        store(), default_policy=settings().sla_policy, tracker=tracker(), events=publisher()
    )


@cache
def sla_sweep() -> SlaSweep:
    from ..sweep import SlaSweep

    return SlaSweep(complaint_service(), store(), tracker())


@cache
def backlog() -> Backlog:
    from ..measures import Backlog

    return Backlog(store())


@cache
def idempotent_intake() -> IdempotentIntake:
    from .idempotency import IdempotentIntake

    config = settings()
    if not config.idempotency_table_name:
        raise RuntimeError("IDEMPOTENCY_TABLE_NAME is not set for this function")
    return IdempotentIntake(config.idempotency_table_name, config.idempotency_ttl_seconds, dynamodb_client())


@cache
def notification_log() -> DynamoDbNotificationLog:
    from .notification_log import DynamoDbNotificationLog

    return DynamoDbNotificationLog(settings().table_name, dynamodb_client())


@cache
def tracking() -> TrackingService:
    from ..tracking import TrackingService
    from .secrets import secret_provider

    return TrackingService(complaint_service(), store(), secret_provider())


@cache
def reporting() -> Reporting:
    from ..reporting import Reporting

    return Reporting(store())


@cache
def reports() -> Reports:
    from ..report import HmacLinkSigner, Reports, ReportSettings
    from ..report_page import render
    from .reports import DynamoDbReportRecords, S3ArtifactStore, SesReportMailer, SqsReportQueue
    from .secrets import secret_provider
    from .ses import SesEmailSender

    config = settings()
    if not config.report_bucket:
        raise RuntimeError("REPORT_BUCKET is not set for this function")
    mailer = (
        SesReportMailer(SesEmailSender(config.sender_email, client("sesv2"))) if config.sender_email else None
    )
    queue = SqsReportQueue(config.report_queue_url, client("sqs")) if config.report_queue_url else None
    return Reports(
        store(),
        DynamoDbReportRecords(config.table_name, dynamodb_client()),
        # Signature version 4 explicitly: S3 refuses older presigned links to KMS-encrypted objects.
        S3ArtifactStore(
            config.report_bucket,
            client("s3", signature_version="s3v4"),
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
