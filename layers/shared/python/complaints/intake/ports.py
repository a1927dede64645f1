"""The storage the complaint service talks to; adapters/dynamodb implements it on the complaints table."""

from __future__ import annotations

from typing import Protocol

from pydantic import Field

from complaints.core.models import (
    AccountabilityRecord,
    ApiModel,
    AuditEvent,
    Category,
    Channel,
    Complaint,
    Identifier,
    Status,
)
from complaints.core.paging import MAX_PAGE_SIZE, Page


class ComplaintQuery(ApiModel):
    status: Status | None = None
    assignee: Identifier | None = None
    category: Category | None = None
    channel: Channel | None = None
    customer_id: Identifier | None = None
    # Not a filter the caller chooses: the caller's scope (core/access.list_scope). Only complaints
    # whose team (`intake` while they have none: core/access.team_of) is one of these; None: any team.
    teams: tuple[str, ...] | None = None
    limit: int = Field(default=25, ge=1, le=MAX_PAGE_SIZE)
    next_token: str | None = None


class ComplaintRepository(Protocol):
    def create(self, complaint: Complaint, event: AuditEvent) -> None:
        """Store a new complaint and its first audit event atomically.
        Raises ReferenceTaken when the reference is already in use."""

    def get(self, complaint_id: str) -> Complaint:
        """Raises NotFound."""

    def update(
        self,
        complaint: Complaint,
        event: AuditEvent,
        expected_version: int,
        opens: AccountabilityRecord | None = None,
    ) -> None:
        """Replace the complaint and append the event atomically, only if the stored version is
        `expected_version`. Raises VersionConflict otherwise; nothing is written then. With `opens`,
        the accountability record the change opens is written in the same transaction."""

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        """Newest received first. Raises InvalidInput for a token that is not ours. With `teams`, a
        page holds only complaints of those teams and may be short (even empty) with a next token."""

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        """Oldest first."""
