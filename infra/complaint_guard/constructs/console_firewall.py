"""ConsoleFirewall: AWS WAF on the staff console's CloudFront distribution (a CLOUDFRONT-scope web ACL,
which must live in us-east-1: see complaint_guard/edge.py for the stack that holds it).

The same rules as the stage's (constructs/firewall.py builds both): the managed rule groups, our body
size rules (limits.py) on what the distribution routes to the API (`/v1/*`; the app's files take GET
and HEAD only), and a per-IP rate rule that, at the edge, counts each viewer's own address. The stage
then leaves the console's requests to this count (Firewall's `console_origin_header`)."""

from __future__ import annotations

from constructs import Construct

from .firewall import protective_web_acl

API_PATH = "/v1/"
"""What the distribution routes to the API stage (constructs/console.py)."""


class ConsoleFirewall(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, requests_per_5_minutes: int) -> None:
        super().__init__(scope, construct_id)
        self.web_acl = protective_web_acl(
            self,
            "WebAcl",
            protects="CLOUDFRONT",
            metric_name="complaint-guard-console",
            rate_rule_name="RatePerViewerIp",
            requests_per_5_minutes=requests_per_5_minutes,
            sizes_under_path=API_PATH,
        )
