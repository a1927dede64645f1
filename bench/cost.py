"""The cost of 1 000 complaints over a full lifecycle at AWS list prices (bench/prices.json).

A lifecycle is what bench/warm.py runs through the handlers: intake with an Idempotency-Key, the
first response, assignment, resolution, the customer's rating and closing, then the publisher (one
invocation per audit event: a quiet stream hands over one record at a time) and the notifier (one per
notified event). Everything is counted from that run: Lambda invocations and their measured p50
durations at each function's configured memory, DynamoDB request units (table and GSIs), EventBridge
events, e-mails and SMS. Reads a person makes in between (the staff console, the tracking page) are
not part of it. Two figures are assumptions, stated in the result: the SLA tracker's state transitions
(7 for a complaint answered before its first-response deadline, counted on moto by
tests/integration/test_sla_tracker_asl.py) and SQS requests (the rule's send, one receive and one
delete per message: the least batching there can be).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

PRICES = Path(__file__).with_name("prices.json")
COMPLAINTS = 1000
# The operations of one lifecycle that run in the api function.
LIFECYCLE_API_OPERATIONS = (
    "POST /v1/complaints",
    "POST …/responses",
    "PATCH /v1/complaints/{id}",
    "POST …/resolve",
    "POST /v1/track/{id}/feedback",
    "POST …/close",
)
# Which function runs which kind of operation (the rest are api routes).
FUNCTION_OF = {"publisher (1 stream record)": "publisher", "notifier (1 message)": "notifier"}
TRACKER_TRANSITIONS_ANSWERED_IN_TIME = 7
SQS_REQUESTS_PER_MESSAGE = 3


def estimate(warm: dict[str, Any], memory_mb: dict[str, int]) -> dict[str, Any]:
    prices = json.loads(PRICES.read_text())
    latency, calls = warm["latency"], warm["callsPerOperation"]
    operations = [*LIFECYCLE_API_OPERATIONS, *FUNCTION_OF]
    invocations = gb_seconds = read_units = write_units = 0.0
    emails = sms = events = 0
    for operation in operations:
        taken = calls[operation]
        count = taken["invocations"]
        function = FUNCTION_OF.get(operation, "api")
        # Lambda bills each invocation's duration rounded up to the millisecond.
        billed_ms = math.ceil(latency[operation]["p50Ms"])
        invocations += count
        gb_seconds += count * billed_ms / 1000 * memory_mb[function] / 1024
        read_units += taken["dynamodbReadUnits"]
        write_units += taken["dynamodbWriteUnits"]
        for name, number in taken["calls"].items():
            emails += number if name.startswith("sesv2:SendEmail") else 0
            sms += number if name.startswith("sns:Publish") else 0
            events += number if name.startswith("events:PutEvents") else 0
    notified = calls["notifier (1 message)"]["invocations"]
    per_complaint = {
        "lambdaRequests": invocations,
        "lambdaGbSeconds": gb_seconds,
        "dynamodbReadUnits": read_units,
        "dynamodbWriteUnits": write_units,
        "stepFunctionsTransitions": TRACKER_TRANSITIONS_ANSWERED_IN_TIME,
        "eventBridgeEvents": events,
        "sqsRequests": notified * SQS_REQUESTS_PER_MESSAGE,
        "emails": emails,
        "xrayTraces": invocations,
        "sms": sms,
    }
    dollars = {
        "lambda": gb_seconds * prices["lambda"]["arm64PerGbSecond"]
        + invocations * prices["lambda"]["perRequest"],
        "dynamodb": read_units * prices["dynamodb"]["onDemandPerReadRequestUnit"]
        + write_units * prices["dynamodb"]["onDemandPerWriteRequestUnit"],
        "stepFunctions": TRACKER_TRANSITIONS_ANSWERED_IN_TIME
        * prices["stepFunctions"]["standardPerStateTransition"],
        "eventBridge": events * prices["eventBridge"]["perCustomEvent"],
        "sqs": per_complaint["sqsRequests"] * prices["sqs"]["standardPerRequest"],
        "ses": emails * prices["ses"]["perEmail"],
        "xray": invocations * prices["xray"]["perTraceRecorded"],
    }
    per_thousand = {name: round(value * COMPLAINTS, 4) for name, value in dollars.items()}
    return {
        "complaints": COMPLAINTS,
        "region": prices["region"],
        "pricesTaken": prices["taken"],
        "lifecycle": operations,
        "memoryMb": memory_mb,
        "perComplaint": per_complaint,
        "usdPer1000": per_thousand,
        "usdPer1000Total": round(sum(per_thousand.values()), 2),
        "smsPer1000": {
            "messages": sms * COMPLAINTS,
            "usd": round(sms * COMPLAINTS * prices["sms"]["perMessage"], 2),
            "destination": prices["sms"]["destination"],
        },
        "assumptions": [
            f"Step Functions: {TRACKER_TRANSITIONS_ANSWERED_IN_TIME} state transitions per complaint "
            "answered before its first-response deadline (14 if answered later), counted on moto by "
            "tests/integration/test_sla_tracker_asl.py, not by this run",
            f"SQS: {SQS_REQUESTS_PER_MESSAGE} requests per notified message (send, receive, delete), "
            "no batching",
            "Lambda durations: the in-process p50 on this machine against moto, at the configured memory; "
            "arm64 in AWS with network round trips to DynamoDB will differ",
            "not counted: CloudWatch Logs ingestion, metrics, KMS requests (DynamoDB caches its data keys), "
            "API Gateway and WAF requests, storage, free tiers",
        ],
    }
