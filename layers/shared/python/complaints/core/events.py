"""Domain events: the one envelope of docs/architecture.md §6 for everything on the bus."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from complaints.core.clock import new_id, utc_now
from complaints.core.models import ApiModel, UtcDatetime

SOURCE = "complaint-guard"


class EventName(StrEnum):
    COMPLAINT_RECEIVED = "ComplaintReceived"
    COMPLAINT_ACKNOWLEDGED = "ComplaintAcknowledged"
    COMPLAINT_UPDATED = "ComplaintUpdated"
    SLA_AT_RISK = "SlaAtRisk"
    SLA_BREACHED = "SlaBreached"
    COMPLAINT_ESCALATED = "ComplaintEscalated"
    # Triage found a complaint sensitive: it is on the special path (complaints/triage).
    COMPLAINT_FLAGGED = "ComplaintFlagged"
    COMPLAINT_RESOLVED = "ComplaintResolved"
    COMPLAINT_CLOSED = "ComplaintClosed"
    COMPLAINT_REOPENED = "ComplaintReopened"
    FEEDBACK_RECEIVED = "FeedbackReceived"
    FOLLOW_UP_OPENED = "FollowUpOpened"
    FOLLOW_UP_OVERDUE = "FollowUpOverdue"
    REPORT_PUBLISHED = "ReportPublished"


class DomainEvent(ApiModel):
    """`detail-type` is `name`; the rest is the `detail`."""

    name: EventName = Field(exclude=True)
    id: str = Field(default_factory=new_id)
    occurred_at: UtcDatetime = Field(default_factory=utc_now)
    complaint_id: str | None = Field(default=None, description="absent on events about no one complaint")
    version: int
    data: dict[str, Any] = Field(default_factory=dict)
    correlation_id: str | None = None

    def detail(self) -> dict[str, Any]:
        return self.to_json()
