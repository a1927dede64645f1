"""Schedules: EventBridge Scheduler runs the SLA sweep every 15 minutes and the quarterly report at
01:00 on the first day of each quarter, in the bank's time zone.

The template keeps each AWS::Scheduler::Schedule plain (Name, ScheduleExpression, Target.Arn as the
function's Fn::GetAtt, Target.Input as JSON text): the local runtime reads them back from it.
"""

from __future__ import annotations

from aws_cdk import Duration, Stack, TimeZone
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

SWEEP_EVERY = Duration.minutes(15)


class Schedules(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        sla_sweep: lambda_.IFunction,
        report_builder: lambda_.IFunction,
        report_timezone: str,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        # Our own role, trusted by Scheduler for schedules of this account's default group only, that
        # may invoke the sweep and the report builder and nothing else.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={
                    "StringEquals": {
                        "aws:SourceAccount": stack.account,
                        "aws:SourceArn": stack.format_arn(
                            service="scheduler", resource="schedule-group", resource_name="default"
                        ),
                    }
                },
            ),
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"],
                resources=[sla_sweep.function_arn, report_builder.function_arn],
            )
        )
        self.sla_sweep = scheduler.Schedule(
            self,
            "SlaSweep",
            schedule_name=f"{stack.stack_name}-sla-sweep",
            description="SLA sweep: 80 % warnings and repair of missing or failed SLA trackers",
            schedule=scheduler.ScheduleExpression.rate(SWEEP_EVERY),
            time_window=scheduler.TimeWindow.off(),
            target=targets.LambdaInvoke(
                sla_sweep,
                input=scheduler.ScheduleTargetInput.from_object({"schedule": "sla-sweep"}),
                # A run that cannot start within 10 minutes is superseded by the next one.
                retry_attempts=3,
                max_event_age=Duration.minutes(10),
                # Its grant would add the function's versions and aliases (`<arn>:*`); the role above
                # already names the one function the schedule invokes.
                role=self.role.without_policy_updates(),
            ),
        )
        self.quarterly_report = scheduler.Schedule(
            self,
            "QuarterlyReport",
            schedule_name=f"{stack.stack_name}-quarterly-report",
            description="the quarterly report of the quarter that has just ended, e-mailed to management",
            schedule=scheduler.ScheduleExpression.cron(
                minute="0",
                hour="1",
                day="1",
                month="1,4,7,10",
                time_zone=TimeZone.of(report_timezone),
            ),
            time_window=scheduler.TimeWindow.off(),
            target=targets.LambdaInvoke(
                report_builder,
                input=scheduler.ScheduleTargetInput.from_object({"run": "scheduled"}),
                # The report has a fixed id per quarter, so a retried run builds and e-mails it once.
                retry_attempts=3,
                max_event_age=Duration.hours(6),
                role=self.role.without_policy_updates(),
            ),
        )
