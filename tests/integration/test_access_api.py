"""Access scoped to need (core/access, docs/architecture.md §1 "Access rules") through the api handler
on moto, with the claims each caller's token would carry: channel apps see what they submitted, staff
act on their teams' complaints, managers and compliance read everything, compliance notes but does no
other work, and a channel app serving a customer may ask for that customer's open complaints."""

from __future__ import annotations

from typing import Any

import pytest
from api_events import CUSTOMER, Call, Reply, intake_body, staff_claims

APP_SCOPES = "complaint-guard/complaints.submit complaint-guard/complaints.read"
COUNTER_APP = {"client_id": "counter-app", "scope": APP_SCOPES}
MOBILE_APP = {"client_id": "mobile-app", "scope": APP_SCOPES}
READ_ONLY_APP = {"client_id": "tracker-app", "scope": "complaint-guard/complaints.read"}


INTAKE_AGENT = staff_claims("agent-1", "agent team:intake")
CARDS_AGENT = staff_claims("agent-7", "agent team:cards")
LOANS_AGENT = staff_claims("agent-9", "agent team:loans")
CARDS_SUPERVISOR = staff_claims("sup-1", "supervisor team:cards")
LOANS_SUPERVISOR = staff_claims("sup-2", "supervisor team:loans")
MANAGER = staff_claims("mgr-1", "manager")
COMPLIANCE = staff_claims("legal-1", "compliance")

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    return COUNTER_APP


def submit(call: Call, claims: dict[str, Any] = COUNTER_APP, **overrides: Any) -> dict[str, Any]:
    reply = call("POST", "/v1/complaints", intake_body(**overrides), claims=claims)
    assert reply.status == 201, reply.body
    return reply.body


def ok(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.body
    return body


def refused(reply: Reply, status: int, code: str) -> str:
    assert reply.status == status, reply.body
    assert set(reply.body) == {"error", "message", "details"} and reply.body["error"] == code
    message: str = reply.body["message"]
    return message


def to_team(call: Call, complaint: dict[str, Any], team: str) -> dict[str, Any]:
    """Triaged from the intake queue to `team` by the intake agent."""
    path = f"/v1/complaints/{complaint['id']}"
    return ok(call("PATCH", path, {"team": team, "version": complaint["version"]}, claims=INTAKE_AGENT))


def ids(reply: Reply) -> list[str]:
    return [item["id"] for item in ok(reply)["items"]]


# --- channel apps ------------------------------------------------------------------------------------


def test_a_channel_app_reads_its_own_complaint_and_another_apps_id_is_an_unknown_id(call: Call) -> None:
    mine = submit(call)
    assert ok(call("GET", f"/v1/complaints/{mine['id']}", claims=COUNTER_APP))["id"] == mine["id"]

    theirs = call("GET", f"/v1/complaints/{mine['id']}", claims=MOBILE_APP)
    unknown = call("GET", "/v1/complaints/00000000-0000-4000-8000-000000000000", claims=MOBILE_APP)
    refused(theirs, 404, "not_found")
    refused(unknown, 404, "not_found")
    # The same answer but for the id it echoes: nothing tells the other app the complaint exists.
    assert theirs.body == {
        **unknown.body,
        "message": unknown.body["message"].replace("00000000-0000-4000-8000-000000000000", mine["id"]),
    }
    assert theirs.headers.get("content-type") == unknown.headers.get("content-type")


def test_a_channel_app_may_not_read_the_audit_trail_of_any_complaint_alike(call: Call) -> None:
    mine = submit(call)
    own = call("GET", f"/v1/complaints/{mine['id']}/events", claims=COUNTER_APP)
    other = call("GET", f"/v1/complaints/{mine['id']}/events", claims=MOBILE_APP)
    unknown = call("GET", "/v1/complaints/no-such-id/events", claims=MOBILE_APP)
    for reply in (own, other, unknown):
        assert "read audit trails" in refused(reply, 403, "forbidden")
    assert other.body == unknown.body


def test_a_complaint_moved_to_a_team_is_still_read_by_the_app_that_submitted_it(call: Call) -> None:
    mine = to_team(call, submit(call), "cards")
    assert ok(call("GET", f"/v1/complaints/{mine['id']}", claims=COUNTER_APP))["team"] == "cards"
    refused(call("GET", f"/v1/complaints/{mine['id']}", claims=MOBILE_APP), 404, "not_found")


# --- staff and their teams -----------------------------------------------------------------------------


def test_an_agent_of_another_team_may_neither_read_nor_act_403_naming_the_rule(call: Call) -> None:
    complaint = to_team(call, submit(call), "cards")
    path = f"/v1/complaints/{complaint['id']}"
    before = ok(call("GET", path, claims=CARDS_AGENT))

    message = refused(call("GET", path, claims=LOANS_AGENT), 403, "forbidden")
    assert "team cards" in message and "yours: loans" in message
    refused(call("GET", f"{path}/events", claims=LOANS_AGENT), 403, "forbidden")
    for method, suffix, body in (
        ("PATCH", "", {"assignee": "agent-9", "version": before["version"]}),
        ("POST", "/responses", {"message": "Hello"}),
        ("POST", "/responses", {"message": "a note", "internal": True}),
        ("POST", "/escalate", {"reason": "slow"}),
        ("POST", "/resolve", {"outcome": "not_upheld", "summary": "No fault.", "rootCause": "none"}),
        ("POST", "/withdraw", {"receivedVia": "phone", "receivedAt": complaint["receivedAt"]}),
    ):
        reply = call(method, path + suffix, body, claims=LOANS_AGENT)
        assert "your teams" in refused(reply, 403, "forbidden"), suffix
    assert ok(call("GET", path, claims=CARDS_AGENT)) == before  # nothing changed


def test_the_agent_of_the_team_works_it(call: Call) -> None:
    complaint = to_team(call, submit(call), "cards")
    path = f"/v1/complaints/{complaint['id']}"
    answered = ok(call("POST", f"{path}/responses", {"message": "We are on it."}, claims=CARDS_AGENT))
    assert answered["status"] == "acknowledged"
    assigned = ok(
        call("PATCH", path, {"assignee": "agent-7", "version": answered["version"]}, claims=CARDS_AGENT)
    )
    assert assigned["status"] == "in_progress"
    assert [e["action"] for e in ok(call("GET", f"{path}/events", claims=CARDS_AGENT))["items"]] == [
        "receive",
        "update",
        "respond",
        "update",
    ]


def test_the_intake_queue_is_worked_by_the_intake_team_only(call: Call) -> None:
    complaint = submit(call)
    path = f"/v1/complaints/{complaint['id']}"
    message = refused(call("GET", path, claims=CARDS_AGENT), 403, "forbidden")
    assert "intake queue" in message
    refused(call("POST", f"{path}/responses", {"message": "hi"}, claims=CARDS_AGENT), 403, "forbidden")
    # The intake agent hands it to a team; from then on it is that team's, no longer the intake's.
    moved = to_team(call, complaint, "cards")
    assert ok(call("GET", path, claims=CARDS_AGENT))["version"] == moved["version"]
    refused(call("GET", path, claims=INTAKE_AGENT), 403, "forbidden")


def test_supervisors_extend_and_complete_follow_ups_only_for_their_teams(call: Call) -> None:
    complaint = to_team(call, submit(call, slaPolicy="cbirc-2020"), "cards")
    path = f"/v1/complaints/{complaint['id']}"
    other = call("POST", f"{path}/extend", {"reason": "complex"}, claims=LOANS_SUPERVISOR)
    assert "your teams" in refused(other, 403, "forbidden")
    follow_up = {"outcome": "satisfied", "notes": "Called back."}
    refused(call("POST", f"{path}/follow-up", follow_up, claims=LOANS_SUPERVISOR), 403, "forbidden")
    extended = ok(call("POST", f"{path}/extend", {"reason": "complex"}, claims=CARDS_SUPERVISOR))
    assert extended["version"] == complaint["version"] + 1
    # the team's supervisor gets past the access rule to the lifecycle's (no low rating: no follow-up)
    refused(call("POST", f"{path}/follow-up", follow_up, claims=CARDS_SUPERVISOR), 409, "illegal_transition")


def test_a_manager_reads_every_complaint_but_acts_only_on_their_teams(call: Call) -> None:
    complaint = to_team(call, submit(call), "cards")
    path = f"/v1/complaints/{complaint['id']}"
    assert ok(call("GET", path, claims=MANAGER))["id"] == complaint["id"]
    assert [e["action"] for e in ok(call("GET", f"{path}/events", claims=MANAGER))["items"]] == [
        "receive",
        "update",
    ]
    refused(call("POST", f"{path}/escalate", {"reason": "slow"}, claims=MANAGER), 403, "forbidden")
    cards_manager = staff_claims("mgr-2", "manager team:cards")
    assert (
        ok(call("POST", f"{path}/escalate", {"reason": "slow"}, claims=cards_manager))["escalationLevel"] == 1
    )


def test_compliance_reads_everything_and_adds_notes_but_may_not_respond_or_work(call: Call) -> None:
    complaint = to_team(call, submit(call), "cards")
    path = f"/v1/complaints/{complaint['id']}"
    assert ok(call("GET", path, claims=COMPLIANCE))["id"] == complaint["id"]
    noted = ok(
        call("POST", f"{path}/responses", {"message": "Reviewed: fine.", "internal": True}, claims=COMPLIANCE)
    )
    assert (noted["status"], noted["version"]) == ("received", complaint["version"] + 1)
    trail = ok(call("GET", f"{path}/events", claims=COMPLIANCE))["items"]
    assert (trail[-1]["action"], trail[-1]["actor"]) == ("note", {"id": "legal-1", "roles": ["compliance"]})

    public = call("POST", f"{path}/responses", {"message": "Dear customer"}, claims=COMPLIANCE)
    assert "work complaints" in refused(public, 403, "forbidden")
    withdrawal = {"receivedVia": "letter", "receivedAt": complaint["receivedAt"]}
    for suffix, body in (("/escalate", {"reason": "x"}), ("/withdraw", withdrawal)):
        refused(call("POST", path + suffix, body, claims=COMPLIANCE), 403, "forbidden")
    refused(
        call("PATCH", path, {"assignee": "x", "version": noted["version"]}, claims=COMPLIANCE),
        403,
        "forbidden",
    )
    assert ok(call("GET", path, claims=COMPLIANCE))["version"] == noted["version"]


# --- listings --------------------------------------------------------------------------------------------


def test_an_agents_list_holds_their_teams_complaints_only_and_pages_through_them_once(call: Call) -> None:
    made: dict[str, list[str]] = {"intake": [], "cards": [], "loans": []}
    for n in range(9):  # newest last; interleaved so that every page of the index mixes teams
        team = ("intake", "cards", "loans")[n % 3]
        complaint = submit(call)
        made[team].append(complaint["id"] if team == "intake" else to_team(call, complaint, team)["id"])

    def every_page(claims: dict[str, Any], limit: int) -> list[str]:
        seen: list[str] = []
        token = None
        while True:
            query = {"limit": str(limit)} | ({"nextToken": token} if token else {})
            page = ok(call("GET", "/v1/complaints", claims=claims, query=query))
            assert len(page["items"]) <= limit
            seen.extend(item["id"] for item in page["items"])
            token = page.get("nextToken")
            if not token:
                return seen

    def newest_first(*teams: str) -> list[str]:
        mine = {complaint_id for team in teams for complaint_id in made[team]}
        everything = [complaint_id for trio in zip(*made.values(), strict=True) for complaint_id in trio]
        return [complaint_id for complaint_id in reversed(everything) if complaint_id in mine]

    both = staff_claims("agent-5", "agent team:intake team:cards")
    assert every_page(both, limit=2) == newest_first("intake", "cards")
    assert every_page(LOANS_AGENT, limit=2) == newest_first("loans")
    assert every_page(LOANS_AGENT, limit=100) == newest_first("loans")
    assert every_page(MANAGER, limit=4) == newest_first("intake", "cards", "loans")
    assert every_page(COMPLIANCE, limit=100) == newest_first("intake", "cards", "loans")
    # a filter narrows within the scope
    received = ok(call("GET", "/v1/complaints", claims=LOANS_AGENT, query={"status": "received"}))
    assert [item["id"] for item in received["items"]] == newest_first("loans")


def test_a_page_token_is_bound_to_the_scope_that_issued_it(call: Call) -> None:
    for _ in range(3):
        to_team(call, submit(call), "cards")
    page = ok(call("GET", "/v1/complaints", claims=MANAGER, query={"limit": "1"}))
    reused = call(
        "GET", "/v1/complaints", claims=CARDS_AGENT, query={"limit": "1", "nextToken": page["nextToken"]}
    )
    refused(reused, 400, "validation_error")


def test_staff_in_no_team_are_told_to_join_one(call: Call) -> None:
    submit(call)
    message = refused(call("GET", "/v1/complaints", claims=staff_claims("new-1", "agent")), 403, "forbidden")
    assert "no team" in message


# --- a customer's open complaints, for the channel app serving them --------------------------------------


def lookup(call: Call, body: Any, claims: dict[str, Any] = MOBILE_APP, customer: str = "C-1001") -> Reply:
    return call("POST", f"/v1/customers/{customer}/open-complaints", body, claims=claims)


def test_an_app_serving_the_customer_sees_their_open_complaints_and_nothing_more(call: Call) -> None:
    # Two open complaints of customer C-1001 from the counter, one resolved, one of another customer.
    first = submit(call, channel="counter")
    second = submit(call, channel="hotline", category="conduct")
    done = submit(call)
    ok(
        call(
            "POST",
            f"/v1/complaints/{done['id']}/resolve",
            {"outcome": "upheld", "summary": "Refunded.", "rootCause": "batch replay"},
            claims=INTAKE_AGENT,
        )
    )
    submit(call, customer={**CUSTOMER, "customerId": "C-2002"})

    by_phone = ok(lookup(call, {"phone": CUSTOMER["phone"]}))
    assert by_phone == {
        "items": [
            {
                "reference": c["reference"],
                "status": "received",
                "channel": c["channel"],
                "category": c["category"],
                "receivedAt": c["receivedAt"],
            }
            for c in (second, first)
        ]
    }
    by_email = ok(lookup(call, {"email": CUSTOMER["email"].upper()}))
    assert by_email == by_phone
    # The answer holds no description, name, contact, id or staff data: only the five fields.
    assert {key for item in by_phone["items"] for key in item} == {
        "reference",
        "status",
        "channel",
        "category",
        "receivedAt",
    }


@pytest.mark.parametrize(
    ("customer", "body"),
    [
        ("C-1001", {"phone": "+8613800138001"}),  # a contact the bank does not hold for them
        ("C-1001", {"email": "someone.else@bank-customer.cn"}),
        ("C-2002", {"phone": CUSTOMER["phone"]}),  # the contact of another customer
        ("C-9999", {"phone": CUSTOMER["phone"]}),  # nobody
        ("C!1001", {"phone": CUSTOMER["phone"]}),  # an id no complaint can have been stored under
    ],
)
def test_without_the_right_contact_the_answer_is_empty_like_for_nobody(
    call: Call, customer: str, body: dict[str, str]
) -> None:
    submit(call)
    submit(call, customer={**CUSTOMER, "customerId": "C-2002", "phone": "+8613900139000"})
    assert ok(lookup(call, body, customer=customer)) == {"items": []}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"phone": CUSTOMER["phone"], "email": CUSTOMER["email"]},
        {"phone": "138 0013 8000"},
        {"name": "Li Wei"},
    ],
)
def test_the_lookup_needs_exactly_one_valid_contact(call: Call, body: dict[str, str]) -> None:
    refused(lookup(call, body), 400, "validation_error")


@pytest.mark.parametrize(
    "claims",
    [READ_ONLY_APP, INTAKE_AGENT, MANAGER, COMPLIANCE],
    ids=["read-only app", "agent", "manager", "compliance"],
)
def test_the_lookup_is_for_channel_apps_that_submit(call: Call, claims: dict[str, Any]) -> None:
    submit(call)
    message = refused(lookup(call, {"phone": CUSTOMER["phone"]}, claims=claims), 403, "forbidden")
    assert "look up a customer's open complaints" in message
