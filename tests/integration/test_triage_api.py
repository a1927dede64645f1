"""Triage on moto with the trained model: the triage function reads the `ComplaintReceived` the bus
queued for it, and the preview answers over the api function with the same reading, storing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_events import Call, LambdaContext, handler_module

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.core.events import SOURCE
from complaints.intake.outbox import domain_events_for

STAFF_SCOPE = "complaint-guard/staff"
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF_SCOPE}
CHANNEL_APP = {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"}
REGULATOR_AND_LAWYER = (
    "Your bank charged me an overdraft fee three times in one week although my paycheck had arrived. "
    "I have filed a complaint with the CFPB and my lawyer will take this to court if it is not refunded."
)
CARD_FRAUD_ZH = (
    "我的信用卡昨晚在境外被盗刷了三笔，共计一万二千元，我本人一直在国内，卡也在身边。请尽快处理并退款。"
)


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    return CHANNEL_APP


def submit(call: Call, description: str, **fields: Any) -> dict[str, Any]:
    body = {
        "channel": "mobile_app",
        "customer": {
            "customerId": "C-TRIAGE",
            "name": "Ann Lee",
            "email": "ann.lee@example.com",
            "preferredContact": ["email"],
        },
        "description": description,
        **fields,
    }
    reply = call("POST", "/v1/complaints", body)
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.body
    return created


def receipt(repository: DynamoDbComplaintRepository, complaint_id: str) -> dict[str, Any]:
    """The SQS record the bus rule delivers: the `ComplaintReceived` the publisher announced."""
    (first, *_) = repository.events(complaint_id, 1, None).items
    (received,) = domain_events_for(first)
    body = {"source": SOURCE, "detail-type": received.name.value, "detail": received.detail()}
    return {
        "messageId": f"m-{complaint_id}",
        "body": json.dumps(body),
        "attributes": {},
        "eventSource": "aws:sqs",
    }


def triage(records: list[dict[str, Any]]) -> dict[str, Any]:
    answer: dict[str, Any] = handler_module("triage.app").handler(
        {"Records": records}, LambdaContext("triage")
    )
    return answer


def test_the_triage_function_reads_a_new_complaint_and_puts_a_sensitive_one_on_the_special_path(
    call: Call, repository: DynamoDbComplaintRepository
) -> None:
    created = submit(call, REGULATOR_AND_LAWYER)  # no category, no product
    assert triage([receipt(repository, created["id"])]) == {"batchItemFailures": []}
    read = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert {"regulator", "litigation"} <= set(read["triage"]["riskFlags"])
    assert read["triage"]["sensitive"] is True
    assert read["priority"] == "critical" and read["escalationLevel"] >= 1
    assert read["product"] == read["triage"]["product"]  # left out: what triage read
    assert read["triage"]["sentiment"]["label"] == "negative"
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    (reading,) = [event for event in trail if event["action"] == "triage"]
    assert reading["actor"]["id"] == "triage" and set(reading["data"]["inferred"]) == {"category", "product"}
    # redelivered: nothing more is written
    assert triage([receipt(repository, created["id"])]) == {"batchItemFailures": []}
    again = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert again["version"] == read["version"]


def test_a_chinese_card_fraud_complaint_is_read_too_and_a_bad_record_fails_alone(
    call: Call, repository: DynamoDbComplaintRepository
) -> None:
    created = submit(call, CARD_FRAUD_ZH, product="credit_card", category="service")
    unknown = receipt(repository, created["id"]) | {"messageId": "m-unknown"}
    unknown["body"] = unknown["body"].replace(created["id"], "no-such-complaint")
    answer = triage([receipt(repository, created["id"]), unknown])
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-unknown"}]}
    read = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert "fraud" in read["triage"]["riskFlags"] and read["triage"]["sensitive"] is True
    assert (read["category"], read["product"]) == ("service", "credit_card")  # given: kept


def test_the_preview_reads_the_same_way_for_staff_and_stores_nothing(call: Call, table_keys: Any) -> None:
    before = table_keys()
    reply = call(
        "POST",
        "/v1/triage/preview",
        {"description": REGULATOR_AND_LAWYER, "customer": {"segment": "private"}},
        claims=AGENT,
    )
    assert reply.status == 200, reply.body
    assert {"regulator", "litigation"} <= set(reply.body["riskFlags"]) and reply.body["sensitive"] is True
    assert set(reply.body) == {
        "category",
        "product",
        "sentiment",
        "churnRisk",
        "riskFlags",
        "sensitive",
        "suggestedTeam",
        "model",
        "at",
    }
    assert table_keys() == before
    refused = call("POST", "/v1/triage/preview", {"description": "x"}, claims=CHANNEL_APP)
    assert refused.status == 403
    empty = call("POST", "/v1/triage/preview", {"description": ""}, claims=AGENT)
    assert empty.status == 400 and "description" in empty.text
