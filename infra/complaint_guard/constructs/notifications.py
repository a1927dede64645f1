"""Notifications: bus rules → a queue (with a dead-letter queue and redrive) → the notifier function
→ SES (e-mail) and SNS (SMS to customers, one topic per audience for staff)."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns as sns
from constructs import Construct

from complaints.notifications.planner import NOTIFIED_EVENTS as PLANNED_EVENTS

from ..nag import accept
from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .queues import dead_letter_queue, work_queue

# The events someone may be told about: those the planner plans messages for (it decides who and
# how), so a message it can plan is never one the rule keeps from it.
NOTIFIED_EVENTS = tuple(sorted(name.value for name in PLANNED_EVENTS))
STAFF_AUDIENCES = ("supervisor", "manager", "compliance", "at-risk")
MAX_RECEIVES = 5


class Notifications(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        events: Events,
        defaults: FunctionDefaults,
        sender_email: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = dead_letter_queue(self, key=data.key)
        self.queue = work_queue(
            self,
            key=data.key,
            dead_letters=self.dead_letters,
            max_receive_count=MAX_RECEIVES,
            visibility_timeout=Duration.minutes(3),
        )
        self.rule = events.deliver(
            self,
            description="domain events someone is told about",
            detail_types=NOTIFIED_EVENTS,
            queue=self.queue,
        )
        self.topics = {
            audience: sns.Topic(
                self,
                f"Staff{audience.title().replace('-', '')}",
                display_name=f"complaint-guard {audience}",
                master_key=data.key,
                enforce_ssl=True,
            )
            for audience in STAFF_AUDIENCES
        }
        self.function = ServiceFunction(
            self,
            "Handler",
            entry="functions/notifier",
            handler="app.handler",
            defaults=defaults.with_environment(
                SENDER_EMAIL=sender_email,
                STAFF_TOPIC_SUPERVISOR=self.topics["supervisor"].topic_arn,
                STAFF_TOPIC_MANAGER=self.topics["manager"].topic_arn,
                STAFF_TOPIC_COMPLIANCE=self.topics["compliance"].topic_arn,
                STAFF_TOPIC_AT_RISK=self.topics["at-risk"].topic_arn,
            ),
            memory_mb=256,
            timeout=Duration.seconds(30),
        )
        role = self.function.role
        data.allow_items(role, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query")
        role.add_to_principal_policy(data.key_use())
        data.allow_link_keys(role, defaults.environment["TRACKING_SECRET_PARAMETER"], "tracking")
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["sns:Publish"], resources=[t.topic_arn for t in self.topics.values()]
            )
        )
        # SMS to a customer's phone number is a publish without a topic: it has no ARN to name.
        role.add_to_principal_policy(iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]))
        allow_email_from(role, sender_email)
        self.function.function.add_event_source(
            sources.SqsEventSource(self.queue, batch_size=10, report_batch_item_failures=True)
        )
        accept(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "SMS to a phone number is sns:Publish with no topic, which has no resource ARN (IAM offers no "
            "narrower form for SMS); staff topics are also named in their own statement; X-Ray needs * too",
        )


def allow_email_from(role: iam.IRole, sender_email: str) -> None:
    """SES SendEmail through the sender's verified domain identity, only with that From: address."""
    stack = Stack.of(role)
    sender_domain = sender_email.split("@", 1)[1]
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["ses:SendEmail"],
            resources=[f"arn:{stack.partition}:ses:{stack.region}:{stack.account}:identity/{sender_domain}"],
            conditions={"StringEquals": {"ses:FromAddress": sender_email}},
        )
    )
