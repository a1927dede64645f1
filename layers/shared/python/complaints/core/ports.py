"""The event bus as the domain sees it; adapters/eventbridge.py implements it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from complaints.core.events import DomainEvent


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Publish all of them or raise: a failed entry is an error, never a silent drop."""
