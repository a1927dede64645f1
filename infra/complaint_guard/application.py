"""Builds the CDK app: one stack, checked by cdk-nag (AwsSolutions) at synthesis."""

from __future__ import annotations

import json
import os

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from .settings import ROOT, StackSettings
from .stack import ComplaintGuardStack


def build(app: App) -> ComplaintGuardStack:
    settings = StackSettings.from_context(app)
    stack = ComplaintGuardStack(
        app,
        settings.stack_name,
        settings=settings,
        env=Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
        ),
        description="complaint-guard: customer-complaint handling (intake, lifecycle, deadlines)",
    )
    # Synthesis fails on any finding not acknowledged, with its reason, on the resource it concerns.
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True))
    return stack


def standalone_app() -> App:
    """An App that reads cdk.json itself when run without the CDK CLI (`make synth`, tests)."""
    if "CDK_CONTEXT_JSON" in os.environ:  # the CLI already passes cdk.json's context
        return App()
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    return App(context=context, outdir=os.environ.get("CDK_OUTDIR", str(ROOT / "cdk.out")))
