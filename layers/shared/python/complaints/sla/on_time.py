"""When an answer or a resolution counts as on time: the one rule the audit trail, the KPIs, the
per-handler figures and the extracts share."""

from __future__ import annotations

from datetime import datetime


def answered_on_time(answered_at: datetime, due_at: datetime) -> bool:
    """On time means at or before the deadline: an answer given exactly at `due_at` is on time, one
    microsecond later is late."""
    return answered_at <= due_at


def resolved_on_time(resolved_at: datetime, due_at: datetime) -> bool:
    """The same rule for the resolution deadline: resolved at or before `due_at` is on time, one
    microsecond later is late (the per-handler and per-team figures, reporting/performance.py)."""
    return resolved_at <= due_at
