"""The moto deployment and environment the integration tests share (imported by name; a module called
`conftest` would be ambiguous when several test folders run in one session).

Every function's settings are required (they fail the cold start when missing), so the backend holds a
small deployment shaped like the stack's: the tables, a state machine standing in for the SLA tracker
(moto does not run it), an event bus, the signing key, the reports bucket and queue, the staff topics and
a verified sender. Tests that look at one of these make their own and point the variable at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final

import boto3
import pytest
from moto import mock_aws

from complaints.adapters.dynamodb.table import TABLE_INDEXES, TableIndex
from complaints.composition import api as api_root
from complaints.composition import archiver as archiver_root
from complaints.composition import malware_scan as malware_scan_root
from complaints.composition import notifier as notifier_root
from complaints.composition import publisher as publisher_root
from complaints.composition import report_builder as report_builder_root
from complaints.composition import sla_sweep as sla_sweep_root

TABLE_NAME = "complaints-test"
TRAIL_TABLE_NAME = "trail-test"
IDEMPOTENCY_TABLE_NAME = "idempotency-test"
REGION: Final = "eu-west-2"

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "TABLE_NAME": TABLE_NAME,
    "TRAIL_TABLE_NAME": TRAIL_TABLE_NAME,
    "TRAIL_ARCHIVE_BUCKET": "complaint-guard-test-trail-archive",
    "IDEMPOTENCY_TABLE_NAME": IDEMPOTENCY_TABLE_NAME,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "complaint-guard-test",
    "POWERTOOLS_METRICS_NAMESPACE": "ComplaintGuardTest",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "SLA_POLICY": "seed",
    "EVENT_BUS_NAME": "complaint-guard-test-bus",
    "TRACKING_SECRET_PARAMETER": "/complaint-guard-test/signing-key",
    "PUBLIC_BASE_URL": "https://complaints.bank.example",
    "REPORT_BUCKET": "complaint-guard-test-reports",
    # No scanner in these tests (attachments read not_scanned); the attachment tests set guardduty.
    "ATTACHMENT_BUCKET": "complaint-guard-test-attachments",
    "ATTACHMENT_SCANNER": "none",
    "SENDER_EMAIL": "complaints@bank.example",
}
SIGNING_KEY = "k" * 48
# The key rings derived from TRACKING_SECRET_PARAMETER (complaints/adapters/parameters.py): `<id>:<secret>`.
TRACKING_KEY = "t1:" + "t" * 48
REPORT_KEY = "r1:" + "r" * 48
STAFF_TOPICS = ("SUPERVISOR", "MANAGER", "COMPLIANCE", "AT_RISK")


def projection(index: TableIndex) -> Any:
    """The index's projection as the stack declares it (Data construct)."""
    if index.projected is None:
        return {"ProjectionType": "ALL"}
    if not index.projected:
        return {"ProjectionType": "KEYS_ONLY"}
    return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(index.projected)}


def create_tables(client: Any) -> None:
    string = "S"
    client.create_table(
        TableName=TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": string}
            for name in sorted(
                {"pk", "sk"}
                | {key for index in TABLE_INDEXES for key in (index.partition_key, index.sort_key)}
            )
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": projection(index),
            }
            for index in TABLE_INDEXES
        ],
    )
    client.create_table(
        TableName=TRAIL_TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "complaintId", "AttributeType": "S"},
            {"AttributeName": "version", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "complaintId", "KeyType": "HASH"},
            {"AttributeName": "version", "KeyType": "RANGE"},
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    client.create_table(
        TableName=IDEMPOTENCY_TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": string}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )


def put_link_keys(
    parameter: str,
    *,
    tracking: str | None = TRACKING_KEY,
    reports: str | None = REPORT_KEY,
    previous_tracking: str | None = None,
    previous_reports: str | None = None,
    legacy: str | None = None,
) -> None:
    """Put the link keys as operations do, under the name TRACKING_SECRET_PARAMETER gives (P): the
    current and previous keys of each ring under P/tracking and P/reports, the legacy key as P."""
    ssm = boto3.client("ssm", region_name=REGION)
    values = {
        f"{parameter}/tracking/current": tracking,
        f"{parameter}/tracking/previous": previous_tracking,
        f"{parameter}/reports/current": reports,
        f"{parameter}/reports/previous": previous_reports,
        parameter: legacy,
    }
    for name, value in values.items():
        if value is not None:
            ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)


def create_deployment() -> dict[str, str]:
    """What the functions' settings name, on moto; returns the variables that hold moto's ARNs and URLs."""
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = sfn.create_state_machine(
        name="complaint-guard-test-tracker",
        definition=json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Pass", "End": True}}}),
        roleArn="arn:aws:iam::123456789012:role/complaint-guard-test-tracker",
    )
    boto3.client("events", region_name=REGION).create_event_bus(Name=ENVIRONMENT["EVENT_BUS_NAME"])
    put_link_keys(ENVIRONMENT["TRACKING_SECRET_PARAMETER"], legacy=SIGNING_KEY)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(
        Bucket=ENVIRONMENT["REPORT_BUCKET"], CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    s3.create_bucket(
        Bucket=ENVIRONMENT["TRAIL_ARCHIVE_BUCKET"],
        CreateBucketConfiguration={"LocationConstraint": REGION},
        ObjectLockEnabledForBucket=True,
    )
    s3.put_object_lock_configuration(
        Bucket=ENVIRONMENT["TRAIL_ARCHIVE_BUCKET"],
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 7 * 365}},
        },
    )
    s3.create_bucket(
        Bucket=ENVIRONMENT["ATTACHMENT_BUCKET"], CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    s3.put_bucket_versioning(
        Bucket=ENVIRONMENT["ATTACHMENT_BUCKET"], VersioningConfiguration={"Status": "Enabled"}
    )
    queue = boto3.client("sqs", region_name=REGION).create_queue(QueueName="complaint-guard-test-reports")
    boto3.client("ses", region_name=REGION).verify_domain_identity(Domain="bank.example")
    sns = boto3.client("sns", region_name=REGION)
    return {
        "SLA_TRACKER_ARN": machine["stateMachineArn"],
        "REPORT_QUEUE_URL": queue["QueueUrl"],
        **{
            f"STAFF_TOPIC_{topic}": sns.create_topic(Name=f"complaint-guard-test-{topic.lower()}")["TopicArn"]
            for topic in STAFF_TOPICS
        },
    }


def clear_caches() -> None:
    """Forget every cached setting, client and service, so each test composes them anew."""
    for root in (
        api_root,
        archiver_root,
        malware_scan_root,
        notifier_root,
        publisher_root,
        report_builder_root,
        sla_sweep_root,
    ):
        for composed in vars(root).values():
            if callable(getattr(composed, "cache_clear", None)):
                composed.cache_clear()


def moto_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The body of the `aws` fixtures (integration and reliability): the environment, fresh caches,
    a fresh `mock_aws` backend with both tables; yields a DynamoDB client on it."""
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    clear_caches()
    # Keeping boto3's default session between contexts keeps its parsed service models (a new session
    # per test would re-read them); each test still gets new clients and a fresh moto backend.
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        client = boto3.client("dynamodb", region_name=REGION)
        create_tables(client)
        for name, value in create_deployment().items():
            monkeypatch.setenv(name, value)
        yield client
    clear_caches()


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    """Every message waiting on a queue (a rule's target in a test), parsed, and the queue emptied."""
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
