"""Monitoring: the operations dashboard and the alarms, sent to an encrypted ops topic.

It takes what it watches as lists, so a new function or queue is one more entry where the stack builds
this construct. The business metrics are the ones the functions emit (complaints/measures.py, namespace
and `service` dimension from constructs/function.py); the rest are AWS's own. The README section
"Metrics, dashboard and alarms" says what each alarm means and what to do first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from complaints.core.models import Category, Channel, Outcome
from complaints.intake.lifecycle import OPEN_STATUSES
from complaints.intake.service import MAX_ESCALATION_LEVEL
from complaints.metrics import measures
from complaints.notifications.messages import DeliveryChannel
from complaints.sla.escalation import Step

from .function import METRICS_NAMESPACE, SERVICE_NAME

# The on-time first-response rate alarm (docs/decisions.md, "The on-time alarm").
ON_TIME_TARGET = 0.9
ON_TIME_WINDOW = Duration.hours(6)
ON_TIME_MINIMUM_DECIDED = 10
# API Gateway's 5XXError averaged is the share of requests answered 5xx.
API_5XX_RATE = 0.05
FIVE_MINUTES = Duration.minutes(5)
RATINGS = range(1, 6)
AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD


@dataclass(frozen=True)
class WatchedQueue:
    """A work queue and the dead-letter queue behind it. `queue` is None for a dead-letter queue that
    no queue feeds (a stream event source sends what it gives up on straight to it)."""

    name: str
    dead_letters: sqs.IQueue
    queue: sqs.IQueue | None = None


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Mapping[str, lambda_.IFunction],
        queues: Sequence[WatchedQueue],
        state_machine: sfn.IStateMachine,
        rest_api: apigw.RestApi,
        ops_email: str | None = None,
        unassigned_alarm_minutes: int = 60,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self._prefix = stack.stack_name
        # Its own key: CloudWatch must be allowed to use the key of the topic it publishes to, and the
        # data key (customer PII) is for no service but the ones that store the data.
        self.key = kms.Key(
            self,
            "AlarmKey",
            description="complaint-guard: encrypts the ops alarm topic",
            enable_key_rotation=True,
        )
        cloudwatch_alarms = iam.ServicePrincipal("cloudwatch.amazonaws.com")
        from_our_alarms = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {
                "aws:SourceArn": f"arn:{stack.partition}:cloudwatch:{stack.region}:{stack.account}:alarm:*"
            },
        }
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[cloudwatch_alarms],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, * is this key
                conditions=from_our_alarms,
            )
        )
        self.topic = sns.Topic(
            self,
            "OpsAlarms",
            display_name="complaint-guard ops alarms",
            master_key=self.key,
            enforce_ssl=True,
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[cloudwatch_alarms],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions=from_our_alarms,
            )
        )
        if ops_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(ops_email))
        self._action = actions.SnsAction(self.topic)
        self.alarms: list[cloudwatch.Alarm] = []
        self.alarm_names: list[str] = []

        for queue in queues:
            self._alarm(
                f"DeadLetters{_pascal(queue.name)}",
                f"dead-letters-{queue.name}",
                queue.dead_letters.metric_approximate_number_of_messages_visible(
                    statistic="Maximum", period=FIVE_MINUTES
                ),
                threshold=1,
                description=f"{queue.name}: a message is in its dead-letter queue (it failed every retry)",
            )
        self._alarm(
            "Api5xxRate",
            "api-5xx-rate",
            rest_api.metric_server_error(statistic="Average", period=FIVE_MINUTES),
            threshold=API_5XX_RATE,
            comparison=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=3,
            description="more than 5 % of API requests answered 5xx for 15 minutes",
        )
        for name, function in functions.items():
            self._alarm(
                f"Errors{_pascal(name)}",
                f"lambda-errors-{name}",
                function.metric_errors(statistic="Sum", period=FIVE_MINUTES),
                threshold=1,
                description=f"the {name} function failed (an unhandled error)",
            )
        self._alarm(
            "SlaTrackerFailures",
            "sla-tracker-failures",
            cloudwatch.MathExpression(
                expression="FILL(failed, 0) + FILL(timedOut, 0)",
                using_metrics={
                    "failed": state_machine.metric_failed(statistic="Sum", period=FIVE_MINUTES),
                    "timedOut": state_machine.metric_timed_out(statistic="Sum", period=FIVE_MINUTES),
                },
                label="SLA tracker executions failed or timed out",
                period=FIVE_MINUTES,
            ),
            threshold=1,
            description="an SLA tracker execution failed or timed out (the sweep restarts it; find why)",
        )
        self._alarm(
            "FirstResponseOnTimeRate",
            "first-response-on-time-rate",
            self.on_time_rate(ON_TIME_WINDOW, minimum_decided=ON_TIME_MINIMUM_DECIDED),
            threshold=ON_TIME_TARGET,
            comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            description=(
                f"under {ON_TIME_TARGET:.0%} of first responses in time over 6 hours "
                f"(with at least {ON_TIME_MINIMUM_DECIDED} first-response deadlines decided)"
            ),
        )

        self._alarm(
            "OldestUnassigned",
            "oldest-unassigned",
            self.business(measures.OLDEST_UNASSIGNED_MINUTES, "Maximum", Duration.minutes(15)),
            threshold=unassigned_alarm_minutes,
            description=(
                f"a complaint has waited over {unassigned_alarm_minutes} minutes with nobody assigned "
                "(no routing row or roster took it): assign it, then fix the routing or the roster"
            ),
        )

        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=f"{self._prefix}-operations", default_interval=Duration.days(1)
        )
        self._service_widgets()
        self._system_widgets(functions, queues, state_machine, rest_api)

    # --- metrics ---------------------------------------------------------------------------------

    @staticmethod
    def business(
        name: str, statistic: str = "Sum", period: Duration = FIVE_MINUTES, **dimensions: str
    ) -> cloudwatch.Metric:
        """A metric the functions emit (Powertools adds the service dimension to each)."""
        return business_metric(name, dimensions, statistic, period)

    def on_time_rate(self, period: Duration, minimum_decided: int = 0) -> cloudwatch.MathExpression:
        """First responses in time / first-response deadlines decided (answered in time, or passed
        unanswered: the tracker's firstResponse breach). A late answer after a breach is not counted
        again, so each complaint counts once, when its outcome is known, as the KPI counts it. Below
        `minimum_decided` the rate reads 1: a handful of complaints is no trend."""
        return cloudwatch.MathExpression(
            expression=(
                "IF(FILL(onTime, 0) + FILL(missed, 0) >= "
                f"{max(minimum_decided, 1)}, FILL(onTime, 0) / (FILL(onTime, 0) + FILL(missed, 0)), 1)"
            ),
            using_metrics={
                "onTime": self.business(measures.FIRST_RESPONSES_ON_TIME, period=period),
                "missed": self.business(
                    measures.SLA_BREACHES, period=period, deadline=Step.FIRST_RESPONSE.value
                ),
            },
            label="first responses in time (rate)",
            period=period,
        )

    def _alarm(
        self,
        construct_id: str,
        name: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        description: str,
        comparison: cloudwatch.ComparisonOperator = AT_LEAST,
        evaluation_periods: int = 1,
    ) -> None:
        # No data is no traffic (or a queue never used): never an alarm by itself.
        self.alarm_names.append(f"{self._prefix}-{name}")
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_name=self.alarm_names[-1],
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=evaluation_periods,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms.append(alarm)

    # --- the dashboard ---------------------------------------------------------------------------

    def _service_widgets(self) -> None:
        b = self.business
        hour = Duration.hours(1)
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(
                markdown="## The service\nBusiness metrics (namespace `ComplaintGuard`); "
                "see the README, *Metrics, dashboard and alarms*.",
                width=24,
                height=2,
            ),
            self._breakdown("Intake by channel", measures.COMPLAINTS_RECEIVED, "channel", Channel),
            self._breakdown("Intake by category", measures.COMPLAINTS_RECEIVED, "category", Category),
            cloudwatch.GraphWidget(
                title="Backlog: open complaints by status",
                left=[
                    b(measures.OPEN_COMPLAINTS, "Maximum", Duration.minutes(15), status=s.value)
                    for s in sorted(OPEN_STATUSES)
                ],
                right=[
                    b(measures.OLDEST_UNASSIGNED_MINUTES, "Maximum", Duration.minutes(15)).with_(
                        label="oldest unassigned (minutes)"
                    )
                ],
                stacked=True,
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="SLA compliance: first responses in time (rate, hourly)",
                left=[self.on_time_rate(hour)],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=1),
                left_annotations=[cloudwatch.HorizontalAnnotation(value=ON_TIME_TARGET, label="target")],
                right=[
                    b(measures.FIRST_RESPONSES_ON_TIME, period=hour),
                    b(measures.FIRST_RESPONSES_LATE, period=hour),
                ],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="At risk (80 % warnings) and breaches by deadline",
                left=[
                    cloudwatch.Metric(
                        namespace=METRICS_NAMESPACE,
                        metric_name="SweepWarned",
                        dimensions_map={"service": SERVICE_NAME},
                        statistic="Sum",
                        period=FIVE_MINUTES,
                        label="at risk (warned)",
                    ),
                    *(b(measures.SLA_BREACHES, deadline=step.value) for step in Step),
                ],
                width=8,
            ),
            self._breakdown(
                "Escalations by level",
                measures.COMPLAINTS_ESCALATED,
                "level",
                range(1, MAX_ESCALATION_LEVEL + 1),
            ),
            cloudwatch.GraphWidget(
                title="Satisfaction: ratings 4-5 of all (daily) and ratings by value",
                left=[
                    cloudwatch.MathExpression(
                        expression="(FILL(r4, 0) + FILL(r5, 0)) / total",
                        using_metrics={
                            "r4": b(measures.FEEDBACK_RATINGS, period=Duration.days(1), rating="4"),
                            "r5": b(measures.FEEDBACK_RATINGS, period=Duration.days(1), rating="5"),
                            "total": b(measures.FEEDBACK_RATINGS, period=Duration.days(1)),
                        },
                        label="satisfaction rate",
                        period=Duration.days(1),
                    )
                ],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=1),
                right=[b(measures.FEEDBACK_RATINGS, period=hour, rating=str(r)) for r in RATINGS],
                width=8,
            ),
            self._breakdown("Resolutions by outcome", measures.COMPLAINTS_RESOLVED, "outcome", Outcome),
            cloudwatch.GraphWidget(
                title="Notifications sent and failed by channel",
                left=[b(measures.NOTIFICATIONS_SENT, channel=c.value) for c in DeliveryChannel],
                right=[b(measures.NOTIFICATIONS_FAILED, channel=c.value) for c in DeliveryChannel],
                width=8,
            ),
        )

    def _breakdown(
        self, title: str, name: str, dimension: str, values: Iterable[object]
    ) -> cloudwatch.GraphWidget:
        """One business count stacked by the values of one dimension (enum values are their text)."""
        return cloudwatch.GraphWidget(
            title=title,
            left=[business_metric(name, {dimension: str(value)}) for value in values],
            stacked=True,
            width=8,
        )

    def _system_widgets(
        self,
        functions: Mapping[str, lambda_.IFunction],
        queues: Sequence[WatchedQueue],
        state_machine: sfn.IStateMachine,
        rest_api: apigw.RestApi,
    ) -> None:
        def per_function(metric: str, statistic: str) -> list[cloudwatch.IMetric]:
            return [
                f.metric(metric, statistic=statistic, period=FIVE_MINUTES, label=name)
                for name, f in functions.items()
            ]

        self.dashboard.add_widgets(
            cloudwatch.TextWidget(markdown="## The system", width=24, height=1),
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self._alarms_by_name(), width=24, height=3),
            cloudwatch.GraphWidget(
                title="API 4xx and 5xx",
                left=[
                    rest_api.metric_client_error(statistic="Sum", period=FIVE_MINUTES, label="4xx"),
                    rest_api.metric_server_error(statistic="Sum", period=FIVE_MINUTES, label="5xx"),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="API latency p90",
                left=[rest_api.metric_latency(statistic="p90", period=FIVE_MINUTES, label="p90 latency")],
                width=12,
            ),
            cloudwatch.GraphWidget(title="Lambda errors", left=per_function("Errors", "Sum"), width=8),
            cloudwatch.GraphWidget(title="Lambda throttles", left=per_function("Throttles", "Sum"), width=8),
            cloudwatch.GraphWidget(
                title="Lambda duration p90", left=per_function("Duration", "p90"), width=8
            ),
            cloudwatch.GraphWidget(
                title="SLA tracker executions (aborted = stopped by a resolution: normal)",
                left=[
                    state_machine.metric_failed(statistic="Sum", period=FIVE_MINUTES, label="failed"),
                    state_machine.metric_timed_out(statistic="Sum", period=FIVE_MINUTES, label="timed out"),
                    state_machine.metric_aborted(statistic="Sum", period=FIVE_MINUTES, label="aborted"),
                ],
                right=[state_machine.metric_started(statistic="Sum", period=FIVE_MINUTES, label="started")],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="Queue age of the oldest message (s)",
                left=[
                    q.queue.metric_approximate_age_of_oldest_message(
                        statistic="Maximum", period=FIVE_MINUTES, label=q.name
                    )
                    for q in queues
                    if q.queue is not None
                ],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="Dead-letter depth",
                left=[
                    q.dead_letters.metric_approximate_number_of_messages_visible(
                        statistic="Maximum", period=FIVE_MINUTES, label=q.name
                    )
                    for q in queues
                ],
                width=8,
            ),
        )

    def _alarms_by_name(self) -> list[cloudwatch.IAlarm]:
        """The alarms by the ARNs their names give, not by reference: the local runtime's emulator
        has no CloudFormation alarms, and a reference to one would fail its whole stack."""
        return [
            cloudwatch.Alarm.from_alarm_name(self, f"{alarm.node.id}ByName", name)
            for alarm, name in zip(self.alarms, self.alarm_names, strict=True)
        ]


def business_metric(
    name: str, dimensions: Mapping[str, str], statistic: str = "Sum", period: Duration = FIVE_MINUTES
) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=METRICS_NAMESPACE,
        metric_name=name,
        dimensions_map={"service": SERVICE_NAME, **dimensions},
        statistic=statistic,
        period=period,
        label=" ".join(dimensions.values()) or name,
    )


def _pascal(name: str) -> str:
    return "".join(part.title() for part in name.replace("_", "-").split("-"))
