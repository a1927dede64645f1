"""Triage: a bus rule on `ComplaintReceived` → a queue (dead-letter queue, redrive) → the triage
function, which reads each new complaint within seconds, off the intake path, and records what it found
(complaints/triage). Its model ships in the shared layer (`make train` builds it)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from constructs import Construct

from complaints.adapters.dynamodb.table import INDEXES
from complaints.core.events import EventName

from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .queues import dead_letter_queue, work_queue
from .sla_workflow import SlaWorkflow

MAX_RECEIVES = 5
# The customer's recent complaints (the `repeat` flag, the same matter from another channel), and the
# open complaints of each on-duty member of a roster (the least loaded is assigned).
_CUSTOMER_INDEX = next(index for field, index, _ in INDEXES if field == "customer_id")
_ASSIGNEE_INDEX = next(index for field, index, _ in INDEXES if field == "assignee")


class Triage(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        events: Events,
        workflow: SlaWorkflow,
        defaults: FunctionDefaults,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = dead_letter_queue(self, key=data.key)
        self.queue = work_queue(
            self,
            key=data.key,
            dead_letters=self.dead_letters,
            max_receive_count=MAX_RECEIVES,
            visibility_timeout=Duration.minutes(2),
        )
        self.rule = events.deliver(
            self,
            description="every new complaint, to be read by triage",
            detail_types=[EventName.COMPLAINT_RECEIVED.value],
            queue=self.queue,
        )
        self.function = ServiceFunction(
            self,
            "Handler",
            entry="functions/triage",
            handler="app.handler",
            defaults=defaults,
            # The model (a few MB of weights, pure Python) loads faster with more CPU.
            memory_mb=1024,
            timeout=Duration.seconds(30),
        )
        role = self.function.role
        data.allow_items(
            role,
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",  # the customer's complaints, by the keys byCustomer returned
            "dynamodb:Query",  # the items of the customer's phone and e-mail (another channel, another id)
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:ConditionCheckItem",
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:Query"],
                resources=[data.index_arn(_CUSTOMER_INDEX), data.index_arn(_ASSIGNEE_INDEX)],
            )
        )
        # Its changes' events go to the trail in the same transaction (the outbox).
        data.allow_trail(role, "dynamodb:PutItem", "dynamodb:GetItem")
        role.add_to_principal_policy(data.key_use())
        # A complaint made critical gets a tracker for its earlier deadlines.
        workflow.allow_tracking(role)
        self.function.function.add_event_source(
            sources.SqsEventSource(self.queue, batch_size=5, report_batch_item_failures=True)
        )
