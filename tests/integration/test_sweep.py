"""The SLA sweep end to end on moto: ComplaintService + DynamoDbSlaStore + SlaSweep, with a clock the
test moves and a fake tracker.

Times are worked out by hand for the seed policy (normal: first response 24 h, resolution 48 h) and a
complaint received at T0 = 2 March 2026 01:00 UTC:
- first-response warning at 80 % of 24 h = 19 h 12 min -> 2 March 20:12;
- first response due 3 March 01:00, the sweep looks 5 min later -> 3 March 01:05;
- resolution warning at 80 % of 48 h = 38 h 24 min -> 3 March 15:24;
- resolution due 4 March 01:00.
A pause is at most 10 days (reminder halfway); a resolution closes by itself after 7 days of cooling-off,
at 23:59:59 in Shanghai (15:59:59 UTC) of the 7th day after the day it was resolved.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_events import LambdaContext, handler_module
from emf import emitted
from fakes import T0, DynamoDbSlaStore, FakeClock, FakeTracker, FixedSecretProvider
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME

from complaints.composition import sla_sweep as sla_sweep_root
from complaints.core.auth import caller_from_claims
from complaints.core.events import EventName
from complaints.core.models import Complaint, Outcome, ReceivedVia
from complaints.intake.commands import (
    IntakeRequest,
    OptionalReasonRequest,
    PauseRequest,
    ResolveRequest,
    ResponseRequest,
    WithdrawRequest,
)
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import ComplaintService
from complaints.sla.sweep import SlaSweep
from complaints.tracking.links import tracking_token
from complaints.tracking.service import FeedbackRequest, TrackingService

FIRST_WARNING = datetime(2026, 3, 2, 20, 12, tzinfo=UTC)
FIRST_LOOK_AFTER_DUE = datetime(2026, 3, 3, 1, 5, tzinfo=UTC)
RESOLUTION_WARNING = datetime(2026, 3, 3, 15, 24, tzinfo=UTC)
SWEEP_COUNTS = (
    "Read",
    "Warned",
    "Restarted",
    "Rewatched",
    "Reminded",
    "Resumed",
    "Closed",
    "FollowUpsEscalated",
    "Failed",
)
NEED_STATEMENT = PauseRequest(reason="need the statement", needed="your statement of February")

CHANNEL_APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def store(dynamodb: Any) -> DynamoDbSlaStore:
    return DynamoDbSlaStore(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME)


@pytest.fixture
def service(store: DynamoDbSlaStore, clock: FakeClock, tracker: FakeTracker) -> ComplaintService:
    return ComplaintService(store, clock=clock, tracker=tracker)


def warnings(store: DynamoDbSlaStore, complaint_id: str) -> list[tuple[EventName, str, str, str]]:
    """The at-risk warnings the publisher announces from the complaint's trail (the sweep records
    them; complaints/intake/outbox.py)."""
    return [
        (event.name, event.complaint_id or "", event.data["deadline"], event.data["dueAt"])
        for audit in store.events(complaint_id, 100, None).items
        for event in domain_events_for(audit)
        if event.name is EventName.SLA_AT_RISK
    ]


@pytest.fixture
def sweep(
    service: ComplaintService, store: DynamoDbSlaStore, tracker: FakeTracker, clock: FakeClock
) -> SlaSweep:
    return SlaSweep(service, store, tracker, clock)


@pytest.fixture
def query_counts(dynamodb: Any) -> dict[str, int]:
    """What DynamoDB answered to every Query on the client: calls, items returned, items read."""
    counts = {"queries": 0, "returned": 0, "scanned": 0}

    def after_query(parsed: dict[str, Any], **_: Any) -> None:
        counts["queries"] += 1
        counts["returned"] += int(parsed.get("Count", 0))
        counts["scanned"] += int(parsed.get("ScannedCount", 0))

    dynamodb.meta.events.register("after-call.dynamodb.Query", after_query)
    return counts


def counts(**given: int) -> dict[str, int]:
    """A sweep's report: the counts given, 0 for every other."""
    return {name: given.get(name, 0) for name in SWEEP_COUNTS}


def submit(service: ComplaintService) -> Complaint:
    body = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice for one transfer.",
    }
    return service.intake(IntakeRequest.model_validate(body), CHANNEL_APP)


def raw_item(dynamodb: Any, complaint_id: str) -> dict[str, Any]:
    key = {"pk": {"S": f"COMPLAINT#{complaint_id}"}, "sk": {"S": "COMPLAINT"}}
    return dict(dynamodb.get_item(TableName=TABLE_NAME, Key=key, ConsistentRead=True)["Item"])


def due_ids(store: DynamoDbSlaStore, until: datetime) -> list[str]:
    return [complaint.id for shard in range(8) for complaint in store.due_for_watch(shard, until)]


def audit_versions(store: DynamoDbSlaStore, complaint_id: str) -> list[int]:
    return [event.version for event in store.events(complaint_id, 100, None).items]


def tracker_takes_step(dynamodb: Any, complaint: Complaint, step: str, at: datetime, level: int) -> None:
    """What the tracker state machine writes when it takes a step (EscalateAndOpenAccountability's
    first Update): slaSteps, escalationLevel, version + 1, updatedAt, a breach. It leaves watchAt as it
    was, which is why the sweep rewatches."""
    now = at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    due = complaint.deadlines.first_response_due_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    dynamodb.update_item(
        TableName=TABLE_NAME,
        Key={"pk": {"S": f"COMPLAINT#{complaint.id}"}, "sk": {"S": "COMPLAINT"}},
        ConditionExpression="#version = :version AND attribute_not_exists(slaSteps.#step)",
        UpdateExpression="SET slaSteps.#step = :now, escalationLevel = :level, #version = :next, "
        "updatedAt = :now, breaches = list_append(breaches, :breach)",
        ExpressionAttributeNames={"#version": "version", "#step": step},
        ExpressionAttributeValues={
            ":version": {"N": str(complaint.version)},
            ":next": {"N": str(complaint.version + 1)},
            ":now": {"S": now},
            ":level": {"N": str(level)},
            ":breach": {
                "L": [{"M": {"deadline": {"S": step}, "dueAt": {"S": due}, "detectedAt": {"S": now}}}]
            },
        },
    )


# --- the index --------------------------------------------------------------------------------------


def test_due_for_watch_reads_only_the_complaints_whose_time_has_come(
    service: ComplaintService, store: DynamoDbSlaStore, clock: FakeClock, query_counts: dict[str, int]
) -> None:
    early = [submit(service).id for _ in range(3)]  # first warning at 2 March 20:12
    clock.now = T0 + timedelta(hours=6)
    later = [submit(service).id for _ in range(27)]  # first warning at 3 March 02:12
    assert len(set(early + later)) == 30

    query_counts.update(queries=0, returned=0, scanned=0)
    found = due_ids(store, datetime(2026, 3, 2, 21, 0, tzinfo=UTC))

    assert sorted(found) == sorted(early)
    # one query per shard, and DynamoDB read and returned only the three due items
    assert query_counts == {"queries": 8, "returned": 3, "scanned": 3}


def test_the_watch_time_is_inclusive_to_the_second(
    service: ComplaintService, store: DynamoDbSlaStore
) -> None:
    complaint = submit(service)
    assert due_ids(store, FIRST_WARNING - timedelta(seconds=1)) == []
    assert due_ids(store, FIRST_WARNING) == [complaint.id]


def test_the_stored_watch_time_and_shard(service: ComplaintService, dynamodb: Any) -> None:
    complaint = submit(service)
    item = raw_item(dynamodb, complaint.id)
    assert item["watchAt"] == {"S": "2026-03-02T20:12:00Z"}
    assert 0 <= int(item["watchShard"]["S"]) <= 7


def test_the_sweep_reads_only_the_due_complaints(
    service: ComplaintService, sweep: SlaSweep, clock: FakeClock, query_counts: dict[str, int]
) -> None:
    for _ in range(3):
        submit(service)
    clock.now = T0 + timedelta(hours=6)
    for _ in range(27):
        submit(service)

    clock.now = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
    query_counts.update(queries=0, returned=0, scanned=0)
    report = sweep.run()
    assert report.read == 3
    assert report.warned == 3
    # the sweep's only queries are the 8 shard queries of the index
    assert query_counts == {"queries": 8, "returned": 3, "scanned": 3}


# --- the 80 % warnings ---------------------------------------------------------------------------------


def test_a_warning_is_sent_once_per_deadline(
    service: ComplaintService,
    store: DynamoDbSlaStore,
    sweep: SlaSweep,
    clock: FakeClock,
) -> None:
    complaint = submit(service)

    clock.now = FIRST_WARNING - timedelta(minutes=1)
    assert sweep.run().counts() == counts()

    clock.now = datetime(2026, 3, 2, 20, 15, tzinfo=UTC)
    first = sweep.run()
    assert (first.read, first.warned, first.restarted) == (1, 1, 0)
    stored = store.get(complaint.id)
    assert stored.at_risk_warned == {"firstResponse": datetime(2026, 3, 2, 20, 15, tzinfo=UTC)}
    assert stored.version == 2

    assert sweep.run().warned == 0  # same moment again
    clock.now = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
    again = sweep.run()
    assert (again.read, again.warned) == (0, 0)  # next look: 3 March 01:05

    clock.now = datetime(2026, 3, 3, 15, 30, tzinfo=UTC)  # past the resolution warning at 15:24
    assert sweep.run().warned == 1
    clock.now = datetime(2026, 3, 3, 15, 45, tzinfo=UTC)
    assert sweep.run().warned == 0

    announced = warnings(store, complaint.id)
    assert [(name, cid, deadline) for name, cid, deadline, _ in announced] == [
        (EventName.SLA_AT_RISK, complaint.id, "firstResponse"),
        (EventName.SLA_AT_RISK, complaint.id, "resolution"),
    ]
    assert [datetime.fromisoformat(due) for *_, due in announced] == [
        datetime(2026, 3, 3, 1, 0, tzinfo=UTC),
        datetime(2026, 3, 4, 1, 0, tzinfo=UTC),
    ]


def test_no_warning_after_the_deadline_passed(
    service: ComplaintService, store: DynamoDbSlaStore, sweep: SlaSweep, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # the sweep was down; first response now overdue
    report = sweep.run()
    assert (report.read, report.warned) == (1, 0)
    assert warnings(store, complaint.id) == []


# --- repairing the tracker ------------------------------------------------------------------------------


def test_a_tracker_that_is_not_running_is_restarted_once(
    service: ComplaintService,
    store: DynamoDbSlaStore,
    sweep: SlaSweep,
    clock: FakeClock,
    tracker: FakeTracker,
) -> None:
    complaint = submit(service)
    clock.now = datetime(2026, 3, 2, 20, 15, tzinfo=UTC)
    assert sweep.run().restarted == 0  # warned; its tracker runs
    tracker.running.clear()  # the execution failed

    clock.now = FIRST_LOOK_AFTER_DUE + timedelta(minutes=5)
    first = sweep.run()
    assert (first.read, first.restarted) == (1, 1)
    assert store.get(complaint.id).tracker_generation == 2
    assert tracker.starts() == [complaint.id, f"{complaint.id}--2"]

    clock.now += timedelta(minutes=15)
    second = sweep.run()
    assert second.restarted == 0
    assert tracker.starts() == [complaint.id, f"{complaint.id}--2"]
    assert store.get(complaint.id).tracker_generation == 2


def test_a_complaint_with_nothing_to_do_is_rewatched_without_a_new_version(
    service: ComplaintService,
    store: DynamoDbSlaStore,
    sweep: SlaSweep,
    clock: FakeClock,
    dynamodb: Any,
) -> None:
    complaint = submit(service)
    clock.now = datetime(2026, 3, 2, 20, 15, tzinfo=UTC)
    sweep.run()  # first-response warning: version 2
    warned = store.get(complaint.id)
    tracker_takes_step(dynamodb, warned, "firstResponse", datetime(2026, 3, 3, 1, 0, 1, tzinfo=UTC), 1)
    assert raw_item(dynamodb, complaint.id)["watchAt"] == {"S": "2026-03-03T01:05:00Z"}

    clock.now = datetime(2026, 3, 3, 1, 10, tzinfo=UTC)
    report = sweep.run()
    assert report.counts() == counts(Read=1, Rewatched=1)
    item = raw_item(dynamodb, complaint.id)
    # next: the resolution warning at 3 March 15:24
    assert item["watchAt"] == {"S": "2026-03-03T15:24:00Z"}
    assert item["version"] == {"N": "3"}  # the tracker's write; the rewatch made none
    assert audit_versions(store, complaint.id) == [1, 2]  # and recorded nothing

    clock.now += timedelta(minutes=15)
    assert sweep.run().read == 0


def test_ended_complaints_leave_the_index_and_a_resolved_one_is_watched_until_its_cooling_off_ends(
    service: ComplaintService, store: DynamoDbSlaStore, clock: FakeClock, dynamodb: Any
) -> None:
    resolved = submit(service)
    withdrawn = submit(service)
    watched = submit(service)
    clock.now = T0 + timedelta(hours=1)
    service.respond(resolved.id, ResponseRequest(message="On it."), AGENT)
    service.resolve(
        resolved.id,
        ResolveRequest(outcome=Outcome.UPHELD, summary="Refunded.", root_cause="replay"),
        AGENT,
    )
    service.withdraw(
        withdrawn.id, WithdrawRequest(received_via=ReceivedVia.PHONE, received_at=clock.now), AGENT
    )

    item = raw_item(dynamodb, withdrawn.id)
    assert "watchAt" not in item
    assert "watchShard" not in item
    # resolved 2 March 10:00 in Shanghai: it closes by itself at the end of 9 March there
    assert raw_item(dynamodb, resolved.id)["watchAt"] == {"S": "2026-03-09T15:59:59Z"}
    assert sorted(due_ids(store, T0 + timedelta(days=60))) == sorted([watched.id, resolved.id])


def test_a_paused_complaint_stays_watched_and_returns_to_its_deadlines_on_resume(
    service: ComplaintService, store: DynamoDbSlaStore, clock: FakeClock, dynamodb: Any
) -> None:
    complaint = submit(service)
    clock.now = T0 + timedelta(hours=1)
    service.respond(complaint.id, ResponseRequest(message="Please send the statement."), AGENT)
    service.pause(complaint.id, NEED_STATEMENT, AGENT)
    # paused until 12 March 02:00 (10 days): its reminder is due halfway, 7 March 02:00
    assert raw_item(dynamodb, complaint.id)["watchAt"] == {"S": "2026-03-07T02:00:00Z"}
    assert due_ids(store, datetime(2026, 3, 7, 1, 59, tzinfo=UTC)) == []
    assert due_ids(store, datetime(2026, 3, 7, 2, 0, tzinfo=UTC)) == [complaint.id]

    clock.now = T0 + timedelta(hours=11)  # paused 10 h: resolution due moves to T0 + 58 h
    service.resume(complaint.id, OptionalReasonRequest(), AGENT)
    # resolution warning at 80 % of 58 h = 46 h 24 min after T0 -> 3 March 23:24
    assert raw_item(dynamodb, complaint.id)["watchAt"] == {"S": "2026-03-03T23:24:00Z"}


def test_a_complaint_whose_every_step_was_taken_leaves_the_index(
    service: ComplaintService,
    store: DynamoDbSlaStore,
    sweep: SlaSweep,
    clock: FakeClock,
    dynamodb: Any,
) -> None:
    complaint = submit(service)
    # the tracker takes all three steps (levels 1, 2, 3) at 3, 4 and 5 March 01:00:01
    for day, (step, level) in enumerate((("firstResponse", 1), ("resolution", 2), ("stillOpen", 3))):
        tracker_takes_step(
            dynamodb, store.get(complaint.id), step, datetime(2026, 3, 3 + day, 1, 0, 1, tzinfo=UTC), level
        )
    taken = store.get(complaint.id)
    assert set(taken.sla_steps) == {"firstResponse", "resolution", "stillOpen"}
    assert taken.escalation_level == 3

    clock.now = datetime(2026, 3, 5, 1, 10, tzinfo=UTC)  # the index still says 2 March 20:12
    report = sweep.run()
    # no warning is due (every deadline was taken as a step), nothing left to track
    assert report.counts() == counts(Read=1, Rewatched=1)
    item = raw_item(dynamodb, complaint.id)
    assert "watchAt" not in item
    assert "watchShard" not in item
    assert item["version"] == {"N": "4"}
    assert due_ids(store, T0 + timedelta(days=60)) == []


# --- the bounded pause and the cooling-off ---------------------------------------------------------------


def test_the_sweep_reminds_the_customer_halfway_and_ends_the_pause_at_its_limit(
    service: ComplaintService,
    store: DynamoDbSlaStore,
    sweep: SlaSweep,
    clock: FakeClock,
    tracker: FakeTracker,
    dynamodb: Any,
) -> None:
    complaint = submit(service)
    clock.now = T0 + timedelta(hours=1)
    service.respond(complaint.id, ResponseRequest(message="Please send the statement."), AGENT)
    service.pause(complaint.id, NEED_STATEMENT, AGENT)  # until 12 March 02:00

    clock.now = datetime(2026, 3, 7, 2, 5, tzinfo=UTC)
    first = sweep.run()
    assert (first.read, first.reminded, first.resumed) == (1, 1, 0)
    reminder = store.events(complaint.id, 100, None).items[-1]
    assert (reminder.action, reminder.actor.id) == ("remind_customer", "sla-sweep")
    assert reminder.data == {"needed": "your statement of February", "until": "2026-03-12T02:00:00Z"}
    assert raw_item(dynamodb, complaint.id)["watchAt"] == {"S": "2026-03-12T02:00:00Z"}
    clock.now += timedelta(minutes=15)
    assert sweep.run().read == 0  # reminded once

    clock.now = datetime(2026, 3, 12, 2, 10, tzinfo=UTC)
    second = sweep.run()
    assert (second.read, second.reminded, second.resumed) == (1, 0, 1)
    resumed = store.get(complaint.id)
    assert resumed.status.value == "in_progress"
    # the clock stood still exactly 10 days: resolution due 4 March 01:00 + 10 days
    assert resumed.deadlines.resolution_due_at == datetime(2026, 3, 14, 1, 0, tzinfo=UTC)
    event = store.events(complaint.id, 100, None).items[-1]
    assert (event.action, event.actor.id) == ("resume", "sla-sweep")
    assert event.data == {"reason": "pause limit reached"}
    assert tracker.starts()[-1] == f"{complaint.id}--2"


def test_the_sweep_closes_a_resolution_nobody_disputed_when_its_cooling_off_ends(
    service: ComplaintService, store: DynamoDbSlaStore, sweep: SlaSweep, clock: FakeClock, dynamodb: Any
) -> None:
    complaint = submit(service)
    clock.now = T0 + timedelta(hours=1)
    service.resolve(
        complaint.id, ResolveRequest(outcome=Outcome.UPHELD, summary="Refunded.", root_cause="replay"), AGENT
    )
    clock.now = datetime(2026, 3, 9, 15, 59, 0, tzinfo=UTC)
    assert sweep.run().read == 0
    clock.now = datetime(2026, 3, 9, 16, 10, tzinfo=UTC)
    report = sweep.run()
    assert (report.read, report.closed) == (1, 1)
    closed = store.get(complaint.id)
    assert (closed.status.value, closed.closed_at) == ("closed", clock.now)
    event = store.events(complaint.id, 100, None).items[-1]
    assert (event.action, event.actor.id) == ("close", "sla-sweep")
    assert event.data == {"reason": "cooling-off period ended"}
    assert "watchAt" not in raw_item(dynamodb, complaint.id)


# --- the backlog gauge ---------------------------------------------------------------------------------


def test_each_run_emits_the_open_complaints_per_status_counted_through_the_status_index(
    dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    service = sla_sweep_root.sla_sweep()._service  # what the function builds, on moto
    first, _, third = submit(service), submit(service), submit(service)
    service.respond(first.id, ResponseRequest(message="We received it."), AGENT)
    service.resolve(
        third.id,
        ResolveRequest(outcome=Outcome.UPHELD, summary="Refunded.", root_cause="batch replay"),
        AGENT,
    )
    queries: list[dict[str, Any]] = []
    sla_sweep_root.dynamodb().meta.events.register(
        "before-parameter-build.dynamodb.Query", lambda params, **_: queries.append(params)
    )
    capsys.readouterr()

    handler_module("sla_sweep.app").handler({"schedule": "sla-sweep"}, LambdaContext())

    counted = emitted(capsys.readouterr().out)
    # one received, one acknowledged; the resolved one is no longer backlog
    assert {key: value for key, value in counted.items() if key[0] == "OpenComplaints"} == {
        ("OpenComplaints", ()): 2,
        ("OpenComplaints", (("status", "received"),)): 1,
        ("OpenComplaints", (("status", "acknowledged"),)): 1,
        ("OpenComplaints", (("status", "in_progress"),)): 0,
        ("OpenComplaints", (("status", "awaiting_customer"),)): 0,
    }
    assert counted[("SweepRead", ())] == 0  # nothing is due yet: the gauge does not depend on it
    by_status = [q for q in queries if q.get("IndexName") == "byStatus"]
    counts = [q for q in by_status if q.get("Select") == "COUNT"]
    assert len(counts) == 4
    # the unassigned queue: per open status, its oldest complaint with nobody assigned (keys only)
    oldest = [q for q in by_status if q.get("Select") != "COUNT"]
    assert len(oldest) == 4 and all(q["ScanIndexForward"] is True for q in oldest)
    assert {q["IndexName"] for q in queries} == {"byWatch", "byStatus"}
    # both open complaints are nobody's and were received moments ago
    assert 0 <= counted[("OldestUnassignedMinutes", ())] < 5


def test_the_unassigned_queue_is_measured_by_its_longest_waiting_complaint(
    service: ComplaintService, clock: FakeClock, dynamodb: Any
) -> None:
    from complaints.adapters.dynamodb.history import DynamoDbComplaintHistory
    from complaints.core.models import Status
    from complaints.intake.commands import UpdateRequest
    from complaints.metrics.backlog import Backlog

    desk = caller_from_claims({"cognito:groups": ["supervisor", "team:intake"], "username": "sup-1"})
    oldest = submit(service)  # T0
    clock.advance(hours=1)
    waiting = submit(service)  # T0 + 1 h
    clock.advance(hours=1)
    submit(service)  # T0 + 2 h
    service.update(oldest.id, UpdateRequest(assignee="li.na"), desk)  # taken: no longer waiting
    history = DynamoDbComplaintHistory(TABLE_NAME, dynamodb)
    assert history.oldest_unassigned(Status.RECEIVED) == waiting.received_at
    assert history.oldest_unassigned(Status.IN_PROGRESS) is None
    gauge = Backlog(history, clock=lambda: T0 + timedelta(hours=3)).measure()
    assert gauge[-1].name == "OldestUnassignedMinutes" and gauge[-1].value == 120.0


# --- the follow-up (回访) a low rating opens ------------------------------------------------------------


def test_an_overdue_follow_up_is_escalated_once_and_announced_to_the_managers(
    service: ComplaintService, store: DynamoDbSlaStore, sweep: SlaSweep, clock: FakeClock, dynamodb: Any
) -> None:
    complaint = submit(service)
    clock.now = T0 + timedelta(hours=1)  # resolved 2 March 02:00 UTC: closes 9 March 15:59:59 UTC
    service.resolve(
        complaint.id, ResolveRequest(outcome=Outcome.UPHELD, summary="Refunded.", root_cause="replay"), AGENT
    )
    keys = FixedSecretProvider("k" * 40, "t2")
    tracking = TrackingService(service, store, keys, clock)
    link = tracking_token(complaint.id, keys.current(), T0 + timedelta(days=30))
    clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    tracking.feedback(complaint.id, link, FeedbackRequest(rating=2))  # follow-up due 5 March 02:00
    assert raw_item(dynamodb, complaint.id)["watchAt"] == {"S": "2026-03-05T02:00:00Z"}

    clock.now = datetime(2026, 3, 5, 1, 59, tzinfo=UTC)
    assert sweep.run().counts() == counts()
    clock.now = datetime(2026, 3, 5, 2, 10, tzinfo=UTC)
    assert sweep.run().counts() == counts(Read=1, FollowUpsEscalated=1)

    escalated = store.get(complaint.id)
    assert escalated.follow_up is not None and escalated.follow_up.escalated_at == clock.now
    assert escalated.follow_up.status.value == "open"  # still owed: the managers chase it
    audit = store.events(complaint.id, 100, None).items[-1]
    assert (audit.action, audit.actor.id) == ("escalate_follow_up", "sla-sweep")
    assert audit.data == {
        "reference": complaint.reference,
        "team": "intake",
        "rating": 2,
        "dueAt": "2026-03-05T02:00:00Z",
    }
    assert [event.name for event in domain_events_for(audit)] == [EventName.FOLLOW_UP_OVERDUE]
    # once: the complaint is next watched at the end of its cooling-off period
    assert raw_item(dynamodb, complaint.id)["watchAt"] == {"S": "2026-03-09T15:59:59Z"}
    clock.now = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
    assert sweep.run().counts() == counts()
    assert [e.action for e in store.events(complaint.id, 100, None).items].count("escalate_follow_up") == 1
