"""What the notification queue delivers: EventBridge events (`detail-type` + `detail`, the envelope of
docs/architecture.md §6) as the bus rule puts them on the queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from complaints.core.errors import InvalidInput
from complaints.core.events import DomainEvent, EventName

_ENVELOPE = ("id", "occurredAt", "complaintId", "version", "data", "correlationId")
_NAMES = frozenset(name.value for name in EventName)


def domain_event_from_bus(body: Any) -> DomainEvent | None:
    """The domain event of one EventBridge event; None for an event type this system does not define
    (nothing to tell anyone). Raises InvalidInput for a malformed one; the error names the fields,
    never their values (a response's text may hold personal data)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("detail"), Mapping):
        raise InvalidInput("the record is not an EventBridge event with a detail")
    name = body.get("detail-type")
    if name not in _NAMES:
        return None
    detail = body["detail"]
    try:
        return DomainEvent.model_validate(
            {"name": name, **{key: detail[key] for key in _ENVELOPE if key in detail}}
        )
    except ValidationError as error:
        fields = sorted({".".join(str(part) for part in item["loc"]) for item in error.errors()})
        raise InvalidInput(f"the {name} event is malformed at: {', '.join(fields)}") from None
