"""A customer's erasure and legal holds over the api function: personal data pseudonymised in the
complaint, its trail and its notification log; the trail still verifies and records the erasure;
refused while a complaint is open or held."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from api_events import CUSTOMER, intake_body
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME

STAFF_SCOPE = "openid complaint-guard/staff"
COMPLIANCE = {"cognito:groups": "[compliance]", "username": "legal-1", "scope": STAFF_SCOPE}
HANDLER = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF_SCOPE}
SUPERVISOR = {"cognito:groups": "[supervisor team:intake]", "username": "sup-1", "scope": STAFF_SCOPE}
PERSONAL = ("Li Wei", "+8613800138000", "li.wei@bank-customer.cn", "C-1001", "debited twice", "Dear Li Wei")


def closed_complaint(call: Any) -> str:
    complaint = call("POST", "/v1/complaints", intake_body()).body
    path = f"/v1/complaints/{complaint['id']}"
    assert call("POST", f"{path}/responses", {"message": "Dear Li Wei, we are on it."}, HANDLER).status == 200
    resolution = {
        "outcome": "upheld",
        "summary": "Refunded the second debit.",
        "rootCause": "duplicate posting",
    }
    resolved = call("POST", f"{path}/resolve", resolution, HANDLER)
    assert resolved.status == 200
    # the customer accepted the outcome by e-mail
    accepted = {"receivedVia": "email", "receivedAt": resolved.body["resolvedAt"]}
    assert call("POST", f"{path}/close", accepted, HANDLER).status == 200, "closed"
    return str(complaint["id"])


def erase(call: Any, customer_id: str = "C-1001", claims: dict[str, Any] = COMPLIANCE) -> Any:
    return call("POST", f"/v1/customers/{customer_id}/erasure", {"reason": "letter of 2026-11-30"}, claims)


def everything_stored(dynamodb: Any) -> str:
    """Every item of both tables, as text (tests only: the application never scans)."""
    items = dynamodb.scan(TableName=TABLE_NAME)["Items"] + dynamodb.scan(TableName=TRAIL_TABLE_NAME)["Items"]
    # Binary attributes (a resolved complaint's text signature, for the case library) as hex.
    return json.dumps(items, ensure_ascii=False, default=lambda value: bytes(value).hex())


def case_signatures(dynamodb: Any) -> int:
    return sum(1 for item in dynamodb.scan(TableName=TABLE_NAME)["Items"] if "caseSignature" in item)


def contact_items(dynamodb: Any) -> int:
    return sum(
        1 for item in dynamodb.scan(TableName=TABLE_NAME)["Items"] if item["pk"]["S"].startswith("CONTACT#")
    )


def test_an_erasure_pseudonymises_everything_and_keeps_the_trail_verifiable(call: Any, dynamodb: Any) -> None:
    first, second = closed_complaint(call), closed_complaint(call)
    assert "Li Wei" in everything_stored(dynamodb)
    # triage finds the same customer by phone and e-mail: an item of each per complaint, keyed by digest
    assert contact_items(dynamodb) == 4
    # closed with a resolution: each is a past case the case library compares by its text's signature
    assert case_signatures(dynamodb) == 2

    reply = erase(call)
    assert reply.status == 200, reply.body
    pseudonym = reply.body["customerId"]
    assert pseudonym.startswith("erased-")
    assert reply.body["complaints"] == 2 and reply.body["events"] >= 4

    stored = everything_stored(dynamodb)
    for personal in PERSONAL:
        assert personal not in stored, personal
    assert contact_items(dynamodb) == 0  # deleted with the erasure: nothing links the phone to them
    assert case_signatures(dynamodb) == 0  # nothing derived from their words stays in the case index
    for complaint_id in (first, second):
        read = call("GET", f"/v1/complaints/{complaint_id}", None, COMPLIANCE).body
        assert read["customer"] == {
            "customerId": pseudonym,
            "name": "erased",
            "phone": None,
            "email": None,
            "preferredContact": [],
            "language": "zh-CN",
            "segment": "retail",
            "erased": True,
        }
        assert read["description"] == "[erased]"
        assert read["resolution"]["summary"] == "Refunded the second debit."  # the bank's own record
        integrity = call("GET", f"/v1/complaints/{complaint_id}/integrity", None, COMPLIANCE).body
        assert integrity == {"valid": True, "events": 5, "firstBrokenAt": None}
        trail = call("GET", f"/v1/complaints/{complaint_id}/events", None, COMPLIANCE).body["items"]
        assert trail[-1]["action"] == "erase_personal_data"
        assert trail[-1]["data"] == {"reason": "letter of 2026-11-30", "customerId": pseudonym}

    # the customer's old id finds nothing any more; repeating the erasure is a 404, not a second one
    assert erase(call).status == 404


def test_an_erasure_is_refused_while_a_complaint_is_open(call: Any) -> None:
    closed = closed_complaint(call)
    still_open = call("POST", "/v1/complaints", intake_body()).body
    reply = erase(call)
    assert reply.status == 409
    assert reply.body["error"] == "erasure_refused"
    assert still_open["reference"] in reply.body["message"]
    # nothing was changed
    assert (
        call("GET", f"/v1/complaints/{closed}", None, COMPLIANCE).body["customer"]["name"] == CUSTOMER["name"]
    )


def expires_at(dynamodb: Any, complaint_id: str) -> int | None:
    item = dynamodb.get_item(
        TableName=TABLE_NAME, Key={"pk": {"S": f"COMPLAINT#{complaint_id}"}, "sk": {"S": "COMPLAINT"}}
    )
    value = item["Item"].get("expiresAt")
    return None if value is None else int(value["N"])


def test_a_legal_hold_stops_erasure_and_retention_until_it_is_lifted(call: Any, dynamodb: Any) -> None:
    complaint_id = closed_complaint(call)
    closed = call("GET", f"/v1/complaints/{complaint_id}", None, COMPLIANCE).body
    # ended: kept 1,825 days (the schedule's default) after it was closed, then the table's TTL acts
    closed_at = datetime.fromisoformat(closed["closedAt"].replace("Z", "+00:00"))
    retain_until = datetime.fromisoformat(closed["retainUntil"].replace("Z", "+00:00"))
    assert retain_until - closed_at == timedelta(days=1825)
    assert expires_at(dynamodb, complaint_id) == int(retain_until.timestamp())

    held = call(
        "POST",
        f"/v1/complaints/{complaint_id}/legal-hold",
        {"hold": True, "reason": "case 2026/17"},
        COMPLIANCE,
    )
    assert held.status == 200, held.body
    assert held.body["legalHold"]["reason"] == "case 2026/17" and held.body["retainUntil"] is None
    assert expires_at(dynamodb, complaint_id) is None  # the TTL cannot take a held complaint
    refused = erase(call)
    assert refused.status == 409 and "legal hold" in refused.body["message"]

    lifted = call(
        "POST",
        f"/v1/complaints/{complaint_id}/legal-hold",
        {"hold": False, "reason": "case closed"},
        COMPLIANCE,
    )
    assert lifted.body["legalHold"] is None and lifted.body["retainUntil"] == closed["retainUntil"]
    assert erase(call).status == 200


@pytest.mark.parametrize(
    "claims", [HANDLER, SUPERVISOR, {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"}]
)
def test_only_compliance_erases_or_holds(call: Any, claims: dict[str, Any]) -> None:
    complaint_id = closed_complaint(call)
    assert erase(call, claims=claims).status == 403
    hold = call("POST", f"/v1/complaints/{complaint_id}/legal-hold", {"hold": True, "reason": "x"}, claims)
    assert hold.status == 403


def test_an_erasure_needs_a_reason(call: Any) -> None:
    closed_complaint(call)
    reply = call("POST", "/v1/customers/C-1001/erasure", {}, COMPLIANCE)
    assert reply.status == 400 and "reason" in json.dumps(reply.body)


def test_a_channel_app_cannot_submit_an_erased_customer(call: Any) -> None:
    body = intake_body(customer={"customerId": "C-9", "name": "x", "erased": True, "preferredContact": []})
    reply = call("POST", "/v1/complaints", body)
    assert reply.status == 400 and "erased" in json.dumps(reply.body)
