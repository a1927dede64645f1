"""The stack as a deployment configures it beyond cdk.json: the console's web ACL (`make deploy` passes
the edge stack's ARN) and an ops e-mail for the alarms. Synthesized once per session (conftest.py's
`configured`) for every test of what those settings change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App
from aws_cdk.assertions import Template

from complaint_guard.application import Stacks, build_stacks
from complaint_guard.settings import CONSOLE_WEB_ACL_CONTEXT

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED_ACL_ARN = (
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/complaint-guard-console/"
    "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
)
CONFIGURED_OPS_EMAIL = "ops@bank.example"


@dataclass(frozen=True)
class Configured:
    stacks: Stacks
    main: dict[str, dict[str, Any]]
    edge: dict[str, Any]


def synthesize_configured(outdir: Path) -> Configured:
    """The app with the deployment's settings, synthesized (cdk-nag on: synth raises on any finding not
    acknowledged)."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    context["complaint-guard"] = {**context["complaint-guard"], "ops_email": CONFIGURED_OPS_EMAIL}
    context[CONSOLE_WEB_ACL_CONTEXT] = CONFIGURED_ACL_ARN
    app = App(context=context, outdir=str(outdir))
    stacks = build_stacks(app)
    app.synth()
    main: dict[str, dict[str, Any]] = Template.from_stack(stacks.main).to_json()["Resources"]
    return Configured(stacks, main, Template.from_stack(stacks.edge).to_json())
