"""The backlog: open complaints per status, a level with no event to count it from; the sweep
measures it every time it runs (the `OpenComplaints` gauge), with the age of the unassigned queue's
oldest complaint (`OldestUnassignedMinutes`: open, nobody assigned — what no routing row or roster took),
on which an alarm is set."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from complaints.core.clock import Clock, utc_now
from complaints.core.models import Status
from complaints.intake.lifecycle import OPEN_STATUSES
from complaints.metrics.measures import OLDEST_UNASSIGNED_MINUTES, OPEN_COMPLAINTS, Measure


class StatusCounter(Protocol):
    def count_with_status(self, status: Status) -> int:
        """How many complaints have this status now (read through an index, never a Scan)."""

    def oldest_unassigned(self, status: Status) -> datetime | None:
        """When the longest-waiting complaint with this status and no assignee was received."""


class Backlog:
    """The open complaints per status: the gauge the sweep emits every time it runs."""

    def __init__(self, counter: StatusCounter, clock: Clock = utc_now) -> None:
        self._counter = counter
        self._clock = clock

    def measure(self) -> list[Measure]:
        counts = {status: self._counter.count_with_status(status) for status in sorted(OPEN_STATUSES)}
        waiting = [
            oldest
            for status in sorted(OPEN_STATUSES)
            if (oldest := self._counter.oldest_unassigned(status)) is not None
        ]
        age = (self._clock() - min(waiting)).total_seconds() / 60 if waiting else 0.0
        return [
            Measure(OPEN_COMPLAINTS, value=sum(counts.values())),
            *(
                Measure(OPEN_COMPLAINTS, (("status", status.value),), count)
                for status, count in counts.items()
            ),
            Measure(OLDEST_UNASSIGNED_MINUTES, value=round(max(age, 0.0), 1)),
        ]
