"""The storage port the domain talks to; `adapters.dynamodb` implements it on DynamoDB."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Generic, Protocol, TypeVar, runtime_checkable

from pydantic import Field

from .models import (
    AccountabilityRecord,
    AccountabilityStatus,
    ApiModel,
    AuditEvent,
    Category,
    Channel,
    Complaint,
    Status,
)

T = TypeVar("T")

MAX_PAGE_SIZE = 100


class ComplaintQuery(ApiModel):
    status: Status | None = None
    assignee: str | None = None
    category: Category | None = None
    channel: Channel | None = None
    customer_id: str | None = None
    limit: int = Field(default=25, ge=1, le=MAX_PAGE_SIZE)
    next_token: str | None = None


class Page(ApiModel, Generic[T]):
    items: list[T]
    next_token: str | None = None


class ComplaintRepository(Protocol):
    def create(self, complaint: Complaint, event: AuditEvent) -> None:
        """Store a new complaint and its first audit event atomically.
        Raises ReferenceTaken when the reference is already in use."""

    def get(self, complaint_id: str) -> Complaint:
        """Raises NotFound."""

    def update(self, complaint: Complaint, event: AuditEvent, expected_version: int) -> None:
        """Replace the complaint and append the event atomically, only if the stored version is
        `expected_version`. Raises VersionConflict otherwise; nothing is written then."""

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        """Newest received first. Raises InvalidInput for a token that is not ours."""

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        """Oldest first."""


@runtime_checkable
class AccountabilityStore(Protocol):
    def get_accountability(self, record_id: str) -> AccountabilityRecord:
        """Raises NotFound."""

    def list_accountability(
        self, status: AccountabilityStatus, team: str | None, limit: int, next_token: str | None
    ) -> Page[AccountabilityRecord]:
        """Newest opened first."""

    def save_review(self, record: AccountabilityRecord, expected_version: int) -> None:
        """Raises VersionConflict when the stored record is not at `expected_version`."""


class WatchStore(Protocol):
    def due_for_watch(self, shard: int, until: datetime) -> Iterator[Complaint]:
        """Open complaints of one shard whose watch time is at or before `until`."""

    def rewatch(self, complaint: Complaint) -> None:
        """Store the complaint's recomputed watch time without changing it."""
