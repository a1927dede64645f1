"""SlaWorkflow: the SLA tracker, one Standard Step Functions execution per complaint.

Its definition is infra/statemachines/sla-tracker.asl.json, the file the local runtime runs on the
emulator too; the tables reach it as definition substitutions. It uses direct service integrations
with DynamoDB only, so its role names exactly what the file calls. It puts nothing on the bus: its
escalations are audit events, which the publisher announces like every other (the trail is the outbox).
"""

from __future__ import annotations

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from ..nag import accept, accept_wildcard_resource
from ..settings import ROOT
from .data import Data

DEFINITION = ROOT / "infra" / "statemachines" / "sla-tracker.asl.json"


class SlaWorkflow(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        log_retention: logs.RetentionDays,
        removal: RemovalPolicy,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("states.amazonaws.com"))
        # What the ASL file calls: GetItem (ReadComplaint), the escalation transaction (Update of the
        # complaint, Put of the accountability record, and their condition checks; Put of the audit
        # event in the trail table). The tables only, never their indexes.
        data.allow_items(
            self.role,
            "dynamodb:GetItem",
            "dynamodb:UpdateItem",
            "dynamodb:PutItem",
            "dynamodb:ConditionCheckItem",
        )
        data.allow_trail(self.role, "dynamodb:PutItem", "dynamodb:ConditionCheckItem")
        self.role.add_to_principal_policy(data.key_use())
        self.log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=removal, encryption_key=data.key
        )
        # A named machine, so the execution ARNs that functions may stop and describe can be written
        # down in their policies: arn:…:execution:<name>:<execution name>.
        self.state_machine_name = f"{stack.stack_name}-sla-tracker"
        self.state_machine = sfn.StateMachine(
            self,
            "Tracker",
            state_machine_name=self.state_machine_name,
            state_machine_type=sfn.StateMachineType.STANDARD,
            # The file's text as it is (DefinitionString): the template stays self-contained and the
            # emulator's CloudFormation reads it. DefinitionBody.from_file would make it an S3 asset
            # (DefinitionS3Location), which the emulator ignores.
            definition_body=sfn.DefinitionBody.from_string(DEFINITION.read_text()),
            definition_substitutions={
                "TableName": data.table.table_name,
                "TrailTableName": data.trail_table.table_name,
            },
            role=self.role,
            logs=sfn.LogOptions(
                destination=self.log_group,
                level=sfn.LogLevel.ALL,
                include_execution_data=False,  # execution data carries customer PII
            ),
            tracing_enabled=True,
            removal_policy=removal,
        )
        accept(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "CloudWatch Logs vended-log delivery (logs:CreateLogDelivery, PutResourcePolicy …) and X-Ray "
            "(PutTraceSegments, GetSamplingRules …) support no resource-level permissions",
        )

    @property
    def executions_arn(self) -> str:
        """Every execution of the tracker: `arn:<partition>:states:<region>:<account>:execution:<name>:*`."""
        arn: str = Stack.of(self).format_arn(
            service="states",
            resource="execution",
            resource_name=f"{self.state_machine_name}:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        return arn

    def allow_tracking(self, role: iam.IRole) -> None:
        """Start a complaint's tracker, and stop or describe trackers of this machine only."""
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["states:StartExecution"], resources=[self.state_machine.state_machine_arn]
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["states:StopExecution", "states:DescribeExecution"],
                resources=[self.executions_arn],
            )
        )
        accept_wildcard_resource(
            role,
            self.executions_arn,
            "execution names are per complaint and made at run time; the pattern is limited to "
            "executions of the SLA tracker state machine",
        )
