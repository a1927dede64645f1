"""The quarterly report's resources in the synthesized template: the schedule, the bucket, the queue,
the builder and what each role may do."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_sla_machinery import (
    Resources,
    allowed,
    api_id,  # noqa: F401 (a fixture)
    flat,
    of_type,
    role_of,
    role_statements,
    schedule_named,
)


@pytest.fixture(scope="module")
def builder_id(resources: Resources) -> str:
    schedule = schedule_named(resources, "complaint-guard-quarterly-report")
    function_id: str = schedule["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0]
    return function_id


@pytest.fixture(scope="module")
def bucket(resources: Resources) -> tuple[str, dict[str, Any]]:
    (found,) = (
        (k, r) for k, r in of_type(resources, "AWS::S3::Bucket").items() if k.startswith("ReportsBucket")
    )
    return found


def test_the_report_runs_at_1_am_shanghai_time_on_the_first_day_of_each_quarter(
    resources: Resources, builder_id: str
) -> None:
    props = schedule_named(resources, "complaint-guard-quarterly-report")["Properties"]
    # minute 0, hour 1, day-of-month 1, January/April/July/October, any day of week, every year
    assert props["ScheduleExpression"] == "cron(0 1 1 1,4,7,10 ? *)"
    assert props["ScheduleExpressionTimezone"] == "Asia/Shanghai"
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert json.loads(props["Target"]["Input"]) == {"run": "scheduled"}
    assert props["Target"]["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    builder = resources[builder_id]["Properties"]
    assert builder["Handler"] == "app.handler" and builder["Timeout"] == 900
    assert builder["MemorySize"] == 1024 and builder["Architectures"] == ["arm64"]


def test_the_bucket_is_private_kms_encrypted_versioned_and_logged(
    resources: Resources, bucket: tuple[str, dict[str, Any]]
) -> None:
    bucket_id, resource = bucket
    props = resource["Properties"]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    key_id = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0]
    assert resources[key_id]["Properties"]["EnableKeyRotation"] is True
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert "DestinationBucketName" in props["LoggingConfiguration"]
    assert resource["DeletionPolicy"] == "Retain"
    (policy,) = (
        p
        for p in of_type(resources, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    )
    denials = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert any(s["Condition"].get("Bool", {}).get("aws:SecureTransport") == "false" for s in denials)


def test_build_requests_go_through_a_queue_with_a_dead_letter_queue(
    resources: Resources, builder_id: str
) -> None:
    mappings = [
        m["Properties"]
        for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": builder_id}
    ]
    [mapping] = mappings
    assert mapping["BatchSize"] == 1 and mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue_id = mapping["EventSourceArn"]["Fn::GetAtt"][0]
    queue = resources[queue_id]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3
    assert queue["VisibilityTimeout"] >= 6 * 900
    dead_letters = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert resources[dead_letters]["Type"] == "AWS::SQS::Queue"


def test_the_builder_reads_by_month_and_writes_only_report_files(
    resources: Resources, builder_id: str, bucket: tuple[str, dict[str, Any]]
) -> None:
    statements = role_statements(resources, role_of(resources[builder_id]))
    queried = sorted(flat(r).rsplit("/", 1)[-1] for r in allowed(statements, "dynamodb:Query"))
    assert queried == ["byAccountability", "byMonth"]
    assert allowed(statements, "dynamodb:Scan") == []
    bucket_id, _ = bucket
    assert [flat(r) for r in allowed(statements, "s3:PutObject")] == [f"<{bucket_id}.Arn>/reports/*"]
    assert allowed(statements, "s3:DeleteObject") == []
    assert allowed(statements, "ses:SendEmail"), "the builder e-mails management"
    assert allowed(statements, "events:PutEvents"), "the builder announces ReportPublished"


def test_the_api_may_queue_builds_and_read_report_files(
    resources: Resources,
    bucket: tuple[str, dict[str, Any]],
    api_id: str,  # noqa: F811 (the fixture imported above)
) -> None:
    bucket_id, _ = bucket
    api = resources[api_id]
    statements = role_statements(resources, role_of(api))
    assert allowed(statements, "sqs:SendMessage")

    def on_reports(action: str) -> list[str]:
        """What the api may do in the reports bucket (the attachments bucket is tested on its own)."""
        return [flat(r) for r in allowed(statements, action) if bucket_id in flat(r)]

    assert on_reports("s3:GetObject") == [f"<{bucket_id}.Arn>/reports/*"]
    assert on_reports("s3:PutObject") == []
    variables = api["Properties"]["Environment"]["Variables"]
    assert variables["REPORT_TIMEZONE"] == "Asia/Shanghai" and variables["REPORT_LINK_DAYS"] == "7"
