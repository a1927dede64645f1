"""The Lambda functions as AWS runs them: each functions/<name>/app.py with its memory size and the
environment the stack gives it.

Both come from the synthesized template (cdk.out/*.template.json, `make synth`) when it is there: a
function is matched to its directory by the app.py its code asset holds. Without a template the
ServiceFunction construct's default memory (512 MB) and the stack's common variables stand in, and
the results say so. References to other resources (table names, ARNs) become placeholders: nothing
reads them at import time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = ROOT / "functions"
SHARED_LAYER = ROOT / "layers" / "shared" / "python"
CDK_OUT = ROOT / "cdk.out"
BASELINE_DIR = ROOT / "bench" / "baseline"
# The ServiceFunction construct's default (infra/complaint_guard/constructs/function.py).
CONSTRUCT_DEFAULT_MEMORY_MB = 512
REGION = "us-east-1"
ACCOUNT = "123456789012"
# What the stack tells every function (infra/complaint_guard/stack.py), for when there is no template.
STACK_VARIABLES = (
    "TABLE_NAME",
    "SLA_POLICY",
    "SLA_TRACKER_ARN",
    "EVENT_BUS_NAME",
    "TRACKING_SECRET_PARAMETER",
    "PUBLIC_BASE_URL",
    "BANK_NAME",
)


@dataclass(frozen=True)
class LambdaFunction:
    name: str
    directory: Path
    memory_mb: int
    environment: dict[str, str]
    source: str  # "template" or "construct defaults"

    def runtime_environment(self) -> dict[str, str]:
        """The variables the Lambda runtime adds to the function's own (LAMBDA_TASK_ROOT is how
        Powertools' Tracer knows it runs in Lambda: X-Ray is on there, and patches boto3 at import)."""
        return {
            **self.environment,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
            "AWS_LAMBDA_FUNCTION_NAME": f"complaint-guard-{self.name}",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_FORMAT": "JSON",
            "LAMBDA_TASK_ROOT": str(self.directory),
            "_HANDLER": "app.handler",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
        }


def _placeholder(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"ref-{value['Ref']}"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return "att-" + "-".join(value["Fn::GetAtt"])
    return "resolved-at-deploy"


def _template_functions() -> dict[str, tuple[int, dict[str, str]]]:
    """Function directory name -> (memory, environment), from the synthesized template."""
    # Every stack's (the console's edge stack has none): no template is assumed to be the main one.
    resources = [
        resource
        for template in sorted(CDK_OUT.glob("*.template.json"))
        for resource in json.loads(template.read_text())["Resources"].values()
    ]
    sources = {path.read_bytes(): path.parent.name for path in FUNCTIONS_DIR.glob("*/app.py")}
    found: dict[str, tuple[int, dict[str, str]]] = {}
    for resource in resources:
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        properties = resource["Properties"]
        asset_key = str(properties.get("Code", {}).get("S3Key", "")).removesuffix(".zip")
        asset_app = CDK_OUT / f"asset.{asset_key}" / "app.py"
        name = sources.get(asset_app.read_bytes()) if asset_app.is_file() else None
        if name is None:
            continue  # a function whose code changed since the last synth: construct defaults below
        variables = properties.get("Environment", {}).get("Variables", {})
        environment = {key: _placeholder(value) for key, value in variables.items()}
        found[name] = (int(properties.get("MemorySize", 128)), environment)
    return found


def lambda_functions() -> list[LambdaFunction]:
    """Every functions/*/app.py present now."""
    synthesized = _template_functions()
    result = []
    for app in sorted(FUNCTIONS_DIR.glob("*/app.py")):
        name = app.parent.name
        if name in synthesized:
            memory, environment = synthesized[name]
            result.append(LambdaFunction(name, app.parent, memory, environment, "template"))
        else:
            environment = {key: f"placeholder-{key.lower()}" for key in STACK_VARIABLES}
            environment |= {"POWERTOOLS_SERVICE_NAME": "complaint-guard", "POWERTOOLS_LOG_LEVEL": "INFO"}
            result.append(
                LambdaFunction(
                    name, app.parent, CONSTRUCT_DEFAULT_MEMORY_MB, environment, "construct defaults"
                )
            )
    return result


def baseline_function(like: LambdaFunction) -> LambdaFunction:
    """The baseline handler, run with the api function's environment and memory."""
    return LambdaFunction("baseline", BASELINE_DIR, like.memory_mb, like.environment, like.source)
