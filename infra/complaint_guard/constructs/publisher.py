"""Publisher: the outbox. The complaints table's stream hands every new audit event to one function,
which puts its domain event on the bus; a record that keeps failing ends in a dead-letter queue."""

from __future__ import annotations

import jsii
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ..nag import accept
from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .queues import dead_letter_queue


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
                data.table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=10,
                bisect_batch_on_error=True,
                retry_attempts=8,
                report_batch_item_failures=True,
                on_failure=_DeadLetters(self.dead_letters),
                # Only new audit events: complaint items, references and the rest never wake it.
                filters=[
                    lambda_.FilterCriteria.filter(
                        {
                            "eventName": lambda_.FilterRule.is_equal("INSERT"),
                            "dynamodb": {"NewImage": {"sk": {"S": lambda_.FilterRule.begins_with("EVENT#")}}},
                        }
                    )
                ],
            )
        )


@jsii.implements(lambda_.IEventSourceDlq)
class _DeadLetters:
    """The stream's on-failure destination, granted by name. CDK's SqsDlq grants kms:GenerateDataKey*
    and kms:ReEncrypt* on an encrypted queue's key; the role already has the data key's Encrypt,
    Decrypt and GenerateDataKey (key_use), which is all SQS needs to encrypt a message."""

    def __init__(self, queue: sqs.IQueue) -> None:
        self.queue = queue

    def bind(
        self, target: lambda_.IEventSourceMapping, target_handler: lambda_.IFunction
    ) -> lambda_.DlqDestinationConfig:
        target_handler.add_to_role_policy(
            iam.PolicyStatement(
                actions=["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                resources=[self.queue.queue_arn],
            )
        )
        return lambda_.DlqDestinationConfig(destination=self.queue.queue_arn)
