"""The records a risk review reads in the template: the trail table no role can rewrite, its archive
under Object Lock, and the retention schedule on every store."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.xdist_group("infra")
Resources = dict[str, dict[str, Any]]
DAY = 1


def of_type(resources: Resources, kind: str) -> Resources:
    return {key: value for key, value in resources.items() if value["Type"] == kind}


def the_one(resources: Resources, kind: str, prefix: str) -> tuple[str, dict[str, Any]]:
    (found,) = ((k, v) for k, v in of_type(resources, kind).items() if k.startswith(prefix))
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_trail_table_is_append_only_for_every_principal(resources: Resources) -> None:
    logical_id, trail = the_one(resources, "AWS::DynamoDB::Table", "DataTrail")
    props = trail["Properties"]
    assert [k["AttributeName"] for k in props["KeySchema"]] == ["complaintId", "version"]
    assert "TimeToLiveSpecification" not in props  # nothing can make an event expire
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    statements = props["ResourcePolicy"]["PolicyDocument"]["Statement"]
    denied = {
        action: statement
        for statement in statements
        if statement["Effect"] == "Deny" and statement["Principal"] == {"AWS": "*"}
        for action in _as_list(statement["Action"])
    }
    for action in ("dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateTimeToLive"):
        assert "Condition" not in denied[action], action  # to everyone, always
    # UpdateItem to everyone but the api's role (erasure), whose own policy names the attributes
    (exempt,) = denied["dynamodb:UpdateItem"]["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
    api_role = exempt["Fn::GetAtt"][0]
    assert api_role.startswith("ApiHandler")
    updates = [
        statement
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "dynamodb:UpdateItem" in _as_list(statement["Action"])
        and {"Fn::GetAtt": [logical_id, "Arn"]} in _as_list(statement["Resource"])
    ]
    assert len(updates) == 1
    assert updates[0]["Condition"] == {
        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["complaintId", "version", "changes", "data"]}
    }


def test_no_role_but_the_writers_appends_to_the_trail(resources: Resources) -> None:
    trail_id, _ = the_one(resources, "AWS::DynamoDB::Table", "DataTrail")
    writers = set()
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if "dynamodb:PutItem" in _as_list(statement["Action"]) and {
                "Fn::GetAtt": [trail_id, "Arn"]
            } in _as_list(statement["Resource"]):
                writers |= {role["Ref"] for role in policy["Properties"]["Roles"]}
    # the api, the sweep, the SLA tracker, the malware scan's verdicts and triage: the paths that change
    # complaints
    paths = ("Api", "SlaSweep", "SlaWorkflow", "Attachments", "Triage")
    owners = sorted(next(p for p in paths if r.startswith(p)) for r in writers)
    assert owners == ["Api", "Attachments", "SlaSweep", "SlaWorkflow", "Triage"]


def test_the_archive_is_locked_in_compliance_mode_for_the_trails_retention(
    resources: Resources, template_settings: dict[str, Any]
) -> None:
    _, bucket = the_one(resources, "AWS::S3::Bucket", "TrailArchiveBucket")
    props = bucket["Properties"]
    days = template_settings["retention"]["trail_days"]
    assert props["ObjectLockEnabled"] is True
    assert props["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": days}},
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert (
        props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"][
            "SSEAlgorithm"
        ]
        == "aws:kms"
    )
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == days + DAY  # gone once its lock has ended
    # the archiver writes and nothing else
    writes = [
        statement
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "TrailArchiveBucket" in json.dumps(statement["Resource"])
    ]
    assert [statement["Action"] for statement in writes] == ["s3:PutObject"]


@pytest.mark.parametrize(
    ("prefix", "setting"), [("ReportsBucket", "report_days"), ("AttachmentsBucket", "attachment_days")]
)
def test_files_expire_with_the_retention_schedule(
    resources: Resources, template_settings: dict[str, Any], prefix: str, setting: str
) -> None:
    _, bucket = the_one(resources, "AWS::S3::Bucket", prefix)
    (rule,) = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    days = template_settings["retention"][setting]
    assert (rule["ExpirationInDays"], rule["NoncurrentVersionExpiration"]["NoncurrentDays"]) == (days, days)


def test_the_functions_that_write_records_are_told_their_retention(
    resources: Resources, template_settings: dict[str, Any]
) -> None:
    retention = template_settings["retention"]
    told = {
        logical_id: fn["Properties"]["Environment"]["Variables"]
        for logical_id, fn in of_type(resources, "AWS::Lambda::Function").items()
    }
    for prefix, variable, days in (
        ("ApiHandler", "RETENTION_COMPLAINT_DAYS", retention["complaint_days"]),
        ("SlaSweepHandler", "RETENTION_COMPLAINT_DAYS", retention["complaint_days"]),
        ("NotificationsHandler", "RETENTION_NOTIFICATION_LOG_DAYS", retention["notification_log_days"]),
    ):
        (variables,) = (v for k, v in told.items() if k.startswith(prefix))
        assert variables[variable] == str(days), prefix


@pytest.fixture(scope="module")
def template_settings() -> dict[str, Any]:
    """The deployment's settings as the stack reads them (cdk.json over the defaults)."""
    from pathlib import Path

    from complaint_guard.settings import StackSettings

    context = json.loads((Path(__file__).resolve().parents[2] / "cdk.json").read_text())["context"]
    return StackSettings.model_validate(context.get("complaint-guard", {})).model_dump()


def test_no_role_deletes_a_complaint_only_an_erasure_its_contact_items(resources: Resources) -> None:
    table_id, _ = the_one(resources, "AWS::DynamoDB::Table", "DataComplaints")
    deletes = [
        statement
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "dynamodb:DeleteItem" in _as_list(statement["Action"])
        and {"Fn::GetAtt": [table_id, "Arn"]} in _as_list(statement["Resource"])
    ]
    assert len(deletes) == 1
    assert deletes[0]["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["CONTACT#*"]}}
