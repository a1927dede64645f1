"""The attachments' resources in the synthesized template: a bucket that keeps files encrypted with the
data key and hands out nothing unscanned, GuardDuty Malware Protection on it with the role AWS documents,
the rule and function that record its verdicts, and what each role may do."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_sla_machinery import (
    ATTACHMENT_BUCKET_NAME,
    ATTACHMENT_OBJECTS,
    Resources,
    allowed,
    flat,
    of_type,
    role_of,
    role_statements,
)

pytestmark = pytest.mark.xdist_group("infra")

# Everything but the bucket itself names it by the name the stack gives it, not by reference.
NAME, OBJECTS = ATTACHMENT_BUCKET_NAME, ATTACHMENT_OBJECTS


def one(resources: Resources, kind: str, prefix: str) -> tuple[str, dict[str, Any]]:
    found = [(k, r) for k, r in of_type(resources, kind).items() if k.startswith(prefix)]
    assert len(found) == 1, f"{kind} {prefix}: {[k for k, _ in found]}"
    return found[0]


@pytest.fixture(scope="module")
def bucket(resources: Resources) -> tuple[str, dict[str, Any]]:
    return one(resources, "AWS::S3::Bucket", "AttachmentsBucket")


@pytest.fixture(scope="module")
def policy(resources: Resources, bucket: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    (found,) = (
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in of_type(resources, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket[0]}
    )
    return list(found)


@pytest.fixture(scope="module")
def scanner_role(resources: Resources) -> str:
    plan = one(resources, "AWS::GuardDuty::MalwareProtectionPlan", "Attachments")[1]
    role: str = plan["Properties"]["Role"]["Fn::GetAtt"][0]
    return role


@pytest.fixture(scope="module")
def recorder(resources: Resources) -> tuple[str, dict[str, Any]]:
    return one(resources, "AWS::Lambda::Function", "AttachmentsScanResults")


def api_function(resources: Resources) -> dict[str, Any]:
    return one(resources, "AWS::Lambda::Function", "ApiHandler")[1]


def test_the_bucket_is_on_the_data_key_private_versioned_and_logged(
    resources: Resources, bucket: tuple[str, dict[str, Any]]
) -> None:
    props = bucket[1]["Properties"]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    # the key of the complaints table: the files are the same customer's data
    (table,) = (
        t for k, t in of_type(resources, "AWS::DynamoDB::Table").items() if k.startswith("DataComplaints")
    )
    table_key = table["Properties"]["SSESpecification"]["KMSMasterKeyId"]
    assert rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == table_key
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["LoggingConfiguration"]["DestinationBucketName"]["Ref"].startswith("ReportsAccessLogs")
    assert props["LoggingConfiguration"]["LogFilePrefix"] == "attachments/"
    assert bucket[1]["DeletionPolicy"] == "Retain"
    assert flat(props["BucketName"]) == NAME
    # browsers POST uploads from the tracking page's and the staff apps' origins, and the console's
    configured, console = props["CorsConfiguration"]["CorsRules"]
    assert configured["AllowedMethods"] == console["AllowedMethods"] == ["POST"]
    assert configured["AllowedOrigins"] == ["https://complaints.example.com", "https://localhost:8443"]
    (distribution,) = of_type(resources, "AWS::CloudFront::Distribution")
    assert [flat(origin) for origin in console["AllowedOrigins"]] == [f"https://<{distribution}.DomainName>"]


def test_the_policy_refuses_plain_http_and_any_encryption_but_the_data_key(
    policy: list[dict[str, Any]], bucket: tuple[str, dict[str, Any]]
) -> None:
    denials = [s for s in policy if s["Effect"] == "Deny"]
    assert any(s["Condition"].get("Bool", {}).get("aws:SecureTransport") == "false" for s in denials)
    puts = [s for s in denials if s["Action"] == "s3:PutObject"]
    conditions = [s["Condition"]["StringNotEqualsIfExists"] for s in puts]
    assert {"s3:x-amz-server-side-encryption": "aws:kms"} in conditions
    (key_condition,) = [c for c in conditions if "s3:x-amz-server-side-encryption-aws-kms-key-id" in c]
    assert key_condition["s3:x-amz-server-side-encryption-aws-kms-key-id"]["Fn::GetAtt"][0].startswith(
        "DataKey"
    )
    assert all(s["Principal"] == {"AWS": "*"} for s in puts)


def test_nobody_but_the_scanner_reads_a_file_not_tagged_clean(
    policy: list[dict[str, Any]], bucket: tuple[str, dict[str, Any]], scanner_role: str
) -> None:
    (gate,) = [s for s in policy if s["Effect"] == "Deny" and "s3:GetObject" in s["Action"]]
    assert set(gate["Action"]) == {"s3:GetObject", "s3:GetObjectVersion"}
    assert flat(gate["Resource"]) == OBJECTS
    assert gate["Condition"]["StringNotEquals"] == {
        "s3:ExistingObjectTag/GuardDutyMalwareScanStatus": "NO_THREATS_FOUND"
    }
    assert gate["Condition"]["ArnNotEquals"] == {"aws:PrincipalArn": {"Fn::GetAtt": [scanner_role, "Arn"]}}


def test_guardduty_protects_the_attachments_prefix_and_tags_each_verdict(
    resources: Resources, bucket: tuple[str, dict[str, Any]], scanner_role: str
) -> None:
    _, plan = one(resources, "AWS::GuardDuty::MalwareProtectionPlan", "Attachments")
    props = plan["Properties"]
    assert props["ProtectedResource"] == {
        "S3Bucket": {"BucketName": {"Ref": bucket[0]}, "ObjectPrefixes": ["attachments/"]}
    }
    assert props["Actions"] == {"Tagging": {"Status": "ENABLED"}}
    # GuardDuty checks the role's permissions when it creates the plan: the policy exists first
    policies = {
        k
        for k, p in of_type(resources, "AWS::IAM::Policy").items()
        if {"Ref": scanner_role} in p["Properties"]["Roles"]
    }
    assert policies and policies <= set(plan["DependsOn"])


def test_the_scanner_role_is_the_documented_one_narrowed_to_this_bucket(
    resources: Resources, bucket: tuple[str, dict[str, Any]], scanner_role: str
) -> None:
    (trust,) = resources[scanner_role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "malware-protection-plan.guardduty.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    statements = role_statements(resources, scanner_role)
    objects = OBJECTS
    managed = (
        "arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:"
        "rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"
    )
    for action in (
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObjectTagging",
        "s3:PutObjectVersionTagging",
    ):
        assert [flat(r) for r in allowed(statements, action)] == [objects], action
    assert [flat(r) for r in allowed(statements, "s3:PutObject")] == [
        f"<{bucket[0]}.Arn>/malware-protection-resource-validation-object"
    ]
    for action in ("s3:PutBucketNotification", "s3:ListBucket"):
        assert allowed(statements, action) == [{"Fn::GetAtt": [bucket[0], "Arn"]}]
    for action in ("events:PutRule", "events:DeleteRule", "events:DescribeRule"):
        assert [flat(r) for r in allowed(statements, action)] == [managed]
    (rule_writes,) = [s for s in statements if "events:PutRule" in s["Action"]]
    assert rule_writes["Condition"] == {
        "StringLike": {"events:ManagedBy": "malware-protection-plan.guardduty.amazonaws.com"}
    }
    (decrypt,) = [s for s in statements if "kms:Decrypt" in s["Action"]]
    assert decrypt["Resource"]["Fn::GetAtt"][0].startswith("DataKey")
    assert flat(decrypt["Condition"]["StringEquals"]["kms:ViaService"]) == "s3.<AWS::Region>.amazonaws.com"
    # nothing else: no delete, no bucket policy, no other bucket
    actions = {
        a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert not any(a.startswith("s3:Delete") or a == "s3:PutBucketPolicy" for a in actions)


def test_verdicts_on_this_bucket_reach_the_recorder_with_retries_and_a_dead_letter_queue(
    resources: Resources, bucket: tuple[str, dict[str, Any]], recorder: tuple[str, dict[str, Any]]
) -> None:
    _, rule = one(resources, "AWS::Events::Rule", "AttachmentsScanResultRule")
    props = rule["Properties"]
    assert "EventBusName" not in props  # GuardDuty publishes on the account's default bus
    assert props["EventPattern"] == {
        "source": ["aws.guardduty"],
        "detail-type": ["GuardDuty Malware Protection Object Scan Result"],
        "detail": {"s3ObjectDetails": {"bucketName": [{"Ref": bucket[0]}]}},
    }
    (target,) = props["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [recorder[0], "Arn"]}
    dead_letters = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    assert dead_letters.startswith("AttachmentsDeadLetters")
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    # what fails in the function after Lambda's retries goes to the same queue
    assert recorder[1]["Properties"]["DeadLetterConfig"] == {
        "TargetArn": {"Fn::GetAtt": [dead_letters, "Arn"]}
    }
    _, invoke = one(resources, "AWS::Lambda::EventInvokeConfig", "AttachmentsScanResults")
    assert invoke["Properties"]["MaximumRetryAttempts"] == 2
    queue = resources[dead_letters]["Properties"]
    assert queue["KmsMasterKeyId"]["Fn::GetAtt"][0].startswith("DataKey")


def test_the_recorder_reads_and_writes_complaints_and_touches_no_file(
    resources: Resources, recorder: tuple[str, dict[str, Any]], bucket: tuple[str, dict[str, Any]]
) -> None:
    variables = recorder[1]["Properties"]["Environment"]["Variables"]
    assert flat(variables["ATTACHMENT_BUCKET"]) == NAME
    assert variables["ATTACHMENT_SCANNER"] == "guardduty"
    statements = role_statements(resources, role_of(recorder[1]))
    actions = {
        a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert not any(a.startswith(("s3:", "states:", "events:", "ssm:")) for a in actions)
    assert {a for a in actions if a.startswith("dynamodb:")} == {"dynamodb:GetItem", "dynamodb:PutItem"}


def test_the_api_signs_transfers_of_attachment_files_only(
    resources: Resources, bucket: tuple[str, dict[str, Any]]
) -> None:
    api = api_function(resources)
    variables = api["Properties"]["Environment"]["Variables"]
    assert flat(variables["ATTACHMENT_BUCKET"]) == NAME
    assert variables["ATTACHMENT_SCANNER"] == "guardduty"
    statements = role_statements(resources, role_of(api))
    for action in ("s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"):
        assert OBJECTS in [flat(r) for r in allowed(statements, action)], action
    on_the_bucket = [
        (s["Action"], flat(r))
        for s in statements
        for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
        if bucket[0] in json.dumps(r) or NAME in json.dumps(flat(r))
    ]
    assert on_the_bucket and all(resource == OBJECTS for _, resource in on_the_bucket)
    assert not any(
        a.startswith("s3:Delete") or a.startswith("s3:PutObjectTagging")
        for actions, _ in on_the_bucket
        for a in ([actions] if isinstance(actions, str) else actions)
    )


def test_failures_of_the_recorder_are_alarmed(resources: Resources) -> None:
    names = {a["Properties"].get("AlarmName") for a in of_type(resources, "AWS::CloudWatch::Alarm").values()}
    assert {
        "complaint-guard-lambda-errors-malware-scan",
        "complaint-guard-dead-letters-malware-scan",
    } <= names
