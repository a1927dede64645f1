"""The quarterly report end to end on moto: a manager asks for it through the API, the queue hands the
request to the builder, the files land in the KMS bucket, management is e-mailed, `ReportPublished`
reaches the bus, and the signed links lead to the files."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from api_events import LambdaContext, api_event, handler_module
from botocore.exceptions import ClientError
from fakes import DynamoDbSlaStore, FakeTracker
from moto.ses.models import ses_backends
from moto_tables import REGION, TABLE_NAME, TRAIL_TABLE_NAME, put_link_keys

from complaints.adapters.dynamodb.cases import DynamoDbCaseIndex
from complaints.cases.models import CaseRequest
from complaints.cases.service import CaseLibrary
from complaints.composition import report_builder as report_builder_root
from complaints.core.auth import caller_from_claims
from complaints.intake.commands import IntakeRequest, ResolveRequest, ResponseRequest
from complaints.intake.service import ComplaintService
from complaints.reporting.quarter import Quarter

STAFF_SCOPE = "complaint-guard/staff"
MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": STAFF_SCOPE}
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF_SCOPE}
APP = caller_from_claims({"client_id": "counter", "scope": "complaint-guard/complaints.submit"})
STAFF = caller_from_claims(AGENT)
BUCKET = "complaint-guard-reports-test"
SENDER = "complaints@bank.example"
RECIPIENTS = "board@bank.example,compliance@bank.example"
BASE_URL = "https://complaints.bank.example"
PARAMETER = "/complaint-guard/tracking-secret"
BUS = "complaints-test"
TIMEZONE = "Asia/Shanghai"


@pytest.fixture
def reporting_aws(aws: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The report's resources on moto, shaped as the stack makes them; returns their names."""
    key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["KeyId"]
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}
            ]
        },
    )
    sqs = boto3.client("sqs", region_name=REGION)
    queue_url = sqs.create_queue(QueueName="report-requests")["QueueUrl"]
    announced_url = sqs.create_queue(QueueName="announced")["QueueUrl"]
    announced_arn = sqs.get_queue_attributes(QueueUrl=announced_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    events = boto3.client("events", region_name=REGION)
    events.create_event_bus(Name=BUS)
    events.put_rule(
        Name="reports", EventBusName=BUS, EventPattern=json.dumps({"detail-type": ["ReportPublished"]})
    )
    events.put_targets(Rule="reports", EventBusName=BUS, Targets=[{"Id": "q", "Arn": announced_arn}])
    boto3.client("ses", region_name=REGION).verify_domain_identity(Domain="bank.example")
    put_link_keys(PARAMETER, tracking="t1:" + "t" * 48, reports="r1:" + "s" * 48)
    for name, value in {
        "REPORT_BUCKET": BUCKET,
        "REPORT_QUEUE_URL": queue_url,
        "REPORT_RECIPIENTS": RECIPIENTS,
        "REPORT_TIMEZONE": TIMEZONE,
        "SENDER_EMAIL": SENDER,
        "PUBLIC_BASE_URL": BASE_URL,
        "TRACKING_SECRET_PARAMETER": PARAMETER,
        "EVENT_BUS_NAME": BUS,
    }.items():
        monkeypatch.setenv(name, value)
    return {"queue": queue_url, "announced": announced_url}


@pytest.fixture
def api(reporting_aws: dict[str, str]) -> ModuleType:
    return handler_module("api.app")


@pytest.fixture
def builder(reporting_aws: dict[str, str]) -> ModuleType:
    return handler_module("report.app")


def call(
    api: ModuleType, method: str, path: str, body: Any = None, claims: Any = MANAGER, **query: str
) -> Any:
    response = api.handler(api_event(method, path, body, claims, query=query or None), LambdaContext())
    return response


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response["body"] else None


def seed_current_quarter(aws: Any) -> tuple[Quarter, list[str]]:
    """Three complaints received in the current quarter (Shanghai), one answered at once."""
    now = datetime.now(UTC)
    quarter = Quarter.containing(now, TIMEZONE)
    start, _ = quarter.bounds(TIMEZONE)
    service = ComplaintService(DynamoDbSlaStore(TABLE_NAME, aws, trail_table=TRAIL_TABLE_NAME), FakeTracker())
    references = []
    for number in range(3):
        received = max(now - timedelta(hours=1), start) + timedelta(seconds=number + 1)
        intake = IntakeRequest.model_validate(
            {
                "channel": "hotline",
                "customer": {"customerId": f"C-{number}", "name": "Wang Fang", "phone": "+8613900139000"},
                "description": "I will go to the newspaper about this fee."
                if number == 0
                else "Card blocked.",
                "receivedAt": min(received, now).isoformat(),
            }
        )
        complaint = service.intake(intake, APP)
        references.append(complaint.reference)
        if number == 1:
            service.respond(complaint.id, ResponseRequest(message="We are on it."), STAFF)
    return quarter, references


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The SQS event Lambda's event source mapping hands the builder for these received messages."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-2:123456789012:report-requests",
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def deliver_queued(aws: Any, builder: ModuleType, queue_url: str) -> dict[str, Any]:
    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    assert len(messages) == 1, messages
    event = sqs_event(messages)
    result: dict[str, Any] = builder.handler(event, LambdaContext(function_name="complaint-guard-report"))
    return result


def test_a_manager_asks_for_the_quarter_and_gets_its_files(
    aws: Any, reporting_aws: dict[str, str], api: ModuleType, builder: ModuleType
) -> None:
    quarter, references = seed_current_quarter(aws)

    asked = call(api, "POST", "/v1/reports", {"period": str(quarter)})
    assert asked["statusCode"] == 202, asked["body"]
    queued = body_of(asked)
    assert queued["status"] == "queued" and queued["period"] == str(quarter) and queued["links"] == {}
    assert asked["multiValueHeaders"]["Location"] == [f"/v1/reports/{queued['id']}"]

    assert deliver_queued(aws, builder, reporting_aws["queue"]) == {"batchItemFailures": []}

    ready = body_of(call(api, "GET", f"/v1/reports/{queued['id']}"))
    assert ready["status"] == "ready" and ready["requestedBy"] == "mgr-1"
    assert ready["headline"]["received"] == 3
    # one of the three answered at once; the other two not yet due: 1 on time of 1 counted
    assert ready["headline"]["firstResponseOnTimeRate"] == 1.0
    assert sorted(ready["links"]) == [
        "accountability.csv",
        "complaints.csv",
        "kpis.csv",
        "performance.csv",
        "regulatory-risk.csv",
        "report.html",
    ]

    # the files: in the bucket under the report's id, encrypted with the bucket's KMS key
    s3 = boto3.client("s3", region_name=REGION)
    html = s3.get_object(Bucket=BUCKET, Key=f"reports/{queued['id']}/report.html")
    assert html["ContentType"] == "text/html; charset=utf-8"
    assert html["ServerSideEncryption"] == "aws:kms"
    page = html["Body"].read().decode()
    assert str(quarter) in page and references[0] in page  # the newspaper complaint is a risk
    assert "Wang Fang" not in page and "+8613900139000" not in page
    extract = s3.get_object(Bucket=BUCKET, Key=f"reports/{queued['id']}/complaints.csv")
    assert extract["ContentDisposition"] == 'attachment; filename="complaints.csv"'
    lines = extract["Body"].read().decode().splitlines()
    assert len(lines) == 1 + 3 and lines[0].startswith("reference,id,receivedAt")
    # performance: none of the three has a team or a handler yet -> the intake queue and "unassigned"
    performance = s3.get_object(Bucket=BUCKET, Key=f"reports/{queued['id']}/performance.csv")
    rows = list(csv.DictReader(io.StringIO(performance["Body"].read().decode())))
    assert [(row["groupBy"], row["name"], row["handled"]) for row in rows] == [
        ("team", "intake", "3"),
        ("assignee", "unassigned", "3"),
    ]

    # management is e-mailed once per address, with the signed link to the HTML
    sent = ses_backends["123456789012"][REGION].sent_messages
    assert sorted(address for m in sent for address in m.destinations["ToAddresses"]) == [
        "board@bank.example",
        "compliance@bank.example",
    ]
    # (each link is signed for 7 days from when it is made, so the e-mail's and the API's differ)
    assert all(f"{BASE_URL}/r/{queued['id']}/report.html?expires=" in m.body for m in sent)

    # ReportPublished on the bus
    sqs = boto3.client("sqs", region_name=REGION)
    [announced] = sqs.receive_message(QueueUrl=reporting_aws["announced"]).get("Messages", [])
    event = json.loads(announced["Body"])
    assert event["detail-type"] == "ReportPublished"
    assert event["detail"]["data"]["reportId"] == queued["id"]
    assert event["detail"]["complaintId"] is None


def test_the_signed_link_redirects_to_a_short_lived_download(
    aws: Any, reporting_aws: dict[str, str], api: ModuleType, builder: ModuleType
) -> None:
    quarter, _ = seed_current_quarter(aws)
    report_id = body_of(call(api, "POST", "/v1/reports", {"period": str(quarter)}))["id"]
    deliver_queued(aws, builder, reporting_aws["queue"])
    link = body_of(call(api, "GET", f"/v1/reports/{report_id}"))["links"]["kpis.csv"]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}

    opened = call(api, "GET", parts.path, claims=None, **query)
    assert opened["statusCode"] == 302
    target = urlsplit(opened["multiValueHeaders"]["Location"][0])
    assert target.path.endswith(f"/reports/{report_id}/kpis.csv")
    presigned = parse_qs(target.query)
    assert presigned["X-Amz-Expires"] == ["300"]
    assert opened["multiValueHeaders"]["Cache-Control"] == ["no-store"]

    tampered = dict(query, signature=query["signature"][:-2] + "AA")
    refused = call(api, "GET", parts.path, claims=None, **tampered)
    assert refused["statusCode"] == 404 and body_of(refused)["error"] == "not_found"
    other_file = call(api, "GET", parts.path.replace("kpis.csv", "complaints.csv"), claims=None, **query)
    assert other_file["statusCode"] == 404


def test_only_managers_ask_for_reports_of_quarters_that_have_begun(
    aws: Any, reporting_aws: dict[str, str], api: ModuleType
) -> None:
    assert call(api, "POST", "/v1/reports", {"period": "2026-Q1"}, claims=AGENT)["statusCode"] == 403
    assert call(api, "POST", "/v1/reports", {"period": "2026-Q1"}, claims=None)["statusCode"] == 401
    bad = call(api, "POST", "/v1/reports", {"period": "2026-Q5"})
    assert bad["statusCode"] == 400 and body_of(bad)["details"][0]["field"] == "period"
    next_quarter = Quarter.containing(datetime.now(UTC), TIMEZONE).next()
    future = call(api, "POST", "/v1/reports", {"period": str(next_quarter)})
    assert future["statusCode"] == 400 and re.search("has not begun", body_of(future)["message"])
    unknown = call(api, "GET", "/v1/reports/2026-Q1-nothing")
    assert unknown["statusCode"] == 404
    # nothing was queued by the refused requests
    sqs = boto3.client("sqs", region_name=REGION)
    assert sqs.receive_message(QueueUrl=reporting_aws["queue"]).get("Messages", []) == []


def test_the_schedule_builds_the_previous_quarter_once(
    aws: Any, reporting_aws: dict[str, str], builder: ModuleType
) -> None:
    previous = Quarter.containing(datetime.now(UTC), TIMEZONE).previous()
    first = builder.handler({"run": "scheduled"}, LambdaContext(function_name="complaint-guard-report"))
    again = builder.handler({"run": "scheduled"}, LambdaContext(function_name="complaint-guard-report"))
    assert first == again == {"reportId": f"{previous}-scheduled", "period": str(previous), "status": "ready"}
    assert len(ses_backends["123456789012"][REGION].sent_messages) == 2  # one per address, not four


def test_a_build_that_cannot_store_its_files_fails_visibly_and_its_retry_publishes_once(
    aws: Any, reporting_aws: dict[str, str], api: ModuleType, builder: ModuleType
) -> None:
    quarter, _ = seed_current_quarter(aws)
    report_id = body_of(call(api, "POST", "/v1/reports", {"period": str(quarter)}))["id"]
    sqs = boto3.client("sqs", region_name=REGION)
    [message] = sqs.receive_message(QueueUrl=reporting_aws["queue"], VisibilityTimeout=0)["Messages"]
    delivery = sqs_event([message])

    # S3 refuses the first upload (before anything is sent, so botocore's retries do not hide it)
    s3_client = report_builder_root.quarterly_reports()._artifacts._client  # type: ignore[attr-defined]
    refused: list[str] = []

    def unavailable(**_: Any) -> None:
        if not refused:
            refused.append("PutObject")
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "slow down"}}, "PutObject")

    s3_client.meta.events.register("before-call.s3.PutObject", unavailable)
    context = LambdaContext(function_name="complaint-guard-report")
    first = builder.handler(delivery, context)
    assert first == {"batchItemFailures": [{"itemIdentifier": message["MessageId"]}]}  # SQS will retry
    failed = body_of(call(api, "GET", f"/v1/reports/{report_id}"))
    assert failed["status"] == "failed" and failed["error"] and failed["links"] == {}
    assert ses_backends["123456789012"][REGION].sent_messages == []
    assert sqs.receive_message(QueueUrl=reporting_aws["announced"]).get("Messages", []) == []

    second = builder.handler(delivery, context)  # the queue's redelivery
    assert second == {"batchItemFailures": []}
    ready = body_of(call(api, "GET", f"/v1/reports/{report_id}"))
    assert ready["status"] == "ready" and ready["error"] is None
    assert len(ses_backends["123456789012"][REGION].sent_messages) == 2  # one per address, once
    assert (
        len(sqs.receive_message(QueueUrl=reporting_aws["announced"], MaxNumberOfMessages=10)["Messages"]) == 1
    )


def test_the_quarterly_report_lists_the_lessons_marked_in_the_quarter(
    aws: Any, reporting_aws: dict[str, str], api: ModuleType, builder: ModuleType
) -> None:
    quarter, references = seed_current_quarter(aws)
    service = ComplaintService(DynamoDbSlaStore(TABLE_NAME, aws, trail_table=TRAIL_TABLE_NAME), FakeTracker())
    library = CaseLibrary(service, DynamoDbCaseIndex(TABLE_NAME, aws))
    listed = call(api, "GET", "/v1/complaints", claims=AGENT)
    answered = next(item for item in body_of(listed)["items"] if item["reference"] == references[1])
    resolution = {"outcome": "upheld", "summary": "Unblocked the card.", "rootCause": "fraud rule too strict"}
    resolved = service.resolve(answered["id"], ResolveRequest.model_validate(resolution), STAFF)
    lesson = "Review the velocity rule before blocking a card after two foreign payments."
    library.mark(
        CaseRequest.model_validate(
            {"complaintId": resolved.id, "title": "Card blocked by the fraud rule", "lesson": lesson}
        ),
        caller_from_claims({**AGENT, "cognito:groups": "[supervisor team:intake]", "username": "sup-9"}),
    )

    asked = body_of(call(api, "POST", "/v1/reports", {"period": str(quarter)}))
    assert deliver_queued(aws, builder, reporting_aws["queue"]) == {"batchItemFailures": []}

    s3 = boto3.client("s3", region_name=REGION)
    page = s3.get_object(Bucket=BUCKET, Key=f"reports/{asked['id']}/report.html")["Body"].read().decode()
    lessons = page.split("Lessons of the quarter", 1)[1].split("<h2>", 1)[0]
    assert references[1] in lessons and "Card blocked by the fraud rule" in lessons
    assert lesson in lessons and "fraud rule too strict" in lessons and "sup-9" in lessons
    assert "Wang Fang" not in lessons
