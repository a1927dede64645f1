"""Firewall: AWS WAF in front of the API stage (body size limits, managed rule groups and a per-IP
rate limit), and the rule builders the console's web ACL at the edge shares with it
(constructs/console_firewall.py): one set of rules, two scopes.

When the console's distribution has a web ACL of its own, it counts the console's users per viewer IP
at the edge; the stage, which sees those requests from CloudFront's addresses, would count them
together per edge location. So the distribution marks what it forwards with a secret header
(`OriginHeader`, its value generated in Secrets Manager and put in the template as a dynamic
reference), and the stage's rate rule counts only requests without that exact value: a direct caller
cannot choose its way out of the count without the secret (docs/decisions.md, "The console's web ACL
at the edge")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from ..limits import BODY_LIMITS, INSPECTED_BODY, REFUSED_STATUS, BodyLimit
from ..nag import accept

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
# The managed rules that only count. SizeRestrictions_BODY blocks every body over 8 KB: a complaint of
# about 1,350 Chinese characters, or a tracking-page comment of 900; our own size rules (limits.py)
# take its place.
_COUNTED_RULES = {"AWSManagedRulesCommonRuleSet": ("SizeRestrictions_BODY",)}

# What a web ACL protects: the resource type of its body inspection limit, and the ACL's scope.
Protected = Literal["API_GATEWAY", "CLOUDFRONT"]
_SCOPES: dict[Protected, str] = {"API_GATEWAY": "REGIONAL", "CLOUDFRONT": "CLOUDFRONT"}

# The header the console's distribution adds to what it forwards to the stage.
CONSOLE_ORIGIN_HEADER = "X-Origin-Verify"


@dataclass(frozen=True)
class OriginHeader:
    """A header only the console's distribution sends: `value` is a CloudFormation dynamic reference
    to a Secrets Manager secret, resolved at deploy time, never the text itself."""

    name: str
    value: str


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _text(
    field: wafv2.CfnWebACL.FieldToMatchProperty, constraint: str, text: str
) -> wafv2.CfnWebACL.StatementProperty:
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=field,
            positional_constraint=constraint,
            search_string=text,
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
        )
    )


def _not(statement: wafv2.CfnWebACL.StatementProperty) -> wafv2.CfnWebACL.StatementProperty:
    return wafv2.CfnWebACL.StatementProperty(
        not_statement=wafv2.CfnWebACL.NotStatementProperty(statement=statement)
    )


def without_header(header: OriginHeader) -> wafv2.CfnWebACL.StatementProperty:
    """Requests that do not carry `header` with exactly its value (absent, or any other value)."""
    # single_header is untyped (Any) in the L1: the CloudFormation shape itself, keys capitalised.
    field = wafv2.CfnWebACL.FieldToMatchProperty(single_header={"Name": header.name.lower()})
    return _not(_text(field, "EXACTLY", header.value))


def _size_rule(limit: BodyLimit, priority: int, under_path: str | None) -> wafv2.CfnWebACL.RuleProperty:
    """A body over the limit is refused with the API's error shape; the WAF reads bodies up to
    INSPECTED_BODY (above every limit), and one larger than that counts as over (MATCH). `under_path`:
    only requests whose URI path starts with it (at the edge, what the distribution sends to the API)."""
    path = wafv2.CfnWebACL.FieldToMatchProperty(uri_path={})
    conditions = [
        wafv2.CfnWebACL.StatementProperty(
            size_constraint_statement=wafv2.CfnWebACL.SizeConstraintStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    body=wafv2.CfnWebACL.BodyProperty(oversize_handling="MATCH")
                ),
                comparison_operator="GT",
                size=limit.max_bytes,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
            )
        )
    ]
    if under_path:
        conditions.append(_text(path, "STARTS_WITH", under_path))
    if limit.paths_containing:
        paths = [_text(path, "CONTAINS", part) for part in limit.paths_containing]
        conditions.append(
            paths[0]
            if len(paths) == 1
            else wafv2.CfnWebACL.StatementProperty(
                or_statement=wafv2.CfnWebACL.OrStatementProperty(statements=paths)
            )
        )
    if limit.except_post_to:
        excepted = wafv2.CfnWebACL.AndStatementProperty(
            statements=[
                _text(wafv2.CfnWebACL.FieldToMatchProperty(method={}), "EXACTLY", "POST"),
                _text(path, "ENDS_WITH", limit.except_post_to),
            ]
        )
        conditions.append(_not(wafv2.CfnWebACL.StatementProperty(and_statement=excepted)))
    return wafv2.CfnWebACL.RuleProperty(
        name=limit.name,
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(
            block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=REFUSED_STATUS, custom_response_body_key=limit.name
                )
            )
        ),
        statement=wafv2.CfnWebACL.StatementProperty(
            and_statement=wafv2.CfnWebACL.AndStatementProperty(statements=conditions)
        ),
        visibility_config=_visibility(limit.name),
    )


def _managed_group_rule(group: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=group,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=group,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                    )
                    for rule in _COUNTED_RULES.get(group, ())
                ]
                or None,
            )
        ),
        visibility_config=_visibility(group),
    )


def _rate_rule(
    name: str,
    priority: int,
    requests_per_5_minutes: int,
    scope_down: wafv2.CfnWebACL.StatementProperty | None,
) -> wafv2.CfnWebACL.RuleProperty:
    """Blocks a client IP above the limit: the address that connected to what the ACL protects (the
    viewer's at CloudFront, CloudFront's or the caller's at the stage), never a header it wrote."""
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=requests_per_5_minutes, aggregate_key_type="IP", scope_down_statement=scope_down
            )
        ),
        visibility_config=_visibility(name),
    )


def protective_web_acl(
    scope: Construct,
    construct_id: str,
    *,
    protects: Protected,
    metric_name: str,
    rate_rule_name: str,
    requests_per_5_minutes: int,
    rate_scope_down: wafv2.CfnWebACL.StatementProperty | None = None,
    sizes_under_path: str | None = None,
) -> wafv2.CfnWebACL:
    """The project's web ACL, in the order the WAF evaluates its rules: our body size rules (limits.py;
    the first that refuses a body answers), the managed rule groups, the per-IP rate rule."""
    rules = [_size_rule(limit, priority, sizes_under_path) for priority, limit in enumerate(BODY_LIMITS)]
    first = len(rules)
    rules.extend(_managed_group_rule(group, first + n) for n, group in enumerate(MANAGED_RULE_GROUPS))
    rules.append(_rate_rule(rate_rule_name, len(rules), requests_per_5_minutes, rate_scope_down))
    return wafv2.CfnWebACL(
        scope,
        construct_id,
        scope=_SCOPES[protects],
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=_visibility(metric_name),
        rules=rules,
        association_config=wafv2.CfnWebACL.AssociationConfigProperty(
            request_body={
                protects: wafv2.CfnWebACL.RequestBodyAssociatedResourceTypeConfigProperty(
                    default_size_inspection_limit=INSPECTED_BODY
                )
            }
        ),
        custom_response_bodies={
            limit.name: wafv2.CfnWebACL.CustomResponseBodyProperty(
                content_type="APPLICATION_JSON", content=limit.response_body()
            )
            for limit in BODY_LIMITS
        },
    )


class Firewall(Construct):
    """The stage's web ACL. With `console_counted_at_edge` (the console's distribution has its own web
    ACL), it generates the secret of the console's origin header (`console_origin_header`) and its
    rate rule counts only requests without it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage_arn: str,
        requests_per_5_minutes: int,
        console_counted_at_edge: bool = False,
        key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.console_origin_header: OriginHeader | None = None
        if console_counted_at_edge:
            secret = secretsmanager.Secret(
                self,
                "ConsoleOriginSecret",
                description=(
                    "complaint-guard: the header value the console's CloudFront distribution sends to "
                    "the API stage; the stage's WAF rate rule leaves requests carrying it to the edge's"
                ),
                encryption_key=key,
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    password_length=64, exclude_punctuation=True, include_space=False
                ),
                removal_policy=RemovalPolicy.DESTROY,
            )
            accept(
                secret,
                "AwsSolutions-SMG4",
                "CloudFormation resolves the value into the distribution's origin header and this web "
                "ACL's rule when it updates them: a rotation would change the secret alone, and the "
                "next deploy updating one of the two would make them disagree. The value grants no "
                "access; it only leaves a request to the edge's per-viewer rate rule (the stage's "
                "throttle, the managed rules and the authorizer still apply). Changed by a new secret "
                "(a new construct id) and a deploy, which updates both (docs/decisions.md)",
            )
            self.console_origin_header = OriginHeader(
                CONSOLE_ORIGIN_HEADER, secret.secret_value.unsafe_unwrap()
            )
        self.web_acl = protective_web_acl(
            self,
            "WebAcl",
            protects="API_GATEWAY",
            metric_name="complaint-guard-api",
            rate_rule_name="RatePerIp",
            requests_per_5_minutes=requests_per_5_minutes,
            rate_scope_down=(
                without_header(self.console_origin_header) if self.console_origin_header else None
            ),
        )
        wafv2.CfnWebACLAssociation(
            self, "Association", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn
        )
