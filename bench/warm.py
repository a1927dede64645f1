"""Warm latency, AWS calls per operation and one full lifecycle, in-process on moto.

The api handler is invoked with API Gateway REST events (the integration tests' helpers), as a warm
Lambda instance would be: the first few lifecycles warm it up and are not timed. A lifecycle is
intake (with an Idempotency-Key) → first response → assign → resolve → the customer's rating → close,
plus what the table's stream and the queue make of it: the publisher puts each audit event on the bus,
and the notifier sends and logs what each notified event calls for.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from api_events import LambdaContext, handler_module, intake_body, invoke_api
from moto_tables import IDEMPOTENCY_TABLE_NAME, REGION, TABLE_NAME, TRAIL_TABLE_NAME

from complaints.tracking.links import tracking_token

from .aws_calls import AwsCall, CallLedger, CallSummary
from .lambda_functions import CDK_OUT
from .moto_deployment import Deployment, deployment
from .stats import percentile

CHANNEL_APP = {
    "client_id": "mobile-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": "complaint-guard/staff"}
MANAGER = {"cognito:groups": "[manager]", "username": "manager-1", "scope": "complaint-guard/staff"}
SECRET = "k" * 48
WARM_UP_LIFECYCLES = 3
NOTIFIER_BATCH = 10
RESOLUTION = {
    "outcome": "upheld",
    "summary": "The duplicate debit was refunded.",
    "rootCause": "switch retry",
}
# What a call is, as the report names it (DynamoDB calls by table).
TABLE_LABELS = {TABLE_NAME: "complaints", TRAIL_TABLE_NAME: "trail", IDEMPOTENCY_TABLE_NAME: "idempotency"}


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def timed(self, route: str, run: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = run()
        self.samples.setdefault(route, []).append((time.perf_counter() - started) * 1000)
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            route: {
                "p50Ms": round(percentile(values, 50), 2),
                "p99Ms": round(percentile(values, 99), 2),
                "samples": len(values),
            }
            for route, values in self.samples.items()
        }


def call_label(call: AwsCall) -> str:
    table = call.params.get("TableName")
    if table is None and call.operation == "TransactWriteItems":
        entry = call.params["TransactItems"][0]
        table = next(iter(entry.values()))["TableName"]
    return f"{call.name}({TABLE_LABELS.get(table, table)})" if table else call.name


def summarize(calls: list[AwsCall]) -> dict[str, Any]:
    summary = CallSummary.of(calls)
    summary.calls.clear()
    for call in calls:
        summary.calls[call_label(call)] += 1
    return summary.to_json()


class ApiClient:
    def __init__(self) -> None:
        self._app = handler_module("api.app")

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        claims: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        reply = invoke_api(self._app, method, path, body, AGENT if claims is None else claims, query, headers)
        if reply.status >= 400:
            raise RuntimeError(f"{method} {path}: {reply.status} {reply.text}")
        return reply.body if reply.text.startswith(("{", "[")) else reply.text


def notified_events() -> frozenset[str] | None:
    """The detail types the notification rule sends to the queue, from the synthesized template (None:
    no template, so every event is treated as notified — an upper bound)."""
    for template in CDK_OUT.glob("*.template.json"):
        for resource in json.loads(template.read_text())["Resources"].values():
            pattern = resource.get("Properties", {}).get("EventPattern", {})
            # the rule on our own events (GuardDuty's scan results have a rule of their own)
            if (
                resource["Type"] == "AWS::Events::Rule"
                and "detail-type" in pattern
                and "complaint-guard" in pattern.get("source", [])
            ):
                return frozenset(pattern["detail-type"])
    return None


def _accepted_now() -> dict[str, str]:
    return {"receivedVia": "phone", "receivedAt": datetime.now(UTC).isoformat()}


class Lifecycle:
    """One complaint from intake to close through the api handler, then the publisher and notifier."""

    def __init__(self, api: ApiClient, timings: Timings, ledger: CallLedger) -> None:
        self._api = api
        self._ledger = ledger
        self._timings = timings
        self._publisher = handler_module("publisher.app")
        self._notifier = handler_module("notifier.app")
        self._reader = boto3.Session(region_name=REGION).client("dynamodb")  # not counted
        self._notified = notified_events()
        # per operation: the AWS calls of the last lifecycle, and how many invocations made them
        self.calls: dict[str, list[AwsCall]] = {}
        self.invocations: Counter[str] = Counter()

    def api_steps(self, number: int) -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
        api, complaint_path = self._api, "/v1/complaints/{id}"
        return [
            ("GET /v1/complaints/{id}", lambda c: api("GET", complaint_path.format(**c))),
            (
                "GET /v1/complaints?status=",
                lambda c: api("GET", "/v1/complaints", query={"status": "received"}),
            ),
            (
                "POST …/responses",
                lambda c: api("POST", f"/v1/complaints/{c['id']}/responses", {"message": "收到"}),
            ),
            (
                "PATCH /v1/complaints/{id}",
                lambda c: api("PATCH", complaint_path.format(**c), {"assignee": "li.na", "version": 2}),
            ),
            ("GET …/events", lambda c: api("GET", f"/v1/complaints/{c['id']}/events")),
            ("POST …/resolve", lambda c: api("POST", f"/v1/complaints/{c['id']}/resolve", RESOLUTION)),
            (
                "GET /v1/track/{id}",
                lambda c: api("GET", f"/v1/track/{c['id']}", claims={}, query={"token": c["token"]}),
            ),
            (
                "POST /v1/track/{id}/feedback",
                lambda c: api(
                    "POST", f"/v1/track/{c['id']}/feedback", {"rating": 5}, {}, query={"token": c["token"]}
                ),
            ),
            (
                "GET /t/{id} (page)",
                lambda c: api("GET", f"/t/{c['id']}", claims={}, query={"token": c["token"]}),
            ),
            # closed at once: the customer accepted the outcome on the phone (else the sweep closes it later)
            ("POST …/close", lambda c: api("POST", f"/v1/complaints/{c['id']}/close", _accepted_now())),
            (
                "POST /v1/sla/preview",
                lambda c: api(
                    "POST", "/v1/sla/preview", {"slaPolicy": "fca-disp", "receivedAt": "2026-09-30T10:00:00Z"}
                ),
            ),
            (
                "GET /v1/kpis",
                lambda c: api(
                    "GET",
                    "/v1/kpis",
                    claims=MANAGER,
                    query={"from": "2026-01-01T00:00:00Z", "to": "2027-01-01T00:00:00Z"},
                ),
            ),
        ]

    def run(self, number: int, forget: bool = True) -> None:
        """Run one lifecycle, keeping the AWS calls of each operation (and, unless told not to, then
        deleting its items)."""
        self.calls, self.invocations = {}, Counter()

        def step(name: str, run: Callable[[], Any]) -> Any:
            with self._ledger.recording() as recorded:
                result = self._timings.timed(name, run)
            self.calls.setdefault(name, []).extend(recorded)
            self.invocations[name] += 1
            return result

        created = step(
            "POST /v1/complaints",
            lambda: self._api(
                "POST", "/v1/complaints", intake_body(), CHANNEL_APP, {"Idempotency-Key": f"bench-{number}"}
            ),
        )
        complaint = {"id": created["id"], "token": tracking_token(created["id"], SECRET)}
        for name, operation in self.api_steps(number):
            step(name, lambda operation=operation: operation(complaint))  # type: ignore[misc]
        for record in self._stream_records(complaint["id"]):
            step("publisher (1 stream record)", lambda record=record: self._publish([record]))  # type: ignore[misc]
        for bus_event in self.bus_events():
            step("notifier (1 message)", lambda bus_event=bus_event: self._notify([bus_event]))  # type: ignore[misc]
        if forget:
            self._forget(created)

    def _forget(self, created: dict[str, Any]) -> None:
        """Delete the lifecycle's items, uncounted: moto copies a whole table for every transaction,
        so a growing table would slow each write down in a way DynamoDB does not."""
        for table, key in (
            *((TABLE_NAME, item) for item in self._items(f"COMPLAINT#{created['id']}")),
            (TABLE_NAME, {"pk": {"S": f"REFERENCE#{created['reference']}"}, "sk": {"S": "REFERENCE"}}),
            *(
                (TRAIL_TABLE_NAME, {"complaintId": item["complaintId"], "version": item["version"]})
                for item in self._events(created["id"])
            ),
        ):
            self._reader.delete_item(TableName=table, Key=key)

    def _items(self, partition: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._reader.query(
            TableName=TABLE_NAME,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": partition}},
            ProjectionExpression="pk, sk",
        )["Items"]
        return found

    def notifier_batch(self, bus_events: list[dict[str, Any]]) -> None:
        self._timings.timed(f"notifier (batch of {len(bus_events)})", lambda: self._notify(bus_events))

    # --- what the stream and the queue hand the functions ---------------------------------------------

    def _events(self, complaint_id: str) -> list[dict[str, Any]]:
        """The complaint's audit events as the trail table holds them."""
        found: list[dict[str, Any]] = self._reader.query(
            TableName=TRAIL_TABLE_NAME,
            KeyConditionExpression="complaintId = :id",
            ExpressionAttributeValues={":id": {"S": complaint_id}},
        )["Items"]
        return found

    def _stream_records(self, complaint_id: str) -> list[dict[str, Any]]:
        """What the trail table's stream hands the publisher: each new event, in order."""
        items = self._events(complaint_id)
        return [
            {
                "eventID": f"{complaint_id}-{index}",
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "dynamodb": {
                    "Keys": {"complaintId": item["complaintId"], "version": item["version"]},
                    "NewImage": item,
                    "SequenceNumber": f"{index:021d}",
                    "StreamViewType": "NEW_IMAGE",
                },
            }
            for index, item in enumerate(items, start=1)
        ]

    def bus_events(self) -> list[dict[str, Any]]:
        """The events of the last lifecycle that the notification rule sends to the queue."""
        entries = [
            entry
            for calls in self.calls.values()
            for call in calls
            if call.operation == "PutEvents"
            for entry in call.params["Entries"]
            if self._notified is None or entry["DetailType"] in self._notified
        ]
        return [
            {
                "version": "0",
                "id": f"bus-{index}",
                "detail-type": entry["DetailType"],
                "source": entry["Source"],
                "account": "123456789012",
                "time": "2026-11-28T09:00:00Z",
                "region": REGION,
                "resources": [],
                "detail": json.loads(entry["Detail"]),
            }
            for index, entry in enumerate(entries)
        ]

    def _publish(self, records: list[dict[str, Any]]) -> None:
        result = self._publisher.handler({"Records": records}, LambdaContext())
        if result["batchItemFailures"]:
            raise RuntimeError(f"the publisher refused {result}")

    def _notify(self, bus_events: list[dict[str, Any]]) -> None:
        records = [
            {
                "messageId": f"m-{index}-{event['id']}",
                "receiptHandle": f"h-{index}",
                "body": json.dumps(event, ensure_ascii=False),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "awsRegion": REGION,
            }
            for index, event in enumerate(bus_events)
        ]
        result = self._notifier.handler({"Records": records}, LambdaContext())
        if result["batchItemFailures"]:
            raise RuntimeError(f"the notifier failed {result}")


def measure(lifecycles: int) -> dict[str, Any]:
    timings = Timings()
    with deployment() as deployed:
        api = ApiClient()
        lifecycle = Lifecycle(api, Timings(), deployed.ledger)  # warm-up: timed into a throw-away
        for number in range(WARM_UP_LIFECYCLES):
            lifecycle.run(-1 - number)
        lifecycle = Lifecycle(api, timings, deployed.ledger)
        for number in range(lifecycles):
            lifecycle.run(number, forget=number < lifecycles - 1)  # the last one feeds the batch below
        bus_events = lifecycle.bus_events()
        batch = (bus_events * NOTIFIER_BATCH)[:NOTIFIER_BATCH]
        for _ in range(max(5, lifecycles // 5)):
            lifecycle.notifier_batch(batch)
        return {
            "lifecycles": lifecycles,
            "latency": timings.to_json(),
            "callsPerOperation": {
                name: {"invocations": lifecycle.invocations[name], **summarize(calls)}
                for name, calls in lifecycle.calls.items()
            },
            "notifiedEvents": sorted(event["detail-type"] for event in bus_events),
            "stepFunctions": _executions(deployed),
        }


def _executions(deployed: Deployment) -> int:
    client = boto3.Session(region_name=REGION).client("stepfunctions")
    return len(client.list_executions(stateMachineArn=deployed.state_machine_arn)["executions"])
