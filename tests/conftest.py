"""Start the local runtime (`python -m local`, what `make run` runs) once for the e2e and reliability
tests and talk HTTP to it. It needs the synthesized stack in cdk.out (`make test` synthesizes first).

The fixtures live here, above both folders, so the two share one runtime: tests that use it carry
`pytest.mark.xdist_group("e2e")`, which sends them all to one xdist worker (`--dist loadgroup`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from e2e_support import PII, Api
from fakes import T0, FakeClock, FakeTracker, RecordingPublisher

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 180
TEMPLATE = ROOT / "cdk.out" / "complaint-guard.template.json"
# What `make synth` builds cdk.out from (bytecode caches aside: importing writes those; the local
# runtime, infra/local, runs from the source tree).
SYNTH_SOURCES = ("functions", "layers/shared", "infra/complaint_guard", "infra/statemachines")


def newer_than_synth(template: Path = TEMPLATE, root: Path = ROOT) -> list[str]:
    """The files under SYNTH_SOURCES modified after `template` was written, relative to `root`."""
    synthesized = template.stat().st_mtime
    return sorted(
        str(path.relative_to(root))
        for folder in SYNTH_SOURCES
        for path in (root / folder).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".pyc"
        and path.stat().st_mtime > synthesized
    )


class RuntimeOutput:
    """Everything the runtime printed so far (empty for one started elsewhere, `E2E_URL`)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def text(self) -> str:
        """The output so far; fails the test when there is none, so a scan cannot pass on nothing."""
        if not self.lines:
            pytest.fail(
                "nothing to scan: the runtime's output is not captured (E2E_URL points at a runtime "
                "started elsewhere; run the log scans without it)"
            )
        return "".join(self.lines)


OUTPUT = RuntimeOutput()


@pytest.fixture(scope="session")
def local_runtime() -> Iterator[str]:
    """The runtime under test; E2E_URL points the tests at one already running (`make run`)."""
    if os.environ.get("E2E_URL"):
        yield os.environ["E2E_URL"].rstrip("/")
        return
    if not TEMPLATE.exists():
        pytest.fail("cdk.out is missing: run `make synth` (make test does) before the e2e tests")
    if stale := newer_than_synth():
        # The runtime loads the handlers from cdk.out but the shared package from the source tree:
        # a source newer than the synthesized stack would test a mix of two versions.
        pytest.fail(
            f"cdk.out is older than {len(stale)} source file(s), e.g. {', '.join(stale[:5])}: "
            "run `make synth` before the e2e tests"
        )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'infra'}:{ROOT / 'layers' / 'shared' / 'python'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "local", "--port", "0", "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    url, seen = None, []
    while time.monotonic() < deadline and url is None:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if match := re.search(r"is running on (http://\S+)", line):
            url = match.group(1)
    if url is None:
        process.kill()
        pytest.fail("the local runtime did not start:\n" + "".join(seen[-40:]))
    # Keep reading what the runtime prints: a full pipe would block it mid-request.
    printed = OUTPUT.lines
    printed.extend(seen)
    reader = threading.Thread(target=lambda: printed.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        yield url
    finally:
        process.terminate()  # what Ctrl-C does: the runtime stops cleanly
        try:
            # stopping lets in-flight work finish (invocations, moto's server): slow on a loaded machine
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        reader.join(timeout=10)
        output = "".join(printed)
        assert process.returncode == 0, output[-4000:]
        assert "stopped." in output
        # Every function's logs, the emulator's and the runtime's: no customer's contact details or
        # name, whatever the tests did (errors, retries, dead letters included).
        leaked = sorted(set(PII.findall(output)))
        assert not leaked, f"customer data in the logs: {leaked}"


@pytest.fixture(scope="session")
def api(local_runtime: str) -> Api:
    tokens = requests.get(f"{local_runtime}/_local/tokens", timeout=10).json()
    return Api(local_runtime, tokens)


@pytest.fixture(scope="session")
def runtime_output(local_runtime: str) -> RuntimeOutput:
    """What the runtime has printed so far, for tests that scan it for more than the PII above. With
    E2E_URL nothing is captured here: a scan would check an empty text and pass, so it fails."""
    if os.environ.get("E2E_URL"):
        pytest.fail("E2E_URL is set: the runtime's output is not captured here, there is nothing to scan")
    return OUTPUT


# --- fakes every folder's tests share (tests/support/fakes.py) ------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """A clock at T0, which is also the intake command's "now" (it checks receivedAt against it)."""
    fake = FakeClock(T0)
    monkeypatch.setattr("complaints.intake.commands.utc_now", fake)
    return fake


@pytest.fixture
def tracker() -> FakeTracker:
    return FakeTracker()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()
