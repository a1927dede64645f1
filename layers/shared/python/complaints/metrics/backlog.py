"""The backlog: open complaints per status, a level with no event to count it from; the sweep
measures it every time it runs (the `OpenComplaints` gauge)."""

from __future__ import annotations

from typing import Protocol

from complaints.core.models import Status
from complaints.intake.lifecycle import OPEN_STATUSES
from complaints.metrics.measures import OPEN_COMPLAINTS, Measure


class StatusCounter(Protocol):
    def count_with_status(self, status: Status) -> int:
        """How many complaints have this status now (read through an index, never a Scan)."""


class Backlog:
    """The open complaints per status: the gauge the sweep emits every time it runs."""

    def __init__(self, counter: StatusCounter) -> None:
        self._counter = counter

    def measure(self) -> list[Measure]:
        counts = {status: self._counter.count_with_status(status) for status in sorted(OPEN_STATUSES)}
        return [Measure(OPEN_COMPLAINTS, value=sum(counts.values()))] + [
            Measure(OPEN_COMPLAINTS, (("status", status.value),), count) for status, count in counts.items()
        ]
