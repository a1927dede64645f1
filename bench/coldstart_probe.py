"""Run in a fresh interpreter by bench/coldstart.py: import a handler module the way the Lambda runtime
does at init (`app`, from PYTHONPATH) and print how long it took and the process's peak RSS (the
interpreter included)."""

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


def main() -> None:
    started = time.perf_counter()
    importlib.import_module(sys.argv[1] if len(sys.argv) > 1 else "app")
    imported = time.perf_counter()
    print(json.dumps({"importMs": (imported - started) * 1000, "peakRssMib": peak_rss_mib()}))


if __name__ == "__main__":
    main()
