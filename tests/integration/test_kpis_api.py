"""GET /v1/kpis through the API handler on moto: the period's complaints read month by month through
the byMonth index, figures checked against counts worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from api_events import LambdaContext, api_event, handler_module
from fakes import DynamoDbSlaStore, FakeTracker, RecordingPublisher
from moto_tables import TABLE_NAME

from complaints.core.auth import caller_from_claims
from complaints.intake.commands import IntakeRequest, OptionalReasonRequest, ResolveRequest, ResponseRequest
from complaints.intake.service import ComplaintService

STAFF_SCOPE = "complaint-guard/staff"
MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": STAFF_SCOPE}
AGENT = {"cognito:groups": "[agent]", "username": "agent-7", "scope": STAFF_SCOPE}
APP = caller_from_claims({"client_id": "counter", "scope": "complaint-guard/complaints.submit"})
STAFF = caller_from_claims(AGENT)


@pytest.fixture
def app_module(aws: Any) -> ModuleType:
    return handler_module("api.app")


def get(app_module: ModuleType, query: dict[str, str], claims: dict[str, Any] = MANAGER) -> tuple[int, Any]:
    response = app_module.handler(api_event("GET", "/v1/kpis", None, claims, query=query), LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def submit(service: ComplaintService, received: datetime, channel: str) -> str:
    body = {
        "channel": channel,
        "customer": {"customerId": f"C-{received:%d%H}", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice.",
        "receivedAt": received.isoformat(),
    }
    return service.intake(IntakeRequest.model_validate(body), APP).id


def test_kpis_of_a_period_spanning_two_months(aws: Any, app_module: ModuleType) -> None:
    service = ComplaintService(DynamoDbSlaStore(TABLE_NAME, aws), FakeTracker(), RecordingPublisher())
    now = datetime.now(UTC).replace(microsecond=0)
    start = (now - timedelta(days=20)).replace(hour=0, minute=0, second=0)
    # Four complaints in the period, one before it (all received at most 30 days ago).
    answered_fast = submit(service, start + timedelta(days=1), "hotline")  # answered at once: on time
    closed = submit(service, start + timedelta(days=2), "counter")  # answered, resolved, closed
    submit(service, start + timedelta(days=3), "hotline")  # never answered, deadline long past
    submit(service, start + timedelta(days=4), "mobile_app")  # never answered, deadline long past
    submit(service, start - timedelta(days=1), "hotline")  # before the period: not counted
    service.respond(answered_fast, ResponseRequest(message="We are on it."), STAFF)
    service.respond(closed, ResponseRequest(message="Refunded."), STAFF)
    service.resolve(
        closed, ResolveRequest(outcome="upheld", summary="Refunded.", root_cause="double posting"), STAFF
    )
    service.close(closed, OptionalReasonRequest(), STAFF)

    status, report = get(
        app_module, {"from": start.isoformat(), "to": (start + timedelta(days=10)).isoformat()}
    )
    assert status == 200, report
    # 4 received. First responses: the two answers came days after receipt, so both were late
    # against the seed's 24 h (received 16–19 days ago, answered now): 0 on time of 4 counted.
    assert report["received"] == 4
    assert report["firstResponseOnTimeRate"] == 0.0
    assert report["closureRate"] == 0.25  # 1 closed of 4
    assert report["resolutionRate"] == 0.25  # the closed one
    assert report["satisfactionRate"] is None  # nobody rated
    assert report["byChannel"]["hotline"] == 2 and report["byChannel"]["counter"] == 1
    assert report["byChannel"]["mobile_app"] == 1
    assert report["met"]["closureRate"] is False


def test_only_managers_read_kpis_and_the_period_must_make_sense(aws: Any, app_module: ModuleType) -> None:
    period = {"from": "2026-01-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
    assert get(app_module, period, AGENT)[0] == 403
    status, error = get(app_module, {"from": "2026-04-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"})
    assert status == 400 and error["details"][0]["field"] == "to"
    status, error = get(app_module, {"from": "1056-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"})
    assert status == 400 and error["details"][0]["field"] == "to"  # a year at most, not 970
    for moment in ("yesterday", "0.5", "1767225600"):  # not Unix time either
        status, error = get(app_module, {"from": moment, "to": "2026-01-01T00:00:00Z"})
        assert status == 400 and error["details"][0]["field"] == "from"
    status, empty = get(app_module, period)
    assert status == 200 and empty["received"] == 0 and empty["closureRate"] is None
