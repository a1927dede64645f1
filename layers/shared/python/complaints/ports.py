"""The small interfaces the domain needs besides storage: the SLA tracker and the event bus.
Adapters implement them on Step Functions and EventBridge; tests and local tools use the null ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .events import DomainEvent
from .models import Complaint


class SlaTracker(Protocol):
    def start(self, complaint: Complaint) -> None:
        """Start the tracker execution of the complaint's current generation (idempotent)."""

    def stop(self, complaint: Complaint) -> None:
        """Stop the execution of the complaint's current generation, if it runs."""

    def is_running(self, complaint: Complaint) -> bool:
        """Whether the current generation's execution exists and runs."""


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Publish all of them or raise: a failed entry is an error, never a silent drop."""


class NullTracker:
    """No tracker: for tests of the domain alone and tools that must not start workflows."""

    def start(self, complaint: Complaint) -> None:
        return None

    def stop(self, complaint: Complaint) -> None:
        return None

    def is_running(self, complaint: Complaint) -> bool:
        return True


class RecordingPublisher:
    """Keeps what would have been published: for tests of the domain alone."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self.published.extend(events)
