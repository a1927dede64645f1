"""Customer-managed keys everywhere personal data can rest: queues, log groups, the event bus and its
archive, every bucket (the one exception named and asserted), and the key policy that lets CloudWatch
Logs use the key for this account's log groups only."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.xdist_group("infra")

# S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS.
ACCESS_LOG_BUCKET = "ReportsAccessLogs"


def of_type(resources: dict[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    found = {name: r for name, r in resources.items() if r["Type"] == kind}
    assert found, f"the template has no {kind}"
    return found


def names_a_stack_key(value: Any, resources: dict[str, dict[str, Any]]) -> bool:
    """A Fn::GetAtt <Key>.Arn or Ref <Key> to a key of this stack."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        name = value["Fn::GetAtt"][0]
    elif isinstance(value, dict) and "Ref" in value:
        name = value["Ref"]
    else:
        return False
    return resources.get(name, {}).get("Type") == "AWS::KMS::Key"


def test_every_queue_is_on_a_customer_managed_key(resources: dict[str, dict[str, Any]]) -> None:
    for name, queue in of_type(resources, "AWS::SQS::Queue").items():
        assert names_a_stack_key(queue["Properties"].get("KmsMasterKeyId"), resources), name
        assert "SqsManagedSseEnabled" not in queue["Properties"], name


def test_every_log_group_is_on_a_customer_managed_key(resources: dict[str, dict[str, Any]]) -> None:
    for name, group in of_type(resources, "AWS::Logs::LogGroup").items():
        assert names_a_stack_key(group["Properties"].get("KmsKeyId"), resources), name


def test_the_event_bus_and_its_archive_are_on_a_customer_managed_key(
    resources: dict[str, dict[str, Any]],
) -> None:
    for name, bus in of_type(resources, "AWS::Events::EventBus").items():
        assert names_a_stack_key(bus["Properties"].get("KmsKeyIdentifier"), resources), name
    for name, archive in of_type(resources, "AWS::Events::Archive").items():
        assert names_a_stack_key(archive["Properties"].get("KmsKeyIdentifier"), resources), name


def test_every_bucket_is_on_a_customer_managed_key_but_the_access_log_bucket(
    resources: dict[str, dict[str, Any]],
) -> None:
    for name, bucket in of_type(resources, "AWS::S3::Bucket").items():
        (rule,) = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        default = rule["ServerSideEncryptionByDefault"]
        if name.startswith(ACCESS_LOG_BUCKET):
            assert default == {"SSEAlgorithm": "AES256"}, name
            assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
            continue
        assert default["SSEAlgorithm"] == "aws:kms", name
        assert names_a_stack_key(default.get("KMSMasterKeyID"), resources), name


def test_every_function_environment_is_on_a_customer_managed_key(
    resources: dict[str, dict[str, Any]],
) -> None:
    for name, function in of_type(resources, "AWS::Lambda::Function").items():
        if "Environment" in function["Properties"]:
            assert names_a_stack_key(function["Properties"].get("KmsKeyArn"), resources), name


def test_the_key_of_the_log_groups_lets_cloudwatch_logs_use_it_for_this_accounts_log_groups_only(
    resources: dict[str, dict[str, Any]],
) -> None:
    keys = {
        group["Properties"]["KmsKeyId"]["Fn::GetAtt"][0]
        for group in of_type(resources, "AWS::Logs::LogGroup").values()
    }
    for key in keys:
        statements = resources[key]["Properties"]["KeyPolicy"]["Statement"]
        logs = [s for s in statements if "logs." in str(s.get("Principal", {}).get("Service"))]
        assert len(logs) == 1, statements
        (statement,) = logs
        assert statement["Principal"]["Service"] == {
            "Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]
        }
        condition = statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
        text = str(condition)
        assert ":logs:" in text and "log-group:*" in text and "AWS::AccountId" in text
