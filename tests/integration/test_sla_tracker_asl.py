"""The SLA tracker's ASL file itself, executed by moto against DynamoDB.

Complaints are stored through the real service and repository with `receivedAt` set so that their
deadlines pass within seconds; the state machine is created from infra/statemachines/sla-tracker.asl.json
with its substitutions applied, as Step Functions applies them. The machine announces nothing itself:
what it writes to the trail is what the publisher announces (complaints/intake/outbox.py), so the tests
read the announcements from the trail it wrote.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from fakes import DynamoDbSlaStore, FakeTracker
from faketime_safe import safe_timed_waits_under_libfaketime
from moto import mock_aws
from moto_tables import ENVIRONMENT, REGION, TABLE_NAME, TRAIL_TABLE_NAME, create_tables

from complaints.adapters.stepfunctions import StepFunctionsTracker, tracker_input
from complaints.core.auth import Caller, Role, caller_from_claims
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Complaint
from complaints.intake.commands import (
    IntakeRequest,
    ReasonRequest,
    ResolveRequest,
    SolutionPlanRequest,
    UpdateRequest,
)
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import ComplaintService

ASL = Path(__file__).resolve().parents[2] / "infra" / "statemachines" / "sla-tracker.asl.json"
APP = Caller("counter-app", frozenset({Role.CHANNEL_APP}), frozenset())
# Staff of the intake queue, where these complaints wait (core/access.py).
AGENT = caller_from_claims({"username": "li.na", "cognito:groups": ["agent", "team:intake"]})
SUPERVISOR = caller_from_claims({"username": "wang.fang", "cognito:groups": ["supervisor", "team:intake"]})


class Harness:
    def __init__(self) -> None:
        self.dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_tables(self.dynamodb)
        self.sfn = boto3.client("stepfunctions", region_name=REGION)
        definition = (
            ASL.read_text().replace("${TableName}", TABLE_NAME).replace("${TrailTableName}", TRAIL_TABLE_NAME)
        )
        self.state_machine = self.sfn.create_state_machine(
            name="sla-tracker", definition=definition, roleArn="arn:aws:iam::123456789012:role/sla-tracker"
        )["stateMachineArn"]
        self.store = DynamoDbSlaStore(TABLE_NAME, self.dynamodb, trail_table=TRAIL_TABLE_NAME)
        self.tracker = StepFunctionsTracker(self.state_machine, self.sfn)
        self.service = ComplaintService(self.store, self.tracker)

    def submit(self, received_at: datetime, **fields: Any) -> Complaint:
        body = {
            "channel": "hotline",
            "customer": {"customerId": "C-ASL", "name": "Chen Jie", "phone": "+8613700137000"},
            "description": "Transfer debited twice.",
            "receivedAt": received_at.isoformat(),
            **fields,
        }
        return self.service.intake(IntakeRequest.model_validate(body), APP)

    def execution(self, complaint: Complaint) -> str:
        return self.tracker.execution_arn(complaint)

    def wait_until_finished(self, execution_arn: str, seconds: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            described: dict[str, Any] = self.sfn.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                return described
            time.sleep(0.25)
        raise AssertionError(f"{execution_arn} still running after {seconds} s")

    def wait_for(self, condition: Callable[[], bool], seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, "the tracker did not act in time"
            time.sleep(0.25)

    def announced(self, complaint: Complaint, action: str = "sla_escalate") -> list[DomainEvent]:
        """What the publisher announces of the complaint's audit events of `action` (the tracker's
        own by default), oldest first."""
        return [
            event
            for audit in self.store.events(complaint.id, 100, None).items
            if audit.action == action
            for event in domain_events_for(audit)
        ]

    def waiting(self, execution_arn: str) -> bool:
        events = self.sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
        return any(event["type"] == "WaitStateEntered" for event in events)

    def transitions(self, execution_arn: str) -> int:
        events = self.sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
        return sum(1 for event in events if event["type"].endswith("StateEntered"))


@pytest.fixture
def harness(monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    safe_timed_waits_under_libfaketime(monkeypatch)
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with mock_aws(
        config={"stepfunctions": {"execute_state_machine": True}, "core": {"reset_boto3_session": False}}
    ):
        yield Harness()


def now() -> datetime:
    return datetime.now(UTC)


def test_every_missed_step_escalates_once_in_order_with_breaches_events_and_accountability(
    harness: Harness,
) -> None:
    # seed policy, normal: first response due 24 h after receipt, resolution 48 h, still open 72 h.
    # Received 72 h ago less 3 s: the first two steps are past, the third falls due in 3 s.
    complaint = harness.submit(now() - timedelta(hours=72) + timedelta(seconds=3))
    finished = harness.wait_until_finished(harness.execution(complaint))
    assert finished["status"] == "SUCCEEDED"  # nothing left to watch after level 3

    stored = harness.store.get(complaint.id)
    assert stored.escalation_level == 3
    assert [b.deadline for b in stored.breaches] == ["firstResponse", "resolution", "stillOpen"]
    # each breach names the deadline itself (not the moment the tracker chose to wake)
    assert [b.due_at for b in stored.breaches] == [
        complaint.deadlines.first_response_due_at,
        complaint.deadlines.resolution_due_at,
        complaint.deadlines.resolution_due_at + timedelta(hours=24),
    ]
    assert set(stored.sla_steps) == {"firstResponse", "resolution", "stillOpen"}
    # the third step waited for its deadline (plus the tracker's one-second margin), not before
    still_open_due = complaint.deadlines.resolution_due_at + timedelta(hours=24)
    assert stored.sla_steps["stillOpen"] >= still_open_due
    assert stored.version == 4

    trail = harness.store.events(complaint.id, 100, None).items
    assert [(e.action, e.version) for e in trail] == [
        ("receive", 1),
        ("sla_escalate", 2),
        ("sla_escalate", 3),
        ("sla_escalate", 4),
    ]
    assert [(e.changes["escalationLevel"].before, e.changes["escalationLevel"].after) for e in trail[1:]] == [
        (0, 1),
        (1, 2),
        (2, 3),
    ]
    assert trail[1].actor.id == "sla-tracker"

    announced = harness.announced(complaint)
    breached = [e.data for e in announced if e.name is EventName.SLA_BREACHED]
    escalated = [e.data for e in announced if e.name is EventName.COMPLAINT_ESCALATED]
    assert [b["deadline"] for b in breached] == ["firstResponse", "resolution", "stillOpen"]
    assert [datetime.fromisoformat(b["dueAt"]) for b in breached] == [b.due_at for b in stored.breaches]
    assert {b["reference"] for b in breached} == {complaint.reference}
    assert [(e["previousLevel"], e["level"], e["step"]) for e in escalated] == [
        (0, 1, "firstResponse"),
        (1, 2, "resolution"),
        (2, 3, "stillOpen"),
    ]
    # nobody was assigned: the owner the accountability record names
    assert {(e["reference"], e["team"], e["assignee"]) for e in escalated} == {
        (complaint.reference, "unassigned", "unassigned")
    }
    envelope = announced[0].detail()
    assert set(envelope) == {"id", "occurredAt", "complaintId", "version", "data", "correlationId"}
    assert envelope["complaintId"] == complaint.id
    assert envelope["correlationId"] == complaint.id  # the execution that took the step
    assert len({event.id for event in announced}) == 6

    # one record per missed deadline (first response, resolution; not the still-open step), each
    # keyed by the complaint version its escalation wrote, and named in that sealed audit event
    first, resolution = (harness.store.get_accountability(f"{complaint.id}.{v}") for v in (2, 3))
    assert [
        (r.id, r.trigger.value, r.status.value, r.deadline, r.due_at, r.assignee, r.team, r.reference)
        for r in (first, resolution)
    ] == [
        (
            f"{complaint.id}.2",
            "missed_first_response",
            "open",
            "firstResponse",
            complaint.deadlines.first_response_due_at,
            "unassigned",
            "unassigned",
            complaint.reference,
        ),
        (
            f"{complaint.id}.3",
            "missed_resolution",
            "open",
            "resolution",
            complaint.deadlines.resolution_due_at,
            "unassigned",
            "unassigned",
            complaint.reference,
        ),
    ]
    assert [e.data.get("accountabilityRecord") for e in trail[1:]] == [first.id, resolution.id, None]
    assert [r.id for r in harness.store.accountability_records()] == [resolution.id, first.id]


def test_the_trackers_events_name_the_owner_the_publisher_announces(harness: Harness) -> None:
    """SlaBreached and ComplaintEscalated need the reference, the team and the assignee (the staff
    topics' subscription filters): the tracker writes them into its audit event, from the plan."""
    complaint = harness.submit(now() - timedelta(hours=24) + timedelta(seconds=3))
    harness.service.update(complaint.id, UpdateRequest(version=1, assignee="li.na", team="intake"), AGENT)
    harness.wait_for(lambda: bool(harness.store.get(complaint.id).breaches))
    harness.sfn.stop_execution(executionArn=harness.execution(complaint))

    (step,) = [e for e in harness.store.events(complaint.id, 100, None).items if e.action == "sla_escalate"]
    assert {key: step.data[key] for key in ("step", "reference", "team", "assignee")} == {
        "step": "firstResponse",
        "reference": complaint.reference,
        "team": "intake",
        "assignee": "li.na",
    }
    breached, escalated = domain_events_for(step)
    assert (breached.name, escalated.name) == (EventName.SLA_BREACHED, EventName.COMPLAINT_ESCALATED)
    assert (escalated.data["team"], escalated.data["assignee"], escalated.data["level"]) == (
        "intake",
        "li.na",
        1,
    )
    assert breached.id != escalated.id


def test_a_second_tracker_for_the_same_complaint_escalates_nothing_again(harness: Harness) -> None:
    """Idempotent per step: a restarted or duplicate tracker finds each step taken and does not take
    it again. (Run one after the other: moto's DynamoDB transactions are not isolated between threads
    the way DynamoDB's are, so a race between two executions would test moto, not this file.)"""
    complaint = harness.submit(now() - timedelta(hours=49))  # first response and resolution both missed
    harness.wait_for(lambda: len(harness.store.get(complaint.id).breaches) == 2)
    first_run = harness.announced(complaint)
    harness.sfn.stop_execution(executionArn=harness.execution(complaint))

    second = complaint.model_copy(update={"tracker_generation": 2})
    harness.tracker.start(second)
    time.sleep(2)
    stored = harness.store.get(complaint.id)
    assert [b.deadline for b in stored.breaches] == ["firstResponse", "resolution"]
    assert stored.escalation_level == 2
    assert stored.version == 3
    assert sorted(e.data["level"] for e in first_run if e.name is EventName.COMPLAINT_ESCALATED) == [1, 2]
    assert harness.announced(complaint) == first_run  # nothing more to announce
    history = harness.sfn.get_execution_history(executionArn=harness.execution(second), maxResults=1000)
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in history["events"] if e["type"].endswith("StateEntered")
    ]
    assert "Escalate" not in entered and "EscalateAndOpenAccountability" not in entered
    assert entered[-1] == "WaitUntilDue"  # waiting for the still-open step, 23 h away
    harness.sfn.stop_execution(executionArn=harness.execution(second))


def test_a_resolved_complaint_ends_its_tracker_without_escalating(harness: Harness) -> None:
    complaint = harness.submit(now() - timedelta(hours=24) + timedelta(seconds=2))
    # moto cannot stop an execution before its worker thread runs: wait until it has entered a state
    harness.wait_for(
        lambda: any(
            event["type"].endswith("StateEntered")
            for event in harness.sfn.get_execution_history(executionArn=harness.execution(complaint))[
                "events"
            ]
        )
    )
    harness.service.resolve(
        complaint.id,
        ResolveRequest(
            outcome="upheld", summary="Refunded the second debit.", root_cause="duplicate posting"
        ),
        AGENT,
    )
    # resolving stops the running execution; a tracker that reads the complaint afterwards ends too
    late = complaint.model_copy(update={"tracker_generation": 7})
    harness.tracker.start(late)
    assert harness.wait_until_finished(harness.execution(late))["status"] == "SUCCEEDED"
    stored = harness.store.get(complaint.id)
    assert stored.breaches == [] and stored.escalation_level == 0
    assert harness.announced(complaint) == []


def test_a_deadline_moved_later_is_waited_for_again(harness: Harness) -> None:
    # critical: first response due 4 h after receipt, 3 s from now; triage to normal makes it 24 h.
    complaint = harness.submit(now() - timedelta(hours=4) + timedelta(seconds=3), priority="critical")
    # a later deadline is an extension: a supervisor's, with the reason
    later = UpdateRequest(version=1, priority="normal", reason="not sensitive after all")
    harness.service.update(complaint.id, later, SUPERVISOR)
    time.sleep(6)
    stored = harness.store.get(complaint.id)
    assert stored.breaches == []
    assert stored.escalation_level == 1  # critical at intake; nothing since
    running = harness.sfn.describe_execution(executionArn=harness.execution(complaint))
    assert running["status"] == "RUNNING"
    harness.sfn.stop_execution(executionArn=running["executionArn"])


def test_a_critical_complaint_goes_straight_to_level_three_when_breached(harness: Harness) -> None:
    complaint = harness.submit(now() - timedelta(hours=4) + timedelta(seconds=2), priority="critical")
    assert complaint.escalation_level == 1
    harness.wait_for(lambda: bool(harness.store.get(complaint.id).breaches))
    stored = harness.store.get(complaint.id)
    assert stored.escalation_level == 3
    assert [b.deadline for b in stored.breaches] == ["firstResponse"]
    assert stored.sla_steps["firstResponse"] >= complaint.deadlines.first_response_due_at
    # announced from the trail: at intake (level 1, from the receipt), then the tracker's step (1 → 3)
    at_intake = [
        e.data for e in harness.announced(complaint, "receive") if e.name is EventName.COMPLAINT_ESCALATED
    ]
    by_tracker = [e.data for e in harness.announced(complaint) if e.name is EventName.COMPLAINT_ESCALATED]
    assert [(e["previousLevel"], e["level"]) for e in at_intake + by_tracker] == [(0, 1), (1, 3)]
    harness.sfn.stop_execution(executionArn=harness.execution(complaint))


def test_a_level_raised_by_hand_is_not_lowered_by_the_tracker(harness: Harness) -> None:
    """LevelGoesUp: the tracker's step takes max(current, step level), so a complaint a supervisor has
    escalated by hand above the step's level keeps its level when the step fires."""
    # seed policy, normal: first response due 24 h after receipt, 4 s from now; that step's level is 1.
    complaint = harness.submit(now() - timedelta(hours=24) + timedelta(seconds=4))
    harness.service.escalate(complaint.id, ReasonRequest(reason="the customer called again"), SUPERVISOR)
    raised = harness.service.escalate(complaint.id, ReasonRequest(reason="press coverage"), SUPERVISOR)
    assert raised.escalation_level == 2 and raised.breaches == []  # both before the step fires
    harness.wait_for(lambda: bool(harness.store.get(complaint.id).breaches))
    stored = harness.store.get(complaint.id)
    assert [b.deadline for b in stored.breaches] == ["firstResponse"]  # the step did fire
    assert stored.escalation_level == 2  # and did not lower the level to its own 1
    trail = harness.store.events(complaint.id, 100, None).items
    by_hand = [e for e in trail if e.action == "escalate"]
    assert [(e.changes["escalationLevel"].before, e.changes["escalationLevel"].after) for e in by_hand] == [
        (0, 1),
        (1, 2),
    ]
    (step,) = [e for e in trail if e.action == "sla_escalate"]  # the tracker's one write
    if "escalationLevel" in step.changes:
        assert step.changes["escalationLevel"].after == 2
    # the missed deadline is announced; no escalation, since nobody new is to be told
    assert [e.name for e in domain_events_for(step)] == [EventName.SLA_BREACHED]
    harness.sfn.stop_execution(executionArn=harness.execution(complaint))


def test_transitions_per_complaint_stay_low(harness: Harness) -> None:
    """What Standard workflows cost: a complaint answered and resolved in time costs one round
    (read, choose, wait, 7 transitions); each escalation step 21: a round of 7 that waits for it and 14
    that take it (two of them seal its audit event into the complaint's hash chain; it announces
    nothing itself, the publisher does); three steps and the end, 67. The numbers are in
    docs/decisions.md."""
    complaint = harness.submit(now() - timedelta(hours=72) + timedelta(seconds=1))
    execution = harness.execution(complaint)
    harness.wait_until_finished(execution)
    three_steps = harness.transitions(execution)
    assert three_steps <= 67, three_steps

    quiet = harness.submit(now())
    first_round = harness.execution(quiet)
    # Until the execution waits: stopping one whose worker has not started yet trips an emulator race.
    harness.wait_for(lambda: harness.waiting(first_round), seconds=10)
    assert harness.transitions(first_round) <= 7  # read, choose, pick, step, due?, remember, wait
    harness.service.resolve(
        quiet.id, ResolveRequest(outcome="not_upheld", summary="Explained the fee.", root_cause="fee"), AGENT
    )
    assert harness.wait_until_finished(first_round, seconds=10)["status"] == "ABORTED"
    assert tracker_input(quiet.id)["complaintId"] == quiet.id


def test_the_trackers_events_extend_the_complaints_hash_chain(harness: Harness) -> None:
    """The state machine seals its events as the domain does (States.Hash over the same link): the
    trail of a complaint escalated three times by it verifies, and a change to one of its events is
    found."""
    from complaints.trail.chain import verify

    complaint = harness.submit(now() - timedelta(hours=72) + timedelta(seconds=2))
    assert harness.wait_until_finished(harness.execution(complaint))["status"] == "SUCCEEDED"

    events = harness.store.stored_events(complaint.id)
    head = harness.store.chain_head(complaint.id)
    assert [(event.version, event.content["action"]) for event in events] == [
        (1, "receive"),
        (2, "sla_escalate"),
        (3, "sla_escalate"),
        (4, "sla_escalate"),
    ]
    assert head.version == 4 and head.hash == events[-1].hash
    assert [event.previous_hash for event in events[1:]] == [event.hash for event in events[:-1]]
    assert verify(complaint.id, events, head).valid

    harness.dynamodb.update_item(
        TableName=TRAIL_TABLE_NAME,
        Key={"complaintId": {"S": complaint.id}, "version": {"N": "3"}},
        UpdateExpression="SET changes.escalationLevel.#after = :one",
        ExpressionAttributeNames={"#after": "after"},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    tampered = verify(complaint.id, harness.store.stored_events(complaint.id), head)
    assert (tampered.valid, tampered.first_broken_at) == (False, 3)


def test_a_complaint_reopened_after_its_deadline_waits_for_its_new_one(harness: Harness) -> None:
    """Received 60 h ago and resolved late (its tracker never ran: a service without one), the customer
    reopens it now: its resolution deadline is 48 h from the reopen, and the tracker started by the
    reopen waits for it instead of escalating the old one at once."""
    quiet = ComplaintService(harness.store, FakeTracker())
    complaint = quiet.intake(
        IntakeRequest.model_validate(
            {
                "channel": "hotline",
                "customer": {"customerId": "C-ASL", "name": "Chen Jie", "phone": "+8613700137000"},
                "description": "Transfer debited twice.",
                "receivedAt": (now() - timedelta(hours=60)).isoformat(),
            }
        ),
        APP,
    )
    quiet.resolve(
        complaint.id,
        ResolveRequest(outcome="upheld", summary="Refunded the debit.", root_cause="duplicate posting"),
        AGENT,
    )
    reopened = harness.service.reopen(complaint.id, ReasonRequest(reason="the refund bounced"), AGENT)
    assert reopened.deadlines.resolution_due_at > now() + timedelta(hours=47)
    execution = harness.execution(reopened)
    harness.wait_for(lambda: harness.waiting(execution))
    time.sleep(2)
    stored = harness.store.get(complaint.id)
    assert (stored.breaches, stored.sla_steps, stored.escalation_level) == ([], {}, 0)
    assert harness.sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    harness.sfn.stop_execution(executionArn=execution)


def test_a_reopened_complaint_that_misses_its_new_deadline_opens_a_record_of_its_own(
    harness: Harness,
) -> None:
    """Breached once (first response, resolution: two records), resolved and reopened: the reopen arms
    `resolution` again, and its second miss is a breach and an accountability record of its own (the
    record is keyed per occasion, so the tracker's transaction is not refused by the first one). The
    resolve and the reopen are dated 48 h ago less 3 s, so that the new deadline falls due in 3 s."""
    complaint = harness.submit(now() - timedelta(hours=49))
    harness.wait_for(lambda: len(harness.store.get(complaint.id).breaches) == 2)
    back_then = now() - timedelta(hours=48) + timedelta(seconds=3)
    late = ComplaintService(harness.store, harness.tracker, clock=lambda: back_then)
    late.resolve(
        complaint.id,
        ResolveRequest(outcome="upheld", summary="Refunded the debit.", root_cause="duplicate posting"),
        AGENT,
    )
    reopened = late.reopen(complaint.id, ReasonRequest(reason="the refund bounced"), AGENT)
    assert (reopened.version, set(reopened.sla_steps)) == (5, {"firstResponse"})
    harness.wait_for(lambda: "resolution" in harness.store.get(complaint.id).sla_steps)
    harness.sfn.stop_execution(executionArn=harness.execution(reopened))

    stored = harness.store.get(complaint.id)
    assert [b.deadline for b in stored.breaches] == ["firstResponse", "resolution", "resolution"]
    assert stored.breaches[-1].due_at == reopened.deadlines.resolution_due_at
    records = [harness.store.get_accountability(f"{complaint.id}.{v}") for v in (2, 3, 6)]
    assert [(r.trigger.value, r.deadline) for r in records] == [
        ("missed_first_response", "firstResponse"),
        ("missed_resolution", "resolution"),
        ("missed_resolution", "resolution"),
    ]
    assert records[2].due_at == reopened.deadlines.resolution_due_at


# --- the seed policy's solution plan (complex complaints) ---------------------------------------------


def test_a_complex_complaint_without_its_plan_goes_to_the_manager_with_a_record_of_its_own(
    harness: Harness,
) -> None:
    # seed, complex: first answer due 24 h after receipt, the plan 48 h, the outcome 15 days.
    # Received 48 h ago less 3 s: the first answer is missed, the plan falls due in 3 s.
    complaint = harness.submit(now() - timedelta(hours=48) + timedelta(seconds=3), complexity="complex")
    assert complaint.deadlines.solution_plan_due_at is not None
    harness.wait_for(lambda: "solutionPlan" in harness.store.get(complaint.id).sla_steps)
    stored = harness.store.get(complaint.id)
    assert [(b.deadline, b.due_at) for b in stored.breaches] == [
        ("firstResponse", complaint.deadlines.first_response_due_at),
        ("solutionPlan", complaint.deadlines.solution_plan_due_at),
    ]
    assert stored.sla_steps["solutionPlan"] >= complaint.deadlines.solution_plan_due_at
    assert stored.escalation_level == 2
    record = harness.store.get_accountability(f"{complaint.id}.3")
    assert (record.trigger.value, record.deadline, record.due_at) == (
        "missed_solution_plan",
        "solutionPlan",
        complaint.deadlines.solution_plan_due_at,
    )
    escalated = [e.data for e in harness.announced(complaint) if e.name is EventName.COMPLAINT_ESCALATED]
    assert [(e["level"], e["step"]) for e in escalated] == [(1, "firstResponse"), (2, "solutionPlan")]
    # what is left is the outcome, 15 days away: the tracker waits for it
    execution = harness.execution(complaint)
    assert harness.sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    harness.sfn.stop_execution(executionArn=execution)


def test_a_plan_given_in_time_leaves_the_tracker_only_the_outcome_to_watch(harness: Harness) -> None:
    complaint = harness.submit(now() - timedelta(hours=48) + timedelta(seconds=3), complexity="complex")
    harness.service.give_solution_plan(
        complaint.id,
        SolutionPlanRequest(
            plan="Chargeback raised with the merchant's bank.", resolve_by=now() + timedelta(days=5)
        ),
        AGENT,
    )
    time.sleep(5)  # past the plan's deadline: the tracker woke, found the plan, and waits again
    stored = harness.store.get(complaint.id)
    assert "solutionPlan" not in stored.sla_steps
    assert [b.deadline for b in stored.breaches] in ([], ["firstResponse"])  # the plan may beat that step
    execution = harness.execution(stored)
    assert harness.sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    triggers = {record.trigger.value for record in harness.store.accountability_records()}
    assert triggers <= {"missed_first_response"}
    harness.sfn.stop_execution(executionArn=execution)
