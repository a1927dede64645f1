"""The composition root: builds the service and its adapters once per Lambda instance, on first use,
so a cold start pays only for what the first request needs."""

from __future__ import annotations

from functools import cache
from typing import Any

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
