"""The composition root: builds the service and its adapters once per Lambda instance, on first use,
so a cold start pays only for what the first request needs.

Modules are imported inside the function that builds their object, not at the top: the api function
imports this module at init, and boto3, Powertools idempotency and the adapters a route does not use
would otherwise be loaded by every cold start (docs/decisions.md, "Cold starts load what a route
needs"; `make bench` measures it).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ..config import settings

if TYPE_CHECKING:
    from ..ports import EventPublisher, SlaTracker
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


def client(service: str) -> Any:
    import boto3

    return boto3.client(service, config=boto_config())


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
