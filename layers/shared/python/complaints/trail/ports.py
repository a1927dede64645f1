"""What the trail's checks need of storage."""

from __future__ import annotations

from typing import Protocol

from complaints.core.models import Complaint
from complaints.trail.chain import ChainHead, StoredEvent


class TrailStore(Protocol):
    def get(self, complaint_id: str) -> Complaint:
        """The complaint (NotFound for an unknown id)."""
        ...

    def chain_head(self, complaint_id: str) -> ChainHead:
        """What the complaint item says of its trail, read consistently."""
        ...

    def stored_events(self, complaint_id: str) -> list[StoredEvent]:
        """Every event of the complaint as stored, oldest first, read consistently."""
        ...
