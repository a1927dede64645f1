"""moto-backed fixtures: the complaint table (with the adapter's GSIs) and the idempotency table.

Each test gets a fresh in-process `mock_aws` context and fresh cached clients/settings, so nothing
leaks from one test to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from api_events import Call, api_caller, handler_module
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME, moto_backend

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield from moto_backend(monkeypatch)


@pytest.fixture
def dynamodb(aws: Any) -> Any:
    """A client on the moto backend of this test, for set-up and for looking behind the adapter."""
    return aws


@pytest.fixture
def repository(dynamodb: Any) -> DynamoDbComplaintRepository:
    return DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME)


@pytest.fixture
def table_keys(dynamodb: Any) -> Callable[[], set[tuple[str, str]]]:
    """(pk, sk) of every item in the complaint table, and ("trail", "<complaintId>#<version>") of every
    audit event in the trail table (tests only: the adapters never scan)."""

    def scan(table: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": table}
        while True:
            page = dynamodb.scan(**kwargs)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def keys() -> set[tuple[str, str]]:
        found = {(item["pk"]["S"], item["sk"]["S"]) for item in scan(TABLE_NAME)}
        trail = {
            ("trail", f"{item['complaintId']['S']}#{item['version']['N']}") for item in scan(TRAIL_TABLE_NAME)
        }
        return found | trail

    return keys


@pytest.fixture
def app_module(aws: Any) -> ModuleType:
    """The api function's handler module, on this test's moto backend."""
    return handler_module("api.app")


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    """Whose token `call` presents when a test names none: a channel app (a module may override it)."""
    return {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"}


@pytest.fixture
def call(app_module: ModuleType, caller_claims: dict[str, Any]) -> Call:
    """One request through the api function as API Gateway hands it over."""
    return api_caller(app_module, caller_claims)
