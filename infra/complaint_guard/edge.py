"""The console's edge stack: the staff console's web ACL (constructs/console_firewall.py), in us-east-1
because CloudFront reads its web ACLs only from there.

The main stack cannot refer to it directly (it lives in the bank's region; CDK's cross-region
references would add custom-resource functions the local emulator cannot run). So `make deploy`
(scripts/deploy.py) deploys this stack first, reads its output `ConsoleWebAclArn` and synthesizes the
main stack with it as `-c consoleWebAclArn=…` (settings.py); without that setting the distribution
has no web ACL (the local runtime, the tests, a first synthesis)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from .constructs.console_firewall import ConsoleFirewall
from .settings import StackSettings

EDGE_REGION = "us-east-1"
# The construct id of the stack (what the CDK CLI selects it by, and its template's name in cdk.out).
EDGE_STACK_ID = "console-edge"
WEB_ACL_OUTPUT = "ConsoleWebAclArn"


def edge_stack_name(stack_name: str) -> str:
    """The CloudFormation name of the edge stack of the main stack `stack_name`."""
    return f"{stack_name}-console-edge"


class ConsoleEdgeStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: StackSettings, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.firewall = ConsoleFirewall(
            self, "ConsoleFirewall", requests_per_5_minutes=settings.waf_requests_per_5_minutes
        )
        CfnOutput(self, WEB_ACL_OUTPUT, value=self.firewall.web_acl.attr_arn)
