"""The test suite runs under `faketime` (libfaketime) to prove no expected value comes from the wall
clock. libfaketime 0.9.10 (Debian's) hangs every timed wait on a condition (`sem_clockwait`/
`pthread_cond_clockwait` on the monotonic clock: github.com/wolfcw/libfaketime issues 390 and 469), and
moto's Step Functions executor waits on a `threading.Event` with a timeout for every Wait state. Under
libfaketime only, such a wait is timed by a thread that sleeps instead (`time.sleep` is unaffected);
the product's code and the expected values are the same either way."""

from __future__ import annotations

import os
import threading
import time

import pytest


def under_libfaketime() -> bool:
    return "faketime" in os.environ.get("LD_PRELOAD", "")


_untimed_wait = threading.Event.wait


def _timed_by_a_sleeping_thread(self: threading.Event, timeout: float | None = None) -> bool:
    """`Event.wait(timeout)` without a timed wait: an untimed wait on the event's condition, which a
    thread that sleeps `timeout` (time.sleep is unaffected) wakes if `set` has not. A `set` that is
    cleared at once (moto pulses its executions' event to interrupt a Wait) is still seen, as with the
    real `wait`: True when woken by `set`, the flag when the timeout ran out."""
    if timeout is None:
        return _untimed_wait(self)
    condition: threading.Condition = self._cond  # type: ignore[attr-defined]
    with condition:
        if self.is_set():
            return True
        ran_out = [False]

        def wake() -> None:
            time.sleep(max(timeout, 0.0))
            with condition:
                ran_out[0] = True
                condition.notify_all()

        threading.Thread(target=wake, daemon=True).start()
        condition.wait()
        return self.is_set() or not ran_out[0]


def safe_timed_waits_under_libfaketime(monkeypatch: pytest.MonkeyPatch) -> None:
    """Time `threading.Event` waits by a sleeping thread, when (and only when) under libfaketime."""
    if under_libfaketime():
        monkeypatch.setattr(threading.Event, "wait", _timed_by_a_sleeping_thread)
