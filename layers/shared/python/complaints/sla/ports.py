"""What the SLA machinery needs from outside the domain: the tracker (a Step Functions execution per
complaint) and the sweep's index of complaints to watch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from complaints.core.models import AccountabilityRecord, AccountabilityStatus, Complaint
from complaints.core.paging import Page


class SlaTracker(Protocol):
    def start(self, complaint: Complaint) -> None:
        """Start the tracker execution of the complaint's current generation (idempotent)."""

    def stop(self, complaint: Complaint) -> None:
        """Stop the execution of the complaint's current generation, if it runs."""

    def is_running(self, complaint: Complaint) -> bool:
        """Whether the current generation's execution exists and runs."""


class WatchStore(Protocol):
    def due_for_watch(self, shard: int, until: datetime) -> Iterator[Complaint]:
        """Open complaints of one shard whose watch time is at or before `until`."""

    def rewatch(self, complaint: Complaint) -> None:
        """Store the complaint's recomputed watch time without changing it."""


class AccountabilityStore(Protocol):
    def get_accountability(self, record_id: str) -> AccountabilityRecord:
        """Raises NotFound."""

    def list_accountability(
        self, status: AccountabilityStatus, team: str | None, limit: int, next_token: str | None
    ) -> Page[AccountabilityRecord]:
        """Newest opened first."""

    def save_review(self, record: AccountabilityRecord, expected_version: int) -> None:
        """Raises VersionConflict when the stored record is not at `expected_version`."""
