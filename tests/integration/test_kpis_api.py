"""GET /v1/kpis through the API handler on moto: the period's complaints read month by month through
the byMonth index, figures checked against counts worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from api_events import LambdaContext, api_event
from fakes import DynamoDbSlaStore, FakeClock, FakeTracker
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME

from complaints.core.auth import caller_from_claims
from complaints.core.models import ReceivedVia
from complaints.intake.commands import (
    CloseRequest,
    IntakeRequest,
    ResolveRequest,
    ResponseRequest,
    UpdateRequest,
    WithdrawRequest,
)
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
    service = ComplaintService(store, FakeTracker(), clock=clock)
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
    service.close(closed, CloseRequest(received_via=ReceivedVia.PHONE, received_at=clock.now), STAFF)

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


SUPERVISOR_CARDS = {"cognito:groups": "[supervisor team:cards]", "username": "sup-1", "scope": STAFF_SCOPE}
# An agent of the intake queue and of both teams, so one caller can triage and then work each complaint.
WORKER = caller_from_claims(
    {
        "cognito:groups": "[agent team:intake team:cards team:loans]",
        "username": "agent-9",
        "scope": STAFF_SCOPE,
    }
)


def test_kpis_per_handler_and_team_for_managers_and_a_supervisors_own_teams(
    aws: Any, app_module: ModuleType
) -> None:
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    store = DynamoDbSlaStore(TABLE_NAME, aws, trail_table=TRAIL_TABLE_NAME)
    service = ComplaintService(store, FakeTracker(), clock=clock)
    done = ResolveRequest(outcome="upheld", summary="Refunded.", root_cause="double posting")
    # A (li.na, cards): answered after 1 h, resolved after 3 h: on time against 24 h and 48 h.
    a = submit(service, clock, datetime(2026, 1, 29, 9, tzinfo=UTC), "hotline")
    service.update(a, UpdateRequest(assignee="li.na", team="cards"), WORKER)
    clock.now = datetime(2026, 1, 29, 10, tzinfo=UTC)
    service.respond(a, ResponseRequest(message="We are on it."), WORKER)
    clock.now = datetime(2026, 1, 29, 12, tzinfo=UTC)
    service.resolve(a, done, WORKER)
    # B (wang.wei, cards): answered and resolved three days after receipt: late on both deadlines.
    b = submit(service, clock, datetime(2026, 1, 30, 9, tzinfo=UTC), "counter")
    service.update(b, UpdateRequest(assignee="wang.wei", team="cards"), WORKER)
    clock.now = datetime(2026, 2, 2, 9, tzinfo=UTC)
    service.respond(b, ResponseRequest(message="Refunded."), WORKER)
    service.resolve(b, done, WORKER)
    # C (zhao.lei, loans): never answered; both deadlines long past when the figures are taken (now).
    c = submit(service, clock, datetime(2026, 2, 2, 9, tzinfo=UTC), "hotline")
    service.update(c, UpdateRequest(assignee="zhao.lei", team="loans"), WORKER)
    # D (no handler, intake queue): withdrawn unanswered after 1 h, before its first-response deadline.
    d = submit(service, clock, datetime(2026, 2, 3, 9, tzinfo=UTC), "mobile_app")
    clock.now = datetime(2026, 2, 3, 10, tzinfo=UTC)
    withdrawal = WithdrawRequest(received_via="phone", received_at=clock.now)  # type: ignore[arg-type]
    service.withdraw(d, withdrawal, WORKER)
    period = {"from": "2026-01-28T00:00:00Z", "to": "2026-02-05T00:00:00Z"}

    status, by_handler = get(app_module, period | {"groupBy": "assignee"})
    assert status == 200, by_handler
    assert by_handler["groupBy"] == "assignee" and by_handler["scope"] is None
    handlers = {group["name"]: group for group in by_handler["groups"]}
    assert list(handlers) == ["li.na", "unassigned", "wang.wei", "zhao.lei"]
    figures = (
        "handled",
        "firstResponsesOnTime",
        "firstResponsesCounted",
        "resolutionsOnTime",
        "resolutionsCounted",
    )
    assert [handlers["li.na"][f] for f in figures] == [1, 1, 1, 1, 1]
    assert [handlers["wang.wei"][f] for f in figures] == [1, 0, 1, 0, 1]
    assert [handlers["zhao.lei"][f] for f in figures] == [1, 0, 1, 0, 1]
    assert [handlers["unassigned"][f] for f in figures] == [1, 0, 0, 0, 0]  # D: outside both rates
    assert handlers["unassigned"]["withdrawn"] == 1 and handlers["unassigned"]["teams"] == ["intake"]
    assert handlers["li.na"]["medianHandlingHours"] == 3 and handlers["wang.wei"]["medianHandlingHours"] == 72

    status, by_team = get(app_module, period | {"groupBy": "team"})
    assert status == 200, by_team
    teams = {group["name"]: group for group in by_team["groups"]}
    # cards: A on time, B late -> 1/2 on both deadlines; loans: C; intake: D
    assert [teams["cards"][f] for f in figures] == [2, 1, 2, 1, 2]
    assert (teams["loans"]["handled"], teams["intake"]["handled"], teams["intake"]["withdrawn"]) == (1, 1, 1)

    # a supervisor of cards sees cards' handlers only; an agent, compliance, a supervisor with no team
    # and a supervisor asking for the bank-wide figures are refused
    status, scoped = get(app_module, period | {"groupBy": "assignee"}, SUPERVISOR_CARDS)
    assert status == 200, scoped
    assert scoped["scope"] == ["cards"] and [g["name"] for g in scoped["groups"]] == ["li.na", "wang.wei"]
    refused = [
        (period | {"groupBy": "team"}, AGENT),
        (
            period | {"groupBy": "team"},
            {"cognito:groups": "[compliance]", "username": "c-1", "scope": STAFF_SCOPE},
        ),
        (
            period | {"groupBy": "team"},
            {"cognito:groups": "[supervisor]", "username": "s-2", "scope": STAFF_SCOPE},
        ),
        (period, SUPERVISOR_CARDS),
    ]
    for query, claims in refused:
        status, error = get(app_module, query, claims)
        assert status == 403 and error["error"] == "forbidden", (claims, error)
    status, error = get(app_module, period | {"groupBy": "customer"})
    assert status == 400 and error["details"][0]["field"] == "groupBy"

    # bank-wide, D is counted as withdrawn and shown outside the on-time rate
    status, report = get(app_module, period)
    assert (report["withdrawn"], report["withdrawnLate"], report["withdrawnBeforeDue"]) == (1, 0, 1)
    assert (report["firstResponsesOnTime"], report["firstResponsesCounted"]) == (1, 3)
