"""What `GET /v1/complaints/{id}/events` answers: the audit trail, and the complaint's notification log
(every message sent or attempted to its customer and about it to staff, recipients masked)."""

from __future__ import annotations

from pydantic import Field

from complaints.core.models import AuditEvent
from complaints.core.paging import Page
from complaints.notifications.ports import NotificationRecord


class AuditTrail(Page[AuditEvent]):
    notifications: list[NotificationRecord] = Field(
        default_factory=list, description="the notification log, oldest first (on the first page)"
    )
