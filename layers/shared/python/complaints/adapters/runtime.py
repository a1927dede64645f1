"""The composition root: builds the service and its adapters once per Lambda instance, on first use,
so a cold start pays only for what the first request needs."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from ..config import settings
from ..service import ComplaintService
from .dynamodb import DynamoDbComplaintRepository
from .idempotency import IdempotentIntake

# Fail fast and let the caller retry: API Gateway gives a request 29 s, a Lambda instance is shared.
_BOTO_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=_BOTO_CONFIG)


@cache
def complaint_service() -> ComplaintService:
    config = settings()
    repository = DynamoDbComplaintRepository(config.table_name, dynamodb_client())
    return ComplaintService(repository, default_policy=config.sla_policy)


@cache
def idempotent_intake() -> IdempotentIntake:
    config = settings()
    return IdempotentIntake(config.idempotency_table_name, config.idempotency_ttl_seconds, dynamodb_client())
