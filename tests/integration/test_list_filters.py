"""The list's filters (GET /v1/complaints) through the api handler on moto: each filter, their
combinations, paging under a filter (the token bound to the filters), the caller's team scope; and
what no filter can be is a 400 naming it (found by the contract fuzzing: a customerId with punctuation
was a 500)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_events import CUSTOMER, Call, Reply, intake_body, staff_claims
from fakes import InMemoryComplaintRepository
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.dynamodb.table import MAX_QUERIES_PER_PAGE
from complaints.core.models import (
    Actor,
    AuditEvent,
    ChurnRisk,
    Priority,
    RiskFlag,
    SentimentLabel,
    Status,
    Triage,
    TriageSentiment,
)
from complaints.intake.ports import ComplaintQuery

MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": "openid complaint-guard/staff"}


@pytest.mark.parametrize(("name", "value"), [("customerId", "o(\u00cb\uf49e\u00c5"), ("assignee", "li na")])
def test_a_filter_no_identifier_can_match_is_400_on_it(call: Any, name: str, value: str) -> None:
    reply = call("GET", "/v1/complaints", None, MANAGER, {name: value})
    assert reply.status == 400, reply.body
    assert reply.body["error"] == "validation_error"
    assert [detail["field"] for detail in reply.body["details"]] == [name]


def test_a_full_width_customer_id_is_folded_and_lists(call: Any) -> None:
    reply = call("GET", "/v1/complaints", None, MANAGER, {"customerId": "\uff23-1001"})  # Ｃ-1001
    assert reply.status == 200, reply.body


# --- team, priority, flag, dueBefore, unassigned -------------------------------------------------------
#
# One desk of six complaints, received ten minutes apart (a newest, f oldest), through the api handler
# on moto; triage's risk flags are written through the repository, as the triage step would:
#
# | id | priority | team   | assignee | state                        | next deadline       | flags        |
# |----|----------|--------|----------|------------------------------|---------------------|--------------|
# | a  | normal   | intake | -        | received                     | first response, 24h | -            |
# | b  | high     | cards  | -        | received                     | first response, 24h | fraud, vuln. |
# | c  | critical | cards  | agent-7  | received                     | first response, 4h  | -            |
# | d  | normal   | loans  | -        | answered                     | resolution, 48h     | fraud        |
# | e  | normal   | cards  | -        | answered, complex: owes plan | solution plan, 48h  | -            |
# | f  | normal   | loans  | -        | answered, resolved: not open | none                | fraud        |

COUNTER_APP = {"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"}


INTAKE_AGENT = staff_claims("agent-1", "agent team:intake")
CARDS_AGENT = staff_claims("agent-7", "agent team:cards")
LOANS_AGENT = staff_claims("agent-9", "agent team:loans")
CARDS_SUPERVISOR = staff_claims("sup-1", "supervisor team:cards")

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ok(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


class Desk:
    """The six complaints above, by letter, as the api last answered them."""

    def __init__(self, call: Call, repository: DynamoDbComplaintRepository) -> None:
        self.call = call
        self.repository = repository
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.by_id: dict[str, str] = {}
        self.bodies: dict[str, dict[str, Any]] = {}

    def submit(self, letter: str, minutes_ago: int, **overrides: Any) -> None:
        body = intake_body(receivedAt=iso(self.now - timedelta(minutes=minutes_ago)), **overrides)
        reply = self.call("POST", "/v1/complaints", body, COUNTER_APP)
        assert reply.status == 201, reply.body
        self.by_id[reply.body["id"]] = letter
        self.bodies[letter] = reply.body

    def act(
        self, letter: str, method: str, suffix: str, body: dict[str, Any], claims: dict[str, Any]
    ) -> None:
        path = f"/v1/complaints/{self.bodies[letter]['id']}{suffix}"
        self.bodies[letter] = ok(
            self.call(method, path, body | {"version": self.bodies[letter]["version"]}, claims)
        )

    def triage(self, letter: str, *flags: RiskFlag, suggested_team: str | None = None) -> None:
        """What the triage step would write: the complaint with its `triage`, through the repository."""
        stored = self.repository.get(self.bodies[letter]["id"])
        found = Triage(
            category=stored.category,
            product=stored.product,
            sentiment=TriageSentiment(label=SentimentLabel.NEGATIVE, score=-0.6),
            churn_risk=ChurnRisk.MEDIUM,
            risk_flags=list(flags),
            sensitive=False,
            suggested_team=suggested_team,
            model="test-triage 1",
            at=self.now,
        )
        changed = stored.model_copy(update={"triage": found, "version": stored.version + 1})
        actor = Actor(id="triage", roles=["system"])
        event = AuditEvent(
            id=uuid.uuid4().hex,
            complaint_id=stored.id,
            version=changed.version,
            action="triage",
            actor=actor,
            at=self.now,
        )
        self.repository.update(changed, event, stored.version)
        self.bodies[letter] = changed.model_dump(mode="json", by_alias=True)

    def deadline(self, letter: str, name: str) -> datetime:
        return parse(self.bodies[letter]["deadlines"][name])

    def listed(self, claims: dict[str, Any] = MANAGER, /, **query: str) -> list[str]:
        """Every page of the listing (following nextToken), as letters, in the order listed."""
        letters: list[str] = []
        token = None
        for _ in range(20):
            params = query | ({"nextToken": token} if token else {})
            page = ok(self.call("GET", "/v1/complaints", None, claims, params))
            letters += [self.by_id[item["id"]] for item in page["items"]]
            token = page.get("nextToken")
            if not token:
                return letters
        raise AssertionError("the listing did not end within 20 pages")


@pytest.fixture
def desk(call: Call, repository: DynamoDbComplaintRepository) -> Desk:
    desk = Desk(call, repository)
    desk.submit("a", 10)
    desk.submit("b", 20, priority="high")
    desk.submit("c", 30, priority="critical")
    desk.submit("d", 40)
    desk.submit("e", 50, complexity="complex")
    desk.submit("f", 60)
    desk.act("b", "PATCH", "", {"team": "cards"}, INTAKE_AGENT)
    desk.act("c", "PATCH", "", {"team": "cards"}, INTAKE_AGENT)
    desk.act("c", "PATCH", "", {"assignee": "agent-7"}, CARDS_AGENT)
    for letter, team in (("d", "loans"), ("e", "cards"), ("f", "loans")):
        desk.act(letter, "POST", "/responses", {"message": "We are looking into it."}, INTAKE_AGENT)
        desk.act(letter, "PATCH", "", {"team": team}, INTAKE_AGENT)
    resolution = {"outcome": "upheld", "summary": "Refunded.", "rootCause": "batch replay"}
    desk.act("f", "POST", "/resolve", resolution, LOANS_AGENT)
    desk.triage("b", RiskFlag.FRAUD, RiskFlag.VULNERABLE)
    desk.triage("d", RiskFlag.FRAUD)
    desk.triage("f", RiskFlag.FRAUD)
    assert {letter: body["status"] for letter, body in desk.bodies.items()} == {
        "a": "received",
        "b": "received",
        "c": "received",
        "d": "acknowledged",
        "e": "acknowledged",
        "f": "resolved",
    }
    return desk


def test_the_desk_lists_newest_received_first(desk: Desk) -> None:
    assert desk.listed() == ["a", "b", "c", "d", "e", "f"]


def test_team_lists_that_teams_complaints_and_intake_those_with_none(desk: Desk) -> None:
    cases = {"intake": ["a"], "cards": ["b", "c", "e"], "loans": ["d", "f"], "payments": []}
    assert {team: desk.listed(team=team) for team in cases} == cases


def test_priority(desk: Desk) -> None:
    cases = {"normal": ["a", "d", "e", "f"], "high": ["b"], "critical": ["c"]}
    assert {priority: desk.listed(priority=priority) for priority in cases} == cases


def test_flag_lists_the_complaints_whose_triage_found_it(desk: Desk) -> None:
    cases = {"fraud": ["b", "d", "f"], "vulnerable": ["b"], "media": []}
    assert {flag: desk.listed(flag=flag) for flag in cases} == cases


def test_several_flags_list_the_complaints_with_any_of_them(desk: Desk) -> None:
    cases = {
        "vulnerable,media": ["b"],
        "media,fraud": ["b", "d", "f"],
        "fraud, vulnerable,fraud": ["b", "d", "f"],  # each once, spaces around a name ignored
        "media,regulator": [],
    }
    assert {flags: desk.listed(flag=flags) for flags in cases} == cases


def test_due_before_is_the_next_unmet_deadline_of_open_complaints(desk: Desk) -> None:
    first_c = desk.deadline("c", "firstResponseDueAt")  # critical: 4 h
    assert first_c < min(desk.deadline(x, "firstResponseDueAt") for x in "abdef")
    # strictly before
    assert desk.listed(dueBefore=iso(first_c)) == []
    assert desk.listed(dueBefore=iso(first_c + timedelta(seconds=1))) == ["c"]

    # A day and a bit on: every unanswered complaint's first response is due, not the answered ones'
    # (d and e answered; f's first-response deadline passed too, but it is resolved).
    day = desk.now + timedelta(hours=30)
    assert desk.deadline("f", "firstResponseDueAt") < day
    assert desk.deadline("d", "resolutionDueAt") > day
    assert desk.deadline("e", "solutionPlanDueAt") > day
    assert desk.listed(dueBefore=iso(day)) == ["a", "b", "c"]

    # Just after d's resolution deadline: d by its resolution, e by the solution plan it owes (its own
    # resolution deadline is 15 days away); f, resolved, never.
    after_d = desk.deadline("d", "resolutionDueAt") + timedelta(seconds=1)
    assert desk.deadline("e", "solutionPlanDueAt") < after_d < desk.deadline("e", "resolutionDueAt")
    assert desk.deadline("f", "resolutionDueAt") < after_d
    assert desk.listed(dueBefore=iso(after_d)) == ["a", "b", "c", "d", "e"]


def test_due_before_follows_the_solution_plan_once_given(desk: Desk) -> None:
    plan_due = desk.deadline("e", "solutionPlanDueAt")
    cutoff = iso(plan_due + timedelta(seconds=1))
    assert "e" in desk.listed(dueBefore=cutoff)
    resolve_by = desk.now + timedelta(days=6)
    desk.act(
        "e",
        "POST",
        "/solution-plan",
        {"plan": "Chargeback via the card scheme.", "resolveBy": iso(resolve_by)},
        CARDS_AGENT,
    )
    # Plan given: its next deadline is the resolution (the plan's date), days away.
    assert desk.deadline("e", "resolutionDueAt") > plan_due
    assert "e" not in desk.listed(dueBefore=cutoff)
    assert "e" in desk.listed(dueBefore=iso(desk.deadline("e", "resolutionDueAt") + timedelta(seconds=1)))


def test_unassigned_lists_open_complaints_nobody_is_assigned(desk: Desk) -> None:
    # c is agent-7's; f is resolved
    assert desk.listed(unassigned="true") == ["a", "b", "d", "e"]
    # false filters nothing
    assert desk.listed(unassigned="false") == ["a", "b", "c", "d", "e", "f"]
    desk.act("b", "PATCH", "", {"assignee": "agent-7"}, CARDS_AGENT)
    assert desk.listed(unassigned="true") == ["a", "d", "e"]


# Each case is checked on one desk: the listings only read it, and a desk costs two seconds of moto.
FILTER_COMBINATIONS: list[tuple[dict[str, str], list[str]]] = [
    ({"team": "cards", "priority": "critical"}, ["c"]),
    ({"team": "cards", "unassigned": "true"}, ["b", "e"]),
    ({"team": "loans", "flag": "fraud", "unassigned": "true"}, ["d"]),
    ({"flag": "fraud", "priority": "high"}, ["b"]),
    ({"assignee": "agent-7", "priority": "critical"}, ["c"]),  # byAssignee, priority filtered
    ({"assignee": "agent-7", "team": "loans"}, []),
    ({"status": "acknowledged", "team": "cards"}, ["e"]),  # byStatus, team filtered
    ({"status": "received", "unassigned": "true", "priority": "normal"}, ["a"]),
    ({"category": "product", "team": "loans"}, ["d", "f"]),
    ({"channel": "mobile_app", "flag": "vulnerable", "team": "cards"}, ["b"]),
    ({"customerId": CUSTOMER["customerId"], "team": "intake"}, ["a"]),
]


def test_filters_combine(desk: Desk) -> None:
    for query, expected in FILTER_COMBINATIONS:
        assert desk.listed(**query) == expected, query


def test_due_before_combines_with_team_and_unassigned(desk: Desk) -> None:
    day = iso(desk.now + timedelta(hours=30))
    assert desk.listed(dueBefore=day, team="cards") == ["b", "c"]
    assert desk.listed(dueBefore=day, team="cards", unassigned="true") == ["b"]


def test_a_filtered_listing_pages_and_its_token_is_bound_to_the_filters(desk: Desk) -> None:
    first = ok(desk.call("GET", "/v1/complaints", None, MANAGER, {"team": "cards", "limit": "1"}))
    assert [desk.by_id[item["id"]] for item in first["items"]] == ["b"]
    token = first["nextToken"]
    assert token
    second = ok(
        desk.call("GET", "/v1/complaints", None, MANAGER, {"team": "cards", "limit": "1", "nextToken": token})
    )
    assert [desk.by_id[item["id"]] for item in second["items"]] == ["c"]
    # the whole listing one by one: each once, in order
    assert desk.listed(team="cards", limit="1") == ["b", "c", "e"]
    assert desk.listed(flag="fraud", limit="2") == ["b", "d", "f"]

    for other in (
        {"team": "loans"},
        {"team": "cards", "priority": "high"},
        {"team": "cards", "unassigned": "true"},
        {},
    ):
        reply = desk.call("GET", "/v1/complaints", None, MANAGER, other | {"limit": "1", "nextToken": token})
        assert reply.status == 400, (other, reply.body)
        assert [detail["field"] for detail in reply.body["details"]] == ["nextToken"]
    # the same filters with another page size: the token still works
    again = ok(
        desk.call("GET", "/v1/complaints", None, MANAGER, {"team": "cards", "limit": "5", "nextToken": token})
    )
    assert [desk.by_id[item["id"]] for item in again["items"]] == ["c", "e"]


def test_agents_and_supervisors_filter_within_their_teams(desk: Desk) -> None:
    assert desk.listed(CARDS_AGENT) == ["b", "c", "e"]
    assert desk.listed(CARDS_AGENT, team="cards") == ["b", "c", "e"]
    assert desk.listed(CARDS_AGENT, unassigned="true") == ["b", "e"]
    assert desk.listed(CARDS_AGENT, flag="fraud") == ["b"]
    assert desk.listed(CARDS_SUPERVISOR, priority="critical") == ["c"]
    assert desk.listed(INTAKE_AGENT, team="intake") == ["a"]
    assert desk.listed(LOANS_AGENT, flag="fraud", dueBefore=iso(desk.now + timedelta(days=30))) == ["d"]


@pytest.mark.parametrize(
    ("claims", "team"), [(CARDS_AGENT, "loans"), (CARDS_SUPERVISOR, "intake"), (INTAKE_AGENT, "cards")]
)
def test_another_teams_list_is_refused_naming_the_teams(
    desk: Desk, claims: dict[str, Any], team: str
) -> None:
    reply = desk.call("GET", "/v1/complaints", None, claims, {"team": team})
    assert reply.status == 403, reply.body
    assert reply.body["error"] == "forbidden"
    mine = claims["cognito:groups"].split("team:")[1].rstrip("]")
    assert f"yours: {mine}" in reply.body["message"]
    assert f"team {team}'s" in reply.body["message"]


def test_a_manual_patch_wins_over_what_triage_wrote(desk: Desk) -> None:
    # triage suggested loans for a; the complaint's own team (none: intake) is what the filter reads
    desk.triage("a", RiskFlag.MEDIA, suggested_team="loans")
    assert desk.listed(team="loans") == ["d", "f"]
    assert desk.listed(team="intake", flag="media") == ["a"]
    # a supervisor raises b's priority and an agent hands it to loans: the filters follow at once
    desk.act(
        "b",
        "PATCH",
        "",
        {"priority": "critical", "reason": "fraud reported by the customer"},
        CARDS_SUPERVISOR,
    )
    assert desk.listed(priority="critical") == ["b", "c"]
    assert desk.listed(priority="high") == []
    desk.act("b", "PATCH", "", {"team": "loans"}, CARDS_AGENT)
    assert desk.listed(team="cards") == ["c", "e"]
    assert desk.listed(team="loans", flag="fraud") == ["b", "d", "f"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("priority", "urgent"),
        ("flag", "angry"),
        ("flag", "fraud,angry"),
        ("flag", ","),
        ("dueBefore", "tomorrow"),
        ("dueBefore", "2026-12-01T10:00:00"),  # no zone
        ("team", "li na"),
        ("unassigned", "maybe"),
    ],
)
def test_a_bad_filter_value_is_400_on_it(call: Any, name: str, value: str) -> None:
    reply = call("GET", "/v1/complaints", None, MANAGER, {name: value})
    assert reply.status == 400, reply.body
    assert reply.body["error"] == "validation_error"
    assert [detail["field"] for detail in reply.body["details"]] == [name]


def test_unassigned_with_an_assignee_is_400_on_unassigned(call: Any) -> None:
    reply = call("GET", "/v1/complaints", None, MANAGER, {"unassigned": "true", "assignee": "agent-7"})
    assert reply.status == 400, reply.body
    assert [detail["field"] for detail in reply.body["details"]] == ["unassigned"]


def test_the_filters_no_index_serves_are_judged_on_the_complaints_read_within_the_usual_bound(
    desk: Desk, dynamodb: Any
) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    class Recording:
        def __getattr__(self, name: str) -> Any:
            def recorded(**kwargs: Any) -> Any:
                calls.append((name, kwargs))
                return getattr(dynamodb, name)(**kwargs)

            return recorded

    reader = DynamoDbComplaintRepository(TABLE_NAME, Recording(), trail_table=TRAIL_TABLE_NAME)  # type: ignore[arg-type]
    query = ComplaintQuery(
        team="cards", priority=Priority.HIGH, flag=RiskFlag.FRAUD, unassigned=True, limit=5
    )
    assert [desk.by_id[c.id] for c in reader.list(query).items] == ["b"]
    queries = [kwargs for name, kwargs in calls if name == "query"]
    assert {name for name, _ in calls} <= {"query", "batch_get_item"}  # never a scan
    assert 1 <= len(queries) <= MAX_QUERIES_PER_PAGE
    assert {q["IndexName"] for q in queries} == {"byMonth"}
    # no index holds team, priority, flags or the assignee: nothing filters at the index, the
    # complaints found are read (BatchGetItem) and judged (docs/decisions.md, "Access scoped to need")
    assert not any("FilterExpression" in q for q in queries)
    assert any(name == "batch_get_item" for name, _ in calls)
    # status given: its index, the rest filtered there
    calls.clear()
    narrowed = ComplaintQuery(status=Status.RECEIVED, team="cards", due_before=desk.now + timedelta(hours=30))
    assert [desk.by_id[c.id] for c in reader.list(narrowed).items] == ["b", "c"]
    assert {kwargs["IndexName"] for name, kwargs in calls if name == "query"} == {"byStatus"}


def every_page(repository: Any, query: ComplaintQuery) -> list[str]:
    ids: list[str] = []
    token = None
    for _ in range(20):
        page = repository.list(query.model_copy(update={"next_token": token}))
        ids += [complaint.id for complaint in page.items]
        token = page.next_token
        if token is None:
            return ids
    raise AssertionError("the listing did not end within 20 pages")


FAKE_QUERIES = [
    ComplaintQuery(team="cards"),
    ComplaintQuery(team="intake"),
    ComplaintQuery(priority=Priority.NORMAL),
    ComplaintQuery(flag=RiskFlag.FRAUD),
    ComplaintQuery(unassigned=True),
    ComplaintQuery(status=Status.ACKNOWLEDGED, unassigned=True),
    ComplaintQuery(flag=RiskFlag.FRAUD, teams=("cards", "intake")),
    ComplaintQuery(team="loans", teams=("cards",)),
    ComplaintQuery(assignee="agent-7", unassigned=True),
]


def test_the_in_memory_fake_lists_as_the_table_does(desk: Desk) -> None:
    fake = InMemoryComplaintRepository()
    for body in desk.bodies.values():
        stored = desk.repository.get(body["id"])
        fake.create(
            stored,
            AuditEvent(
                id="ev",
                complaint_id=stored.id,
                version=stored.version,
                action="copy",
                actor=Actor(id="test", roles=["system"]),
                at=desk.now,
            ),
        )
    for query in FAKE_QUERIES:
        assert every_page(fake, query) == every_page(desk.repository, query), query
        for moment in (
            desk.now + timedelta(hours=30),
            desk.deadline("d", "resolutionDueAt") + timedelta(seconds=1),
        ):
            due = query.model_copy(update={"due_before": moment})
            assert every_page(fake, due) == every_page(desk.repository, due), due


def test_a_reference_finds_its_one_complaint_within_the_callers_scope_and_filters(call: Call) -> None:
    created = call("POST", "/v1/complaints", intake_body()).body
    reference = created["reference"]

    found = call("GET", "/v1/complaints", claims=INTAKE_AGENT, query={"reference": reference.lower()}).body
    assert [item["id"] for item in found["items"]] == [created["id"]] and found["nextToken"] is None
    # the other filters still hold, and another team's agent does not see it
    assert (
        call(
            "GET", "/v1/complaints", claims=INTAKE_AGENT, query={"reference": reference, "status": "closed"}
        ).body["items"]
        == []
    )
    other = staff_claims("agent-9", "agent team:cards")
    assert call("GET", "/v1/complaints", claims=other, query={"reference": reference}).body["items"] == []
    unknown = call("GET", "/v1/complaints", claims=INTAKE_AGENT, query={"reference": "CG-200101-AAAAAA"}).body
    assert unknown["items"] == []
    bad = call("GET", "/v1/complaints", claims=INTAKE_AGENT, query={"reference": "nope"})
    assert bad.status == 400 and "reference" in str(bad.body)
