"""`python -m local` (what `make run` runs): start the whole system locally, stop on Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import warnings
from pathlib import Path

from .runtime import LocalRuntime

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description="Run complaint-guard locally on an AWS emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000, help="0 picks a free port")
    parser.add_argument(
        "--assembly", type=Path, default=ROOT / "cdk.out", help="the synthesized cloud assembly"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(message)s"
    )
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # moto names every resource type it skips (Cognito, WAF, the authorizer …); the runtime covers them.
    logging.getLogger("moto").setLevel(logging.ERROR)
    # Its ASL interpreter logs every absent optional path an IsPresent test looks at as an error.
    logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", module="moto")

    runtime = LocalRuntime(assembly=args.assembly, host=args.host, port=args.port)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("starting the AWS emulator and deploying the stack …", flush=True)
    runtime.start()
    print(
        f"complaint-guard is running on {runtime.url}\n"
        f"  tokens:   curl {runtime.url}/_local/tokens\n"
        f"  console:  {runtime.url}/console/\n"
        f"  contract: {runtime.url}/v1/openapi.json\n"
        f"  emulator: {runtime.emulator.endpoint} (moto server)\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    stop.wait()
    print("stopping …", flush=True)
    runtime.stop()
    print("stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
