"""Builds the CDK app: the main stack and the console's edge stack (its web ACL, in us-east-1), checked
by cdk-nag (AwsSolutions) at synthesis."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from .edge import EDGE_REGION, EDGE_STACK_ID, ConsoleEdgeStack, edge_stack_name
from .settings import ROOT, StackSettings
from .stack import ComplaintGuardStack


@dataclass(frozen=True)
class Stacks:
    main: ComplaintGuardStack
    edge: ConsoleEdgeStack


def build_stacks(app: App) -> Stacks:
    settings = StackSettings.from_context(app)
    account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    # Its construct id is what the CDK CLI selects it by (scripts/deploy.py); its name follows the main
    # stack's.
    edge = ConsoleEdgeStack(
        app,
        EDGE_STACK_ID,
        settings=settings,
        stack_name=edge_stack_name(settings.stack_name),
        env=Environment(account=account, region=EDGE_REGION),
        description="complaint-guard: the staff console's web ACL (CloudFront reads it from us-east-1)",
    )
    stack = ComplaintGuardStack(
        app,
        settings.stack_name,
        settings=settings,
        env=Environment(account=account, region=os.environ.get("CDK_DEFAULT_REGION")),
        description="complaint-guard: customer-complaint handling (intake, lifecycle, deadlines)",
    )
    # Ordering only (no reference crosses regions): the edge stack is deployed first, deleted last.
    stack.add_stack_dependency(edge, "the console's distribution uses the edge stack's web ACL")
    # Synthesis fails on any finding not acknowledged, with its reason, on the resource it concerns.
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True))
    return Stacks(main=stack, edge=edge)


def build(app: App) -> ComplaintGuardStack:
    """The main stack (the edge stack is built beside it)."""
    return build_stacks(app).main


def standalone_app() -> App:
    """An App that reads cdk.json itself when run without the CDK CLI (`make synth`, tests)."""
    if "CDK_CONTEXT_JSON" in os.environ:  # the CLI already passes cdk.json's context
        return App()
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    return App(context=context, outdir=os.environ.get("CDK_OUTDIR", str(ROOT / "cdk.out")))
