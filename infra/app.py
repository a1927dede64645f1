"""The CDK app entry point.

make synth                     # python infra/app.py → cdk.out/
make deploy                    # the CDK CLI deploys cdk.out
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "layers" / "shared" / "python")]

from complaint_guard.application import build, standalone_app  # noqa: E402

if __name__ == "__main__":
    cdk_app = standalone_app()
    build(cdk_app)
    cdk_app.synth()
