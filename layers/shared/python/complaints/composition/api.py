"""The api function's composition root: its settings (validated at cold start, in app.py) and, built
once per instance on first use, what its routes call."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from complaints.adapters.aws import client
from complaints.composition import parts
from complaints.composition.settings import ApiSettings

if TYPE_CHECKING:
    from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog
    from complaints.adapters.idempotency import IdempotentIntake
    from complaints.intake.service import ComplaintService
    from complaints.reporting.kpi_service import KpiService
    from complaints.reporting.quarterly_reports import QuarterlyReports
    from complaints.sla.accountability import AccountabilityReviews
    from complaints.tracking.service import TrackingService


@cache
def settings() -> ApiSettings:
    return ApiSettings.from_environment()


@cache
def dynamodb() -> Any:
    return client("dynamodb")


@cache
def complaint_service() -> ComplaintService:
    return parts.complaint_service(settings(), dynamodb())


@cache
def idempotent_intake() -> IdempotentIntake:
    from complaints.adapters.idempotency import IdempotentIntake

    config = settings()
    return IdempotentIntake(config.idempotency_table_name, config.idempotency_ttl_seconds, dynamodb())


@cache
def notification_log() -> DynamoDbNotificationLog:
    from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog

    return DynamoDbNotificationLog(settings().table_name, dynamodb())


@cache
def tracking_service() -> TrackingService:
    from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
    from complaints.tracking.service import TrackingService

    repository = DynamoDbComplaintRepository(settings().table_name, dynamodb())
    return TrackingService(complaint_service(), repository, parts.tracking_keys(settings()))


@cache
def accountability_reviews() -> AccountabilityReviews:
    from complaints.adapters.dynamodb.accountability import DynamoDbAccountabilityStore
    from complaints.sla.accountability import AccountabilityReviews

    return AccountabilityReviews(DynamoDbAccountabilityStore(settings().table_name, dynamodb()))


@cache
def kpi_service() -> KpiService:
    from complaints.adapters.dynamodb.history import DynamoDbComplaintHistory
    from complaints.reporting.kpi_service import KpiService

    return KpiService(DynamoDbComplaintHistory(settings().table_name, dynamodb()))


@cache
def quarterly_reports() -> QuarterlyReports:
    from complaints.adapters.sqs import SqsReportQueue

    config = settings()
    return parts.quarterly_reports(
        config, dynamodb(), queue=SqsReportQueue(config.report_queue_url, client("sqs"))
    )
