"""Reads a DynamoDB stream image of the complaints table as an audit event (or not)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from complaints.adapters.dynamodb.table import EVENT_PREFIX, audit_event_from_plain
from complaints.core.models import AuditEvent


def audit_event_from_stream_image(image: Mapping[str, Any]) -> AuditEvent | None:
    """The audit event of a new audit-event item; None for every other item of the table."""
    if not str(image.get("sk", "")).startswith(EVENT_PREFIX) or not str(image.get("pk", "")).startswith(
        "COMPLAINT#"
    ):
        return None
    return audit_event_from_plain(dict(image))
