"""`make bench`: cold starts, warm latency, AWS calls, the SLA sweep's reads, the report's aggregation
and the cost of a complaint (python -m bench; README "Benchmark")."""

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
# The handlers (imported as Lambda does: `api.app`) and the tests' helpers for API Gateway events, the
# Lambda context and the moto deployment, which the benchmark shares with the tests.
for _path in (
    _ROOT / "functions",
    _ROOT / "functions" / "api",
    _ROOT / "tests" / "support",
    _ROOT / "tests" / "integration",
    _ROOT / "layers" / "shared" / "python",
):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
