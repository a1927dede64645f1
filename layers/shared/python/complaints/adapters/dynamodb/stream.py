"""Reads a DynamoDB stream image of the trail table as an audit event, with its chain fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from complaints.adapters.dynamodb.table import audit_event_from_plain, stored_event_from_plain
from complaints.core.models import AuditEvent
from complaints.trail.chain import StoredEvent


def audit_event_from_stream_image(image: Mapping[str, Any]) -> AuditEvent | None:
    """The audit event of a new trail item; None for an image that is not one."""
    if "complaintId" not in image or "version" not in image:
        return None
    return audit_event_from_plain(dict(image))


def stored_event_from_stream_image(image: Mapping[str, Any]) -> StoredEvent | None:
    """The trail item as stored (the archive keeps its sealed text and hashes)."""
    if "complaintId" not in image or "version" not in image:
        return None
    return stored_event_from_plain(image)
