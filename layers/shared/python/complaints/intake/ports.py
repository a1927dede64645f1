"""The storage the complaint service talks to; adapters/dynamodb implements it on the complaints table."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Protocol

from pydantic import BeforeValidator, Field, StringConstraints

from complaints.core.access import team_of
from complaints.core.models import (
    AccountabilityRecord,
    ApiModel,
    AuditEvent,
    Category,
    Channel,
    Complaint,
    Identifier,
    Priority,
    RiskFlag,
    Status,
    UtcDatetime,
)
from complaints.core.paging import MAX_PAGE_SIZE, Page
from complaints.sla.escalation import next_deadline


def _any_of(value: Any) -> Any:
    """`fraud,regulator` (the query string's form): the flags, each once, in a fixed order (a page's
    token is bound to the filters that made it)."""
    if isinstance(value, str):
        return sorted({part.strip() for part in value.split(",")})
    return value


class ComplaintQuery(ApiModel):
    # The reference a customer quotes (`CG-YYMMDD-XXXXXX`, any case): at most the one complaint.
    reference: Annotated[str, StringConstraints(pattern=r"^[Cc][Gg]-\d{6}-[0-9A-Za-z]{6}$")] | None = None
    status: Status | None = None
    assignee: Identifier | None = None
    category: Category | None = None
    channel: Channel | None = None
    customer_id: Identifier | None = None
    # The complaint's team; `intake` names the complaints with no team yet (core/access.team_of).
    team: Identifier | None = None
    priority: Priority | None = None
    # Risk flags, any of which the complaint's triage found (`triage.riskFlags` holds it).
    flag: Annotated[tuple[RiskFlag, ...], BeforeValidator(_any_of), Field(min_length=1)] | None = None
    # Open complaints whose next unmet deadline (sla/escalation.next_deadline: the first response while
    # unanswered, else the solution plan while owed, else the resolution) is before it.
    due_before: UtcDatetime | None = None
    # True: only open complaints with no assignee; False (the default) filters nothing.
    unassigned: bool = False
    # Not a filter the caller chooses: the caller's scope (core/access.list_scope). Only complaints
    # whose team (`intake` while they have none: core/access.team_of) is one of these; None: any team.
    teams: tuple[str, ...] | None = None
    limit: int = Field(default=25, ge=1, le=MAX_PAGE_SIZE)
    next_token: str | None = None

    def reads_to_filter(self) -> bool:
        """Whether some filter is judged on the complaints read (`admits`), not by an index."""
        return self.teams is not None or any(getattr(self, name) for name in _READ_FILTERS)

    def admits(self, complaint: Complaint) -> bool:
        """Every filter judged on the complaint itself: those the indexes serve (status, assignee,
        category, channel, customer) hold already for what an index returned; the others are its team
        (the caller's scope and `team`; `intake` while it has none), priority, triage's risk flags,
        next unmet deadline, and whether anyone is assigned."""
        team = team_of(complaint)
        due = next_deadline(complaint)
        return (
            (self.status is None or complaint.status is self.status)
            and (self.assignee is None or complaint.assignee == self.assignee)
            and (self.category is None or complaint.category is self.category)
            and (self.channel is None or complaint.channel is self.channel)
            and (self.customer_id is None or complaint.customer.customer_id == self.customer_id)
            and (self.teams is None or team in self.teams)
            and (self.team is None or team == self.team)
            and (self.priority is None or complaint.priority is self.priority)
            and (
                self.flag is None
                or (complaint.triage is not None and any(f in complaint.triage.risk_flags for f in self.flag))
            )
            and (self.due_before is None or (due is not None and due < self.due_before))
            and (not self.unassigned or (due is not None and complaint.assignee is None))
        )


_READ_FILTERS = frozenset({"team", "priority", "flag", "due_before", "unassigned"})


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

    def same_contact_since(self, complaint: Complaint, since: datetime) -> list[Complaint]:
        """Other complaints received since `since` whose customer has this one's phone or e-mail, oldest
        first (triage: the same customer from another channel, under whatever customer id)."""

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        """Newest received first. Raises InvalidInput for a token that is not ours. With `teams`, a
        page holds only complaints of those teams and may be short (even empty) with a next token."""

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        """Oldest first."""
