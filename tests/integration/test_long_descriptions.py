"""Every real complaint is taken in: the longest CFPB narratives and a 50,000-character Chinese
description go through the api function on moto and come back intact, to the channel app, to
compliance in the audit trail and to the customer through the tracking link; every item stored for
them stays under DynamoDB's 400 KB, and neither the tracker's input nor the receipt's domain event
carries the description (docs/architecture.md §5, "Sizes").

`data/cfpb_longest_narratives.csv`: the three longest narratives of a 6,623-complaint extract of the
CFPB's public Consumer Complaint Database (US government public data), the database's 18 columns
unchanged.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from api_events import Call, intake_body
from moto_tables import REGION, TRACKING_KEY

from complaints.core.models import DESCRIPTION_MAX_LENGTH, AuditEvent
from complaints.intake.outbox import domain_events_for
from complaints.tracking.links import SigningKey, tracking_token

NARRATIVES = Path(__file__).parent / "data" / "cfpb_longest_narratives.csv"
CHANNEL_APP = {
    "client_id": "mobile-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
COMPLIANCE = {"cognito:groups": "[compliance]", "username": "comp-1", "scope": "complaint-guard/staff"}
DYNAMODB_ITEM_LIMIT = 400 * 1024

# A customer's account of a transfer debited twice (about 190 characters), repeated with a line break
# between rounds, cut at the limit (ending on a character: the model trims trailing white space).
_ACCOUNT = (
    "本人于二〇二六年十一月二十日在贵行网点办理跨行转账五百元，手机银行显示扣款两次，客服电话排队四十分钟无人接听，"
    "柜台工作人员称系统故障需等待七个工作日，至今未退还重复扣款，也没有任何书面答复。"
    "我多次致电并提供了交易流水截图，工作人员态度敷衍，要求我自行联系收款行。请贵行尽快核实并退还款项，"
    "并说明处理时限和责任人，否则我将向监管部门投诉。"
)
_ROUNDS = DESCRIPTION_MAX_LENGTH // len(_ACCOUNT) + 1
CHINESE_DESCRIPTION = ((_ACCOUNT + "\n") * _ROUNDS)[: DESCRIPTION_MAX_LENGTH - 1] + "。"


def _narratives() -> list[dict[str, str]]:
    with NARRATIVES.open(newline="", encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def _submit(call: Call, description: str, **headers: str) -> dict[str, Any]:
    reply = call("POST", "/v1/complaints", intake_body(description=description), CHANNEL_APP, headers=headers)
    assert reply.status == 201, reply.text[:2000]
    return dict(reply.body)


def _tracking_view(call: Call, complaint_id: str) -> dict[str, Any]:
    key_id, secret = TRACKING_KEY.split(":", 1)
    token = tracking_token(complaint_id, SigningKey(key_id, secret))
    reply = call("GET", f"/v1/track/{complaint_id}", {}, query={"token": token})
    assert reply.status == 200, reply.text[:2000]
    return dict(reply.body)


def _stored_items(dynamodb: Any) -> list[tuple[str, dict[str, Any]]]:
    """(table, item) for every item of every table (tests only: the adapters never scan)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for table in dynamodb.list_tables()["TableNames"]:
        kwargs: dict[str, Any] = {"TableName": table}
        while True:
            page = dynamodb.scan(**kwargs)
            found.extend((table, item) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return found


def _texts(value: Any) -> list[str]:
    """Every string an item holds (its values in DynamoDB's JSON form)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _texts(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _texts(inner)]
    return []


def _value_size(value: dict[str, Any]) -> int:
    """A value's DynamoDB size, from its typed JSON form, per AWS's item size rules; a number counts
    one byte a character (DynamoDB counts about half)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(name.encode()) + 1 + _value_size(element) for name, element in inner.items())
    if kind == "L":
        return 3 + sum(1 + _value_size(element) for element in inner)
    if kind in ("SS", "NS"):
        return sum(len(element.encode()) for element in inner)
    raise AssertionError(f"no size rule for {kind}")


def _item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


@pytest.mark.parametrize("row", _narratives(), ids=lambda row: f"cfpb-{row['Complaint ID']}")
def test_the_longest_real_narratives_are_taken_in_and_read_back_intact(
    call: Call, row: dict[str, str]
) -> None:
    narrative = row["Consumer complaint narrative"]
    assert len(narrative) > 14_000  # each of them was refused at the old 5,000-character limit

    created = _submit(call, narrative)

    assert created["description"] == narrative
    read = call("GET", f"/v1/complaints/{created['id']}", claims=CHANNEL_APP)
    assert read.status == 200, read.text[:2000]
    assert read.body["description"] == narrative
    assert _tracking_view(call, created["id"])["description"] == narrative


def test_a_50000_character_chinese_description_is_stored_intact_within_every_limit(
    call: Call, dynamodb: Any
) -> None:
    body = intake_body(description=CHINESE_DESCRIPTION)
    # What a channel app sends when its JSON escapes non-ASCII (Python's default): 6 bytes a Chinese
    # character (2 a line break).
    assert len(json.dumps(body).encode()) > 295_000

    created = _submit(call, CHINESE_DESCRIPTION, **{"Idempotency-Key": "long-chinese-1"})

    assert created["description"] == CHINESE_DESCRIPTION
    complaint_id = created["id"]
    assert call("GET", f"/v1/complaints/{complaint_id}", claims=CHANNEL_APP).body["description"] == (
        CHINESE_DESCRIPTION
    )
    assert _tracking_view(call, complaint_id)["description"] == CHINESE_DESCRIPTION
    # the audit trail records it again, intact, in the receipt
    trail = call("GET", f"/v1/complaints/{complaint_id}/events", claims=COMPLIANCE)
    assert trail.status == 200, trail.text[:2000]
    (receipt,) = [event for event in trail.body["items"] if event["action"] == "receive"]
    assert receipt["changes"]["description"]["after"] == CHINESE_DESCRIPTION
    # a retry with the same key answers from the idempotency record, description and all
    again = _submit(call, CHINESE_DESCRIPTION, **{"Idempotency-Key": "long-chinese-1"})
    assert again["id"] == complaint_id
    assert again["description"] == CHINESE_DESCRIPTION

    # Every item stored for it fits DynamoDB's item limit: the complaint and its receipt's audit event
    # hold the description as UTF-8 (150,000 bytes each), the idempotency record holds the response
    # JSON-escaped (Powertools' json.dumps: 300,000 bytes).
    stored = _stored_items(dynamodb)
    sizes = sorted(((_item_size(item), table) for table, item in stored), reverse=True)
    assert all(size < DYNAMODB_ITEM_LIMIT for size, _ in sizes), sizes[:4]
    in_clear = [table for table, item in stored if any(CHINESE_DESCRIPTION in t for t in _texts(item))]
    escaped = json.dumps(CHINESE_DESCRIPTION)[1:-1]
    in_escapes = [table for table, item in stored if any(escaped in t for t in _texts(item))]
    assert len(in_clear) >= 2, sizes[:4]  # the complaint and the receipt
    assert len(in_escapes) == 1, sizes[:4]  # the idempotency record

    # Nothing that leaves DynamoDB for Step Functions or EventBridge carries it.
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    executions = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert executions, "the intake started no SLA tracker"
    for execution in executions:
        tracker_input = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
        assert complaint_id in tracker_input.values()
        assert _ACCOUNT[:8] not in json.dumps(tracker_input, ensure_ascii=False)
    (announced,) = domain_events_for(AuditEvent.model_validate(receipt))
    on_the_bus = json.dumps(announced.model_dump(mode="json", by_alias=True), ensure_ascii=False)
    assert created["reference"] in on_the_bus
    assert _ACCOUNT[:8] not in on_the_bus


def test_one_character_more_is_refused_naming_the_description(call: Call) -> None:
    reply = call("POST", "/v1/complaints", intake_body(description=CHINESE_DESCRIPTION + "诉"), CHANNEL_APP)
    assert reply.status == 400, reply.text[:2000]
    assert reply.body["error"] == "validation_error"
    assert [detail["field"] for detail in reply.body["details"]] == ["description"]
