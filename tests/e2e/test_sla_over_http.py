"""Deadlines over HTTP on the local runtime: the SLA tracker (Step Functions on the emulator) escalates
breached complaints within seconds, the sweep warns at 80 %, accountability records are reviewed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from e2e_support import Api, complaint_body, poll, read_complaint

pytestmark = pytest.mark.xdist_group("e2e")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def submit(api: Api, **fields: Any) -> dict[str, Any]:
    response = api.request("POST", "/v1/complaints", role="channel_app", json=complaint_body(**fields))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def escalated(
    api: Api, complaint_id: str, breached: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The complaint and its audit trail once the tracker's escalation of its last `breached` deadline is
    all visible: the emulator applies a transaction's items, and an update's actions, one after another,
    so a read can land between them (DynamoDB applies them at once). The complaint's breach is the update's
    last action; its audit event and accountability record are the transaction's later items."""
    complaint = poll(
        lambda: read_complaint(api, complaint_id),
        lambda c: [b["deadline"] for b in c["breaches"]] == breached,
    )

    def read_trail() -> dict[str, Any]:
        page: dict[str, Any] = api.request(
            "GET", f"/v1/complaints/{complaint_id}/events", role="compliance"
        ).json()
        return page

    trail = poll(
        read_trail, lambda read: sum(e["action"] == "sla_escalate" for e in read["items"]) >= len(breached)
    )
    events: list[dict[str, Any]] = trail["items"]
    return complaint, events


def accountability_triggers(api: Api, complaint_id: str, expected: set[str]) -> set[str]:
    """The triggers of the complaint's accountability records, once `expected` are there (or 30 s on)."""

    def read() -> dict[str, set[str]]:
        records = api.request("GET", "/v1/accountability", role="manager").json()["items"]
        return {"triggers": {r["trigger"] for r in records if r["complaintId"] == complaint_id}}

    found: set[str] = poll(read, lambda triggers: triggers["triggers"] >= expected)["triggers"]
    return found


def test_a_critical_complaint_escalates_to_compliance_within_seconds_of_its_deadline(api: Api) -> None:
    received = datetime.now(UTC) - timedelta(hours=4) + timedelta(seconds=3)
    created = submit(api, customer_id="C-SLA-CRIT", priority="critical", receivedAt=iso(received))
    assert created["escalationLevel"] == 1  # critical complaints start at level 1
    due = datetime.fromisoformat(created["deadlines"]["firstResponseDueAt"])
    assert due == received + timedelta(hours=4)

    late, trail = escalated(api, created["id"], ["firstResponse"])
    assert late["escalationLevel"] == 3
    assert [b["deadline"] for b in late["breaches"]] == ["firstResponse"]
    taken = datetime.fromisoformat(late["slaSteps"]["firstResponse"])
    assert due <= taken <= due + timedelta(seconds=10)
    # triage reads it meanwhile, in its own change (tests/e2e/test_triage_over_http.py)
    steps = [e for e in trail if e["action"] != "triage"]
    assert [e["action"] for e in steps] == ["receive", "sla_escalate"]
    assert steps[1]["actor"]["id"] == "sla-tracker"


def test_a_missed_resolution_opens_an_accountability_record_that_a_manager_reviews(api: Api) -> None:
    received = datetime.now(UTC) - timedelta(hours=49)  # seed: resolution was due 1 h ago
    created = submit(api, customer_id="C-SLA-ACC", receivedAt=iso(received))
    late, _ = escalated(api, created["id"], ["firstResponse", "resolution"])
    assert late["escalationLevel"] == 2
    assert [b["deadline"] for b in late["breaches"]] == ["firstResponse", "resolution"]
    assert accountability_triggers(api, created["id"], {"missed_resolution"}) >= {"missed_resolution"}

    records = api.request("GET", "/v1/accountability", role="supervisor").json()["items"]
    record = next(r for r in records if r["complaintId"] == created["id"])
    assert (record["status"], record["deadline"], record["assignee"]) == ("open", "resolution", "unassigned")
    assert api.request("GET", "/v1/accountability", role="agent").status_code == 403

    # No team when it breached: the intake queue's record, which the local supervisor (of the intake
    # team) may not review; the manager, of no team here, does.
    own_team = api.request(
        "POST",
        f"/v1/accountability/{record['id']}/review",
        role="supervisor",
        json={"finding": "justified", "action": "coaching on first-response times"},
    )
    assert own_team.status_code == 403 and "your own team (intake)" in own_team.json()["message"]
    review = api.request(
        "POST",
        f"/v1/accountability/{record['id']}/review",
        role="manager",
        json={"finding": "justified", "action": "coaching on first-response times"},
    )
    assert review.status_code == 200, review.text
    assert review.json()["status"] == "reviewed" and review.json()["reviewedBy"] == "local-manager"
    again = api.request(
        "POST",
        f"/v1/accountability/{record['id']}/review",
        role="manager",
        json={"finding": "unjustified", "action": "none"},
    )
    assert again.status_code == 409


def test_the_sweep_warns_once_at_eighty_percent_of_a_deadline(api: Api) -> None:
    # seed: first response due 24 h after receipt; 80 % of it is 19 h 12 min. Received 20 h ago.
    created = submit(api, customer_id="C-SLA-RISK", receivedAt=iso(datetime.now(UTC) - timedelta(hours=20)))
    schedules = requests.get(f"{api.url}/_local/schedules", timeout=10).json()
    assert any(s["name"].endswith("sla-sweep") and s["expression"] == "rate(15 minutes)" for s in schedules)

    first = requests.post(f"{api.url}/_local/schedules/sla-sweep/run", timeout=60)
    assert first.status_code == 200, first.text
    assert first.json()["result"]["Warned"] >= 1
    warned = api.request("GET", f"/v1/complaints/{created['id']}").json()
    assert set(warned["atRiskWarned"]) == {"firstResponse"}

    second = requests.post(f"{api.url}/_local/schedules/sla-sweep/run", timeout=60).json()["result"]
    again = api.request("GET", f"/v1/complaints/{created['id']}").json()
    assert again["atRiskWarned"] == warned["atRiskWarned"] and again["version"] == warned["version"]
    assert second["Warned"] == 0
    trail = api.request("GET", f"/v1/complaints/{created['id']}/events").json()["items"]
    assert [e["action"] for e in trail].count("warn_at_risk") == 1


@pytest.mark.parametrize(
    ("policy", "received", "first_due", "resolution_due"),
    [
        # cbirc-2020: 24 h; 15 days from the day after receipt (Shanghai), 23:59:59 CST = 15:59:59Z.
        ("cbirc-2020", "2026-11-20T02:00:00Z", "2026-11-21T02:00:00Z", "2026-12-05T15:59:59Z"),
        # cfpb: 15 and 60 calendar days in New York; 02:00Z is still 19 Nov there (EST, UTC-5).
        ("cfpb", "2026-11-20T02:00:00Z", "2026-12-05T04:59:59Z", "2027-01-19T04:59:59Z"),
    ],
)
def test_preview_gives_regulator_deadlines_and_intake_uses_the_same_rules(
    api: Api, policy: str, received: str, first_due: str, resolution_due: str
) -> None:
    preview = api.request(
        "POST", "/v1/sla/preview", json={"slaPolicy": policy, "receivedAt": received}
    ).json()
    assert preview == {
        "firstResponseDueAt": first_due,
        "resolutionDueAt": resolution_due,
        "solutionPlanDueAt": None,
    }

    recent = iso(datetime.now(UTC).replace(microsecond=0) - timedelta(days=2))
    created = submit(api, customer_id=f"C-POL-{policy}", slaPolicy=policy, receivedAt=recent)
    same = api.request("POST", "/v1/sla/preview", json={"slaPolicy": policy, "receivedAt": recent}).json()
    assert created["slaPolicy"] == policy
    assert created["deadlines"] == same


def test_a_complex_complaint_owes_its_customer_a_plan_in_48_hours_and_is_escalated_without_one(
    api: Api,
) -> None:
    # seed, complex: the first answer due 24 h after receipt, the plan 48 h, the outcome 15 days.
    received = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=48) + timedelta(seconds=3)
    email = f"plan.{int(time.time() * 1000)}@example.com"
    customer = {
        "customerId": "C-SLA-PLAN",
        "name": "Zhao Lei",
        "email": email,
        "preferredContact": ["email"],
        "language": "en",
    }
    late = submit(api, customer=customer, complexity="complex", receivedAt=iso(received))
    assert late["deadlines"]["solutionPlanDueAt"] == iso(received + timedelta(hours=48))
    path = f"/v1/complaints/{late['id']}"
    missed, _ = escalated(api, late["id"], ["firstResponse", "solutionPlan"])
    assert [b["deadline"] for b in missed["breaches"]] == ["firstResponse", "solutionPlan"]
    assert "solutionPlan" in missed["slaSteps"]
    assert missed["escalationLevel"] == 2
    expected = {"missed_first_response", "missed_solution_plan"}
    assert accountability_triggers(api, late["id"], expected) == expected

    # Given late, the plan is still given: its date becomes the resolution deadline, the customer reads it.
    resolve_by = iso(datetime.now(UTC).replace(microsecond=0) + timedelta(days=5))
    planned = api.request(
        "POST", f"{path}/solution-plan", json={"plan": "We will raise a chargeback.", "resolveBy": resolve_by}
    )
    assert planned.status_code == 200, planned.text
    assert planned.json()["deadlines"]["resolutionDueAt"] == resolve_by
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        outbox = requests.get(f"{api.url}/_local/outbox", timeout=10).json()
        plans = [m for m in outbox if email in str(m["to"]) and "plan" in m.get("subject", "").lower()]
        if plans:
            break
        time.sleep(0.3)
    assert plans, "the customer was not sent the plan"
    assert "We will raise a chargeback." in str(plans[0])
