"""The CDK app: one stack, checked by cdk-nag (AwsSolutions) at synthesis.

python infra/app.py            # synthesizes into cdk.out/
npx aws-cdk deploy --app "python infra/app.py"   # what `make deploy` runs
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "layers" / "shared" / "python"),
]

from aws_cdk import App, Environment, Validations  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from complaint_guard.settings import StackSettings  # noqa: E402
from complaint_guard.stack import ComplaintGuardStack  # noqa: E402


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
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True))
    return stack


if __name__ == "__main__":
    cdk_app = App()
    build(cdk_app)
    cdk_app.synth()
