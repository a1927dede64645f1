"""GET /v1/kpis through the API handler on moto: the period's complaints read month by month through
the byMonth index, figures checked against counts worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from api_events import LambdaContext, api_event
from fakes import DynamoDbSlaStore, FakeClock, FakeTracker, RecordingPublisher
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME

from complaints.core.auth import caller_from_claims
from complaints.intake.commands import IntakeRequest, OptionalReasonRequest, ResolveRequest, ResponseRequest
from complaints.intake.service import ComplaintService

STAFF_SCOPE = "complaint-guard/staff"
MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": STAFF_SCOPE}
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF_SCOPE}
APP = caller_from_claims({"client_id": "counter", "scope": "complaint-guard/complaints.submit"})
STAFF = caller_from_claims(AGENT)


def get(app_module: ModuleType, query: dict[str, str], claims: dict[str, Any] = MANAGER) -> tuple[int, Any]:
    response = app_module.handler(api_event("GET", "/v1/kpis", None, claims, query=query), LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def submit(service: ComplaintService, clock: FakeClock, received: datetime, channel: str) -> str:
    """Intake at `received` by the service's clock (no receivedAt: the complaint is received "now")."""
    clock.now = received
    body = {
        "channel": channel,
        "customer": {"customerId": f"C-{received:%d%H}", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice.",
    }
    return service.intake(IntakeRequest.model_validate(body), APP).id


def test_kpis_of_a_period_spanning_two_months(aws: Any, app_module: ModuleType) -> None:
    # The period straddles the January/February boundary whatever today is: the complaints are taken in
    # on a clock set by hand (a receivedAt of the request may be at most 30 days old, so a period
    # relative to today would straddle a month boundary only on some days). The report is taken now,
    # long after every deadline here.
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    store = DynamoDbSlaStore(TABLE_NAME, aws, trail_table=TRAIL_TABLE_NAME)
    service = ComplaintService(store, FakeTracker(), RecordingPublisher(), clock=clock)
    start, end = datetime(2026, 1, 28, tzinfo=UTC), datetime(2026, 2, 5, tzinfo=UTC)
    # Four complaints in the period, two in each month, and one before it.
    answered_fast = submit(service, clock, datetime(2026, 1, 29, 9, tzinfo=UTC), "hotline")
    closed = submit(service, clock, datetime(2026, 1, 30, 9, tzinfo=UTC), "counter")
    submit(service, clock, datetime(2026, 2, 2, 9, tzinfo=UTC), "hotline")  # never answered
    submit(service, clock, datetime(2026, 2, 3, 9, tzinfo=UTC), "mobile_app")  # never answered
    submit(service, clock, datetime(2026, 1, 27, 9, tzinfo=UTC), "hotline")  # before the period
    clock.now = datetime(2026, 1, 29, 10, tzinfo=UTC)  # an hour after receipt: on time
    service.respond(answered_fast, ResponseRequest(message="We are on it."), STAFF)
    clock.now = datetime(2026, 2, 2, 9, tzinfo=UTC)  # three days after receipt: late against 24 h
    service.respond(closed, ResponseRequest(message="Refunded."), STAFF)
    service.resolve(
        closed, ResolveRequest(outcome="upheld", summary="Refunded.", root_cause="double posting"), STAFF
    )
    service.close(closed, OptionalReasonRequest(), STAFF)

    status, report = get(app_module, {"from": start.isoformat(), "to": end.isoformat()})
    assert status == 200, report
    # 4 received, 2 in January and 2 in February. First responses against the seed's 24 h: one answer
    # an hour after receipt (on time), one three days after (late), and two never answered whose
    # deadlines are long past: 1 on time of 4 counted.
    assert report["received"] == 4
    assert report["firstResponsesOnTime"] == 1 and report["firstResponsesCounted"] == 4
    assert report["firstResponseOnTimeRate"] == 0.25
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
