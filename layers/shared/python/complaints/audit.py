"""What `GET /v1/complaints/{id}/events` answers: the audit trail, and the complaint's notification log
(every message sent or attempted to its customer and about it to staff, recipients masked)."""

from __future__ import annotations

from pydantic import Field

from .models import AuditEvent
from .notifications.ports import NotificationRecord
from .repository import Page


class AuditTrail(Page[AuditEvent]):
    notifications: list[NotificationRecord] = Field(
        default_factory=list, description="the notification log, oldest first (on the first page)"
    )
