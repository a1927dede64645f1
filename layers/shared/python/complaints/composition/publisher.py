"""The publisher's composition root: the EventBridge bus every domain event goes to."""

from __future__ import annotations

from functools import cache

from complaints.adapters.aws import client
from complaints.adapters.eventbridge import EventBridgePublisher
from complaints.composition.settings import PublisherSettings


@cache
def settings() -> PublisherSettings:
    return PublisherSettings.from_environment()


@cache
def event_publisher() -> EventBridgePublisher:
    return EventBridgePublisher(settings().event_bus_name, client("events"))
