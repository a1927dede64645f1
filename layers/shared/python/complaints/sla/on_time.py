"""When an answer counts as on time: the one rule the audit trail, the KPIs and the extracts share."""

from __future__ import annotations

from datetime import datetime


def answered_on_time(answered_at: datetime, due_at: datetime) -> bool:
    """On time means at or before the deadline: an answer given exactly at `due_at` is on time, one
    microsecond later is late."""
    return answered_at <= due_at
