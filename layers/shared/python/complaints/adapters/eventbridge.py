"""Domain events onto the EventBridge bus: batches of 10 (the PutEvents limit), and a failed entry is
an error that names the event, never a silent drop."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code
from complaints.core.errors import ServiceUnavailable
from complaints.core.events import SOURCE, DomainEvent

if TYPE_CHECKING:
    from mypy_boto3_events.client import EventBridgeClient
    from mypy_boto3_events.type_defs import PutEventsRequestEntryTypeDef

BATCH = 10


class EventPublishFailed(ServiceUnavailable):
    code = "event_publish_failed"

    def __init__(self, message: str, failed_ids: frozenset[str] = frozenset()) -> None:
        super().__init__(message)
        self.failed_ids = failed_ids


class EventBridgePublisher:
    """`client` may be a factory: a function that publishes only now and then creates its client on
    the first publication, not at cold start."""

    def __init__(self, bus_name: str, client: EventBridgeClient | Callable[[], EventBridgeClient]) -> None:
        self._bus = bus_name
        self._client_or_factory = client

    @property
    def _client(self) -> EventBridgeClient:
        if callable(self._client_or_factory):
            self._client_or_factory = self._client_or_factory()
        return self._client_or_factory

    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Every batch is tried; then, if any entry was refused, one error names them all."""
        failed: dict[str, str] = {}
        for start in range(0, len(events), BATCH):
            batch = events[start : start + BATCH]
            entries: list[PutEventsRequestEntryTypeDef] = [
                {
                    "EventBusName": self._bus,
                    "Source": SOURCE,
                    "DetailType": event.name.value,
                    "Detail": json.dumps(event.detail(), ensure_ascii=False),
                    "Time": event.occurred_at,
                }
                for event in batch
            ]
            try:
                response = self._client.put_events(Entries=entries)
            except ClientError as error:
                code = error_code(error) or "error"
                failed |= {event.id: f"{event.name.value} {event.id}: {code}" for event in batch}
                continue
            if response.get("FailedEntryCount", 0):
                failed |= {
                    event.id: f"{event.name.value} {event.id}: {result.get('ErrorCode')}"
                    for event, result in zip(batch, response["Entries"], strict=True)
                    if "ErrorCode" in result
                }
        if failed:
            raise EventPublishFailed(
                f"{len(failed)} event(s) were not published: {'; '.join(failed.values())}", frozenset(failed)
            )
