"""`GET /v1/complaints/{id}/integrity` over the api function: an untouched trail is valid; an audit
event changed, removed or forged directly in the trail table is found, at its version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_events import intake_body
from moto_tables import TRAIL_TABLE_NAME

STAFF_SCOPE = "openid complaint-guard/staff"
COMPLIANCE = {"cognito:groups": "[compliance]", "username": "legal-1", "scope": STAFF_SCOPE}
MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": STAFF_SCOPE}
# An agent of the intake queue, where a new complaint waits: works it, may not verify its trail.
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF_SCOPE}


@pytest.fixture
def worked(call: Any) -> str:
    """A complaint received, answered and resolved: three events."""
    complaint = call("POST", "/v1/complaints", intake_body()).body
    path = f"/v1/complaints/{complaint['id']}"
    assert call("POST", f"{path}/responses", {"message": "We are on it, Li Wei."}, AGENT).status == 200
    resolved = call(
        "POST",
        f"{path}/resolve",
        {"outcome": "upheld", "summary": "Refunded the second debit.", "rootCause": "duplicate posting"},
        AGENT,
    )
    assert resolved.status == 200, resolved.body
    return str(complaint["id"])


def integrity(call: Any, complaint_id: str, claims: dict[str, Any] = COMPLIANCE) -> Any:
    return call("GET", f"/v1/complaints/{complaint_id}/integrity", None, claims)


def test_an_untouched_trail_is_valid(call: Any, worked: str) -> None:
    reply = integrity(call, worked)
    assert reply.status == 200
    assert reply.body == {"valid": True, "events": 3, "firstBrokenAt": None}
    assert integrity(call, worked, MANAGER).body["valid"] is True


def test_an_event_changed_in_the_table_is_found(call: Any, dynamodb: Any, worked: str) -> None:
    # someone with write access to the table turns the response's text into something never sent
    dynamodb.update_item(
        TableName=TRAIL_TABLE_NAME,
        Key={"complaintId": {"S": worked}, "version": {"N": "2"}},
        UpdateExpression="SET #data.#message = :text",
        ExpressionAttributeNames={"#data": "data", "#message": "message"},
        ExpressionAttributeValues={":text": {"S": "We decline your complaint."}},
    )
    assert integrity(call, worked).body == {"valid": False, "events": 2, "firstBrokenAt": 2}


def test_an_event_deleted_from_the_table_is_found(call: Any, dynamodb: Any, worked: str) -> None:
    dynamodb.delete_item(
        TableName=TRAIL_TABLE_NAME, Key={"complaintId": {"S": worked}, "version": {"N": "3"}}
    )
    assert integrity(call, worked).body == {"valid": False, "events": 2, "firstBrokenAt": 3}


def test_an_event_replaced_with_a_recomputed_hash_breaks_the_next_link(
    call: Any, dynamodb: Any, worked: str
) -> None:
    """Rewriting an event and its own hash is not enough: the next event still names the old one."""
    from complaints.adapters.dynamodb.table import marshal, stored_event_from
    from complaints.trail.chain import seal

    item = dynamodb.get_item(
        TableName=TRAIL_TABLE_NAME, Key={"complaintId": {"S": worked}, "version": {"N": "2"}}
    )
    stored = stored_event_from(item["Item"])
    someone_else = {"actor": {"id": "someone-else", "roles": ["manager"]}}
    forged = stored.content | someone_else
    # its sealed form and own hash recomputed to match (the sealed form holds pseudonyms already)
    resealed = seal(json.loads(stored.sealed) | someone_else, stored.previous_hash, None)
    dynamodb.put_item(
        TableName=TRAIL_TABLE_NAME,
        Item=marshal(
            forged
            | {"sealed": resealed.sealed, "previousHash": resealed.previous_hash, "hash": resealed.hash}
        ),
    )
    assert integrity(call, worked).body == {"valid": False, "events": 3, "firstBrokenAt": 3}


def test_only_compliance_supervisors_and_managers_may_verify(call: Any, worked: str) -> None:
    refused = integrity(call, worked, AGENT)
    assert refused.status == 403
    assert "may not verify audit trails" in refused.body["message"]
    assert (
        integrity(
            call, worked, {"client_id": "mobile-app", "scope": "complaint-guard/complaints.read"}
        ).status
        == 403
    )


def test_an_unknown_complaint_is_404(call: Any) -> None:
    assert integrity(call, "no-such-complaint").status == 404
