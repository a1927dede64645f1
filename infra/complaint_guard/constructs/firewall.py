"""Firewall: AWS WAF in front of the API stage (body size limits, managed rule groups and a per-IP
rate limit)."""

from __future__ import annotations

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from ..limits import BODY_LIMITS, INSPECTED_BODY, REFUSED_STATUS, BodyLimit

_MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
# The managed rules that only count. SizeRestrictions_BODY blocks every body over 8 KB: a complaint of
# about 1,350 Chinese characters, or a tracking-page comment of 900; our own size rules (limits.py)
# take its place.
_COUNTED_RULES = {"AWSManagedRulesCommonRuleSet": ("SizeRestrictions_BODY",)}


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


def _size_rule(limit: BodyLimit, priority: int) -> wafv2.CfnWebACL.RuleProperty:
    """A body over the limit is refused with the API's error shape; the WAF reads bodies up to
    INSPECTED_BODY (above every limit), and one larger than that counts as over (MATCH)."""
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
        conditions.append(
            wafv2.CfnWebACL.StatementProperty(
                not_statement=wafv2.CfnWebACL.NotStatementProperty(
                    statement=wafv2.CfnWebACL.StatementProperty(and_statement=excepted)
                )
            )
        )
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


class Firewall(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage_arn: str, requests_per_5_minutes: int
    ) -> None:
        super().__init__(scope, construct_id)
        rules = [_size_rule(limit, priority) for priority, limit in enumerate(BODY_LIMITS)]
        rules.extend(
            wafv2.CfnWebACL.RuleProperty(
                name=group,
                priority=len(BODY_LIMITS) + priority,
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
            for priority, group in enumerate(_MANAGED_RULE_GROUPS)
        )
        rules.append(
            wafv2.CfnWebACL.RuleProperty(
                name="RatePerIp",
                priority=len(rules),
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=requests_per_5_minutes, aggregate_key_type="IP"
                    )
                ),
                visibility_config=_visibility("RatePerIp"),
            )
        )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility("complaint-guard-api"),
            rules=rules,
            association_config=wafv2.CfnWebACL.AssociationConfigProperty(
                request_body={
                    "API_GATEWAY": wafv2.CfnWebACL.RequestBodyAssociatedResourceTypeConfigProperty(
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
        wafv2.CfnWebACLAssociation(
            self, "Association", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn
        )
