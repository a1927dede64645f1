"""Publisher: the outbox. The trail table's stream hands every new audit event to one function,
which puts its domain event on the bus; a record that keeps failing ends in a dead-letter queue."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from ..nag import accept
from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .queues import StreamDeadLetters, dead_letter_queue


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
            sources.DynamoEventSource(
                data.trail_table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=10,
                bisect_batch_on_error=True,
                retry_attempts=8,
                report_batch_item_failures=True,
                on_failure=StreamDeadLetters(self.dead_letters),
                # Only new audit events (an erasure's rewrite of an event is not news).
                filters=[lambda_.FilterCriteria.filter({"eventName": lambda_.FilterRule.is_equal("INSERT")})],
            )
        )
