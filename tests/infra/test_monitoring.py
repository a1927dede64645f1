"""The operations dashboard and alarms: each alarm watches the right metric with the right threshold
and tells the ops topic, which is encrypted and which CloudWatch (and only our alarms) may use."""

from __future__ import annotations

import json
from typing import Any

import pytest
from deployment_settings import CONFIGURED_OPS_EMAIL, Configured

pytestmark = pytest.mark.xdist_group("infra")

Resources = dict[str, dict[str, Any]]


def of_type(resources: Resources, kind: str) -> Resources:
    return {key: value for key, value in resources.items() if value["Type"] == kind}


def alarms(resources: Resources) -> dict[str, dict[str, Any]]:
    """Alarm properties by alarm name."""
    found = of_type(resources, "AWS::CloudWatch::Alarm").values()
    return {alarm["Properties"]["AlarmName"]: alarm["Properties"] for alarm in found}


def the_one(resources: Resources, kind: str, containing: str) -> str:
    (logical_id,) = [key for key in of_type(resources, kind) if containing in key]
    return logical_id


@pytest.fixture(scope="module")
def ops_topic(resources: Resources) -> str:
    return the_one(resources, "AWS::SNS::Topic", "OpsAlarms")


def test_every_alarm_tells_the_ops_topic_when_it_fires_and_when_it_clears(
    resources: Resources, ops_topic: str
) -> None:
    found = alarms(resources)
    assert sorted(found) == [
        "complaint-guard-api-5xx-rate",
        "complaint-guard-dead-letters-archiver",
        "complaint-guard-dead-letters-malware-scan",
        "complaint-guard-dead-letters-notifications",
        "complaint-guard-dead-letters-publisher",
        "complaint-guard-dead-letters-reports",
        "complaint-guard-dead-letters-triage",
        "complaint-guard-first-response-on-time-rate",
        "complaint-guard-lambda-errors-api",
        "complaint-guard-lambda-errors-archiver",
        "complaint-guard-lambda-errors-malware-scan",
        "complaint-guard-lambda-errors-notifier",
        "complaint-guard-lambda-errors-publisher",
        "complaint-guard-lambda-errors-report",
        "complaint-guard-lambda-errors-sla-sweep",
        "complaint-guard-lambda-errors-triage",
        "complaint-guard-oldest-unassigned",
        "complaint-guard-sla-tracker-failures",
    ]
    for name, alarm in found.items():
        assert alarm["AlarmActions"] == [{"Ref": ops_topic}], name
        assert alarm["OKActions"] == [{"Ref": ops_topic}], name
        assert alarm["TreatMissingData"] == "notBreaching", name


def test_one_alarm_per_dead_letter_queue_on_any_visible_message(resources: Resources) -> None:
    found = alarms(resources)
    for name, construct in (
        ("notifications", "NotificationsDeadLetters"),
        ("publisher", "PublisherDeadLetters"),
        ("reports", "ReportsDeadLetters"),
        ("archiver", "TrailArchiveDeadLetters"),
    ):
        queue = the_one(resources, "AWS::SQS::Queue", construct)
        alarm = found[f"complaint-guard-dead-letters-{name}"]
        assert alarm["Namespace"] == "AWS/SQS"
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]
        assert (alarm["Statistic"], alarm["Period"]) == ("Maximum", 300)
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
        assert alarm["EvaluationPeriods"] == 1


def test_api_5xx_rate_above_5_percent_for_three_5_minute_periods(resources: Resources) -> None:
    alarm = alarms(resources)["complaint-guard-api-5xx-rate"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApiGateway", "5XXError")
    assert alarm["Dimensions"] == [{"Name": "ApiName", "Value": "complaint-guard"}]
    # the average of 5XXError is the share of requests answered 5xx
    assert (alarm["Statistic"], alarm["Period"]) == ("Average", 300)
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0.05)
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)


def test_each_function_has_its_own_errors_alarm(resources: Resources) -> None:
    found = alarms(resources)
    for name, construct in (
        ("api", "ApiHandler"),
        ("sla-sweep", "SlaSweepHandler"),
        ("publisher", "PublisherHandler"),
        ("notifier", "NotificationsHandler"),
        ("report", "ReportsBuilder"),
    ):
        function = the_one(resources, "AWS::Lambda::Function", construct)
        alarm = found[f"complaint-guard-lambda-errors-{name}"]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
        assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
        assert (alarm["Statistic"], alarm["Period"]) == ("Sum", 300)
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)


def metric_stats(alarm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["Id"]: m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m}


def expression(alarm: dict[str, Any]) -> str:
    (returned,) = [m for m in alarm["Metrics"] if m.get("ReturnData", True)]
    return str(returned["Expression"])


def test_tracker_failures_are_failed_plus_timed_out_executions_not_the_aborted_ones(
    resources: Resources,
) -> None:
    alarm = alarms(resources)["complaint-guard-sla-tracker-failures"]
    tracker = the_one(resources, "AWS::StepFunctions::StateMachine", "SlaWorkflow")
    stats = metric_stats(alarm)
    assert {key: stat["Metric"]["MetricName"] for key, stat in stats.items()} == {
        "failed": "ExecutionsFailed",
        "timedOut": "ExecutionsTimedOut",
    }
    for stat in stats.values():
        assert stat["Metric"]["Namespace"] == "AWS/States"
        assert stat["Metric"]["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": tracker}}]
        assert (stat["Stat"], stat["Period"]) == ("Sum", 300)
    # a resolved complaint's tracker is stopped (aborted): that is the normal end, not a failure
    assert expression(alarm) == "FILL(failed, 0) + FILL(timedOut, 0)"
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)


def test_on_time_first_response_rate_under_90_percent_over_6_hours(resources: Resources) -> None:
    alarm = alarms(resources)["complaint-guard-first-response-on-time-rate"]
    stats = metric_stats(alarm)
    assert {key: (s["Metric"]["MetricName"], s["Metric"]["Dimensions"]) for key, s in stats.items()} == {
        "onTime": ("FirstResponsesOnTime", [{"Name": "service", "Value": "complaint-guard"}]),
        "missed": (
            "SlaBreaches",
            [{"Name": "deadline", "Value": "firstResponse"}, {"Name": "service", "Value": "complaint-guard"}],
        ),
    }
    assert {s["Metric"]["Namespace"] for s in stats.values()} == {"ComplaintGuard"}
    assert {(s["Stat"], s["Period"]) for s in stats.values()} == {("Sum", 6 * 3600)}
    # in time / (in time + deadlines passed unanswered), read as 1 below 10 decided in the window
    decided = "FILL(onTime, 0) + FILL(missed, 0)"
    assert expression(alarm) == f"IF({decided} >= 10, FILL(onTime, 0) / ({decided}), 1)"
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("LessThanThreshold", 0.9)
    assert alarm["EvaluationPeriods"] == 1


def test_the_ops_topic_is_encrypted_with_a_rotated_key_cloudwatch_alarms_of_this_account_may_use(
    resources: Resources, ops_topic: str
) -> None:
    key = the_one(resources, "AWS::KMS::Key", "AlarmKey")
    assert resources[ops_topic]["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    assert resources[key]["Properties"]["EnableKeyRotation"] is True
    statements = resources[key]["Properties"]["KeyPolicy"]["Statement"]
    (for_alarms,) = [s for s in statements if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert sorted(for_alarms["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert for_alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    policy = resources[the_one(resources, "AWS::SNS::TopicPolicy", "OpsAlarms")]["Properties"]
    publish = [s for s in policy["PolicyDocument"]["Statement"] if s["Action"] == "sns:Publish"]
    assert [s["Principal"] for s in publish if s["Effect"] == "Allow"] == [
        {"Service": "cloudwatch.amazonaws.com"}
    ]
    # no e-mail subscription unless ops_email is set
    assert of_type(resources, "AWS::SNS::Subscription") == {}


def test_an_ops_email_from_the_context_subscribes_to_the_topic(configured: Configured) -> None:
    subscriptions = of_type(configured.main, "AWS::SNS::Subscription").values()
    assert [s["Properties"]["Protocol"] for s in subscriptions] == ["email"]
    assert [s["Properties"]["Endpoint"] for s in subscriptions] == [CONFIGURED_OPS_EMAIL]
    topic = the_one(configured.main, "AWS::SNS::Topic", "OpsAlarms")
    assert [s["Properties"]["TopicArn"] for s in subscriptions] == [{"Ref": topic}]


def dashboard_body(resources: Resources) -> dict[str, Any]:
    (dashboard,) = of_type(resources, "AWS::CloudWatch::Dashboard").values()
    assert dashboard["Properties"]["DashboardName"] == "complaint-guard-operations"
    # the body is an Fn::Join of text and references; the references are not needed here
    parts = dashboard["Properties"]["DashboardBody"]["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else "REF" for part in parts)
    body: dict[str, Any] = json.loads(text)
    return body


def test_the_dashboard_has_a_widget_for_each_thing_operations_watch(resources: Resources) -> None:
    widgets = dashboard_body(resources)["widgets"]
    titles = {w["properties"].get("title") for w in widgets}
    assert {
        "Intake by channel",
        "Intake by category",
        "Backlog: open complaints by status",
        "SLA compliance: first responses in time (rate, hourly)",
        "At risk (80 % warnings) and breaches by deadline",
        "Escalations by level",
        "Satisfaction: ratings 4-5 of all (daily) and ratings by value",
        "Resolutions by outcome",
        "Notifications sent and failed by channel",
        "Alarms",
        "API 4xx and 5xx",
        "API latency p90",
        "Lambda errors",
        "Lambda throttles",
        "Lambda duration p90",
        "SLA tracker executions (aborted = stopped by a resolution: normal)",
        "Queue age of the oldest message (s)",
        "Dead-letter depth",
    } <= titles


def graph(resources: Resources, title: str) -> list[list[Any]]:
    widgets = dashboard_body(resources)["widgets"]
    (found,) = [w for w in widgets if w["properties"].get("title") == title]
    metrics: list[list[Any]] = found["properties"]["metrics"]
    return metrics


def test_backlog_shows_the_gauge_of_each_open_status(resources: Resources) -> None:
    *lines, unassigned = graph(resources, "Backlog: open complaints by status")
    # and, on the right, how long the unassigned queue's oldest complaint has waited
    assert unassigned[:4] == ["ComplaintGuard", "OldestUnassignedMinutes", "service", "complaint-guard"]
    assert unassigned[4]["yAxis"] == "right" and unassigned[4]["stat"] == "Maximum"
    assert [line[:5] for line in lines] == [
        ["ComplaintGuard", "OpenComplaints", "service", "complaint-guard", "status"] for _ in range(4)
    ]
    assert sorted(line[5] for line in lines) == [
        "acknowledged",
        "awaiting_customer",
        "in_progress",
        "received",
    ]
    assert {line[6]["stat"] for line in lines} == {"Maximum"}


def test_lambda_widgets_show_every_function(resources: Resources) -> None:
    for title, metric, stat in (
        ("Lambda errors", "Errors", "Sum"),
        ("Lambda throttles", "Throttles", "Sum"),
        ("Lambda duration p90", "Duration", "p90"),
    ):
        lines = graph(resources, title)
        assert [(line[1], line[-1]["label"], line[-1]["stat"]) for line in lines] == [
            (metric, name, stat)
            for name in (
                "api",
                "sla-sweep",
                "publisher",
                "archiver",
                "notifier",
                "report",
                "malware-scan",
                "triage",
            )
        ], title
