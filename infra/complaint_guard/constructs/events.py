"""Events: the stack's own EventBridge bus for domain events, archived so they can be replayed, both
encrypted with the stack's customer-managed key (domain events carry complaint data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from aws_cdk import Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

ARCHIVE_NAME_MAX = 48


class Events(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, archive_days: int, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.bus = events.EventBus(self, "Bus", event_bus_name=stack.stack_name, kms_key=key)
        # The name as Fn::GetAtt Name rather than Ref: both give the name in CloudFormation, but the
        # emulator's CloudFormation (moto) answers Ref of a bus with no name at all.
        self.bus_name: str = cast(events.CfnEventBus, self.bus.node.default_child).attr_name
        # Every event sent to the bus, kept for replay (a new subscriber, a notifier that was down):
        # an empty pattern leaves EventPattern out of the template, which archives everything.
        # Named: a generated name (stack, path, suffix) can exceed the 48 characters archives allow.
        archive_name = f"{stack.stack_name}-events"
        if len(archive_name) > ARCHIVE_NAME_MAX:
            raise ValueError(f"archive name {archive_name} is longer than {ARCHIVE_NAME_MAX} characters")
        self.archive = self.bus.archive(
            "Archive",
            archive_name=archive_name,
            description=f"{stack.stack_name}: every domain event, for replay",
            event_pattern=events.EventPattern(),
            retention=Duration.days(archive_days),
            kms_key=key,
        )
        # This CDK version writes an empty KmsKeyIdentifier for an archive of bus.archive(kms_key=…).
        cast(events.CfnArchive, self.archive.node.default_child).kms_key_identifier = key.key_arn

    def publish(self) -> iam.PolicyStatement:
        """What a publisher needs: PutEvents on this bus only."""
        return iam.PolicyStatement(actions=["events:PutEvents"], resources=[self.bus.event_bus_arn])

    def deliver(
        self, scope: Construct, *, description: str, detail_types: Sequence[str], queue: sqs.IQueue
    ) -> events.Rule:
        """A rule (`Rule` in `scope`) that puts the bus's domain events of these types on `queue`."""
        rule = events.Rule(
            scope,
            "Rule",
            event_bus=self.bus,
            description=description,
            event_pattern=events.EventPattern(source=["complaint-guard"], detail_type=list(detail_types)),
            targets=[targets.SqsQueue(queue)],
        )
        # The bus by name (Fn::GetAtt Name), as the rest of the stack names it: the same in
        # CloudFormation, and the emulator's CloudFormation cannot resolve a bus's Ref.
        cast(events.CfnRule, rule.node.default_child).add_property_override("EventBusName", self.bus_name)
        return rule
