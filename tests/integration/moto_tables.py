"""The moto tables and environment the integration tests share (imported by name; a module called
`conftest` would be ambiguous when several test folders run in one session)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from complaints import config
from complaints.adapters import runtime
from complaints.adapters.dynamodb import TABLE_INDEXES

TABLE_NAME = "complaints-test"
IDEMPOTENCY_TABLE_NAME = "idempotency-test"
REGION = "eu-west-2"

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "TABLE_NAME": TABLE_NAME,
    "IDEMPOTENCY_TABLE_NAME": IDEMPOTENCY_TABLE_NAME,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "complaint-guard-test",
    "POWERTOOLS_METRICS_NAMESPACE": "ComplaintGuardTest",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


def create_tables(client: Any) -> None:
    string = "S"
    client.create_table(
        TableName=TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": string}
            for name in sorted({"pk", "sk"} | {key for _, pk, sk in TABLE_INDEXES for key in (pk, sk)})
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": name,
                "KeySchema": [
                    {"AttributeName": partition, "KeyType": "HASH"},
                    {"AttributeName": sort, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name, partition, sort in TABLE_INDEXES
        ],
    )
    client.create_table(
        TableName=IDEMPOTENCY_TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": string}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )


def _clear_caches() -> None:
    """Forget every cached setting, client and service, so each test composes them anew."""
    config.settings.cache_clear()
    for composed in vars(runtime).values():
        if callable(getattr(composed, "cache_clear", None)):
            composed.cache_clear()


def moto_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The body of the `aws` fixtures (integration and reliability): the environment, fresh caches,
    a fresh `mock_aws` backend with both tables; yields a DynamoDB client on it."""
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
