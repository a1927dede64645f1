"""moto-backed fixtures: the complaint table (with the adapter's GSIs) and the idempotency table.

Each test gets a fresh in-process `mock_aws` context and fresh cached clients/settings, so nothing
leaks from one test to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto_tables import ENVIRONMENT, REGION, TABLE_NAME, create_tables

from complaints import config
from complaints.adapters import runtime
from complaints.adapters.dynamodb import DynamoDbComplaintRepository


def _clear_caches() -> None:
    config.settings.cache_clear()
    runtime.dynamodb_client.cache_clear()
    runtime.complaint_service.cache_clear()
    runtime.idempotent_intake.cache_clear()
    runtime.store.cache_clear()
    runtime.tracker.cache_clear()
    runtime.publisher.cache_clear()
    runtime.sla_sweep.cache_clear()
    runtime.backlog.cache_clear()
    runtime.notification_log.cache_clear()
    runtime.tracking.cache_clear()
    runtime.reporting.cache_clear()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("SLA_POLICY", raising=False)
    _clear_caches()
    # Keeping boto3's default session between contexts keeps its parsed service models (a new session
    # per test would re-read them); each test still gets new clients and a fresh moto backend.
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        client = boto3.client("dynamodb", region_name=REGION)
        create_tables(client)
        yield client
    _clear_caches()


@pytest.fixture
def dynamodb(aws: Any) -> Any:
    """A client on the moto backend of this test, for set-up and for looking behind the adapter."""
    return aws


@pytest.fixture
def repository(dynamodb: Any) -> DynamoDbComplaintRepository:
    return DynamoDbComplaintRepository(TABLE_NAME, dynamodb)


@pytest.fixture
def table_keys(dynamodb: Any) -> Callable[[], set[tuple[str, str]]]:
    """(pk, sk) of every item in the complaint table (tests only: the adapter never scans)."""

    def keys() -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        kwargs: dict[str, Any] = {"TableName": TABLE_NAME}
        while True:
            page = dynamodb.scan(**kwargs)
            found |= {(item["pk"]["S"], item["sk"]["S"]) for item in page["Items"]}
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    return keys
