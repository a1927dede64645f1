"""`make bench`: every figure of the benchmark, into bench/results.json and as a table.

    python -m bench [--rounds 5] [--lifecycles 30] [--quick]

--quick shrinks every size (for trying the benchmark itself out, not for figures to quote).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import aggregation, case_library, coldstart, cost, sweep, warm
from .lambda_functions import lambda_functions
from .report import table

RESULTS = Path(__file__).with_name("results.json")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="cold-start rounds (medians are reported)")
    parser.add_argument("--lifecycles", type=int, default=30, help="timed complaint lifecycles on moto")
    parser.add_argument("--quick", action="store_true", help="small sizes: try the benchmark out")
    options = parser.parse_args(argv)
    sweep_sizes = (1_000, 10_000) if options.quick else (10_000, 100_000)
    aggregation_sizes = (10_000, 100_000) if options.quick else (100_000, 1_000_000)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "takenAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {platform.system()}",
        "quick": options.quick,
    }
    print("cold starts …", file=sys.stderr)
    results["coldStart"] = coldstart.measure(options.rounds)
    print("warm latency and AWS calls …", file=sys.stderr)
    results["warm"] = warm.measure(options.lifecycles)
    print("SLA sweep reads …", file=sys.stderr)
    results["slaSweep"] = sweep.measure(sweep_sizes)
    print("report aggregation …", file=sys.stderr)
    results["aggregation"] = aggregation.measure(aggregation_sizes)
    print("case library …", file=sys.stderr)
    case_sizes = (1_000, 10_000) if options.quick else (10_000, 30_000, 100_000)
    results["caseLibrary"] = case_library.measure(case_sizes, moto_size=1_000 if options.quick else 10_000)
    memory = {function.name: function.memory_mb for function in lambda_functions()}
    results["cost"] = cost.estimate(results["warm"], memory)
    results["seconds"] = round(time.perf_counter() - started)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(
        f"\nwritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
