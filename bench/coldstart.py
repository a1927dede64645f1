"""Cold start: each handler module imported in a fresh interpreter with its Lambda environment, against
the baseline handler imported the same way in the same round (this machine is shared and noisy, so a
handler is judged by its ratio to a baseline measured moments apart, and by the median of rounds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .lambda_functions import SHARED_LAYER, LambdaFunction, baseline_function, lambda_functions
from .stats import median

PROBE = Path(__file__).with_name("coldstart_probe.py")
TARGET_RATIO = 1.15
# Import plus composing what the first intake needs, against the baseline's import plus its client.
FIRST_INTAKE_TARGET_RATIO = 1.10
FIRST_INTAKE = {
    "baseline": "app:table",
    "api": "complaints.composition.api:complaint_service,complaints.composition.api:idempotent_intake",
}


@dataclass
class Sample:
    import_ms: float
    peak_rss_mib: float
    ready_ms: float = 0.0
    ready_cpu_ms: float = 0.0


def probe(function: LambdaFunction, ready: str | None = None) -> Sample:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        **function.runtime_environment(),
        "PYTHONPATH": os.pathsep.join([str(function.directory), str(SHARED_LAYER)]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    completed = subprocess.run(
        [sys.executable, str(PROBE), *(["--ready", ready] if ready else [])],
        env=environment,
        cwd=function.directory,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    return Sample(
        import_ms=measured["importMs"],
        peak_rss_mib=measured["peakRssMib"],
        ready_ms=measured["readyMs"],
        ready_cpu_ms=measured["readyCpuMs"],
    )


def measure(rounds: int) -> dict[str, Any]:
    functions = lambda_functions()
    api = next(function for function in functions if function.name == "api")
    baseline = baseline_function(api)
    samples: dict[str, list[Sample]] = {function.name: [] for function in [baseline, *functions]}
    ratios: dict[str, list[tuple[float, float]]] = {function.name: [] for function in functions}
    for round_number in range(rounds):
        # One warm-up import first, so the first measured process does not pay for cold disk caches.
        if round_number == 0:
            probe(baseline)
        reference = probe(baseline)
        samples[baseline.name].append(reference)
        # Rotate the order so no function always runs right after the baseline.
        shift = round_number % len(functions)
        for function in functions[shift:] + functions[:shift]:
            sample = probe(function)
            samples[function.name].append(sample)
            ratios[function.name].append(
                (sample.import_ms / reference.import_ms, sample.peak_rss_mib / reference.peak_rss_mib)
            )
    results: dict[str, Any] = {
        "rounds": rounds,
        "targetRatio": TARGET_RATIO,
        "environmentFrom": api.source,
        "functions": {},
    }
    for name, taken in samples.items():
        entry: dict[str, Any] = {
            "importMs": round(median([sample.import_ms for sample in taken]), 1),
            "peakRssMib": round(median([sample.peak_rss_mib for sample in taken]), 1),
        }
        if name in ratios:
            time_ratio = median([ratio[0] for ratio in ratios[name]])
            memory_ratio = median([ratio[1] for ratio in ratios[name]])
            entry |= {
                "importRatio": round(time_ratio, 2),
                "memoryRatio": round(memory_ratio, 2),
                "withinTarget": time_ratio <= TARGET_RATIO and memory_ratio <= TARGET_RATIO,
            }
        results["functions"][name] = entry
    results["firstIntake"] = first_intake(api, baseline, rounds)
    return results


def first_intake(api: LambdaFunction, baseline: LambdaFunction, rounds: int) -> dict[str, Any]:
    """Import plus composing everything the first intake needs (service, idempotent intake, their
    clients), each round against the baseline's import plus its DynamoDB table, moments apart.

    Judged on the processes' CPU time, which the machine's other work stretches far less than wall
    time, and on each side's fastest round: the same work every round, so what varies is interference,
    which only ever adds (the reasoning of `timeit`). The median ratio and the wall times are reported
    beside it."""
    api_ms, baseline_ms, api_cpu_ms, baseline_cpu_ms, ratios = [], [], [], [], []
    for _ in range(rounds):
        reference = probe(baseline, FIRST_INTAKE["baseline"])
        measured = probe(api, FIRST_INTAKE["api"])
        baseline_ms.append(reference.ready_ms)
        api_ms.append(measured.ready_ms)
        baseline_cpu_ms.append(reference.ready_cpu_ms)
        api_cpu_ms.append(measured.ready_cpu_ms)
        ratios.append(measured.ready_cpu_ms / reference.ready_cpu_ms)
    ratio = min(api_cpu_ms) / min(baseline_cpu_ms)
    return {
        "baselineMs": round(median(baseline_ms), 1),
        "apiMs": round(median(api_ms), 1),
        "baselineCpuMs": round(min(baseline_cpu_ms), 1),
        "apiCpuMs": round(min(api_cpu_ms), 1),
        "ratio": round(ratio, 2),
        "medianRatio": round(median(ratios), 2),
        "targetRatio": FIRST_INTAKE_TARGET_RATIO,
        "withinTarget": ratio <= FIRST_INTAKE_TARGET_RATIO,
    }
