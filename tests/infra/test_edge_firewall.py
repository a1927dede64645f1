"""The staff console's web ACL at the edge (complaint_guard/edge.py, constructs/console_firewall.py) and
what it changes in the main stack.

- The edge stack: a CLOUDFRONT-scope web ACL in us-east-1 with the stage's managed rule groups, the
  stage's body size rules on what the distribution routes to the API, and a rate rule keyed on the
  viewer's own address; its ARN is the stack's output, and it holds nothing else (no cross-region
  reference machinery).
- The main stack without `-c consoleWebAclArn` (the local runtime, the tests, a first synthesis): no web
  ACL on the distribution (cdk-nag's CFR2 acknowledged), no origin header, the stage counts every IP.
- With it: the distribution uses the ACL (CFR2 satisfied, not acknowledged), sends the API a header
  whose value is a generated secret by dynamic reference, and the stage's rate rule counts only
  requests without exactly that value; nothing else of the stage's web ACL changes.
- The setting is validated: anything but a CLOUDFRONT-scope web ACL's ARN fails, naming it.
- scripts/deploy.py (make deploy) reads the edge stack's output and passes it to the main stack.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, cast

import pytest
from aws_cdk import App
from deployment_settings import CONFIGURED_ACL_ARN, Configured
from pydantic import ValidationError

from complaint_guard.application import build_stacks
from complaint_guard.constructs.firewall import CONSOLE_ORIGIN_HEADER, MANAGED_RULE_GROUPS
from complaint_guard.edge import EDGE_REGION, WEB_ACL_OUTPUT, edge_stack_name
from complaint_guard.limits import BODY_LIMITS
from complaint_guard.settings import CONSOLE_WEB_ACL_CONTEXT, StackSettings

pytestmark = pytest.mark.xdist_group("infra")

ROOT = Path(__file__).resolve().parents[2]

Resources = dict[str, dict[str, Any]]

ACL_ARN = CONFIGURED_ACL_ARN  # what `make deploy` would pass


def _context(**extra: str) -> dict[str, Any]:
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context | extra


@pytest.fixture(scope="module")
def with_acl(configured: Configured) -> Configured:
    """The app synthesized as `make deploy` synthesizes the main stack: with the ACL's ARN."""
    return configured


def _only(resources: Resources, kind: str) -> tuple[str, dict[str, Any]]:
    (found,) = [(k, r) for k, r in resources.items() if r["Type"] == kind]
    return found


def _rules(acl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule["Name"]: rule for rule in acl["Properties"]["Rules"]}


def _api_origin(distribution: dict[str, Any]) -> dict[str, Any]:
    config = distribution["Properties"]["DistributionConfig"]
    (api,) = config["CacheBehaviors"]
    return cast(dict[str, Any], next(o for o in config["Origins"] if o["Id"] == api["TargetOriginId"]))


def _acknowledged(resource: dict[str, Any]) -> set[str]:
    return {
        rule["id"] for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
    }


# --- the edge stack -----------------------------------------------------------------------------------


def test_the_edge_stack_is_a_cloudfront_web_acl_in_us_east_1_and_outputs_its_arn(
    with_acl: Configured,
) -> None:
    edge = with_acl.stacks.edge
    assert edge.region == EDGE_REGION == "us-east-1"
    assert edge.stack_name == edge_stack_name("complaint-guard") == "complaint-guard-console-edge"
    acl_id, acl = _only(with_acl.edge["Resources"], "AWS::WAFv2::WebACL")
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    assert acl["Properties"]["DefaultAction"] == {"Allow": {}}
    # the size rules measure what they refuse: CloudFront's inspection raised to 64 KB as the stage's
    assert acl["Properties"]["AssociationConfig"] == {
        "RequestBody": {"CLOUDFRONT": {"DefaultSizeInspectionLimit": "KB_64"}}
    }
    assert with_acl.edge["Outputs"][WEB_ACL_OUTPUT]["Value"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    # the ACL and nothing else: no cross-region reference machinery (custom resources, functions)
    assert {r["Type"] for r in with_acl.edge["Resources"].values()} == {"AWS::WAFv2::WebACL"}
    # deployed before the main stack (and deleted after it); no reference crosses the regions
    assert edge in with_acl.stacks.main.dependencies


def test_the_edge_rate_rule_counts_each_viewers_own_address(with_acl: Configured) -> None:
    _, acl = _only(with_acl.edge["Resources"], "AWS::WAFv2::WebACL")
    rule = _rules(acl)["RatePerViewerIp"]
    assert rule["Action"] == {"Block": {}}
    rate = rule["Statement"]["RateBasedStatement"]
    # IP at CloudFront is the address that connected to the edge: not a header the viewer writes
    # (FORWARDED_IP), and every request counted (no scope-down)
    assert rate == {"AggregateKeyType": "IP", "Limit": StackSettings().waf_requests_per_5_minutes}
    assert rule["Priority"] == max(r["Priority"] for r in acl["Properties"]["Rules"])


def test_the_edge_has_the_stages_managed_groups_and_its_size_rules_on_the_api_paths(
    with_acl: Configured, resources: Resources
) -> None:
    _, edge = _only(with_acl.edge["Resources"], "AWS::WAFv2::WebACL")
    _, stage = _only(resources, "AWS::WAFv2::WebACL")
    edge_rules, stage_rules = _rules(edge), _rules(stage)
    for group in MANAGED_RULE_GROUPS:  # the same groups, the same overrides, in the same order
        assert edge_rules[group] == stage_rules[group]
    assert edge["Properties"]["CustomResponseBodies"] == stage["Properties"]["CustomResponseBodies"]
    only_api = {
        "ByteMatchStatement": {
            "FieldToMatch": {"UriPath": {}},
            "PositionalConstraint": "STARTS_WITH",
            "SearchString": "/v1/",
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    for limit in BODY_LIMITS:  # the stage's rule, on what the distribution sends to the API
        at_edge, at_stage = copy.deepcopy(edge_rules[limit.name]), stage_rules[limit.name]
        conditions = at_edge["Statement"]["AndStatement"]["Statements"]
        conditions.remove(only_api)
        assert at_edge == at_stage
    # the size rules first, the managed groups next, the rate rule last: as at the stage
    order = [r["Name"] for r in sorted(edge["Properties"]["Rules"], key=lambda r: r["Priority"])]
    assert order == [*(limit.name for limit in BODY_LIMITS), *MANAGED_RULE_GROUPS, "RatePerViewerIp"]


# --- the main stack, without and with the setting -----------------------------------------------------


def test_without_the_setting_the_distribution_has_no_acl_no_header_and_the_stage_counts_every_ip(
    resources: Resources,
) -> None:
    _, distribution = _only(resources, "AWS::CloudFront::Distribution")
    assert "WebACLId" not in distribution["Properties"]["DistributionConfig"]
    assert "AwsSolutions-CFR2" in _acknowledged(distribution)
    assert "OriginCustomHeaders" not in _api_origin(distribution)
    _, stage = _only(resources, "AWS::WAFv2::WebACL")
    assert _rules(stage)["RatePerIp"]["Statement"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "Limit": StackSettings().waf_requests_per_5_minutes,
    }
    assert not [r for r in resources.values() if r["Type"] == "AWS::SecretsManager::Secret"]


def test_with_the_setting_the_distribution_uses_the_edge_acl(with_acl: Configured) -> None:
    _, distribution = _only(with_acl.main, "AWS::CloudFront::Distribution")
    assert distribution["Properties"]["DistributionConfig"]["WebACLId"] == ACL_ARN
    # cdk-nag's CFR2 is satisfied (synthesis passed), not acknowledged
    assert "AwsSolutions-CFR2" not in _acknowledged(distribution)
    assert {"AwsSolutions-CFR1", "AwsSolutions-CFR3", "AwsSolutions-CFR4"} <= _acknowledged(distribution)


def _secret_reference(secret_id: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:::}}"]]}


def test_the_distribution_sends_the_api_a_generated_secret_by_dynamic_reference(with_acl: Configured) -> None:
    secret_id, secret = _only(with_acl.main, "AWS::SecretsManager::Secret")
    properties = secret["Properties"]
    assert "SecretString" not in properties  # generated by Secrets Manager, never text in the template
    assert properties["GenerateSecretString"]["PasswordLength"] >= 32
    assert properties["GenerateSecretString"]["ExcludePunctuation"] is True  # a plain header value
    (data_key,) = [
        k for k, r in with_acl.main.items() if r["Type"] == "AWS::KMS::Key" and k.startswith("DataKey")
    ]
    assert properties["KmsKeyId"] == {"Fn::GetAtt": [data_key, "Arn"]}  # the stack's own key
    _, distribution = _only(with_acl.main, "AWS::CloudFront::Distribution")
    assert _api_origin(distribution)["OriginCustomHeaders"] == [
        {"HeaderName": CONSOLE_ORIGIN_HEADER, "HeaderValue": _secret_reference(secret_id)}
    ]
    # only the API gets it: the bucket's origin is read through origin access control
    config = distribution["Properties"]["DistributionConfig"]
    s3_origin = next(o for o in config["Origins"] if "S3OriginConfig" in o)
    assert "OriginCustomHeaders" not in s3_origin


def test_the_stage_counts_only_requests_without_exactly_the_consoles_header(
    with_acl: Configured, resources: Resources
) -> None:
    secret_id, _ = _only(with_acl.main, "AWS::SecretsManager::Secret")
    _, stage = _only(with_acl.main, "AWS::WAFv2::WebACL")
    rate = _rules(stage)["RatePerIp"]["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP"
    assert rate["ScopeDownStatement"] == {
        "NotStatement": {
            "Statement": {
                "ByteMatchStatement": {
                    "FieldToMatch": {"SingleHeader": {"Name": CONSOLE_ORIGIN_HEADER.lower()}},
                    # the exact value: a header a caller writes with any other value is counted
                    "PositionalConstraint": "EXACTLY",
                    "SearchString": _secret_reference(secret_id),
                    "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                }
            }
        }
    }
    # nothing else of the stage's web ACL changes
    _, without = _only(resources, "AWS::WAFv2::WebACL")
    changed = {name for name, rule in _rules(stage).items() if _rules(without).get(name) != rule}
    assert changed == {"RatePerIp"}
    # and the main stack gains only the secret: no cross-region reference machinery (the e-mail
    # subscription is the configured ops e-mail's, test_monitoring.py)
    assert {r["Type"] for r in with_acl.main.values()} - {r["Type"] for r in resources.values()} == {
        "AWS::SecretsManager::Secret",
        "AWS::SNS::Subscription",
    }


# --- the setting --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not-an-arn",
        # a REGIONAL web ACL (the stage's kind): CloudFront cannot use it
        "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/complaint-guard/0c1d2e3f-4a5b",
        "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/complaint-guard/0c1d2e3f-4a5b",
        # global, but not in us-east-1; an IP set; a WAF Classic id
        "arn:aws:wafv2:eu-west-1:123456789012:global/webacl/complaint-guard/0c1d2e3f-4a5b",
        "arn:aws:wafv2:us-east-1:123456789012:global/ipset/complaint-guard/0c1d2e3f-4a5b",
        "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
        f"{ACL_ARN} ",
        f"{ACL_ARN}\n",
    ],
)
def test_anything_but_a_cloudfront_web_acl_arn_fails_the_synthesis_naming_the_setting(value: str) -> None:
    app = App(context=_context(**{CONSOLE_WEB_ACL_CONTEXT: value}))
    with pytest.raises(ValidationError, match=CONSOLE_WEB_ACL_CONTEXT) as raised:
        build_stacks(app)
    assert "global/webacl" in str(raised.value)  # says what it takes


def test_the_setting_takes_a_cloudfront_web_acl_arn_and_is_absent_by_default() -> None:
    assert StackSettings.from_context(App(context=_context())).console_web_acl_arn is None
    settings = StackSettings.from_context(App(context=_context(**{CONSOLE_WEB_ACL_CONTEXT: ACL_ARN})))
    assert settings.console_web_acl_arn == ACL_ARN


# --- make deploy ----------------------------------------------------------------------------------------


def test_deploy_reads_the_edge_stacks_output_and_synthesizes_the_main_stack_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import boto3
    from moto import mock_aws

    from scripts import deploy

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_aws():
        assert deploy.web_acl_arn("cg-test") is None  # no edge stack yet
        template = {
            "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
            "Outputs": {WEB_ACL_OUTPUT: {"Value": ACL_ARN}},
        }
        boto3.client("cloudformation", region_name="us-east-1").create_stack(
            StackName=edge_stack_name("cg-test"), TemplateBody=json.dumps(template)
        )
        assert deploy.web_acl_arn("cg-test") == ACL_ARN  # read in us-east-1, not the caller's region

    cdk = ["npx", "aws-cdk"]
    edge = deploy.cdk_command(cdk, "deploy", "console-edge")
    assert edge == [
        *cdk,
        "deploy",
        "--app",
        "cdk.out",
        "--require-approval",
        "broadening",
        "--exclusively",
        "console-edge",
    ]
    main = deploy.cdk_command(cdk, "deploy", "cg-test", ACL_ARN)
    assert main[main.index("-c") + 1] == f"{CONSOLE_WEB_ACL_CONTEXT}={ACL_ARN}"
    assert main[main.index("--app") + 1].endswith("infra/app.py")  # synthesized again, with the ARN
    assert main[-2:] == ["--exclusively", "cg-test"]
    assert "--require-approval" not in deploy.cdk_command(cdk, "diff", "cg-test", ACL_ARN)
