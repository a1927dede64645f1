"""What the case library needs from outside the domain: the index of resolved complaints' signatures,
the complaints behind it, and the library's own cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from complaints.cases.models import LibraryCase
from complaints.core.models import Complaint, Product


class CaseIndex(Protocol):
    def resolved_signatures(self, product: Product, since: datetime) -> Iterator[tuple[str, bytes]]:
        """(complaint id, encoded signature) of every complaint of the product line resolved since
        `since` and still resolved or closed (not erased)."""

    def complaints(self, complaint_ids: list[str]) -> list[Complaint]:
        """The complaints with these ids that still exist, in the order given."""

    def library_cases(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[LibraryCase]:
        """The library's cases marked in [since, until), newest first."""
