"""The v1 HTTP contract (docs/architecture.md §5) through the Lambda handler, on moto.

Each call is an API Gateway REST proxy event whose authorizer claims are what the Cognito authorizer
would pass on: a staff user (groups + username + staff scope) or a channel app (client id + scopes).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_events import (
    Call,
    LambdaContext,
    Reply,
    api_event,
    intake_body,
)

from complaints.reporting.signed_links import INVALID_LINK

STAFF_SCOPE = "complaint-guard/staff"
CHANNEL_APP = {
    "client_id": "mobile-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
OTHER_CHANNEL_APP = {
    "client_id": "counter-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
READ_ONLY_APP = {"client_id": "tracker-app", "scope": "complaint-guard/complaints.read"}
# API Gateway REST hands a list claim over as a "[a b]" string.
# The agent works the intake queue (complaints with no team yet) and the teams the tests assign to.
AGENT = {
    "cognito:groups": "[agent team:intake team:cards team:payments]",
    "username": "agent-7",
    "scope": STAFF_SCOPE,
}
SUPERVISOR = {"cognito:groups": "[supervisor team:intake]", "username": "sup-1", "scope": STAFF_SCOPE}
COMPLIANCE = {"cognito:groups": "[compliance]", "username": "legal-1", "scope": STAFF_SCOPE}
NO_CLAIMS: dict[str, Any] = {}

# Routes that emit no metric make Powertools warn; that is expected here.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

REFERENCE = re.compile(r"^CG-\d{6}-[0-9A-HJKMNP-TV-Z]{6}$")
CONTRACT_FIELDS = {
    "id", "reference", "status", "channel", "category", "subcategory", "product", "priority", "complexity",
    "customer", "description", "receivedAt", "createdAt", "slaPolicy", "deadlines", "firstRespondedAt",
    "resolvedAt", "closedAt", "assignee", "team", "escalationLevel", "breaches", "version",
}  # fmt: skip


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    return CHANNEL_APP


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def submit(call: Call, **overrides: Any) -> dict[str, Any]:
    reply = call("POST", "/v1/complaints", intake_body(**overrides))
    assert reply.status == 201, reply.body
    return reply.body


def assert_error(reply: Reply, status: int, code: str) -> dict[str, Any]:
    assert reply.status == status, reply.body
    assert set(reply.body) == {"error", "message", "details"}
    assert reply.body["error"] == code
    assert isinstance(reply.body["message"], str) and reply.body["message"]
    assert isinstance(reply.body["details"], list)
    assert reply.headers.get("content-type", "").startswith("application/json")
    return reply.body


def detail_fields(body: dict[str, Any]) -> set[str]:
    return {detail["field"] for detail in body["details"]}


def stored_complaints(table_keys: Callable[[], set[tuple[str, str]]]) -> int:
    return sum(1 for _, sk in table_keys() if sk == "COMPLAINT")


# --- intake -----------------------------------------------------------------------------------------


def test_intake_returns_201_with_the_contract_fields(call: Call) -> None:
    received = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    reply = call(
        "POST", "/v1/complaints", intake_body(receivedAt=received.isoformat().replace("+00:00", "Z"))
    )
    assert reply.status == 201, reply.body
    body = reply.body
    assert body["id"]
    assert REFERENCE.match(body["reference"]), body["reference"]
    # the reference carries the date of receipt in the policy's time zone (the seed policy: Shanghai),
    # taken from the complaint's receivedAt, not from the wall clock
    assert body["slaPolicy"] == "seed"
    received_in_shanghai = parse(body["receivedAt"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert body["reference"][3:9] == received_in_shanghai.strftime("%y%m%d")
    assert body["status"] == "received"
    assert body["category"] == "product"
    assert body["priority"] == "normal"
    assert body["version"] == 1
    # seed policy: 24 h / 48 h after receipt, in UTC
    assert body["deadlines"]["solutionPlanDueAt"] is None  # a simple complaint owes its outcome, no plan
    assert parse(body["deadlines"]["firstResponseDueAt"]) == received + timedelta(hours=24)
    assert parse(body["deadlines"]["resolutionDueAt"]) == received + timedelta(hours=48)
    assert parse(body["deadlines"]["firstResponseDueAt"]).utcoffset() == timedelta(0)
    assert parse(body["receivedAt"]) == received


def test_intake_then_read_it_back(call: Call) -> None:
    created = submit(call)
    staff_view = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT)
    assert staff_view.status == 200
    assert set(staff_view.body) >= CONTRACT_FIELDS
    assert staff_view.body["id"] == created["id"]
    assert staff_view.body["reference"] == created["reference"]
    assert staff_view.body["customer"]["phone"] == "+8613800138000"
    assert staff_view.body["escalationLevel"] == 0
    assert staff_view.body["breaches"] == []
    assert staff_view.body["firstRespondedAt"] is None
    app_view = call("GET", f"/v1/complaints/{created['id']}", claims=CHANNEL_APP)
    assert app_view.status == 200
    assert app_view.body == staff_view.body


def test_intake_with_a_policy_override(call: Call) -> None:
    # cbirc-2020 counts 15 calendar days from the day after the Shanghai receipt day (UTC+8, no DST)
    # and ends at 23:59:59 Shanghai time = 15:59:59Z.
    received = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    created = submit(call, slaPolicy="cbirc-2020", receivedAt=received.isoformat())
    shanghai_receipt_day = (received + timedelta(hours=8)).date()
    expected = datetime.combine(shanghai_receipt_day + timedelta(days=15), datetime.min.time(), UTC)
    expected += timedelta(hours=15, minutes=59, seconds=59)
    assert parse(created["deadlines"]["resolutionDueAt"]) == expected
    assert parse(created["deadlines"]["firstResponseDueAt"]) == received + timedelta(hours=24)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (intake_body(customer={**intake_body()["customer"], "phone": "138 0013 8000"}), "customer.phone"),
        (intake_body(foo="bar"), "foo"),
        (intake_body(description="x" * 50_001), "description"),
        (intake_body(channel="fax"), "channel"),
        (intake_body(customer={**intake_body()["customer"], "email": "nope"}), "customer.email"),
    ],
)
def test_invalid_intake_is_400_with_the_field_path(call: Call, body: dict[str, Any], field: str) -> None:
    error = assert_error(call("POST", "/v1/complaints", body), 400, "validation_error")
    assert field in detail_fields(error)
    assert field in error["message"]


def test_received_at_in_the_future_is_400(call: Call) -> None:
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    error = assert_error(
        call("POST", "/v1/complaints", intake_body(receivedAt=later)), 400, "validation_error"
    )
    assert "receivedAt" in detail_fields(error)


def test_a_body_that_is_not_json_is_400(call: Call) -> None:
    assert_error(call("POST", "/v1/complaints", "{not json"), 400, "validation_error")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", json.dumps(intake_body())),  # no boundary
        (
            "multipart/form-data; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="channel"\r\n\r\nsms\r\n--x--',
        ),
        ("application/x-www-form-urlencoded", "channel=sms&description=hello"),
        ("text/plain", json.dumps(intake_body())),
    ],
)
def test_a_body_that_is_not_json_by_its_content_type_is_400_on_content_type(
    call: Call, content_type: str, body: str
) -> None:
    error = assert_error(
        call("POST", "/v1/complaints", body, headers={"Content-Type": content_type}), 400, "validation_error"
    )
    assert detail_fields(error) == {"Content-Type"}


def test_a_body_that_is_not_utf8_is_400(call: Call, app_module: ModuleType) -> None:
    event = api_event("POST", "/v1/sla/preview", None, CHANNEL_APP)
    event |= {"body": base64.b64encode(b"\xff\xfe{}").decode(), "isBase64Encoded": True}
    response = app_module.handler(event, LambdaContext())
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["details"][0]["field"] == "body"


def test_a_malformed_report_link_is_404_like_a_wrong_one(app_module: ModuleType) -> None:
    event = api_event("GET", "/r/2026-Q1-scheduled/report.html", None, None, None, {"signature": "s"})
    event["multiValueQueryStringParameters"] |= {"expires": ["1", "2"]}  # a repeated parameter
    response = app_module.handler(event, LambdaContext())
    assert response["statusCode"] == 404
    assert json.loads(response["body"]) == {"error": "not_found", "message": INVALID_LINK, "details": []}


@pytest.mark.parametrize("received_at", [0, 1_780_000_000, "1780000000", True])
def test_a_time_that_is_not_iso_8601_is_400_on_its_field(call: Call, received_at: Any) -> None:
    # pydantic alone would read a number (or a string of digits) as Unix time
    for path, body in (
        ("/v1/sla/preview", {"receivedAt": received_at}),
        ("/v1/complaints", intake_body(receivedAt=received_at)),
    ):
        error = assert_error(call("POST", path, body), 400, "validation_error")
        assert detail_fields(error) == {"receivedAt"}


# --- idempotency ------------------------------------------------------------------------------------


def test_same_idempotency_key_and_body_returns_the_same_complaint_once(
    call: Call, table_keys: Callable[[], set[tuple[str, str]]]
) -> None:
    headers = {"Idempotency-Key": "order-7f3a"}
    first = call("POST", "/v1/complaints", intake_body(), headers=headers)
    second = call("POST", "/v1/complaints", intake_body(), headers=headers)
    assert first.status == 201, first.body
    assert second.status == 201, second.body
    assert second.body["id"] == first.body["id"]
    assert second.body["reference"] == first.body["reference"]
    assert stored_complaints(table_keys) == 1


def test_same_idempotency_key_with_another_body_is_409(
    call: Call, table_keys: Callable[[], set[tuple[str, str]]]
) -> None:
    headers = {"Idempotency-Key": "order-7f3a"}
    assert call("POST", "/v1/complaints", intake_body(), headers=headers).status == 201
    other = call(
        "POST", "/v1/complaints", intake_body(description="Something else entirely."), headers=headers
    )
    error = assert_error(other, 409, "idempotency_key_reused")
    assert "Idempotency-Key" in detail_fields(error)
    assert stored_complaints(table_keys) == 1


def test_idempotency_keys_belong_to_their_channel_app(
    call: Call, table_keys: Callable[[], set[tuple[str, str]]]
) -> None:
    headers = {"Idempotency-Key": "1"}
    mine = call("POST", "/v1/complaints", intake_body(), claims=CHANNEL_APP, headers=headers)
    theirs = call("POST", "/v1/complaints", intake_body(), claims=OTHER_CHANNEL_APP, headers=headers)
    assert mine.status == theirs.status == 201
    assert mine.body["id"] != theirs.body["id"]
    assert stored_complaints(table_keys) == 2


def test_without_an_idempotency_key_each_submission_is_a_new_complaint(
    call: Call, table_keys: Callable[[], set[tuple[str, str]]]
) -> None:
    assert submit(call)["id"] != submit(call)["id"]
    assert stored_complaints(table_keys) == 2


# --- authentication and authorisation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/complaints", intake_body()),
        ("GET", "/v1/complaints", None),
        ("GET", "/v1/complaints/anything", None),
        ("GET", "/v1/sla/policies", None),
    ],
)
def test_no_claims_is_401(call: Call, method: str, path: str, body: Any) -> None:
    assert_error(call(method, path, body, claims=NO_CLAIMS), 401, "unauthorized")


def test_a_channel_app_may_not_list(call: Call) -> None:
    submit(call)
    error = assert_error(call("GET", "/v1/complaints", claims=CHANNEL_APP), 403, "forbidden")
    assert "list complaints" in error["message"]


def test_a_channel_app_may_not_work_a_complaint(call: Call) -> None:
    created = submit(call)
    reply = call("POST", f"/v1/complaints/{created['id']}/responses", {"message": "hi"}, claims=CHANNEL_APP)
    assert_error(reply, 403, "forbidden")


def test_a_read_only_channel_app_may_not_submit(call: Call) -> None:
    assert_error(call("POST", "/v1/complaints", intake_body(), claims=READ_ONLY_APP), 403, "forbidden")


def test_an_agent_may_not_extend_but_a_supervisor_may_try(call: Call) -> None:
    created = submit(call, slaPolicy="cbirc-2020")
    path = f"/v1/complaints/{created['id']}/extend"
    error = assert_error(call("POST", path, {"reason": "complex"}, claims=AGENT), 403, "forbidden")
    assert "extend" in error["message"]
    extended = call("POST", path, {"reason": "complex", "version": 1}, claims=SUPERVISOR)
    assert extended.status == 200, extended.body
    assert extended.body["version"] == 2
    # 15 → 30 days: the same local end of day, 15 days later
    before = parse(created["deadlines"]["resolutionDueAt"])
    assert parse(extended.body["deadlines"]["resolutionDueAt"]) == before + timedelta(days=15)


def test_a_complex_complaint_gets_its_solution_plan_through_the_api(call: Call) -> None:
    created = submit(call, complexity="complex")
    received = parse(created["receivedAt"])
    # seed, complex: the plan owed 48 h after receipt; the outcome at most 15 days on (a local day's end)
    assert parse(created["deadlines"]["solutionPlanDueAt"]) == received + timedelta(hours=48)
    limit = parse(created["deadlines"]["resolutionDueAt"])
    assert timedelta(days=15) <= limit - received < timedelta(days=16)
    path = f"/v1/complaints/{created['id']}/solution-plan"
    too_late = {"plan": "Chargeback", "resolveBy": (limit + timedelta(seconds=1)).isoformat(), "version": 1}
    assert detail_fields(
        assert_error(call("POST", path, too_late, claims=AGENT), 400, "validation_error")
    ) == {"resolveBy"}
    resolve_by = (received + timedelta(days=6)).isoformat()
    planned = call(
        "POST", path, {"plan": "Chargeback via the card scheme.", "resolveBy": resolve_by}, claims=AGENT
    )
    assert planned.status == 200, planned.body
    assert planned.body["status"] == "acknowledged"
    assert parse(planned.body["deadlines"]["resolutionDueAt"]) == parse(resolve_by)
    assert planned.body["solutionPlan"]["plan"] == "Chargeback via the card scheme."
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert trail[-1]["action"] == "give_solution_plan"
    assert trail[-1]["data"]["solutionPlanOnTime"] is True

    simple = submit(call)
    reply = call(
        "POST",
        f"/v1/complaints/{simple['id']}/solution-plan",
        {"plan": "x", "resolveBy": resolve_by},
        claims=AGENT,
    )
    assert "solution plan" in assert_error(reply, 409, "illegal_transition")["message"]


def test_extend_with_no_extension_left_is_409(call: Call) -> None:
    created = submit(call)  # seed: none
    reply = call("POST", f"/v1/complaints/{created['id']}/extend", {"reason": "x"}, claims=SUPERVISOR)
    assert_error(reply, 409, "illegal_transition")


def test_compliance_reads_the_audit_trail_but_may_not_work(call: Call) -> None:
    created = submit(call)
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=COMPLIANCE)
    assert trail.status == 200
    assert [e["action"] for e in trail.body["items"]] == ["receive"]
    reply = call("POST", f"/v1/complaints/{created['id']}/escalate", {"reason": "x"}, claims=COMPLIANCE)
    assert_error(reply, 403, "forbidden")


# --- not found --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/complaints/no-such-id", None),
        ("GET", "/v1/complaints/no-such-id/events", None),
        ("PATCH", "/v1/complaints/no-such-id", {"team": "cards", "version": 1}),
        ("POST", "/v1/complaints/no-such-id/escalate", {"reason": "x"}),
    ],
)
def test_unknown_id_is_404(call: Call, method: str, path: str, body: Any) -> None:
    assert_error(call(method, path, body, claims=AGENT), 404, "not_found")


def test_unknown_route_is_404_in_the_same_shape(call: Call) -> None:
    assert_error(call("GET", "/v1/nothing-here", claims=AGENT), 404, "not_found")


# --- versions ---------------------------------------------------------------------------------------


def test_patch_without_a_version_is_400(call: Call) -> None:
    created = submit(call)
    reply = call("PATCH", f"/v1/complaints/{created['id']}", {"team": "cards"}, claims=AGENT)
    error = assert_error(reply, 400, "validation_error")
    assert "version" in detail_fields(error)


@pytest.mark.parametrize("if_match", ["1", '"1"', 'W/"1"'])
def test_patch_with_if_match(call: Call, if_match: str) -> None:
    created = submit(call)
    reply = call(
        "PATCH",
        f"/v1/complaints/{created['id']}",
        {"team": "cards"},
        claims=AGENT,
        headers={"If-Match": if_match},
    )
    assert reply.status == 200, reply.body
    assert reply.body["team"] == "cards"
    assert reply.body["version"] == 2


def test_patch_with_a_stale_version_is_409_and_changes_nothing(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    assert call("PATCH", path, {"team": "cards", "version": 1}, claims=AGENT).status == 200
    before = call("GET", path, claims=AGENT).body
    stale = call("PATCH", path, {"team": "loans", "version": 1}, claims=AGENT)
    error = assert_error(stale, 409, "version_conflict")
    assert "version" in detail_fields(error)
    stale_by_header = call("PATCH", path, {"team": "loans"}, claims=AGENT, headers={"If-Match": "1"})
    assert_error(stale_by_header, 409, "version_conflict")
    assert call("GET", path, claims=AGENT).body == before
    assert len(call("GET", f"{path}/events", claims=AGENT).body["items"]) == 2


@pytest.mark.parametrize("field", ["category", "priority", "complexity", "product"])
def test_patch_nulling_a_required_field_is_400_not_500(call: Call, field: str) -> None:
    # A complaint always has a category, priority, complexity and product; `null` is the caller's
    # mistake, so it deserves a 400 that names the field, and nothing may change.
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    before = call("GET", path, claims=AGENT).body
    reply = call("PATCH", path, {field: None, "version": 1}, claims=AGENT)
    error = assert_error(reply, 400, "validation_error")
    assert field in detail_fields(error)
    assert call("GET", path, claims=AGENT).body == before


def test_a_malformed_if_match_is_400(call: Call) -> None:
    created = submit(call)
    reply = call(
        "PATCH",
        f"/v1/complaints/{created['id']}",
        {"team": "cards"},
        claims=AGENT,
        headers={"If-Match": "abc"},
    )
    assert "If-Match" in detail_fields(assert_error(reply, 400, "validation_error"))


# --- the lifecycle over HTTP ------------------------------------------------------------------------


def test_the_full_lifecycle(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    steps = [
        ("POST", "/responses", {"message": "We are on it.", "version": 1}, "acknowledged"),
        ("PATCH", "", {"assignee": "agent-7", "team": "payments", "version": 2}, "in_progress"),
        (
            "POST",
            "/pause",
            {"reason": "waiting for the bank statement", "needed": "your February statement", "version": 3},
            "awaiting_customer",
        ),
        ("POST", "/resume", {"reason": "statement received", "version": 4}, "in_progress"),
        (
            "POST",
            "/resolve",
            {
                "outcome": "upheld",
                "summary": "The duplicate debit was refunded.",
                "rootCause": "batch replay",
                "redress": {"amount": "500.00", "currency": "CNY"},
                "version": 5,
            },
            "resolved",
        ),
        # the customer accepted the outcome on the phone as soon as they heard it
        ("POST", "/close", {"receivedVia": "phone", "version": 6}, "closed"),
    ]
    reply = None
    for n, (method, suffix, body, status) in enumerate(steps, start=2):
        if suffix == "/close" and reply is not None:
            body = body | {"receivedAt": reply.body["resolvedAt"]}
        reply = call(method, path + suffix, body, claims=AGENT)
        assert reply.status == 200, (suffix, reply.body)
        assert reply.body["status"] == status, suffix
        assert reply.body["version"] == n, suffix

    final = call("GET", path, claims=AGENT).body
    assert final["status"] == "closed"
    assert final["firstRespondedAt"] is not None
    assert final["resolvedAt"] is not None
    assert final["closedAt"] is not None
    assert final["assignee"] == "agent-7"
    assert parse(final["firstRespondedAt"]) <= parse(final["resolvedAt"]) <= parse(final["closedAt"])

    trail = call("GET", f"{path}/events", claims=COMPLIANCE).body
    assert [(e["version"], e["action"]) for e in trail["items"]] == [
        (1, "receive"),
        (2, "respond"),
        (3, "update"),
        (4, "pause"),
        (5, "resume"),
        (6, "resolve"),
        (7, "close"),
    ]
    assert trail["items"][2]["actor"] == {"id": "agent-7", "roles": ["agent"]}
    assert trail["items"][2]["changes"]["assignee"] == {"before": None, "after": "agent-7"}
    assert trail["items"][2]["changes"]["status"] == {"before": "acknowledged", "after": "in_progress"}

    # a closed complaint stays closed
    assert_error(call("POST", f"{path}/reopen", {"reason": "again"}, claims=AGENT), 409, "illegal_transition")


def test_reopen_a_resolved_complaint(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    resolved = call(
        "POST",
        f"{path}/resolve",
        {"outcome": "not_upheld", "summary": "Fee was correct.", "rootCause": "customer misunderstanding"},
        claims=AGENT,
    )
    assert resolved.body["status"] == "resolved"
    # resolving without a response first: the resolution is the first answer
    assert resolved.body["firstRespondedAt"] == resolved.body["resolvedAt"]
    reopened = call("POST", f"{path}/reopen", {"reason": "customer disputes"}, claims=AGENT)
    assert reopened.status == 200
    assert reopened.body["status"] == "in_progress"
    assert reopened.body["resolvedAt"] is None


def test_withdraw_then_nothing_more(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    body = {"reason": "sorted at the branch", "receivedVia": "branch", "receivedAt": created["receivedAt"]}
    withdrawn = call("POST", f"{path}/withdraw", body, claims=AGENT)
    assert withdrawn.status == 200
    assert withdrawn.body["status"] == "withdrawn"
    assert withdrawn.body["withdrawnAt"] == created["receivedAt"]
    assert withdrawn.body["withdrawal"] == {
        "receivedVia": "branch",
        "receivedAt": created["receivedAt"],
        "recordedBy": "agent-7",
    }
    error = assert_error(
        call("POST", f"{path}/responses", {"message": "hi"}, claims=AGENT), 409, "illegal_transition"
    )
    assert "withdrawn" in error["message"]


def test_a_withdrawal_without_the_customers_request_is_400_naming_the_fields(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}/withdraw"
    error = assert_error(call("POST", path, {"reason": "duplicate"}, claims=AGENT), 400, "validation_error")
    assert detail_fields(error) == {"receivedVia", "receivedAt"}
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["status"] == "received"


def test_the_channel_app_that_submitted_it_records_the_customers_withdrawal(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}/withdraw"
    body = {"receivedVia": "branch", "receivedAt": created["receivedAt"]}
    assert call("POST", path, body, claims=OTHER_CHANNEL_APP).status == 404  # as for an unknown id
    withdrawn = call("POST", path, body, claims=CHANNEL_APP)
    assert withdrawn.status == 200 and withdrawn.body["withdrawal"]["recordedBy"] == "mobile-app"


def test_closing_before_the_customer_accepted_is_409_saying_how(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    resolved = call(
        "POST",
        f"{path}/resolve",
        {"outcome": "upheld", "summary": "Refunded.", "rootCause": "batch replay"},
        claims=AGENT,
    ).body
    assert parse(resolved["closesAt"]) > parse(resolved["resolvedAt"])
    error = assert_error(call("POST", f"{path}/close", {}, claims=AGENT), 409, "customer_acceptance_required")
    assert resolved["closesAt"] in error["message"] and "receivedVia" in error["message"]
    half = call("POST", f"{path}/close", {"receivedVia": "email"}, claims=AGENT)
    assert detail_fields(assert_error(half, 400, "validation_error")) == {"receivedAt"}
    assert call("GET", path, claims=AGENT).body["status"] == "resolved"


def test_a_pause_needs_what_is_asked_of_the_customer_and_a_policy_that_stops_the_clock(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    call("POST", f"{path}/responses", {"message": "We are on it."}, claims=AGENT)
    unsaid = call("POST", f"{path}/pause", {"reason": "statement"}, claims=AGENT)
    assert detail_fields(assert_error(unsaid, 400, "validation_error")) == {"needed"}
    paused = call("POST", f"{path}/pause", {"reason": "statement", "needed": "your statement"}, claims=AGENT)
    assert paused.status == 200
    assert parse(paused.body["pausedUntil"]) - parse(paused.body["pausedAt"]) == timedelta(days=10)

    cbirc = submit(call, slaPolicy="cbirc-2020")
    cbirc_path = f"/v1/complaints/{cbirc['id']}"
    call("POST", f"{cbirc_path}/responses", {"message": "We are on it."}, claims=AGENT)
    body = {"reason": "statement", "needed": "your statement"}
    refused = call("POST", f"{cbirc_path}/pause", body, claims=AGENT)
    assert "does not stop the clock" in assert_error(refused, 409, "illegal_transition")["message"]


def test_a_triage_that_moves_a_deadline_later_is_a_supervisors_extension_with_a_reason(call: Call) -> None:
    created = submit(call, priority="critical")
    path = f"/v1/complaints/{created['id']}"
    by_agent = call("PATCH", path, {"priority": "normal", "reason": "x", "version": 1}, claims=AGENT)
    assert "extend deadlines" in assert_error(by_agent, 403, "forbidden")["message"]
    no_reason = call("PATCH", path, {"priority": "normal", "version": 1}, claims=SUPERVISOR)
    assert detail_fields(assert_error(no_reason, 400, "validation_error")) == {"reason"}
    body = {"priority": "normal", "reason": "not sensitive", "version": 1}
    updated = call("PATCH", path, body, claims=SUPERVISOR)
    assert updated.status == 200 and updated.body["extensions"] == 1


def test_an_illegal_transition_is_409(call: Call) -> None:
    created = submit(call)
    reply = call("POST", f"/v1/complaints/{created['id']}/close", {}, claims=AGENT)
    error = assert_error(reply, 409, "illegal_transition")
    assert "received" in error["message"]


def test_escalation_stops_at_level_3(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}/escalate"
    levels = [call("POST", path, {"reason": "slow"}, claims=AGENT).body["escalationLevel"] for _ in range(3)]
    assert levels == [1, 2, 3]
    assert_error(call("POST", path, {"reason": "slow"}, claims=AGENT), 409, "illegal_transition")


# --- lists ------------------------------------------------------------------------------------------


def test_staff_list_by_status_and_channel(call: Call) -> None:
    first = submit(call, channel="hotline")
    second = submit(call, channel="counter")
    third = submit(call, channel="hotline")
    call("POST", f"/v1/complaints/{second['id']}/responses", {"message": "hi"}, claims=AGENT)

    received = call("GET", "/v1/complaints", claims=AGENT, query={"status": "received"})
    assert received.status == 200
    assert [c["id"] for c in received.body["items"]] == [third["id"], first["id"]]
    hotline = call("GET", "/v1/complaints", claims=AGENT, query={"channel": "hotline", "limit": "1"})
    assert [c["id"] for c in hotline.body["items"]] == [third["id"]]
    assert hotline.body["nextToken"]
    rest = call(
        "GET",
        "/v1/complaints",
        claims=AGENT,
        query={"channel": "hotline", "nextToken": hotline.body["nextToken"]},
    )
    assert [c["id"] for c in rest.body["items"]] == [first["id"]]


def test_a_bad_next_token_is_400_on_next_token(call: Call) -> None:
    reply = call("GET", "/v1/complaints", claims=AGENT, query={"status": "received", "nextToken": "garbage"})
    assert "nextToken" in detail_fields(assert_error(reply, 400, "validation_error"))


@pytest.mark.parametrize("name", ["customerId", "assignee"])
def test_an_empty_filter_is_400_on_it(call: Call, name: str) -> None:
    error = assert_error(
        call("GET", "/v1/complaints", claims=AGENT, query={name: ""}), 400, "validation_error"
    )
    assert detail_fields(error) == {name}


def test_an_unknown_status_filter_is_400(call: Call) -> None:
    reply = call("GET", "/v1/complaints", claims=AGENT, query={"status": "lost"})
    assert "status" in detail_fields(assert_error(reply, 400, "validation_error"))


# --- preview ----------------------------------------------------------------------------------------


def test_every_policys_clock_is_listed_with_its_zone_and_holidays(call: Call) -> None:
    reply = call("GET", "/v1/sla/policies", claims=AGENT)
    assert reply.status == 200, reply.body
    # the zones and calendars the regulators' rules and the bank's own policy are read in
    assert reply.body == {
        "items": [
            {"name": "seed", "timeZone": "Asia/Shanghai", "holidayCalendar": "CN"},
            {"name": "cbirc-2020", "timeZone": "Asia/Shanghai", "holidayCalendar": "CN"},
            {"name": "fca-disp", "timeZone": "Europe/London", "holidayCalendar": "GB-ENG"},
            {"name": "cfpb", "timeZone": "America/New_York", "holidayCalendar": "US"},
        ]
    }


def test_sla_preview_for_a_channel_app(call: Call) -> None:
    # fca-disp, payment: received Fri 2026-05-01 10:00 BST; 3 business days skip the weekend and the
    # May Day bank holiday → Thu 7 May; 15 business days skip Spring bank holiday → Tue 26 May.
    reply = call(
        "POST",
        "/v1/sla/preview",
        {"slaPolicy": "fca-disp", "receivedAt": "2026-05-01T09:00:00Z", "product": "payment"},
    )
    assert reply.status == 200, reply.body
    assert parse(reply.body["firstResponseDueAt"]) == datetime(2026, 5, 7, 22, 59, 59, tzinfo=UTC)
    assert parse(reply.body["resolutionDueAt"]) == datetime(2026, 5, 26, 22, 59, 59, tzinfo=UTC)
