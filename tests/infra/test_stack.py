"""What the stack must guarantee: encryption, recovery, least privilege, authorisation, logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

pytestmark = pytest.mark.xdist_group("infra")


ROOT = Path(__file__).resolve().parents[2]


def context() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return loaded


def of_type(resources: dict[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {key: value for key, value in resources.items() if value["Type"] == kind}


def _statements(resources: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_tables_are_encrypted_with_our_key_recoverable_and_protected(resources: dict[str, Any]) -> None:
    tables = of_type(resources, "AWS::DynamoDB::Table")
    keys = of_type(resources, "AWS::KMS::Key")
    assert tables, "no table"
    # one key for every table (the reports bucket has its own), rotated like every key of the stack
    (key_id,) = {
        t["Properties"]["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0] for t in tables.values()
    }
    assert all(key["Properties"]["EnableKeyRotation"] is True for key in keys.values())
    for table in tables.values():
        props = table["Properties"]
        assert props["SSESpecification"]["SSEEnabled"] is True
        assert props["SSESpecification"]["SSEType"] == "KMS"
        assert props["SSESpecification"]["KMSMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["DeletionProtectionEnabled"] is True
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert table["DeletionPolicy"] == "Retain"
    # TTL on the complaints (the retention schedule) and the idempotency records; never on the trail
    with_ttl = {
        tuple(k["AttributeName"] for k in t["Properties"]["KeySchema"]): t["Properties"].get(
            "TimeToLiveSpecification"
        )
        for t in tables.values()
    }
    assert with_ttl == {
        ("pk", "sk"): {"AttributeName": "expiresAt", "Enabled": True},
        ("id",): {"AttributeName": "expiration", "Enabled": True},
        ("complaintId", "version"): None,
    }


def test_complaint_list_views_are_indexes_not_scans(resources: dict[str, Any]) -> None:
    complaints = next(
        t
        for t in of_type(resources, "AWS::DynamoDB::Table").values()
        if "GlobalSecondaryIndexes" in t["Properties"]
    )
    indexes = {i["IndexName"]: i["KeySchema"] for i in complaints["Properties"]["GlobalSecondaryIndexes"]}
    list_views = {"byStatus", "byAssignee", "byCustomer", "byCategory", "byChannel", "byMonth"}
    # the list views, the sweep's watch index, the open accountability records, the follow-ups and the
    # case library's resolved complaints
    assert set(indexes) == list_views | {"byWatch", "byAccountability", "byFollowUp", "byCase"}
    for name in list_views:
        assert indexes[name][1] == {"AttributeName": "receivedKey", "KeyType": "RANGE"}
    assert [k["AttributeName"] for k in indexes["byWatch"]] == ["watchShard", "watchAt"]
    assert [k["AttributeName"] for k in indexes["byAccountability"]] == ["accountabilityKey", "openedKey"]
    assert [k["AttributeName"] for k in indexes["byFollowUp"]] == ["followUpKey", "followUpDueKey"]
    assert [k["AttributeName"] for k in indexes["byCase"]] == ["caseKey", "caseResolvedKey"]
    # and no function may scan
    actions = {a for s in _statements(resources) for a in _as_list(s["Action"])}
    assert "dynamodb:Scan" not in actions


def test_no_wildcard_actions_and_data_actions_name_their_resources(resources: dict[str, Any]) -> None:
    for statement in _statements(resources):
        actions = _as_list(statement["Action"])
        for action in actions:
            assert "*" not in action, f"wildcard action {action}"
        # ListStreams has no resource-level permission; every other data action names its resource.
        if any(a.startswith(("dynamodb:", "kms:")) and a != "dynamodb:ListStreams" for a in actions):
            for resource in _as_list(statement["Resource"]):
                assert resource != "*", f"{actions} on every resource"
                assert "*" not in json.dumps(resource), f"{actions} on a wildcard resource {resource}"
    xray = [s for s in _statements(resources) if any(a.startswith("xray:") for a in _as_list(s["Action"]))]
    assert xray, "tracing needs X-Ray permissions"


def test_functions_are_arm64_python313_traced_and_log_to_a_group_with_retention(
    resources: dict[str, Any],
) -> None:
    functions = of_type(resources, "AWS::Lambda::Function")
    log_groups = of_type(resources, "AWS::Logs::LogGroup")
    assert functions
    for function in functions.values():
        props = function["Properties"]
        assert props["Runtime"] == "python3.13"
        assert props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert len(props["Layers"]) == 2
        assert props["LoggingConfig"]["LogGroup"]["Ref"] in log_groups
        assert props["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"] == "complaint-guard"
    for group in log_groups.values():
        assert group["Properties"]["RetentionInDays"] == 365


# Served without a Cognito token: the contract, and the customer's tracking link (its token is checked
# by the handler). Written out here, not read from routes.py, so a route cannot turn public unnoticed.
PUBLIC_METHODS = {
    ("GET", "/v1/openapi.json"),
    ("GET", "/v1/track/{complaint_id}"),
    ("POST", "/v1/track/{complaint_id}/feedback"),
    ("POST", "/v1/track/{complaint_id}/reopen"),
    ("POST", "/v1/track/{complaint_id}/attachments"),  # the customer's evidence
    # the customer's answer while the bank waits, acceptance of the outcome, withdrawal
    ("POST", "/v1/track/{complaint_id}/reply"),
    ("POST", "/v1/track/{complaint_id}/accept"),
    ("POST", "/v1/track/{complaint_id}/withdraw"),
    ("GET", "/t/{complaint_id}"),
    ("POST", "/t/{complaint_id}/feedback"),
    ("POST", "/t/{complaint_id}/reopen"),
    ("POST", "/t/{complaint_id}/accept"),
    ("POST", "/t/{complaint_id}/reply"),
    ("POST", "/t/{complaint_id}/withdraw"),
    ("GET", "/r/{report_id}/{file_name}"),  # the signed link in the report e-mail
}


def _method_paths(resources: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each API Gateway method's logical id → (HTTP method, resource path)."""
    api_resources = of_type(resources, "AWS::ApiGateway::Resource")

    def path_of(resource_id: Any) -> str:
        if "Ref" not in resource_id:  # the root resource (Fn::GetAtt RestApi.RootResourceId)
            return ""
        props = api_resources[resource_id["Ref"]]["Properties"]
        return f"{path_of(props['ParentId'])}/{props['PathPart']}"

    return {
        logical_id: (method["Properties"]["HttpMethod"], path_of(method["Properties"]["ResourceId"]) or "/")
        for logical_id, method in of_type(resources, "AWS::ApiGateway::Method").items()
    }


def test_every_route_but_the_contract_and_the_signed_links_requires_a_cognito_token(
    resources: dict[str, Any],
) -> None:
    authorizers = of_type(resources, "AWS::ApiGateway::Authorizer")
    (authorizer_id,) = authorizers
    assert authorizers[authorizer_id]["Properties"]["Type"] == "COGNITO_USER_POOLS"
    methods = of_type(resources, "AWS::ApiGateway::Method")
    paths = _method_paths(resources)
    public = set()
    for logical_id, method in methods.items():
        props = method["Properties"]
        if props["AuthorizationType"] == "NONE":
            public.add(paths[logical_id])
            assert "AuthorizerId" not in props and "AuthorizationScopes" not in props
            # cdk-nag's findings on a public method are acknowledged there, each with its reason
            reasons = {
                rule["id"]: rule["reason"]
                for rule in method.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
            }
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                assert reasons.get(rule), f"{paths[logical_id]}: {rule} not acknowledged with a reason"
                if paths[logical_id][1] != "/v1/openapi.json":
                    assert "token" in reasons[rule], reasons[rule]
            continue
        assert props["AuthorizationType"] == "COGNITO_USER_POOLS"
        assert props["AuthorizerId"] == {"Ref": authorizer_id}
        assert set(props["AuthorizationScopes"]) == {
            "complaint-guard/complaints.submit",
            "complaint-guard/complaints.read",
            "complaint-guard/staff",
        }
        assert "RequestValidatorId" in props
    assert public == PUBLIC_METHODS
    # the supervisor's side of a follow-up is staff work, behind the authorizer
    assert ("POST", "/v1/complaints/{complaint_id}/follow-up") in set(paths.values()) - public


def test_api_stage_logs_access_and_traces_but_never_bodies(template: Template) -> None:
    template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "AccessLogSetting": {"DestinationArn": Match.any_value(), "Format": Match.any_value()},
            "TracingEnabled": True,
            "MethodSettings": Match.array_with(
                [Match.object_like({"DataTraceEnabled": False, "LoggingLevel": "ERROR"})]
            ),
        },
    )
    template.has_resource_properties("AWS::WAFv2::WebACLAssociation", {"ResourceArn": Match.any_value()})


def test_gateway_errors_use_the_contract_error_shape(resources: dict[str, Any]) -> None:
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in of_type(resources, "AWS::ApiGateway::GatewayResponse").values()
    }
    assert responses["UNAUTHORIZED"]["StatusCode"] == "401"
    assert responses["ACCESS_DENIED"]["StatusCode"] == "403"
    body = responses["UNAUTHORIZED"]["ResponseTemplates"]["application/json"]
    assert body.startswith('{"error":"unauthorized","message":') and '"details":[]' in body


def test_staff_need_mfa_and_channel_apps_use_client_credentials(resources: dict[str, Any]) -> None:
    (pool,) = of_type(resources, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["MfaConfiguration"] == "ON"
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    groups = {
        g["Properties"]["GroupName"] for g in of_type(resources, "AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {"agent", "supervisor", "manager", "compliance", "team:intake"}
    clients = of_type(resources, "AWS::Cognito::UserPoolClient").values()
    machine = [
        c["Properties"] for c in clients if c["Properties"].get("AllowedOAuthFlows") == ["client_credentials"]
    ]
    assert len(machine) == len(context()["complaint-guard"]["channel_apps"])
    for client in machine:
        assert client["GenerateSecret"] is True


def test_cdk_nag_refuses_an_unacknowledged_finding(tmp_path: Any) -> None:
    """The nag plugin really runs: an unencrypted, unlogged bucket must stop synthesis."""
    from aws_cdk import Validations
    from cdk_nag import AwsSolutionsChecks

    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Bad")
    s3.Bucket(stack, "Open")
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(Exception, match=r"Validation failed|ValidationFailed"):
        app.synth()


def test_nag_acknowledgements_are_scoped_and_give_reasons(template: Template) -> None:
    acknowledged = 0
    for resource in template.to_json()["Resources"].values():
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
            acknowledged += 1
            assert len(rule.get("reason", "")) > 20, rule
    assert acknowledged > 0
    stack_metadata = template.to_json().get("Metadata", {})
    assert "cdk_nag" not in stack_metadata, "acknowledge findings on resources, never the whole stack"
