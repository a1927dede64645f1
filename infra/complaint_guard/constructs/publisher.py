"""Publisher: the outbox. The trail table's stream hands every new audit event to one function,
which puts its domain event on the bus; a record that keeps failing ends in a dead-letter queue."""

from __future__ import annotations

from aws_cdk import Duration
from constructs import Construct

from ..nag import accept
from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .queues import dead_letter_queue, new_trail_events


class Publisher(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        events: Events,
        defaults: FunctionDefaults,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = dead_letter_queue(self, key=data.key)
        accept(
            self.dead_letters,
            "AwsSolutions-SQS3",
            "this queue is itself the dead-letter destination: the stream event source sends the records "
            "it gave up on here",
        )
        self.function = ServiceFunction(
            self,
            "Handler",
            entry="functions/publisher",
            handler="app.handler",
            defaults=defaults,
            memory_mb=256,
            timeout=Duration.seconds(30),
        )
        role = self.function.role
        role.add_to_principal_policy(events.publish())
        # The stream's records are encrypted with the table's key.
        role.add_to_principal_policy(data.key_use())
        self.function.function.add_event_source(
            new_trail_events(data.trail_table, self.dead_letters, batch_size=10)
        )
