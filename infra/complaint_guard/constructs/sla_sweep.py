"""SlaSweep: the function EventBridge Scheduler runs every 15 minutes (functions/sla_sweep). It reads
the complaints due soon through the sparse byWatch index, records each 80 % warning once (the publisher
announces it from the trail: the sweep puts nothing on the bus) and restarts any SLA tracker that is
missing or failed; then it counts the open complaints per status through byStatus (the backlog gauge)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from constructs import Construct

from complaints.adapters.dynamodb.table import STATUS_INDEX

from .data import Data
from .function import FunctionDefaults, ServiceFunction
from .sla_workflow import SlaWorkflow


class SlaSweep(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        workflow: SlaWorkflow,
        defaults: FunctionDefaults,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = ServiceFunction(
            self,
            "Handler",
            entry="functions/sla_sweep",
            handler="app.handler",
            defaults=defaults,
            memory_mb=512,
            timeout=Duration.minutes(5),
        )
        role = self.function.role
        # Explicit actions on explicit resources: the table, the byWatch index (never a Scan), the key.
        data.allow_items(
            role,
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",  # the due complaints, by the keys byWatch returned
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:ConditionCheckItem",
        )
        # The events of its changes (restarts, warnings) go to the trail in the same transaction.
        data.allow_trail(role, "dynamodb:PutItem", "dynamodb:GetItem")
        # ... and byStatus, which it counts (Select=COUNT) for the backlog gauge.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:Query"],
                resources=[data.watch_index_arn(), data.index_arn(STATUS_INDEX)],
            )
        )
        role.add_to_principal_policy(data.key_use())
        workflow.allow_tracking(role)
