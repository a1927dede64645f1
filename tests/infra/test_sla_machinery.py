"""The SLA machinery in the stack: the tracker state machine, the bus, the sweep and its schedule, and
who may do what with them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

pytestmark = pytest.mark.xdist_group("infra")
# The attachments bucket, by the name the stack gives it (constructs/attachments.py), and its files.
ATTACHMENT_BUCKET_NAME = "complaint-guard-attachments-<AWS::AccountId>-<AWS::Region>"
ATTACHMENT_OBJECTS = f"arn:<AWS::Partition>:s3:::{ATTACHMENT_BUCKET_NAME}/attachments/*"

ROOT = Path(__file__).resolve().parents[2]
ASL = ROOT / "infra" / "statemachines" / "sla-tracker.asl.json"
Resources = dict[str, dict[str, Any]]

# Statements on Resource "*" are allowed for these actions only: they have no resource-level permissions.
NO_RESOURCE_LEVEL = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
    # the stream event source finds the table's stream by listing (a non-resource action)
    "dynamodb:ListStreams",
    # SMS to a customer's phone number: a publish with no topic has no resource ARN
    "sns:Publish",
}
# What each service integration of the ASL file calls, as IAM actions.
INTEGRATION_ACTIONS = {
    "arn:aws:states:::dynamodb:getItem": {"dynamodb:GetItem"},
    "arn:aws:states:::aws-sdk:dynamodb:transactWriteItems": {
        "dynamodb:UpdateItem",
        "dynamodb:PutItem",
        "dynamodb:ConditionCheckItem",
    },
}


# --- helpers (small copies of those in test_stack.py) ------------------------------------------------


def of_type(resources: Resources, kind: str) -> Resources:
    return {key: value for key, value in resources.items() if value["Type"] == kind}


def the_one(resources: Resources, kind: str) -> tuple[str, dict[str, Any]]:
    found = of_type(resources, kind)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    ((logical_id, resource),) = found.items()
    return logical_id, resource


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(resources: Resources) -> list[dict[str, Any]]:
    found = []
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return found


def role_statements(resources: Resources, role_id: str) -> list[dict[str, Any]]:
    found = []
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    for policy in resources[role_id]["Properties"].get("Policies", []):
        found.extend(policy["PolicyDocument"]["Statement"])
    return found


def allowed(statements: list[dict[str, Any]], action: str) -> list[Any]:
    """Every resource the statements allow `action` on."""
    return [
        resource
        for s in statements
        if s["Effect"] == "Allow" and action in _as_list(s["Action"])
        for resource in _as_list(s["Resource"])
    ]


def flat(value: Any) -> str:
    """An ARN as text: `arn:<AWS::Partition>:…` for a Fn::Join of pseudo parameters and references."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        delimiter, parts = value["Fn::Join"]
        return str(delimiter).join(flat(part) for part in parts)
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    raise AssertionError(f"unexpected intrinsic {value}")


def role_of(function: dict[str, Any]) -> str:
    role_id: str = function["Properties"]["Role"]["Fn::GetAtt"][0]
    return role_id


@pytest.fixture(scope="module")
def tracker(resources: Resources) -> tuple[str, dict[str, Any]]:
    return the_one(resources, "AWS::StepFunctions::StateMachine")


@pytest.fixture(scope="module")
def bus_id(resources: Resources) -> str:
    return the_one(resources, "AWS::Events::EventBus")[0]


@pytest.fixture(scope="module")
def table_id(resources: Resources) -> str:
    return next(
        key
        for key, table in of_type(resources, "AWS::DynamoDB::Table").items()
        if "GlobalSecondaryIndexes" in table["Properties"]
    )


@pytest.fixture(scope="module")
def trail_id(resources: Resources) -> str:
    """The trail table: keyed by complaint and version."""
    (found,) = (
        key
        for key, table in of_type(resources, "AWS::DynamoDB::Table").items()
        if [k["AttributeName"] for k in table["Properties"]["KeySchema"]] == ["complaintId", "version"]
    )
    return found


def schedule_named(resources: Resources, name: str) -> dict[str, Any]:
    (schedule,) = (
        s for s in of_type(resources, "AWS::Scheduler::Schedule").values() if s["Properties"]["Name"] == name
    )
    return schedule


@pytest.fixture(scope="module")
def sweep_id(resources: Resources) -> str:
    """The function the sweep schedule invokes."""
    schedule = schedule_named(resources, "complaint-guard-sla-sweep")
    function_id: str = schedule["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0]
    assert resources[function_id]["Type"] == "AWS::Lambda::Function"
    return function_id


@pytest.fixture(scope="module")
def api_id(resources: Resources) -> str:
    """The function behind the API's methods."""
    integrated = {
        logical_id
        for method in of_type(resources, "AWS::ApiGateway::Method").values()
        for logical_id in of_type(resources, "AWS::Lambda::Function")
        if logical_id in json.dumps(method["Properties"].get("Integration", {}))
    }
    assert len(integrated) == 1, integrated
    return integrated.pop()


# --- the tracker ------------------------------------------------------------------------------------


def test_tracker_is_a_standard_state_machine_running_the_asl_file(
    resources: Resources, tracker: tuple[str, dict[str, Any]], table_id: str, trail_id: str, bus_id: str
) -> None:
    _, machine = tracker
    props = machine["Properties"]
    assert props["StateMachineType"] == "STANDARD"
    # the file as it is, inline, so the emulator runs the very same definition
    assert isinstance(props["DefinitionString"], str)
    assert json.loads(props["DefinitionString"]) == json.loads(ASL.read_text())
    assert props["DefinitionSubstitutions"] == {
        "TableName": {"Ref": table_id},
        "TrailTableName": {"Ref": trail_id},
    }
    # every placeholder of the file is substituted
    placeholders = set(re.findall(r"\$\{(\w+)\}", ASL.read_text()))
    assert placeholders == set(props["DefinitionSubstitutions"])


def test_tracker_logs_everything_but_execution_data_and_is_traced(
    resources: Resources, tracker: tuple[str, dict[str, Any]]
) -> None:
    _, machine = tracker
    logging = machine["Properties"]["LoggingConfiguration"]
    assert logging["Level"] == "ALL"
    assert logging["IncludeExecutionData"] is False  # execution data carries customer PII
    (destination,) = logging["Destinations"]
    group_id = destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    assert resources[group_id]["Type"] == "AWS::Logs::LogGroup"
    assert resources[group_id]["Properties"]["RetentionInDays"] == 365
    assert machine["Properties"]["TracingConfiguration"] == {"Enabled": True}


def test_tracker_role_allows_what_the_definition_calls_on_the_tables_only(
    resources: Resources, tracker: tuple[str, dict[str, Any]], table_id: str, trail_id: str, bus_id: str
) -> None:
    _, machine = tracker
    role_id = machine["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    trust = resources[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": "states.amazonaws.com"}]
    statements = role_statements(resources, role_id)
    granted = {a for s in statements for a in _as_list(s["Action"])}
    for action in granted:
        assert "*" not in action, f"wildcard action {action}"

    # every service integration of the file is allowed …
    definition = json.loads(ASL.read_text())
    tasks = {state["Resource"] for state in definition["States"].values() if state["Type"] == "Task"}
    assert tasks <= set(INTEGRATION_ACTIONS), f"integrations this test does not know: {tasks}"
    needed = set().union(*(INTEGRATION_ACTIONS[task] for task in tasks))
    assert needed <= granted

    # … on the complaints table itself (no index), the trail table only to append, and the data key;
    # nothing on the bus: its escalations are audit events, which the publisher announces
    dynamodb = {a for a in granted if a.startswith("dynamodb:")}
    assert dynamodb == {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:PutItem",
        "dynamodb:ConditionCheckItem",
    }
    complaints, trail = {"Fn::GetAtt": [table_id, "Arn"]}, {"Fn::GetAtt": [trail_id, "Arn"]}
    for action in ("dynamodb:GetItem", "dynamodb:UpdateItem"):
        assert allowed(statements, action) == [complaints], action
    for action in ("dynamodb:PutItem", "dynamodb:ConditionCheckItem"):
        assert sorted(map(json.dumps, allowed(statements, action))) == sorted(
            map(json.dumps, [complaints, trail])
        ), action
    key_id = resources[table_id]["Properties"]["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0]
    for action in ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"):
        assert allowed(statements, action) == [{"Fn::GetAtt": [key_id, "Arn"]}], action
    assert not any(a.startswith("events:") for a in granted)
    # Resource "*" only where AWS offers nothing narrower (log delivery, X-Ray)
    for statement in statements:
        if "*" in _as_list(statement["Resource"]):
            assert set(_as_list(statement["Action"])) <= NO_RESOURCE_LEVEL, statement


# --- the bus --------------------------------------------------------------------------------------------


def test_bus_is_named_after_the_stack_and_archived_for_replay(resources: Resources, bus_id: str) -> None:
    assert resources[bus_id]["Properties"]["Name"] == "complaint-guard"
    _, archive = the_one(resources, "AWS::Events::Archive")
    assert archive["Properties"]["SourceArn"] == {"Fn::GetAtt": [bus_id, "Arn"]}
    assert archive["Properties"]["RetentionDays"] == 365
    # everything sent to the bus: no pattern selects a part of it
    assert "EventPattern" not in archive["Properties"]


def test_only_the_publisher_and_the_report_builder_put_events_on_the_bus(
    resources: Resources, bus_id: str, api_id: str, sweep_id: str, tracker: tuple[str, Any]
) -> None:
    """Every complaint event goes through the trail (the outbox): the publisher announces what the
    api, the sweep and the tracker record. The report builder announces ReportPublished (a report is
    no complaint change); the api's QuarterlyReports holds the same grant."""
    functions = of_type(resources, "AWS::Lambda::Function")
    publishers = {
        logical_id
        for logical_id, function in functions.items()
        if allowed(role_statements(resources, role_of(function)), "events:PutEvents")
    }
    (publisher_id,) = (i for i in functions if i.startswith("Publisher"))
    (builder_id,) = (i for i in functions if i.startswith("Reports"))
    assert publishers == {publisher_id, builder_id, api_id}
    for function_id in publishers:
        statements = role_statements(resources, role_of(functions[function_id]))
        assert allowed(statements, "events:PutEvents") == [{"Fn::GetAtt": [bus_id, "Arn"]}], function_id
    assert sweep_id not in publishers
    tracker_role = tracker[1]["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    assert allowed(role_statements(resources, tracker_role), "events:PutEvents") == []


def test_the_notifications_rule_passes_every_event_the_planner_can_tell_someone_of(
    resources: Resources, bus_id: str
) -> None:
    from complaints.notifications.planner import NOTIFIED_EVENTS

    on_bus = {
        logical_id: r
        for logical_id, r in of_type(resources, "AWS::Events::Rule").items()
        if r["Properties"].get("EventBusName") == {"Fn::GetAtt": [bus_id, "Name"]}
    }
    # two rules on the bus: what someone is told of, and every receipt for triage
    (rule,) = (r for logical_id, r in on_bus.items() if logical_id.startswith("Notifications"))
    (triage,) = (r for logical_id, r in on_bus.items() if logical_id.startswith("Triage"))
    assert triage["Properties"]["EventPattern"] == {
        "source": ["complaint-guard"],
        "detail-type": ["ComplaintReceived"],
    }
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["source"] == ["complaint-guard"]
    assert set(pattern["detail-type"]) == {name.value for name in NOTIFIED_EVENTS}
    # the customer is told of a pause, resumption, extension or withdrawal (ComplaintUpdated) and of
    # the closure; a breach alone tells no one (its escalation does)
    assert {"ComplaintUpdated", "ComplaintClosed", "ComplaintEscalated", "SlaAtRisk"} <= set(
        pattern["detail-type"]
    )
    assert "SlaBreached" not in pattern["detail-type"]


def test_outputs_name_the_tracker_and_the_bus(
    template: Template, tracker: tuple[str, Any], bus_id: str
) -> None:
    outputs = template.to_json()["Outputs"]
    assert outputs["SlaTrackerArn"]["Value"] == {"Ref": tracker[0]}
    assert outputs["EventBusName"]["Value"] == {"Fn::GetAtt": [bus_id, "Name"]}


# --- the sweep and its schedule ---------------------------------------------------------------------------


def test_the_sweep_runs_every_15_minutes(resources: Resources, sweep_id: str) -> None:
    schedule = schedule_named(resources, "complaint-guard-sla-sweep")
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == "rate(15 minutes)"
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert props.get("State", "ENABLED") == "ENABLED"
    target = props["Target"]
    assert target["Arn"] == {"Fn::GetAtt": [sweep_id, "Arn"]}
    assert json.loads(target["Input"]) == {"schedule": "sla-sweep"}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1

    sweep = resources[sweep_id]["Properties"]
    assert sweep["Handler"] == "app.handler"
    assert sweep["Timeout"] == 300
    assert sweep["MemorySize"] == 512

    # Scheduler's role: trusted by Scheduler for this account only, may invoke the sweep and the report
    # builder (the other schedule's target) and nothing else
    role_id = target["RoleArn"]["Fn::GetAtt"][0]
    (trust,) = resources[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    statements = role_statements(resources, role_id)
    report_schedule = schedule_named(resources, "complaint-guard-quarterly-report")
    builder_id = report_schedule["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0]
    [(action, invoked)] = [(s["Action"], s["Resource"]) for s in statements]
    assert action == "lambda:InvokeFunction"
    assert sorted(r["Fn::GetAtt"][0] for r in invoked) == sorted([sweep_id, builder_id])


def test_only_the_sweep_queries_the_watch_index_and_nobody_scans(
    resources: Resources, sweep_id: str, table_id: str, trail_id: str
) -> None:
    sweep_role = role_of(resources[sweep_id])
    sweep = role_statements(resources, sweep_role)
    # byWatch for what is due, byStatus for the backlog gauge (Select=COUNT)
    assert sorted(flat(r) for r in allowed(sweep, "dynamodb:Query")) == [
        f"<{table_id}.Arn>/index/byStatus",
        f"<{table_id}.Arn>/index/byWatch",
    ]
    complaints, trail = {"Fn::GetAtt": [table_id, "Arn"]}, {"Fn::GetAtt": [trail_id, "Arn"]}
    for action in ("dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"):
        assert allowed(sweep, action) == [complaints], action
    # the events of its changes are appended to the trail (and looked for after a lost answer)
    for action in ("dynamodb:GetItem", "dynamodb:PutItem"):
        assert sorted(map(json.dumps, allowed(sweep, action))) == sorted(map(json.dumps, [complaints, trail]))
    # no other role may read the sweep's index
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        if {"Ref": sweep_role} in policy["Properties"]["Roles"]:
            continue
        for resource in allowed(policy["Properties"]["PolicyDocument"]["Statement"], "dynamodb:Query"):
            assert not flat(resource).endswith("/index/byWatch"), policy["Properties"]["Roles"]
    actions = {a for s in _statements(resources) for a in _as_list(s["Action"])}
    assert "dynamodb:Scan" not in actions
    assert not any(a.startswith("dynamodb:") and "*" in a for a in actions)


def test_the_api_queries_the_accountability_index_and_updates_complaints(
    resources: Resources, api_id: str, table_id: str
) -> None:
    api = role_statements(resources, role_of(resources[api_id]))
    queried = {flat(r) for r in allowed(api, "dynamodb:Query")}
    assert f"<{table_id}.Arn>/index/byAccountability" in queried
    assert allowed(api, "dynamodb:UpdateItem").count({"Fn::GetAtt": [table_id, "Arn"]}) == 1


def test_both_functions_know_the_tracker_and_the_bus(
    resources: Resources,
    api_id: str,
    sweep_id: str,
    tracker: tuple[str, Any],
    bus_id: str,
    table_id: str,
) -> None:
    for function_id in (api_id, sweep_id):
        variables = resources[function_id]["Properties"]["Environment"]["Variables"]
        assert variables["SLA_TRACKER_ARN"] == {"Ref": tracker[0]}, function_id
        assert variables["EVENT_BUS_NAME"] == {"Fn::GetAtt": [bus_id, "Name"]}, function_id
        assert variables["TABLE_NAME"] == {"Ref": table_id}, function_id
        assert variables["SLA_POLICY"] == "seed", function_id
    assert "IDEMPOTENCY_TABLE_NAME" in resources[api_id]["Properties"]["Environment"]["Variables"]
    assert "IDEMPOTENCY_TABLE_NAME" not in resources[sweep_id]["Properties"]["Environment"]["Variables"]


def test_functions_may_start_stop_and_describe_this_trackers_executions_only(
    resources: Resources, api_id: str, sweep_id: str, tracker: tuple[str, Any], bus_id: str
) -> None:
    machine_id, machine = tracker
    name = machine["Properties"]["StateMachineName"]
    executions = f"arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{name}:*"
    for function_id in (api_id, sweep_id):
        statements = role_statements(resources, role_of(resources[function_id]))
        assert allowed(statements, "states:StartExecution") == [{"Ref": machine_id}], function_id
        for action in ("states:StopExecution", "states:DescribeExecution"):
            assert [flat(r) for r in allowed(statements, action)] == [executions], (function_id, action)
        states = {a for s in statements for a in _as_list(s["Action"]) if a.startswith("states:")}
        assert states == {"states:StartExecution", "states:StopExecution", "states:DescribeExecution"}


def test_wildcard_resources_are_only_those_aws_cannot_scope(resources: Resources) -> None:
    """Every resource with a `*` is either `*` for actions without resource-level permissions, the
    tracker's executions (their names are per complaint) for stop and describe, the report files
    (their keys are per report) for reading and writing them, or the attachment files and GuardDuty's
    own rule (constructs/attachments.py)."""
    (machine,) = of_type(resources, "AWS::StepFunctions::StateMachine").values()
    executions = (
        "arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
        f"{machine['Properties']['StateMachineName']}:*"
    )
    for statement in _statements(resources):
        actions = set(_as_list(statement["Action"]))
        for resource in _as_list(statement["Resource"]):
            text = flat(resource)
            if "*" not in text:
                continue
            if text == "*":
                assert actions <= NO_RESOURCE_LEVEL, statement
            elif text.startswith("<ReportsBucket") and text.endswith(".Arn>/reports/*"):
                assert actions <= {"s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"}, statement
            elif text == ATTACHMENT_OBJECTS:
                # the api signs transfers; GuardDuty reads and tags what it scans (one key per file)
                assert actions <= {
                    "s3:GetObject",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                }, statement
            elif text.startswith("<TrailArchiveBucket") and text.endswith(".Arn>/trail/*"):
                # the archiver writes one object per audit event, and nothing else
                assert actions == {"s3:PutObject"}, statement
            elif text.endswith(":rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"):
                # the rule GuardDuty Malware Protection creates and names itself (constructs/attachments.py)
                assert all(action.startswith("events:") for action in actions), statement
            else:
                assert text == executions, statement
                assert actions == {"states:StopExecution", "states:DescribeExecution"}, statement


def test_the_executions_acknowledgement_is_scoped_to_the_function_roles(
    resources: Resources, api_id: str, sweep_id: str
) -> None:
    acknowledged = {
        logical_id
        for logical_id, resource in resources.items()
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
        if ":execution:" in rule["id"]
    }
    # the functions that start and stop trackers: the api, the sweep, and triage (a complaint it makes
    # critical gets a tracker for its earlier deadlines)
    (triage_id,) = (
        logical_id
        for logical_id, r in of_type(resources, "AWS::Lambda::Function").items()
        if logical_id.startswith("TriageHandler")
    )
    roles = {role_of(resources[api_id]), role_of(resources[sweep_id]), role_of(resources[triage_id])}
    assert roles <= acknowledged
    # the roles and their policies, nothing else
    for logical_id in acknowledged - roles:
        resource = resources[logical_id]
        assert resource["Type"] == "AWS::IAM::Policy", logical_id
        assert {r["Ref"] for r in resource["Properties"]["Roles"]} <= roles, logical_id


def test_nag_passes_when_account_and_region_are_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cdk deploy` synthesizes with a concrete account and region: the ARNs in the policies are then
    literal text, and every acknowledgement must still name its finding."""
    from complaint_guard.application import build

    monkeypatch.setenv("CDK_DEFAULT_ACCOUNT", "111122223333")
    monkeypatch.setenv("CDK_DEFAULT_REGION", "ap-east-1")
    app = App(context=json.loads((ROOT / "cdk.json").read_text())["context"], outdir=str(tmp_path))
    stack = build(app)
    app.synth()  # raises on an unacknowledged cdk-nag finding
    statements = _statements(Template.from_stack(stack).to_json()["Resources"])
    stop = next(s for s in statements if "states:StopExecution" in _as_list(s["Action"]))
    assert "111122223333:execution:complaint-guard-sla-tracker:*" in flat(stop["Resource"])
