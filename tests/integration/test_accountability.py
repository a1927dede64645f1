"""Accountability records through the v1 API on moto (docs/architecture.md §3 and the contract rows
`GET /v1/accountability?status=&team=` and `POST /v1/accountability/{recordId}/review`).

The records are put into the table exactly as the SLA tracker's state machine writes them (the third
Put of EscalateAndOpenAccountability in infra/statemachines/sla-tracker.asl.json).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_events import Call, Reply, intake_body
from moto_tables import TABLE_NAME

STAFF_SCOPE = "complaint-guard/staff"
AGENT = {"cognito:groups": "[agent]", "username": "agent-7", "scope": STAFF_SCOPE}
SUPERVISOR = {"cognito:groups": "[supervisor]", "username": "sup-1", "scope": STAFF_SCOPE}
MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": STAFF_SCOPE}
COMPLIANCE = {"cognito:groups": "[compliance]", "username": "legal-1", "scope": STAFF_SCOPE}
CHANNEL_APP = {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"}

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    return SUPERVISOR


def put_record(
    dynamodb: Any,
    complaint_id: str,
    opened_at: str,
    team: str = "cards",
    assignee: str = "agent-7",
    due_at: str = "2026-03-04T01:00:01Z",
) -> None:
    """The accountability record as the tracker's third Put writes it (openedAt is the state's
    EnteredTime, millisecond precision with a Z)."""
    dynamodb.put_item(
        TableName=TABLE_NAME,
        ConditionExpression="attribute_not_exists(pk)",
        Item={
            "pk": {"S": f"ACCOUNTABILITY#{complaint_id}"},
            "sk": {"S": "ACCOUNTABILITY"},
            "entity": {"S": "accountability"},
            "id": {"S": complaint_id},
            "complaintId": {"S": complaint_id},
            "reference": {"S": f"CG-260302-{complaint_id[-6:].upper()}"},
            "deadline": {"S": "resolution"},
            "dueAt": {"S": due_at},
            "assignee": {"S": assignee},
            "team": {"S": team},
            "status": {"S": "open"},
            "openedAt": {"S": opened_at},
            "accountabilityKey": {"S": "open"},
            "openedKey": {"S": f"{opened_at}#{complaint_id}"},
            "version": {"N": "1"},
        },
    )


@pytest.fixture
def records(dynamodb: Any) -> list[str]:
    """Three open records, oldest first: two of team cards, one of team loans."""
    put_record(dynamodb, "c-aaaaaa", "2026-03-04T01:00:02.101Z")
    put_record(dynamodb, "c-bbbbbb", "2026-03-05T09:30:00.250Z", team="loans", assignee="agent-9")
    put_record(dynamodb, "c-cccccc", "2026-03-06T12:00:00.000Z")
    return ["c-aaaaaa", "c-bbbbbb", "c-cccccc"]


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def ids(reply: Reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [item["id"] for item in reply.body["items"]]


def review_body(**overrides: Any) -> dict[str, Any]:
    return {"finding": "justified", "action": "coaching on first-response times"} | overrides


def assert_error(reply: Reply, status: int, code: str) -> dict[str, Any]:
    assert reply.status == status, reply.body
    assert set(reply.body) == {"error", "message", "details"}
    assert reply.body["error"] == code
    assert reply.body["message"]
    return dict(reply.body)


# --- listing ------------------------------------------------------------------------------------------


def test_a_supervisor_lists_the_open_records_newest_first(call: Call, records: list[str]) -> None:
    reply = call("GET", "/v1/accountability")
    # opened 6 March, 5 March, 4 March
    assert ids(reply) == ["c-cccccc", "c-bbbbbb", "c-aaaaaa"]
    assert reply.body["nextToken"] is None
    newest = reply.body["items"][0]
    assert newest["complaintId"] == "c-cccccc"
    assert newest["reference"] == "CG-260302-CCCCCC"
    assert newest["deadline"] == "resolution"
    assert parse(newest["dueAt"]) == datetime(2026, 3, 4, 1, 0, 1, tzinfo=UTC)
    assert parse(newest["openedAt"]) == datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    assert newest["assignee"] == "agent-7"
    assert newest["team"] == "cards"
    assert newest["status"] == "open"
    assert newest["finding"] is None
    assert newest["reviewedBy"] is None
    assert newest["version"] == 1
    # storage keys stay behind the API
    assert not {"pk", "sk", "entity", "accountabilityKey", "openedKey"} & set(newest)


def test_the_open_list_filters_by_team(call: Call, records: list[str]) -> None:
    assert ids(call("GET", "/v1/accountability", query={"status": "open", "team": "cards"})) == [
        "c-cccccc",
        "c-aaaaaa",
    ]
    assert ids(call("GET", "/v1/accountability", query={"team": "loans"})) == ["c-bbbbbb"]
    assert ids(call("GET", "/v1/accountability", query={"team": "mortgages"})) == []


def test_the_list_pages(call: Call, records: list[str]) -> None:
    first = call("GET", "/v1/accountability", query={"limit": "2"})
    assert ids(first) == ["c-cccccc", "c-bbbbbb"]
    assert first.body["nextToken"]
    second = call("GET", "/v1/accountability", query={"limit": "2", "nextToken": first.body["nextToken"]})
    assert ids(second) == ["c-aaaaaa"]


def test_a_manager_may_list_too(call: Call, records: list[str]) -> None:
    assert len(ids(call("GET", "/v1/accountability", claims=MANAGER))) == 3


def test_nothing_is_reviewed_at_first(call: Call, records: list[str]) -> None:
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed"})) == []


# --- reviewing -----------------------------------------------------------------------------------------


def test_a_supervisor_reviews_a_record(call: Call, records: list[str]) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    reply = call("POST", "/v1/accountability/c-aaaaaa/review", review_body())
    assert reply.status == 200, reply.body
    body = reply.body
    assert body["id"] == "c-aaaaaa"
    assert body["status"] == "reviewed"
    assert body["finding"] == "justified"
    assert body["action"] == "coaching on first-response times"
    assert body["reviewedBy"] == "sup-1"
    assert before <= parse(body["reviewedAt"]) <= datetime.now(UTC) + timedelta(seconds=1)
    assert body["version"] == 2
    # what the tracker recorded is kept
    assert body["complaintId"] == "c-aaaaaa"
    assert body["team"] == "cards"
    assert parse(body["openedAt"]) == datetime(2026, 3, 4, 1, 0, 2, 101000, tzinfo=UTC)

    # it moved from the open list to the reviewed list
    assert ids(call("GET", "/v1/accountability")) == ["c-cccccc", "c-bbbbbb"]
    assert ids(call("GET", "/v1/accountability", query={"status": "open", "team": "cards"})) == ["c-cccccc"]
    reviewed = call("GET", "/v1/accountability", query={"status": "reviewed"})
    assert ids(reviewed) == ["c-aaaaaa"]
    assert reviewed.body["items"][0]["reviewedBy"] == "sup-1"
    assert reviewed.body["items"][0]["finding"] == "justified"
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed", "team": "cards"})) == [
        "c-aaaaaa"
    ]


def test_an_unjustified_finding_by_a_manager(call: Call, records: list[str]) -> None:
    reply = call(
        "POST",
        "/v1/accountability/c-bbbbbb/review",
        review_body(finding="unjustified", action="none: the customer sent documents late"),
        claims=MANAGER,
    )
    assert reply.status == 200, reply.body
    assert reply.body["finding"] == "unjustified"
    assert reply.body["reviewedBy"] == "mgr-1"


def test_a_second_review_is_a_conflict(call: Call, records: list[str]) -> None:
    assert call("POST", "/v1/accountability/c-aaaaaa/review", review_body()).status == 200
    second = call(
        "POST", "/v1/accountability/c-aaaaaa/review", review_body(finding="unjustified"), claims=MANAGER
    )
    assert_error(second, 409, "illegal_transition")
    # the first review stands
    (stored,) = call("GET", "/v1/accountability", query={"status": "reviewed"}).body["items"]
    assert stored["finding"] == "justified"
    assert stored["reviewedBy"] == "sup-1"
    assert stored["version"] == 2


def test_a_stale_version_is_a_conflict(call: Call, records: list[str]) -> None:
    reply = call("POST", "/v1/accountability/c-aaaaaa/review", review_body(version=3))
    assert_error(reply, 409, "version_conflict")
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed"})) == []


def test_the_current_version_is_accepted(call: Call, records: list[str]) -> None:
    assert call("POST", "/v1/accountability/c-aaaaaa/review", review_body(version=1)).status == 200


# --- who may, and bad requests --------------------------------------------------------------------------


@pytest.mark.parametrize("claims", [AGENT, COMPLIANCE, CHANNEL_APP], ids=["agent", "compliance", "channel"])
def test_only_supervisors_and_managers_see_or_review_records(
    call: Call, records: list[str], claims: dict[str, Any]
) -> None:
    assert_error(call("GET", "/v1/accountability", claims=claims), 403, "forbidden")
    assert_error(
        call("POST", "/v1/accountability/c-aaaaaa/review", review_body(), claims=claims), 403, "forbidden"
    )
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed"})) == []


@pytest.mark.parametrize(
    ("record_id", "reviewer", "reason"),
    [
        # a supervisor of the team the record names (c-aaaaaa: team cards, agent-7)
        ("c-aaaaaa", {**SUPERVISOR, "cognito:groups": "[supervisor team:cards]"}, "your own team (cards)"),
        # a manager whose teams include it
        (
            "c-bbbbbb",
            {**MANAGER, "cognito:groups": "[manager team:cards team:loans]"},
            "your own team (loans)",
        ),
        # the handler it names, now a supervisor of another team (c-bbbbbb: agent-9 of team loans)
        (
            "c-bbbbbb",
            {**SUPERVISOR, "username": "agent-9", "cognito:groups": "[supervisor team:cards]"},
            "own handling",
        ),
    ],
    ids=["own team", "manager's own team", "own handling"],
)
def test_nobody_reviews_their_own_handling_or_their_own_team(
    call: Call, records: list[str], record_id: str, reviewer: dict[str, Any], reason: str
) -> None:
    error = assert_error(
        call("POST", f"/v1/accountability/{record_id}/review", review_body(), claims=reviewer),
        403,
        "forbidden",
    )
    assert reason in error["message"]
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed"})) == []
    # a supervisor from outside the team reviews it
    outsider = {**SUPERVISOR, "cognito:groups": "[supervisor team:mortgages]"}
    assert (
        call("POST", f"/v1/accountability/{record_id}/review", review_body(), claims=outsider).status == 200
    )


def test_a_record_of_a_complaint_with_no_team_is_the_intake_queues(call: Call, dynamodb: Any) -> None:
    put_record(dynamodb, "c-dddddd", "2026-03-07T08:00:00.000Z", team="unassigned", assignee="unassigned")
    intake = {**SUPERVISOR, "cognito:groups": "[supervisor team:intake]"}
    error = assert_error(
        call("POST", "/v1/accountability/c-dddddd/review", review_body(), claims=intake), 403, "forbidden"
    )
    assert "your own team (intake)" in error["message"]
    assert call("POST", "/v1/accountability/c-dddddd/review", review_body(), claims=MANAGER).status == 200


def test_without_a_token_it_is_401(call: Call, records: list[str]) -> None:
    assert_error(call("GET", "/v1/accountability", claims={}), 401, "unauthorized")


def test_an_unknown_record_is_404(call: Call, records: list[str]) -> None:
    assert_error(call("POST", "/v1/accountability/c-nothere/review", review_body()), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (review_body(finding="maybe"), "finding"),
        ({"action": "coaching"}, "finding"),
        (review_body(action=""), "action"),
        (review_body(extra=1), "extra"),
    ],
)
def test_a_bad_review_is_400_naming_the_field(
    call: Call, records: list[str], body: dict[str, Any], field: str
) -> None:
    error = assert_error(call("POST", "/v1/accountability/c-aaaaaa/review", body), 400, "validation_error")
    assert field in {detail["field"] for detail in error["details"]}
    assert field in error["message"]
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed"})) == []


def test_an_unknown_status_filter_is_400(call: Call, records: list[str]) -> None:
    error = assert_error(
        call("GET", "/v1/accountability", query={"status": "closed"}), 400, "validation_error"
    )
    assert "status" in {detail["field"] for detail in error["details"]}


def test_reviewed_records_list_newest_opened_first_within_one_second(call: Call, dynamodb: Any) -> None:
    # Two breaches opened in the same second, 250 ms apart (EnteredTime has millisecond precision):
    # newest first means c-later (…00.250Z) before c-sooner (…00.000Z), before and after review.
    put_record(dynamodb, "c-sooner", "2026-03-06T12:00:00.000Z")
    put_record(dynamodb, "c-later", "2026-03-06T12:00:00.250Z")
    assert ids(call("GET", "/v1/accountability")) == ["c-later", "c-sooner"]
    for record_id in ("c-sooner", "c-later"):
        assert call("POST", f"/v1/accountability/{record_id}/review", review_body()).status == 200
    assert ids(call("GET", "/v1/accountability", query={"status": "reviewed"})) == ["c-later", "c-sooner"]


# --- records opened by a reopen and by hand (one per occasion) -----------------------------------------

INTAKE_AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-1", "scope": STAFF_SCOPE}
CARDS_AGENT = {"cognito:groups": "[agent team:cards]", "username": "agent-7", "scope": STAFF_SCOPE}
CARDS_SUPERVISOR = {"cognito:groups": "[supervisor team:cards]", "username": "sup-1", "scope": STAFF_SCOPE}
LOANS_SUPERVISOR = {"cognito:groups": "[supervisor team:loans]", "username": "sup-2", "scope": STAFF_SCOPE}
SUBMITTER = {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"}
RESOLUTION = {"outcome": "not_upheld", "summary": "The debit was correct.", "rootCause": "none"}


def resolved_by_cards(call: Call) -> dict[str, Any]:
    """A complaint triaged to team cards, taken by agent-7 and resolved by them (version 4)."""
    created = call("POST", "/v1/complaints", intake_body(), claims=SUBMITTER)
    assert created.status == 201, created.body
    path = f"/v1/complaints/{created.body['id']}"
    triaged = call("PATCH", path, {"team": "cards", "version": 1}, claims=INTAKE_AGENT)
    assert triaged.status == 200, triaged.body
    taken = call("PATCH", path, {"assignee": "agent-7", "version": 2}, claims=CARDS_AGENT)
    assert taken.status == 200, taken.body
    resolved = call("POST", f"{path}/resolve", RESOLUTION, claims=CARDS_AGENT)
    assert resolved.status == 200, resolved.body
    assert resolved.body["version"] == 4
    return dict(resolved.body)


def trail(call: Call, complaint_id: str) -> list[dict[str, Any]]:
    reply = call("GET", f"/v1/complaints/{complaint_id}/events", claims=MANAGER)
    assert reply.status == 200, reply.body
    return list(reply.body["items"])


def test_a_reopen_because_the_handling_was_wrong_opens_a_record_against_who_resolved_it(call: Call) -> None:
    complaint = resolved_by_cards(call)
    reopened = call(
        "POST",
        f"/v1/complaints/{complaint['id']}/reopen",
        {"reason": "The agent never read the statement.", "handlingWrong": True, "version": 4},
        claims=CARDS_AGENT,
    )
    assert reopened.status == 200, reopened.body
    assert (reopened.body["status"], reopened.body["version"]) == ("in_progress", 5)

    listed = call("GET", "/v1/accountability", claims=MANAGER)
    assert listed.status == 200, listed.body
    (record,) = listed.body["items"]
    assert {key: record[key] for key in ("id", "complaintId", "reference", "trigger", "reason")} == {
        "id": f"{complaint['id']}.5",
        "complaintId": complaint["id"],
        "reference": complaint["reference"],
        "trigger": "reopened_handling_wrong",
        "reason": "The agent never read the statement.",
    }
    assert (record["assignee"], record["team"], record["status"]) == ("agent-7", "cards", "open")
    assert (record["deadline"], record["dueAt"]) == (None, None)  # no deadline was missed
    # written with the reopen's own audit event, which names it
    reopen_event = trail(call, complaint["id"])[-1]
    assert (reopen_event["action"], reopen_event["version"]) == ("reopen", 5)
    assert reopen_event["data"]["handlingWrong"] is True
    assert reopen_event["data"]["accountabilityRecord"] == record["id"]
    # reviewed by someone from outside the team, as a tracker's record
    reviewed = call(
        "POST", f"/v1/accountability/{record['id']}/review", review_body(), claims=LOANS_SUPERVISOR
    )
    assert reviewed.status == 200, reviewed.body


def test_a_plain_reopen_opens_no_record(call: Call) -> None:
    complaint = resolved_by_cards(call)
    reply = call(
        "POST",
        f"/v1/complaints/{complaint['id']}/reopen",
        {"reason": "Still not refunded."},
        claims=CARDS_AGENT,
    )
    assert reply.status == 200, reply.body
    assert "handlingWrong" not in trail(call, complaint["id"])[-1]["data"]
    assert ids(call("GET", "/v1/accountability", claims=MANAGER)) == []


def opening(complaint_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "complaintId": complaint_id,
        "findingSought": "whether the refund rules were applied",
        "evidence": "The customer's statement shows the second debit.",
    } | overrides


def test_a_supervisor_of_another_team_opens_records_by_hand_one_per_occasion(call: Call) -> None:
    complaint = resolved_by_cards(call)
    first = call("POST", "/v1/accountability", opening(complaint["id"]), claims=LOANS_SUPERVISOR)
    assert first.status == 200, first.body
    assert {
        key: first.body[key]
        for key in ("id", "trigger", "reason", "evidence", "attachmentIds", "openedBy", "assignee", "team")
    } == {
        "id": f"{complaint['id']}.5",
        "trigger": "opened_by_supervisor",
        "reason": "whether the refund rules were applied",
        "evidence": "The customer's statement shows the second debit.",
        "attachmentIds": [],
        "openedBy": "sup-2",
        "assignee": "agent-7",
        "team": "cards",
    }
    # audited on the complaint's trail, without moving it
    event = trail(call, complaint["id"])[-1]
    assert (event["action"], event["version"], event["actor"]["id"]) == ("open_accountability", 5, "sup-2")
    assert event["data"]["accountabilityRecord"] == first.body["id"]
    assert event["data"]["findingSought"] == "whether the refund rules were applied"
    # a second occasion for the same complaint is a record of its own
    second = call(
        "POST",
        "/v1/accountability",
        opening(complaint["id"], findingSought="tone of the reply"),
        claims=MANAGER,
    )
    assert second.status == 200, second.body
    assert second.body["id"] == f"{complaint['id']}.6"
    assert ids(call("GET", "/v1/accountability", claims=MANAGER)) == [second.body["id"], first.body["id"]]
    status = call("GET", f"/v1/complaints/{complaint['id']}", claims=MANAGER)
    assert (status.body["status"], status.body["version"]) == ("resolved", 6)


@pytest.mark.parametrize(
    ("opener", "reason"),
    [
        (CARDS_SUPERVISOR, "your own team (cards)"),
        (
            {"cognito:groups": "[supervisor team:loans]", "username": "agent-7", "scope": STAFF_SCOPE},
            "own handling",
        ),
    ],
    ids=["own team", "own handling"],
)
def test_nobody_opens_a_record_about_their_own_handling_or_team(
    call: Call, opener: dict[str, Any], reason: str
) -> None:
    complaint = resolved_by_cards(call)
    error = assert_error(
        call("POST", "/v1/accountability", opening(complaint["id"]), claims=opener), 403, "forbidden"
    )
    assert reason in error["message"]
    assert ids(call("GET", "/v1/accountability", claims=MANAGER)) == []
    assert trail(call, complaint["id"])[-1]["action"] == "resolve"


def test_only_supervisors_and_managers_open_records(call: Call) -> None:
    complaint = resolved_by_cards(call)
    for claims in (CARDS_AGENT, COMPLIANCE):
        assert_error(
            call("POST", "/v1/accountability", opening(complaint["id"]), claims=claims), 403, "forbidden"
        )
    assert ids(call("GET", "/v1/accountability", claims=MANAGER)) == []


def test_an_opening_names_what_to_fix(call: Call) -> None:
    complaint = resolved_by_cards(call)
    error = assert_error(
        call("POST", "/v1/accountability", opening(complaint["id"], attachmentIds=["att-x"]), claims=MANAGER),
        400,
        "validation_error",
    )
    assert "attachmentIds" in error["message"] and "att-x" in error["message"]
    error = assert_error(
        call("POST", "/v1/accountability", opening(complaint["id"], evidence=""), claims=MANAGER),
        400,
        "validation_error",
    )
    assert "evidence" in {detail["field"] for detail in error["details"]}
    assert_error(call("POST", "/v1/accountability", opening("c-nothere"), claims=MANAGER), 404, "not_found")
    assert ids(call("GET", "/v1/accountability", claims=MANAGER)) == []
