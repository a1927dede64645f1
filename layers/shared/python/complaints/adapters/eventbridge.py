"""Domain events onto the EventBridge bus: batches of 10 (the PutEvents limit), and a failed entry is
an error that names the event, never a silent drop."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from ..errors import ServiceUnavailable
from ..events import SOURCE, DomainEvent

BATCH = 10


class EventPublishFailed(ServiceUnavailable):
    code = "event_publish_failed"


class EventBridgePublisher:
    def __init__(self, bus_name: str, client: Any) -> None:
        self._bus = bus_name
        self._client = client

    def publish(self, events: Sequence[DomainEvent]) -> None:
        for start in range(0, len(events), BATCH):
            batch = events[start : start + BATCH]
            entries = [
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
                raise EventPublishFailed("the event bus refused the events; retry") from error
            if response.get("FailedEntryCount", 0):
                failed = [
                    f"{event.name.value} {event.id}: {result.get('ErrorCode')}"
                    for event, result in zip(batch, response["Entries"], strict=True)
                    if "ErrorCode" in result
                ]
                raise EventPublishFailed(f"{len(failed)} event(s) were not published: {'; '.join(failed)}")
