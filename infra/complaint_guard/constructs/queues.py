"""The stack's SQS queues, all made the same way: the stack's customer-managed key, TLS only, and work queues
that hand what keeps failing to a dead-letter queue kept for 14 days."""

from __future__ import annotations

import jsii
from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct


def dead_letter_queue(scope: Construct, *, key: kms.IKey) -> sqs.Queue:
    return sqs.Queue(
        scope,
        "DeadLetters",
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=Duration.days(14),
    )


def work_queue(
    scope: Construct,
    *,
    key: kms.IKey,
    dead_letters: sqs.IQueue,
    max_receive_count: int,
    visibility_timeout: Duration,
) -> sqs.Queue:
    """A queue an event source reads; its visibility should be six times the function's timeout, as
    Lambda advises for SQS event sources."""
    return sqs.Queue(
        scope,
        "Queue",
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        visibility_timeout=visibility_timeout,
        dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=max_receive_count),
    )


@jsii.implements(lambda_.IEventSourceDlq)
class StreamDeadLetters:
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


def new_trail_events(
    table: dynamodb.ITable, dead_letters: sqs.IQueue, *, batch_size: int
) -> lambda_.IEventSource:
    """The trail table's stream as an event source: new audit events only (an erasure's rewrite of an
    event is not news), in order, a batch split in two on error and retried 8 times, each record a
    failure of its own (`batchItemFailures`), then the dead-letter queue."""
    return sources.DynamoEventSource(
        table,
        starting_position=lambda_.StartingPosition.TRIM_HORIZON,
        batch_size=batch_size,
        bisect_batch_on_error=True,
        retry_attempts=8,
        report_batch_item_failures=True,
        on_failure=StreamDeadLetters(dead_letters),
        filters=[lambda_.FilterCriteria.filter({"eventName": lambda_.FilterRule.is_equal("INSERT")})],
    )
