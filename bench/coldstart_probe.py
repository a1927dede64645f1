"""Run in a fresh interpreter by bench/coldstart.py: import a handler module the way the Lambda runtime
does at init (`app`, from PYTHONPATH) and print how long it took and the process's peak RSS (the
interpreter included). With `--ready module:function,…` it then calls those functions (what the first
request needs composed: the service, its clients) and prints the time until they returned as well."""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
from pathlib import Path


def peak_rss_mib() -> float:
    """This process's RSS high-water mark. /proc's VmHWM belongs to the process image, so it starts
    afresh at exec; getrusage's ru_maxrss would carry over the forking parent's peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """This process's CPU time (user + system): what the import costs, whatever else the machine runs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    arguments = sys.argv[1:]
    ready = arguments[arguments.index("--ready") + 1].split(",") if "--ready" in arguments else []
    started, started_cpu = time.perf_counter(), cpu_seconds()
    importlib.import_module("app")
    imported = time.perf_counter()
    for target in ready:
        module, function = target.split(":")
        getattr(importlib.import_module(module), function)()
    composed, composed_cpu = time.perf_counter(), cpu_seconds()
    print(
        json.dumps(
            {
                "importMs": (imported - started) * 1000,
                "readyMs": (composed - started) * 1000,
                "readyCpuMs": (composed_cpu - started_cpu) * 1000,
                "peakRssMib": peak_rss_mib(),
            }
        )
    )


if __name__ == "__main__":
    main()
