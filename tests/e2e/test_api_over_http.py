"""The v1 contract over real HTTP against the local runtime: what a channel app and staff see."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from e2e_support import Api, complaint_body, triaged

pytestmark = pytest.mark.xdist_group("e2e")
ROOT = Path(__file__).resolve().parents[2]


def submit(api: Api, body: dict[str, Any] | None = None, key: str | None = None) -> requests.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return api.request(
        "POST", "/v1/complaints", role="channel_app", json=body or complaint_body(), headers=headers
    )


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_tokens_are_handed_out_for_every_role(api: Api) -> None:
    assert set(api.tokens) == {
        "channel_app",
        "channel_app_2",
        "agent",
        "agent_other_team",
        "supervisor",
        "manager",
        "compliance",
    }


def test_access_is_scoped_to_the_submitting_app_and_the_agents_teams(api: Api) -> None:
    created = submit(api, complaint_body(customer_id="C-E2E-ACCESS")).json()
    path = f"/v1/complaints/{created['id']}"
    assert api.request("GET", path, role="channel_app").status_code == 200
    # another app: the answer to an unknown id
    other_app = api.request("GET", path, role="channel_app_2")
    unknown = api.request("GET", f"/v1/complaints/{uuid.uuid4()}", role="channel_app_2")
    assert other_app.status_code == unknown.status_code == 404
    assert other_app.json()["error"] == unknown.json()["error"] == "not_found"
    # the intake queue is the local agent's, not the other team's
    assert api.request("GET", path, role="agent_other_team").status_code == 403
    moved = api.request("PATCH", path, json={"team": "collections", "version": 1})
    assert moved.status_code == 200, moved.text
    assert api.request("GET", path, role="agent_other_team").status_code == 200
    assert api.request("GET", path, role="agent").status_code == 403
    listed = api.request("GET", "/v1/complaints", role="agent", params={"customerId": "C-E2E-ACCESS"})
    assert listed.json()["items"] == []
    # the app serving the customer finds the open complaint without its details
    found = api.request(
        "POST",
        "/v1/customers/C-E2E-ACCESS/open-complaints",
        role="channel_app_2",
        json={"phone": "+8613912345678"},
    ).json()
    assert found == {
        "items": [
            {
                "reference": created["reference"],
                "status": "received",
                "channel": "counter",
                "category": "service",
                "receivedAt": created["receivedAt"],
            }
        ]
    }


def test_intake_returns_the_contract_fields_and_seed_deadlines(api: Api) -> None:
    received = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    response = submit(api, complaint_body(receivedAt=iso(received)))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "received"
    assert created["version"] == 1
    assert created["reference"].startswith("CG-")
    # seed policy: first response 24 h and resolution 48 h after receipt
    assert created["deadlines"] == {
        "firstResponseDueAt": iso(received + timedelta(hours=24)),
        "resolutionDueAt": iso(received + timedelta(hours=48)),
        "solutionPlanDueAt": None,  # a simple complaint owes no solution plan
    }
    fetched = api.request("GET", f"/v1/complaints/{created['id']}", role="channel_app").json()
    assert fetched == created


def test_bad_input_names_the_wrong_fields_and_stores_nothing(api: Api) -> None:
    body = complaint_body(customer_id="C-BAD")
    body["customer"]["phone"] = "13912345678"  # no country code
    body["description"] = "x" * 50_001
    body["colour"] = "red"
    response = submit(api, body)
    assert response.status_code == 400
    error = response.json()
    assert error["error"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"customer.phone", "description", "colour"}
    listed = api.request("GET", "/v1/complaints", params={"customerId": "C-BAD"}).json()
    assert listed["items"] == []


def test_a_receipt_time_in_the_future_is_refused(api: Api) -> None:
    response = submit(api, complaint_body(receivedAt=iso(datetime.now(UTC) + timedelta(hours=2))))
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "receivedAt"


def test_without_a_token_401_and_without_the_role_403(api: Api) -> None:
    assert api.request("GET", "/v1/complaints", role=None).status_code == 401
    forged = requests.get(f"{api.url}/v1/complaints", headers={"Authorization": "Bearer x.y.z"}, timeout=10)
    assert forged.status_code == 401
    assert forged.json()["error"] == "unauthorized"
    listing = api.request("GET", "/v1/complaints", role="channel_app")
    assert listing.status_code == 403
    assert listing.json()["error"] == "forbidden"
    created = submit(api).json()
    extend = api.request("POST", f"/v1/complaints/{created['id']}/extend", role="agent", json={"reason": "x"})
    assert extend.status_code == 403
    staff_submits = api.request("POST", "/v1/complaints", role="agent", json=complaint_body())
    assert staff_submits.status_code == 403


def test_same_idempotency_key_same_complaint_other_body_conflict(api: Api) -> None:
    key = str(uuid.uuid4())
    body = complaint_body(customer_id="C-IDEM")
    first, again = submit(api, body, key), submit(api, body, key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    other = submit(api, complaint_body(customer_id="C-IDEM", description="another matter"), key)
    assert other.status_code == 409
    assert other.json()["error"] == "idempotency_key_reused"
    stored = api.request("GET", "/v1/complaints", params={"customerId": "C-IDEM"}).json()["items"]
    assert [c["id"] for c in stored] == [first.json()["id"]]


def test_a_complaint_worked_through_its_lifecycle(api: Api) -> None:
    complaint = submit(api, complaint_body(customer_id="C-LIFE")).json()
    path = f"/v1/complaints/{complaint['id']}"
    triaged(api, complaint["id"])  # version 2: triage's reading, seconds after intake

    def act(action: str, body: dict[str, Any], role: str = "agent") -> dict[str, Any]:
        response = api.request("POST", f"{path}/{action}", role=role, json=body)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    answered = act("responses", {"message": "您好，我们已收到您的投诉，正在核实。"})
    assert answered["status"] == "acknowledged" and answered["firstRespondedAt"]
    assigned = api.request(
        "PATCH",
        path,
        json={"assignee": "li.na", "team": "branch-ops"},
        headers={"If-Match": str(answered["version"])},
    ).json()
    assert assigned["status"] == "in_progress"
    paused = act("pause", {"reason": "the card is not on file", "needed": "您的银行卡号后四位"})
    assert paused["status"] == "awaiting_customer"
    resumed = act("resume", {})
    assert resumed["status"] == "in_progress"
    assert resumed["deadlines"]["resolutionDueAt"] >= paused["deadlines"]["resolutionDueAt"]
    escalated = act("escalate", {"reason": "the branch cannot return the card"})
    assert escalated["escalationLevel"] == 1
    resolved = act(
        "resolve",
        {
            "outcome": "upheld",
            "summary": "Card returned by courier.",
            "rootCause": "ATM card reader fault",
            "redress": {"amount": "50.00"},
        },
    )
    assert resolved["status"] == "resolved" and resolved["resolution"]["outcome"] == "upheld"
    stale = api.request("POST", f"{path}/close", json={"version": 1})
    assert stale.status_code == 409 and stale.json()["error"] == "version_conflict"
    # the customer accepted the outcome on the phone when the card came back
    accepted = {"receivedVia": "phone", "receivedAt": resolved["resolvedAt"]}
    closed = act("close", {"version": resolved["version"]} | accepted)
    assert closed["status"] == "closed" and closed["closedAt"]
    refused = api.request("POST", f"{path}/reopen", json={"reason": "still unhappy"})
    assert refused.status_code == 409 and refused.json()["error"] == "illegal_transition"

    trail = api.request("GET", f"{path}/events", role="compliance").json()["items"]
    assert [e["action"] for e in trail] == [
        "receive",
        "triage",
        "respond",
        "update",
        "pause",
        "resume",
        "escalate",
        "resolve",
        "close",
    ]
    assert [e["version"] for e in trail] == list(range(1, 10))
    assert trail[3]["changes"]["assignee"] == {"before": None, "after": "li.na"}
    assert trail[3]["actor"]["id"] == "local-agent"


def test_withdrawn_complaints_stay_withdrawn(api: Api) -> None:
    complaint = submit(api, complaint_body(customer_id="C-WD")).json()
    path = f"/v1/complaints/{complaint['id']}"
    asked = {"reason": "sorted at the branch", "receivedVia": "branch", "receivedAt": complaint["receivedAt"]}
    assert api.request("POST", f"{path}/withdraw", json=asked).json()["status"] == "withdrawn"
    again = api.request("POST", f"{path}/responses", json={"message": "hello"})
    assert again.status_code == 409


def test_list_pages_through_every_complaint_once_newest_first(api: Api) -> None:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    created = [
        submit(
            api, complaint_body(customer_id="C-PAGE", receivedAt=iso(start + timedelta(minutes=n)))
        ).json()["id"]
        for n in range(5)
    ]
    seen: list[str] = []
    token = None
    while True:
        params = {"customerId": "C-PAGE", "limit": 2} | ({"nextToken": token} if token else {})
        page = api.request("GET", "/v1/complaints", params=params).json()
        seen.extend(item["id"] for item in page["items"])
        token = page.get("nextToken")
        if not token:
            break
    assert seen == list(reversed(created))
    bad = api.request("GET", "/v1/complaints", params={"customerId": "C-PAGE", "nextToken": "garbage"})
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "nextToken"


def test_unknown_ids_and_routes_are_404(api: Api) -> None:
    missing = api.request("GET", f"/v1/complaints/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert api.request("GET", "/v1/nowhere").status_code == 404


def test_sla_preview_uses_the_same_rules_as_intake(api: Api) -> None:
    response = api.request(
        "POST",
        "/v1/sla/preview",
        role="channel_app",
        json={"slaPolicy": "cbirc-2020", "receivedAt": "2026-09-30T10:00:00Z"},
    )
    assert response.status_code == 200
    # 30 Sep 18:00 in Shanghai: 24 h later for the first response; 15 days counted from 1 Oct end on
    # 15 Oct 23:59:59 CST = 15:59:59Z.
    assert response.json() == {
        "firstResponseDueAt": "2026-10-01T10:00:00Z",
        "resolutionDueAt": "2026-10-15T15:59:59Z",
        "solutionPlanDueAt": None,
    }


def test_openapi_document_is_served_without_a_token_and_matches_the_committed_one(api: Api) -> None:
    served = requests.get(f"{api.url}/v1/openapi.json", timeout=10)
    assert served.status_code == 200
    assert served.json() == json.loads((ROOT / "docs" / "openapi.json").read_text())
