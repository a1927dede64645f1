"""The customer's tracking link through the API handler, on moto (docs/architecture.md §5, rows `/v1/track`,
`/t/{id}` and feedback; issue 4 items 5 and 6).

The tracking routes carry no authorizer claims (API Gateway lets them through without a Cognito token);
the token in the link is the credential. The keys that sign it are SSM SecureStrings on moto, named
from TRACKING_SECRET_PARAMETER as operations put them (complaints/adapters/parameters.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
from api_events import Call, Reply, api_caller, handler_module
from botocore.stub import Stubber
from moto_tables import REGION, clear_caches, put_link_keys

from complaints.adapters.parameters import (
    TRACKING_RING,
    SigningKeyUnavailable,
    SsmKeyRing,
    SsmSigningKey,
)
from complaints.core.errors import ServiceUnavailable
from complaints.tracking.links import SigningKey, tracking_link, tracking_token

STAFF_SCOPE = "complaint-guard/staff"
CHANNEL_APP = {
    "client_id": "mobile-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF_SCOPE}
SUPERVISOR = {"cognito:groups": "[supervisor team:intake]", "username": "sup-1", "scope": STAFF_SCOPE}
MANAGER = {"cognito:groups": "[manager team:intake]", "username": "mgr-1", "scope": STAFF_SCOPE}
PUBLIC: dict[str, Any] = {}  # no Cognito token: what API Gateway passes on a public route

PARAMETER = "/complaint-guard/test/tracking-key"
SECRET = "tracking-key-for-tests-0123456789abcdefghij"
KEY = SigningKey("t1", SECRET)
NEW_KEY = SigningKey("t2", "rotated-tracking-key-0123456789abcdefghij")
RETIRED_KEY = SigningKey("t0", "retired-tracking-key-0123456789abcdefghij")
LEGACY_SECRET = "legacy-tracking-key-0123456789abcdefghijkl"
CUSTOMER = {
    "customerId": "C-2001",
    "name": "Chen Jing",
    "phone": "+8613700137000",
    "email": "chen.jing@bank-customer.cn",
    "preferredContact": ["sms", "email"],
}

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


@pytest.fixture
def ssm(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    client = boto3.client("ssm", region_name=REGION)
    put_link_keys(PARAMETER, tracking=f"t1:{SECRET}", legacy=LEGACY_SECRET)
    monkeypatch.setenv("TRACKING_SECRET_PARAMETER", PARAMETER)
    clear_caches()
    yield client


@pytest.fixture
def app_module(ssm: Any) -> ModuleType:
    return handler_module("api.app")


@pytest.fixture
def call(app_module: ModuleType) -> Call:
    return api_caller(app_module)


def submit(call: Call, **overrides: Any) -> dict[str, Any]:
    body = {
        "channel": "online_banking",
        "customer": CUSTOMER,
        "description": "My card was charged twice.",
        "category": "product",
        "product": "credit_card",
    } | overrides
    reply = call("POST", "/v1/complaints", body, claims=CHANNEL_APP)
    assert reply.status == 201, reply.body
    return dict(reply.body)


def resolve(call: Call, complaint_id: str) -> dict[str, Any]:
    reply = call(
        "POST",
        f"/v1/complaints/{complaint_id}/resolve",
        {"outcome": "upheld", "summary": "The second charge was refunded.", "rootCause": "duplicate batch"},
        claims=AGENT,
    )
    assert reply.status == 200, reply.body
    return dict(reply.body)


def token_of(complaint_id: str) -> str:
    return tracking_token(complaint_id, KEY)


def track(call: Call, complaint_id: str, token: str | None = None, **kwargs: Any) -> Reply:
    query = {"token": token_of(complaint_id) if token is None else token}
    return call("GET", f"/v1/track/{complaint_id}", claims=PUBLIC, query=query, **kwargs)


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _changed(token: str) -> str:
    """The token with its first character changed."""
    return ("B" if token[0] == "A" else "A") + token[1:]


def assert_invalid_link(reply: Reply) -> None:
    assert reply.status == 403, reply.text
    assert reply.body == {
        "error": "forbidden",
        "message": "this tracking link is not valid: open the link in the latest message we sent you",
        "details": [],
    }


# --- the token ------------------------------------------------------------------------------------


def test_a_wrong_or_missing_token_is_403_with_the_same_body_for_unknown_ids(call: Call) -> None:
    created = submit(call)
    other = submit(call)
    wrong = [
        track(call, created["id"], token="not-a-token"),
        track(call, created["id"], token=token_of(other["id"])),
        track(call, created["id"], token=_changed(token_of(created["id"]))),
        call("GET", f"/v1/track/{created['id']}", claims=PUBLIC),  # no token at all
        track(call, "00000000-0000-0000-0000-000000000000", token="not-a-token"),
        call("GET", "/v1/track/no-such-id", claims=PUBLIC),
    ]
    for reply in wrong:
        assert_invalid_link(reply)
    assert len({reply.text for reply in wrong}) == 1
    # the same for the changes: nothing is revealed and nothing changes
    for path, body in (("feedback", {"rating": 1}), ("reopen", {"reason": "x"})):
        for complaint_id in (created["id"], "no-such-id"):
            reply = call(
                "POST", f"/v1/track/{complaint_id}/{path}", body, claims=PUBLIC, query={"token": "nope"}
            )
            assert_invalid_link(reply)
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["version"] == 1


def test_the_html_page_with_a_wrong_token_is_the_same_page_for_any_id(call: Call) -> None:
    created = submit(call)
    pages = [
        call("GET", f"/t/{created['id']}", claims=PUBLIC, query={"token": "nope"}),
        call("GET", "/t/no-such-id", claims=PUBLIC, query={"token": "nope"}),
        call("GET", f"/t/{created['id']}", claims=PUBLIC),
    ]
    for page in pages:
        assert page.status == 403
        assert page.headers["content-type"].startswith("text/html")
        assert created["reference"] not in page.text
    assert len({page.text for page in pages}) == 1


def test_a_malformed_page_link_is_answered_like_a_wrong_one(call: Call) -> None:
    created = submit(call)
    token = {"token": token_of(created["id"])}
    pages = [
        call("GET", "/t/no-such-id", claims=PUBLIC, query={"token": "nope"}),
        call("GET", "/t/" + "x" * 300, claims=PUBLIC, query={"token": "nope"}),
        # a repeated parameter (the page's own links never repeat one), with the right token
        call("GET", f"/t/{created['id']}", claims=PUBLIC, query=token, repeated={"lang": ["en", "zh-CN"]}),
        call(
            "POST", f"/t/{created['id']}/feedback", "rating=5", PUBLIC, token, repeated={"token": ["a", "b"]}
        ),
    ]
    for page in pages:
        assert page.status == 403
        assert page.headers["content-type"].startswith("text/html")
    assert len({page.text for page in pages}) == 1


def test_a_link_from_tracking_link_opens_the_page(call: Call) -> None:
    created = submit(call)
    link = urlsplit(tracking_link(created["id"], KEY, "https://complaints.example.com"))
    query = {name: values[-1] for name, values in parse_qs(link.query).items()}
    page = call("GET", link.path, claims=PUBLIC, query=query)
    assert page.status == 200, page.text
    assert created["reference"] in page.text


# --- the view -------------------------------------------------------------------------------------


def test_the_customer_view_over_json(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    call("POST", f"{path}/responses", {"message": "We have asked the card team."}, claims=AGENT)
    call("POST", f"{path}/responses", {"message": "agent-7 to chase Li Na", "internal": True}, claims=AGENT)
    reply = track(call, created["id"])
    assert reply.status == 200, reply.text
    view = reply.body
    assert view["reference"] == created["reference"]
    assert view["status"] == "acknowledged"
    assert view["statusLabel"] == {"zh-CN": "已答复，正在处理", "en": "Answered — being handled"}
    assert view["deadlines"] == created["deadlines"]
    assert view["timeZone"] == "Asia/Shanghai"
    assert [(e["kind"], e["message"]) for e in view["timeline"]] == [
        ("received", None),
        ("response", "We have asked the card team."),
    ]
    assert view["canGiveFeedback"] is False and view["canReopen"] is False
    for hidden in ("agent-7", "Li Na", CUSTOMER["name"], CUSTOMER["phone"], CUSTOMER["email"], "mobile-app"):
        assert hidden not in reply.text, hidden


def test_the_html_page_shows_the_status_and_the_form_and_escapes_text(call: Call) -> None:
    created = submit(call, description='Charged twice <script>alert("pwned")</script>')
    path = f"/v1/complaints/{created['id']}"
    call("POST", f"{path}/responses", {"message": "<script>document.cookie</script> refunded"}, claims=AGENT)
    resolve(call, created["id"])
    page = call("GET", f"/t/{created['id']}", claims=PUBLIC, query={"token": token_of(created["id"])})
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script
    html = page.text
    assert 'id="status" data-status="resolved">已办结<' in html
    assert 'id="feedback-form"' in html and 'name="rating" value="5"' in html
    assert 'id="reopen-form"' in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert "&lt;script&gt;document.cookie&lt;/script&gt; refunded" in html
    english = call(
        "GET", f"/t/{created['id']}", claims=PUBLIC, query={"token": token_of(created["id"]), "lang": "en"}
    )
    assert '<html lang="en">' in english.text and ">Resolved<" in english.text


# --- satisfaction ---------------------------------------------------------------------------------


def test_feedback_is_accepted_once_per_resolution(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    query = {"token": token_of(created["id"])}
    first = call(
        "POST", f"/v1/track/{created['id']}/feedback", {"rating": 5, "comment": "Quick"}, PUBLIC, query
    )
    assert first.status == 200, first.text
    assert first.body["feedback"]["rating"] == 5 and first.body["canGiveFeedback"] is False
    second = call("POST", f"/v1/track/{created['id']}/feedback", {"rating": 1}, PUBLIC, query)
    assert second.status == 409
    assert second.body["error"] == "feedback_already_given"
    staff_view = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert [(f["rating"], f["comment"], f["resolutionNumber"]) for f in staff_view["feedback"]] == [
        (5, "Quick", 1)
    ]
    assert staff_view["followUp"] is None


@pytest.mark.parametrize("body", [{"rating": 0}, {"rating": 6}, {"rating": "good"}, {"comment": "no rating"}])
def test_an_invalid_rating_is_400_on_its_field(call: Call, body: dict[str, Any]) -> None:
    created = submit(call)
    resolve(call, created["id"])
    reply = call(
        "POST", f"/v1/track/{created['id']}/feedback", body, PUBLIC, {"token": token_of(created["id"])}
    )
    assert reply.status == 400
    assert "rating" in {detail["field"] for detail in reply.body["details"]}


def test_feedback_before_resolution_is_409(call: Call) -> None:
    created = submit(call)
    reply = call(
        "POST",
        f"/v1/track/{created['id']}/feedback",
        {"rating": 4},
        PUBLIC,
        {"token": token_of(created["id"])},
    )
    assert reply.status == 409 and reply.body["error"] == "illegal_transition"


def test_a_low_rating_opens_a_follow_up_the_staff_see(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    reply = call(
        "POST",
        f"/v1/track/{created['id']}/feedback",
        {"rating": 2, "comment": "Took too long"},
        PUBLIC,
        {"token": token_of(created["id"])},
    )
    assert reply.status == 200, reply.text
    staff_view = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    follow_up = staff_view["followUp"]
    assert follow_up["status"] == "open" and follow_up["rating"] == 2
    opened = staff_view["feedback"][0]["at"]
    assert follow_up["openedAt"] == opened
    assert _parse(follow_up["dueAt"]) - _parse(opened) == timedelta(hours=48)
    assert reply.body["followUpDueAt"] == follow_up["dueAt"]
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert trail[-1]["action"] == "give_feedback" and trail[-1]["actor"]["id"] == "customer"


def test_a_supervisor_completes_the_follow_up_an_agent_may_not(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    call(
        "POST",
        f"/v1/track/{created['id']}/feedback",
        {"rating": 1},
        PUBLIC,
        {"token": token_of(created["id"])},
    )
    path = f"/v1/complaints/{created['id']}/follow-up"
    body = {"outcome": "still_dissatisfied", "notes": "Called back; customer wants compensation."}
    refused = call("POST", path, body, claims=AGENT)
    assert refused.status == 403 and refused.body["error"] == "forbidden"
    assert call("POST", path, body, claims=CHANNEL_APP).status == 403
    assert call("POST", path, body, claims=PUBLIC).status == 401
    done = call("POST", path, body, claims=SUPERVISOR)
    assert done.status == 200, done.text
    follow_up = done.body["followUp"]
    assert follow_up["status"] == "completed" and follow_up["completedBy"] == "sup-1"
    assert follow_up["outcome"] == "still_dissatisfied"
    assert follow_up["notes"] == "Called back; customer wants compensation."
    again = call("POST", path, body | {"outcome": "satisfied"}, claims=MANAGER)
    assert again.status == 409 and again.body["error"] == "illegal_transition"
    stale = call("POST", path, body | {"version": 1}, claims=MANAGER)
    assert stale.status == 409 and stale.body["error"] == "version_conflict"
    invalid = call("POST", path, {"outcome": "happy", "notes": ""}, claims=SUPERVISOR)
    assert invalid.status == 400
    assert {"outcome", "notes"} <= {detail["field"] for detail in invalid.body["details"]}


def test_a_still_dissatisfied_customer_has_the_complaint_reopened_from_the_follow_up(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    call(
        "POST",
        f"/v1/track/{created['id']}/feedback",
        {"rating": 1},
        PUBLIC,
        {"token": token_of(created["id"])},
    )
    staff_view = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert staff_view["followUp"]["team"] == "intake"  # never triaged: the intake queue's supervisors
    path = f"/v1/complaints/{created['id']}/follow-up"
    wrong = call(
        "POST", path, {"outcome": "satisfied", "notes": "Fine now.", "reopen": True}, claims=SUPERVISOR
    )
    assert wrong.status == 400 and "reopen: only with outcome still_dissatisfied" in wrong.body["message"]
    body = {"outcome": "still_dissatisfied", "notes": "Refund still missing.", "reopen": True}
    done = call("POST", path, body, claims=SUPERVISOR)
    assert done.status == 200, done.text
    assert done.body["status"] == "in_progress" and done.body["reopenCount"] == 1
    assert done.body["followUp"]["status"] == "completed"
    # the reopen rule: the seed policy's 48 h counted from the reopen
    assert _parse(done.body["deadlines"]["resolutionDueAt"]) - _parse(done.body["reopenedAt"]) == timedelta(
        hours=48
    )
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert [(e["action"], e["actor"]["id"]) for e in trail[-2:]] == [
        ("complete_follow_up", "sup-1"),
        ("reopen", "sup-1"),
    ]


CARDS_AGENT = {"cognito:groups": "[agent team:cards]", "username": "agent-9", "scope": STAFF_SCOPE}
CARDS_SUPERVISOR = {"cognito:groups": "[supervisor team:cards]", "username": "sup-2", "scope": STAFF_SCOPE}
BANK_MANAGER = {"cognito:groups": "[manager]", "username": "mgr-2", "scope": STAFF_SCOPE}


def rated(call: Call, rating: int, team: str | None = None) -> str:
    """A complaint resolved (by its team's agent, after triage to `team`) and rated `rating`."""
    created = submit(call)
    agent = AGENT
    if team is not None:
        path = f"/v1/complaints/{created['id']}"
        assert call("PATCH", path, {"team": team, "version": created["version"]}, claims=AGENT).status == 200
        agent = CARDS_AGENT
    reply = call(
        "POST",
        f"/v1/complaints/{created['id']}/resolve",
        {"outcome": "upheld", "summary": "Refunded.", "rootCause": "duplicate batch"},
        claims=agent,
    )
    assert reply.status == 200, reply.body
    token = {"token": token_of(created["id"])}
    assert (
        call("POST", f"/v1/track/{created['id']}/feedback", {"rating": rating}, PUBLIC, token).status == 200
    )
    return str(created["id"])


def listed(call: Call, claims: dict[str, Any], **query: str) -> list[str]:
    reply = call("GET", "/v1/follow-ups", claims=claims, query=query)
    assert reply.status == 200, reply.body
    return [item["id"] for item in reply.body["items"]]


def test_follow_ups_are_listed_to_the_supervisors_of_the_team_that_owes_them_soonest_due_first(
    call: Call,
) -> None:
    intake = rated(call, 2)  # opened first: due first
    cards = rated(call, 1, team="cards")
    rated(call, 5)  # no follow-up: never listed
    assert listed(call, BANK_MANAGER) == [intake, cards]
    assert listed(call, SUPERVISOR) == [intake]
    assert listed(call, CARDS_SUPERVISOR) == [cards]
    assert listed(call, BANK_MANAGER, team="cards") == [cards]
    first = call("GET", "/v1/follow-ups", claims=BANK_MANAGER, query={"limit": "1"})
    assert [item["id"] for item in first.body["items"]] == [intake] and first.body["nextToken"]
    second = listed(call, BANK_MANAGER, limit="1", nextToken=first.body["nextToken"])
    assert second == [cards]
    item = call("GET", "/v1/follow-ups", claims=CARDS_SUPERVISOR).body["items"][0]
    assert item["followUp"]["status"] == "open" and item["followUp"]["team"] == "cards"

    other = call("GET", "/v1/follow-ups", claims=SUPERVISOR, query={"team": "cards"})
    assert other.status == 403 and "not team cards" in other.body["message"]
    assert call("GET", "/v1/follow-ups", claims=AGENT).status == 403

    body = {"outcome": "satisfied", "notes": "Called back."}
    assert call("POST", f"/v1/complaints/{intake}/follow-up", body, claims=SUPERVISOR).status == 200
    assert listed(call, BANK_MANAGER) == [cards]
    assert listed(call, BANK_MANAGER, status="completed") == [intake]


def test_a_supervisor_takes_a_follow_up_and_lists_the_calls_assigned_to_them(call: Call) -> None:
    first = rated(call, 2)
    second = rated(call, 3)
    taken = call("POST", f"/v1/complaints/{first}/follow-up/assignee", {}, claims=SUPERVISOR)
    assert taken.status == 200, taken.body
    assert taken.body["followUp"]["assignee"] == "sup-1"
    named = call(
        "POST", f"/v1/complaints/{second}/follow-up/assignee", {"assignee": "sup-2"}, claims=SUPERVISOR
    )
    assert named.status == 200 and named.body["followUp"]["assignee"] == "sup-2"
    assert listed(call, SUPERVISOR, assignee="me") == [first]
    assert listed(call, BANK_MANAGER, assignee="sup-2") == [second]
    assert listed(call, BANK_MANAGER) == [first, second]
    refused = call("POST", f"/v1/complaints/{first}/follow-up/assignee", {}, claims=AGENT)
    assert refused.status == 403
    # back to the team: no one's list but the team's
    back = call("POST", f"/v1/complaints/{second}/follow-up/assignee", {"assignee": None}, claims=SUPERVISOR)
    assert back.status == 200 and back.body["followUp"]["assignee"] is None
    assert listed(call, BANK_MANAGER, assignee="sup-2") == []


# --- reopen ---------------------------------------------------------------------------------------


def test_the_customer_reopens_a_resolved_complaint(call: Call) -> None:
    created = submit(call)
    query = {"token": token_of(created["id"])}
    early = call("POST", f"/v1/track/{created['id']}/reopen", {"reason": "too soon"}, PUBLIC, query)
    assert early.status == 409 and early.body["error"] == "illegal_transition"
    resolve(call, created["id"])
    missing_reason = call("POST", f"/v1/track/{created['id']}/reopen", {}, PUBLIC, query)
    assert missing_reason.status == 400
    reply = call(
        "POST", f"/v1/track/{created['id']}/reopen", {"reason": "Still charged twice"}, PUBLIC, query
    )
    assert reply.status == 200, reply.text
    assert reply.body["status"] == "in_progress" and reply.body["canReopen"] is False
    staff_view = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert staff_view["status"] == "in_progress" and staff_view["resolvedAt"] is None
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert (trail[-1]["action"], trail[-1]["actor"]["id"], trail[-1]["data"]) == (
        "reopen",
        "customer",
        {"reason": "Still charged twice"},
    )
    # disputing the outcome is no finding about the handling: no accountability record
    assert call("GET", "/v1/accountability", claims=MANAGER).body["items"] == []


def test_a_customer_who_says_it_was_handled_wrongly_opens_an_accountability_record(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])  # by agent-7 of the intake queue; nobody was assigned
    query = {"token": token_of(created["id"])}
    body = {"reason": "Nobody looked at my statement.", "category": "handling_wrong"}
    reply = call("POST", f"/v1/track/{created['id']}/reopen", body, PUBLIC, query)
    assert reply.status == 200, reply.text
    assert reply.body["status"] == "in_progress"
    assert "accountability" not in reply.text  # the customer sees nothing of it

    (record,) = call("GET", "/v1/accountability", claims={**MANAGER, "cognito:groups": "[manager]"}).body[
        "items"
    ]
    # the customer's words stay on the trail only (sealed as theirs, erased with them)
    assert (record["id"], record["trigger"], record["assignee"], record["team"], record["reason"]) == (
        f"{created['id']}.3",
        "reopened_handling_wrong",
        "unassigned",
        "unassigned",
        None,
    )
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert trail[-1]["data"] == {
        "reason": "Nobody looked at my statement.",
        "handlingWrong": True,
        "accountabilityRecord": record["id"],
    }
    bad = call("POST", f"/v1/track/{created['id']}/reopen", body | {"category": "angry"}, PUBLIC, query)
    assert bad.status == 400 and "category" in bad.body["message"]


# --- the page's forms, as a browser posts them ------------------------------------------------------


def _form(
    call: Call, complaint_id: str, action: str, fields: dict[str, str], lang: str | None = None
) -> Reply:
    query = {"token": token_of(complaint_id)} | ({"lang": lang} if lang else {})
    return call(
        "POST",
        f"/t/{complaint_id}/{action}",
        urlencode(fields),
        claims=PUBLIC,
        query=query,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def test_the_rating_form_posts_and_answers_with_the_page(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    page = _form(call, created["id"], "feedback", {"rating": "3", "comment": "一般 <b>ok</b>"})
    assert page.status == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="feedback-thanks"' in page.text and 'id="feedback-form"' not in page.text
    staff_view = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert staff_view["feedback"][0]["comment"] == "一般 <b>ok</b>"
    assert staff_view["followUp"]["status"] == "open"
    again = _form(call, created["id"], "feedback", {"rating": "5"})
    assert again.status == 409 and 'id="notice"' in again.text


def test_the_reopen_form_posts_and_answers_with_the_page(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    page = _form(call, created["id"], "reopen", {"reason": "Not refunded"}, lang="en")
    assert page.status == 200, page.text
    assert 'data-status="in_progress"' in page.text and "has been reopened" in page.text
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["status"] == "in_progress"


def test_the_reopen_form_says_what_kind_of_dispute_it_is(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    html = call("GET", f"/t/{created['id']}", claims=PUBLIC, query={"token": token_of(created["id"])}).text
    # the choices, the first checked: a customer who picks none disputes the outcome
    assert 'name="category" value="outcome_disputed" checked' in html
    assert 'name="category" value="handling_wrong"' in html and "处理有误" in html
    page = _form(
        call, created["id"], "reopen", {"reason": "They ignored my statement", "category": "handling_wrong"}
    )
    assert page.status == 200, page.text
    (record,) = call("GET", "/v1/accountability", claims={**MANAGER, "cognito:groups": "[manager]"}).body[
        "items"
    ]
    assert record["trigger"] == "reopened_handling_wrong"


def test_a_form_post_with_a_wrong_token_changes_nothing(call: Call) -> None:
    created = submit(call)
    resolve(call, created["id"])
    page = call(
        "POST",
        f"/t/{created['id']}/feedback",
        "rating=1",
        claims=PUBLIC,
        query={"token": "nope"},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert page.status == 403
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["feedback"] == []


# --- where the key comes from ---------------------------------------------------------------------


def test_the_keys_are_cached_for_an_instance_within_their_time_to_live(call: Call, ssm: Any) -> None:
    created = submit(call)
    assert track(call, created["id"]).status == 200
    ssm.delete_parameter(Name=f"{PARAMETER}/tracking/current")  # a read now would fail
    assert track(call, created["id"]).status == 200


def test_a_rotated_key_is_read_again_once_its_time_to_live_is_over(ssm: Any) -> None:
    ring = SsmKeyRing(PARAMETER, TRACKING_RING, ssm, max_age=timedelta(seconds=0))
    assert ring.current() == KEY
    put_link_keys(PARAMETER, tracking=f"t2:{NEW_KEY.secret}", previous_tracking=f"t1:{SECRET}")
    assert ring.current() == NEW_KEY
    assert list(ring.accepted()) == [NEW_KEY, KEY]
    assert ring.legacy() == LEGACY_SECRET
    cached = SsmKeyRing(PARAMETER, TRACKING_RING, ssm)
    assert cached.current() == NEW_KEY
    put_link_keys(PARAMETER, tracking=f"t3:{RETIRED_KEY.secret}")
    assert cached.current() == NEW_KEY  # within its 5 minutes


def test_report_keys_are_not_tracking_keys(ssm: Any) -> None:
    from complaints.adapters.parameters import REPORTS_RING

    assert SsmKeyRing(PARAMETER, REPORTS_RING, ssm).current() != KEY
    assert SsmKeyRing(PARAMETER, REPORTS_RING, ssm).path == f"{PARAMETER}/reports"


def test_a_missing_or_garbled_key_ring_is_a_deployment_fault_and_throttling_is_503(ssm: Any) -> None:
    with pytest.raises(SigningKeyUnavailable, match="current is missing"):
        SsmKeyRing("/nope", TRACKING_RING, ssm).current()
    assert SsmKeyRing("/nope", TRACKING_RING, ssm).legacy() is None
    ssm.put_parameter(Name="/garbled/tracking/current", Value=SECRET, Type="SecureString")
    with pytest.raises(SigningKeyUnavailable, match="<keyId>:<secret>"):
        SsmKeyRing("/garbled", TRACKING_RING, ssm).accepted()
    client = boto3.client("ssm", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_parameters_by_path", service_error_code="ThrottlingException", http_status_code=400
        )
        with pytest.raises(ServiceUnavailable):
            SsmKeyRing(PARAMETER, TRACKING_RING, client).current()


# --- rotation, expiry and the links sent before key ids ------------------------------------------------


def test_during_a_rotation_links_of_both_keys_open_and_after_it_only_the_new_ones(
    call: Call, ssm: Any
) -> None:
    created = submit(call)
    old_link = tracking_token(created["id"], KEY)
    # Operations: the current key becomes previous, then the new key current; instances pick it up.
    put_link_keys(PARAMETER, tracking=f"t2:{NEW_KEY.secret}", previous_tracking=f"t1:{SECRET}")
    clear_caches()
    assert track(call, created["id"], token=old_link).status == 200
    assert track(call, created["id"], token=tracking_token(created["id"], NEW_KEY)).status == 200
    # The window is over: previous deleted.
    ssm.delete_parameter(Name=f"{PARAMETER}/tracking/previous")
    clear_caches()
    assert_invalid_link(track(call, created["id"], token=old_link))
    page = call("GET", f"/t/{created['id']}", claims=PUBLIC, query={"token": old_link})
    wrong = call("GET", f"/t/{created['id']}", claims=PUBLIC, query={"token": "nope"})
    assert page.status == 403 and page.text == wrong.text
    assert track(call, created["id"], token=tracking_token(created["id"], NEW_KEY)).status == 200


def test_a_retired_a_tampered_or_an_invented_key_id_is_a_wrong_link(call: Call) -> None:
    created = submit(call)
    key_id, expires, mac = token_of(created["id"]).split(".")
    later = int(expires) + 365 * 86400
    for token in (
        tracking_token(created["id"], RETIRED_KEY),
        f"t0.{expires}.{mac}",
        f"t2.{expires}.{mac}",
        f"{key_id}.{later}.{mac}",  # a longer life
        tracking_token(created["id"], SigningKey("t1", RETIRED_KEY.secret)),
    ):
        assert_invalid_link(track(call, created["id"], token=token))


def test_an_expired_link_still_opens_while_the_complaint_is_open(call: Call) -> None:
    created = submit(call)
    expired = tracking_token(created["id"], KEY, datetime.now().astimezone() - timedelta(days=1))
    assert track(call, created["id"], token=expired).status == 200
    resolve(call, created["id"])
    assert track(call, created["id"], token=expired).status == 200
    # the customer accepts the outcome through their (fresh) link: staff may then close it
    query = {"token": token_of(created["id"])}
    accepted = call("POST", f"/v1/track/{created['id']}/accept", None, PUBLIC, query)
    assert accepted.status == 200 and accepted.body["acceptedAt"] is not None, accepted.body
    reply = call("POST", f"/v1/complaints/{created['id']}/close", {}, claims=AGENT)
    assert reply.status == 200, reply.body
    assert track(call, created["id"], token=expired).status == 200  # closed today: 180 days to go


def test_a_link_sent_before_key_ids_opens_while_the_legacy_key_is_kept(call: Call, ssm: Any) -> None:
    created = submit(call)
    legacy = tracking_token(created["id"], LEGACY_SECRET)  # `?token=<hmac of the id>`
    assert track(call, created["id"], token=legacy).status == 200
    assert_invalid_link(track(call, created["id"], token=tracking_token(created["id"], SECRET)))
    ssm.delete_parameter(Name=PARAMETER)  # operations retire the legacy links
    clear_caches()
    assert_invalid_link(track(call, created["id"], token=legacy))
    assert track(call, created["id"]).status == 200


def test_a_missing_parameter_is_a_deployment_fault_and_throttling_is_503(aws: Any) -> None:
    missing = SsmSigningKey("/nope", boto3.client("ssm", region_name=REGION))
    with pytest.raises(SigningKeyUnavailable, match="ParameterNotFound"):
        missing.secret()
    client = boto3.client("ssm", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_client_error("get_parameter", service_error_code="ThrottlingException", http_status_code=400)
        with pytest.raises(ServiceUnavailable):
            SsmSigningKey(PARAMETER, client).secret()


# --- waiting on the customer, accepting, withdrawing (issue 12) -----------------------------------------


def test_while_the_bank_waits_the_customer_answers_through_the_link_and_the_clock_restarts(
    call: Call,
) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    call("POST", f"{path}/responses", {"message": "We are looking into it."}, claims=AGENT)
    pause = {"reason": "need the statement", "needed": "Your card statement of March"}
    paused = call("POST", f"{path}/pause", pause, claims=AGENT).body
    query = {"token": token_of(created["id"])}
    view = track(call, created["id"], token=query["token"]).body
    assert (view["canReply"], view["informationNeeded"], view["replyBy"]) == (
        True,
        "Your card statement of March",
        paused["pausedUntil"],
    )
    answer = {"message": "Attached by post."}
    answered = call("POST", f"/v1/track/{created['id']}/reply", answer, PUBLIC, query)
    assert answered.status == 200, answered.body
    assert answered.body["status"] == "in_progress" and answered.body["canReply"] is False
    trail = call("GET", f"{path}/events", claims=AGENT).body["items"]
    assert (trail[-1]["action"], trail[-1]["actor"]["id"], trail[-1]["data"]) == (
        "resume",
        "customer",
        {"message": "Attached by post."},
    )
    again = call("POST", f"/v1/track/{created['id']}/reply", {"message": "and again"}, PUBLIC, query)
    assert again.status == 409 and again.body["error"] == "illegal_transition"


def test_the_customer_withdraws_through_the_link_and_the_page(call: Call) -> None:
    by_api, by_page = submit(call), submit(call)
    withdrawn = call(
        "POST", f"/v1/track/{by_api['id']}/withdraw", {}, PUBLIC, {"token": token_of(by_api["id"])}
    )
    assert withdrawn.status == 200 and withdrawn.body["status"] == "withdrawn"
    stored = call("GET", f"/v1/complaints/{by_api['id']}", claims=AGENT).body
    withdrawal = stored["withdrawal"]
    assert (withdrawal["receivedVia"], withdrawal["recordedBy"]) == ("tracking_link", "customer")

    page = call(
        "POST",
        f"/t/{by_page['id']}/withdraw",
        "reason=resolved+at+the+branch&confirm=yes",
        claims=PUBLIC,
        query={"token": token_of(by_page["id"]), "lang": "en"},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-status="withdrawn"' in page.text and "has been withdrawn" in page.text
    assert call("GET", f"/v1/complaints/{by_page['id']}", claims=AGENT).body["status"] == "withdrawn"


def test_a_wrong_token_withdraws_accepts_and_answers_nothing(call: Call) -> None:
    created = submit(call)
    for path, body in (("withdraw", {}), ("accept", None), ("reply", {"message": "x"})):
        reply = call("POST", f"/v1/track/{created['id']}/{path}", body, PUBLIC, {"token": "nope"})
        assert_invalid_link(reply)
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["version"] == 1
