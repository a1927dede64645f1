"""Deploy (or diff) the two stacks in order (`make deploy`, `make diff`):

1. the console's edge stack (complaint_guard/edge.py: the console's web ACL, in us-east-1), from
   cdk.out as `make synth` left it;
2. its output `ConsoleWebAclArn`, read from CloudFormation in us-east-1;
3. the main stack, synthesized again by the CDK CLI with `-c consoleWebAclArn=<that ARN>`, so the
   console's distribution uses the ACL and the stage's WAF leaves the console's requests to it.

    .venv/bin/python scripts/deploy.py deploy --cdk "npx --yes aws-cdk@2.1148.1"
    .venv/bin/python scripts/deploy.py diff --cdk "npx --yes aws-cdk@2.1148.1"

`make deploy` then publishes the console's files (scripts/publish_console.py). A diff before the edge
stack exists compares the main stack without the ACL (cdk.out as synthesized)."""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "infra"), str(ROOT / "layers" / "shared" / "python")]

from complaint_guard.edge import EDGE_REGION, EDGE_STACK_ID, WEB_ACL_OUTPUT, edge_stack_name  # noqa: E402
from complaint_guard.settings import CONSOLE_WEB_ACL_CONTEXT  # noqa: E402

# What the CLI synthesizes the main stack with when it has the ACL's ARN (cdk.json's "app" names a bare
# python3; this is the project's venv).
APP = f"{sys.executable} infra/app.py"


def web_acl_arn(stack_name: str) -> str | None:
    """The edge stack's ACL ARN; None while the edge stack does not exist (CloudFormation's
    ValidationError: no stack of that name)."""
    cloudformation = boto3.client("cloudformation", region_name=EDGE_REGION)
    try:
        described: dict[str, Any] = cloudformation.describe_stacks(StackName=edge_stack_name(stack_name))
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ValidationError":
            return None
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Stacks"][0].get("Outputs", [])}
    return outputs.get(WEB_ACL_OUTPUT)


def cdk_command(cdk: list[str], action: str, stack: str, arn: str | None = None) -> list[str]:
    """`cdk deploy|diff` of one stack: from cdk.out, or synthesized again with the ACL's ARN."""
    app = ["--app", APP, "-c", f"{CONSOLE_WEB_ACL_CONTEXT}={arn}"] if arn else ["--app", "cdk.out"]
    approval = ["--require-approval", "broadening"] if action == "deploy" else []
    return [*cdk, action, *app, *approval, "--exclusively", stack]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=("deploy", "diff"))
    parser.add_argument("--cdk", required=True, help="the CDK CLI's command line (the Makefile's CDK_CLI)")
    args = parser.parse_args(argv)
    cdk = shlex.split(args.cdk)
    stack_name = json.loads((ROOT / "cdk.json").read_text())["context"]["complaint-guard"]["stack_name"]

    run(cdk_command(cdk, args.action, EDGE_STACK_ID))
    arn = web_acl_arn(stack_name)
    if arn is None and args.action == "deploy":
        raise SystemExit(f"the edge stack {edge_stack_name(stack_name)} has no output {WEB_ACL_OUTPUT}")
    run(cdk_command(cdk, args.action, stack_name, arn))
    return 0


def run(command: list[str]) -> None:
    print("+", shlex.join(command), flush=True)
    # Our own fixed command line (the pinned CDK CLI), no shell.
    subprocess.run(command, cwd=ROOT, check=True)


if __name__ == "__main__":
    raise SystemExit(main())
