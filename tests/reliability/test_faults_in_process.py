"""AWS misbehaving under the api function, on moto: faults injected into the adapters' own botocore
clients. A request either succeeds or is a clear 503 (the one error shape, `Retry-After`) that
changed nothing — no complaint, reference, audit event or idempotency record half written — and the
same request retried once the fault clears succeeds, once."""

from __future__ import annotations

from typing import Any

import pytest
from api_events import Call
from moto_tables import IDEMPOTENCY_TABLE_NAME, TABLE_NAME, TRAIL_TABLE_NAME, clear_caches
from reliability_support import AGENT, Fault, assert_clear_503, table_items

from complaints.composition import api as api_root

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.filterwarnings("ignore:No application metrics to publish"),
]

KEY = {"Idempotency-Key": "counter-0042-retry"}
# DynamoDB saying "busy": throttling of the table or the account, and a transaction cancelled because
# another transaction held one of its items (the reasons list one entry per item: complaint, event,
# reference).
BUSY = {
    "throughput exceeded": ("ProvisionedThroughputExceededException", None),
    "throttled": ("ThrottlingException", None),
    "transaction conflict": (
        "TransactionCanceledException",
        [{"Code": "TransactionConflict"}, {"Code": "None"}, {"Code": "None"}],
    ),
    "throttled inside the transaction": (
        "TransactionCanceledException",
        [{"Code": "None"}, {"Code": "ThrottlingError"}, {"Code": "None"}],
    ),
}


def intake_body() -> dict[str, Any]:
    return {
        "channel": "counter",
        "customer": {
            "customerId": "C-REL-FAULT",
            "name": "Wang Fang",
            "phone": "+8613987654321",
            "email": "wang.fang@example.com",
            "preferredContact": ["sms", "email"],
        },
        "description": "My standing order to my landlord was paid twice this month.",
        "category": "product",
        "product": "payment",
    }


def kinds_stored(dynamodb: Any) -> list[str]:
    """The kind of every item of the complaint table (COMPLAINT, REFERENCE, CONTACT …), and EVENT for
    every audit event in the trail table."""
    kinds = [
        "CONTACT" if item["pk"]["S"].startswith("CONTACT#") else item["sk"]["S"].split("#")[0]
        for item in table_items(dynamodb, TABLE_NAME)
    ]
    return sorted(kinds + ["EVENT" for _ in table_items(dynamodb, TRAIL_TABLE_NAME)])


# One complaint stored whole: the complaint, its first audit event, its reference, and an item for each
# of the customer's two contact details (phone, e-mail: how triage finds them from another channel).
ONE_COMPLAINT = ["COMPLAINT", "CONTACT", "CONTACT", "EVENT", "REFERENCE"]


def idempotency_records(dynamodb: Any) -> list[str]:
    return [item["status"]["S"] for item in table_items(dynamodb, IDEMPOTENCY_TABLE_NAME)]


@pytest.mark.parametrize(("code", "reasons"), BUSY.values(), ids=BUSY.keys())
def test_intake_on_a_busy_table_is_a_503_that_stores_nothing_and_the_retry_stores_one(
    call: Call, dynamodb: Any, code: str, reasons: list[dict[str, str]] | None
) -> None:
    fault = Fault(api_root.dynamodb(), "TransactWriteItems", code, cancellation_reasons=reasons)

    refused = call("POST", "/v1/complaints", intake_body(), headers=KEY)

    assert fault.raised == 1
    assert_clear_503(refused)
    assert kinds_stored(dynamodb) == []
    # the key was released, not left "in progress"
    assert idempotency_records(dynamodb) == []

    retried = call("POST", "/v1/complaints", intake_body(), headers=KEY)
    assert retried.status == 201, retried.body
    assert kinds_stored(dynamodb) == ONE_COMPLAINT
    assert idempotency_records(dynamodb) == ["COMPLETED"]
    again = call("POST", "/v1/complaints", intake_body(), headers=KEY)
    assert (again.status, again.body) == (201, retried.body)
    assert kinds_stored(dynamodb) == ONE_COMPLAINT


def test_intake_when_the_key_cannot_be_recorded_is_a_503_that_stores_nothing(
    call: Call, dynamodb: Any
) -> None:
    # Powertools records the key "in progress" with a conditional PutItem before anything else
    fault = Fault(api_root.dynamodb(), "PutItem", "ProvisionedThroughputExceededException")

    refused = call("POST", "/v1/complaints", intake_body(), headers=KEY)

    assert fault.raised == 1
    assert_clear_503(refused)
    assert (kinds_stored(dynamodb), idempotency_records(dynamodb)) == ([], [])
    retried = call("POST", "/v1/complaints", intake_body(), headers=KEY)
    assert retried.status == 201, retried.body
    assert kinds_stored(dynamodb) == ONE_COMPLAINT


def test_intake_whose_key_cannot_be_marked_done_answers_with_the_stored_complaint(
    call: Call, dynamodb: Any
) -> None:
    # The complaint is stored, then Powertools' UpdateItem marking the key COMPLETED is throttled.
    # The caller must learn the complaint exists: a 503 "nothing was stored, retry" would be false.
    fault = Fault(api_root.dynamodb(), "UpdateItem", "ThrottlingException")

    answered = call("POST", "/v1/complaints", intake_body(), headers=KEY)

    assert fault.raised == 1
    assert answered.status == 201, answered.body
    fetched = call("GET", f"/v1/complaints/{answered.body['id']}")
    assert fetched.body == answered.body
    assert kinds_stored(dynamodb) == ONE_COMPLAINT
    # A retry with the key while its record is still "in progress" stores nothing more.
    retried = call("POST", "/v1/complaints", intake_body(), headers=KEY)
    assert (retried.status, retried.body["error"]) == (409, "request_in_progress")
    assert kinds_stored(dynamodb) == ONE_COMPLAINT


@pytest.mark.parametrize(("code", "reasons"), BUSY.values(), ids=BUSY.keys())
def test_an_update_on_a_busy_table_is_a_503_that_changes_nothing_and_the_retry_applies_once(
    call: Call, dynamodb: Any, code: str, reasons: list[dict[str, str]] | None
) -> None:
    created = call("POST", "/v1/complaints", intake_body()).body
    path = f"/v1/complaints/{created['id']}"
    before = sorted(map(str, table_items(dynamodb, TABLE_NAME)))
    fault = Fault(api_root.dynamodb(), "TransactWriteItems", code, cancellation_reasons=reasons)

    refused = call("PATCH", path, {"version": 1, "team": "payments"}, claims=AGENT)

    assert fault.raised == 1
    assert_clear_503(refused)
    assert sorted(map(str, table_items(dynamodb, TABLE_NAME))) == before
    retried = call("PATCH", path, {"version": 1, "team": "payments"}, claims=AGENT)
    assert retried.status == 200, retried.body
    assert (retried.body["version"], retried.body["team"]) == (2, "payments")
    trail = call("GET", f"{path}/events", claims=AGENT).body["items"]
    assert [(event["action"], event["version"]) for event in trail] == [("receive", 1), ("update", 2)]


@pytest.mark.parametrize(
    ("path", "query", "operation"),
    [
        ("/v1/complaints/{id}", None, "GetItem"),
        ("/v1/complaints", {"status": "received"}, "Query"),
        ("/v1/complaints/{id}/events", None, "Query"),
    ],
)
def test_a_throttled_read_is_a_503_and_the_retry_reads(
    call: Call, path: str, query: dict[str, str] | None, operation: str
) -> None:
    created = call("POST", "/v1/complaints", intake_body()).body
    target = path.format(id=created["id"])
    fault = Fault(api_root.dynamodb(), operation, "ProvisionedThroughputExceededException")

    refused = call("GET", target, claims=AGENT, query=query)

    assert fault.raised == 1
    assert_clear_503(refused)
    assert call("GET", target, claims=AGENT, query=query).status == 200


def test_an_sla_tracker_that_cannot_start_does_not_refuse_the_complaint(
    call: Call, dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Step Functions is best effort (docs/decisions.md): the complaint is stored, the sweep starts
    # the missing tracker later.
    import boto3

    states = boto3.client("stepfunctions")
    arn = states.create_state_machine(
        name="sla-tracker",
        definition='{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}',
        roleArn="arn:aws:iam::123456789012:role/sla-tracker",
    )["stateMachineArn"]
    monkeypatch.setenv("SLA_TRACKER_ARN", arn)
    clear_caches()
    tracker_client = api_root.complaint_service()._tracker._client  # type: ignore[attr-defined]
    fault = Fault(tracker_client, "StartExecution", "ThrottlingException")

    created = call("POST", "/v1/complaints", intake_body(), headers=KEY)

    assert fault.raised == 1
    assert created.status == 201, created.body
    assert kinds_stored(dynamodb) == ONE_COMPLAINT
