"""The service's side of the SLA machinery: starting and stopping the tracker, the intake escalation
level, the 80 % warning and the tracker restart, over the in-memory repository and a fake tracker.
The service announces nothing itself: what it records in the audit trail is announced by the
publisher (complaints/intake/outbox.py), so these tests read what the outbox makes of the trail.

Ids come from SequentialIds: the complaint takes id-0001 (drawn before its first audit event), so its
tracker executions are named id-0001, id-0001--2, …
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fakes import FakeClock, FakeTracker, InMemoryComplaintRepository, SequentialIds

from complaints.core.auth import SLA_SWEEP, caller_from_claims
from complaints.core.errors import IllegalTransition, ServiceUnavailable
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Complaint, Outcome, Priority, ReceivedVia, Status
from complaints.intake.commands import (
    CloseRequest,
    IntakeRequest,
    OptionalReasonRequest,
    PauseRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    UpdateRequest,
    WithdrawRequest,
)
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import ComplaintService
from complaints.sla.escalation import Step, tracker_execution_name

# Monday 2 March 2026, 01:00 UTC.

ID = "id-0001"

CHANNEL_APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims(
    {
        "cognito:groups": ["agent", "team:intake", "team:cards"],
        "username": "agent-7",
        "scope": "complaint-guard/staff",
    }
)
SUPERVISOR = caller_from_claims(
    {"cognito:groups": ["supervisor", "team:intake"], "username": "sup-1", "scope": "complaint-guard/staff"}
)
NEED_STATEMENT = PauseRequest(reason="need the statement", needed="your statement of February")


class UnavailableTracker(FakeTracker):
    """Step Functions is throttling: every call fails."""

    def start(self, complaint: Complaint) -> None:
        self.calls.append(("start", tracker_execution_name(complaint)))
        raise ServiceUnavailable("Step Functions is throttling")

    def stop(self, complaint: Complaint) -> None:
        self.calls.append(("stop", tracker_execution_name(complaint)))
        raise ServiceUnavailable("Step Functions is throttling")


@pytest.fixture
def service(repo: InMemoryComplaintRepository, clock: FakeClock, tracker: FakeTracker) -> ComplaintService:
    return ComplaintService(repo, tracker, clock=clock, ids=SequentialIds())


def announced(repo: InMemoryComplaintRepository, complaint_id: str = ID) -> list[DomainEvent]:
    """Every domain event the publisher makes of the complaint's trail, oldest first."""
    return [event for audit in repo.events_by_complaint[complaint_id] for event in domain_events_for(audit)]


def submit(service: ComplaintService, **overrides: Any) -> Complaint:
    body: dict[str, Any] = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice for one transfer.",
    }
    return service.intake(IntakeRequest.model_validate(body | overrides), CHANNEL_APP)


def answered(service: ComplaintService, clock: FakeClock) -> Complaint:
    """Received at T0, answered an hour later (acknowledged)."""
    complaint = submit(service)
    clock.advance(hours=1)
    return service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)


def resolve_request() -> ResolveRequest:
    return ResolveRequest(outcome=Outcome.UPHELD, summary="Refunded the duplicate.", root_cause="replay")


# --- intake ---------------------------------------------------------------------------------------


def test_intake_starts_a_tracker_named_after_the_complaint(
    service: ComplaintService, tracker: FakeTracker
) -> None:
    complaint = submit(service)
    assert complaint.id == ID
    assert complaint.tracker_generation == 1
    assert tracker.calls == [("start", ID)]
    assert tracker.running == {ID}


def test_a_critical_complaint_starts_at_escalation_level_1(service: ComplaintService) -> None:
    assert submit(service, priority="critical").escalation_level == 1


def test_a_critical_complaint_is_announced_to_supervisor_and_compliance_at_intake(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service, priority="critical")
    received, escalated = announced(repo)
    assert received.name is EventName.COMPLAINT_RECEIVED
    assert (escalated.name, escalated.complaint_id, escalated.data["level"], escalated.data["notify"]) == (
        EventName.COMPLAINT_ESCALATED,
        complaint.id,
        1,
        ["supervisor", "compliance"],
    )
    assert escalated.data["reference"] == complaint.reference


def test_a_normal_complaint_is_not_announced_as_escalated(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    submit(service)
    assert [event.name for event in announced(repo)] == [EventName.COMPLAINT_RECEIVED]


def test_a_normal_complaint_starts_at_escalation_level_0(service: ComplaintService) -> None:
    assert submit(service).escalation_level == 0


def test_a_complaint_is_stored_even_when_the_tracker_cannot_start(
    repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    tracker = UnavailableTracker()
    service = ComplaintService(repo, tracker, clock=clock, ids=SequentialIds())
    complaint = submit(service)
    assert tracker.calls == [("start", ID)]  # it was tried
    assert repo.get(ID) == complaint
    assert complaint.status is Status.RECEIVED

    # and later changes that stop or restart it go through too
    clock.advance(hours=1)
    service.respond(ID, ResponseRequest(message="On it."), AGENT)
    paused = service.pause(ID, NEED_STATEMENT, AGENT)
    assert paused.status is Status.AWAITING_CUSTOMER
    resumed = service.resume(ID, OptionalReasonRequest(), AGENT)
    assert resumed.status is Status.IN_PROGRESS
    assert repo.get(ID).version == 4  # intake, respond, pause, resume


# --- triage ---------------------------------------------------------------------------------------


def test_triage_to_critical_raises_the_level_to_1_and_restarts_the_tracker(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    submit(service)
    clock.advance(hours=1)
    updated = service.update(ID, UpdateRequest(priority=Priority.CRITICAL, version=1), AGENT)
    assert updated.escalation_level == 1
    # critical: the first response falls due at T0 + 4 h instead of T0 + 24 h, earlier than the
    # running tracker waits for -> generation 2 replaces generation 1
    assert updated.deadlines.first_response_due_at == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert updated.tracker_generation == 2
    assert tracker.calls == [("start", ID), ("stop", ID), ("start", f"{ID}--2")]
    assert tracker.running == {f"{ID}--2"}


def test_triage_to_critical_never_lowers_a_higher_level(service: ComplaintService, clock: FakeClock) -> None:
    submit(service)
    service.escalate(ID, ReasonRequest(reason="customer called again"), AGENT)
    service.escalate(ID, ReasonRequest(reason="press enquiry"), AGENT)
    updated = service.update(ID, UpdateRequest(priority=Priority.CRITICAL), AGENT)
    assert updated.escalation_level == 2


def test_a_priority_change_that_moves_the_deadline_later_keeps_the_tracker(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    submit(service, priority="critical")
    clock.advance(hours=1)
    # later deadlines are an extension: a supervisor's, with a reason
    updated = service.update(
        ID, UpdateRequest(priority=Priority.NORMAL, reason="not sensitive after all"), SUPERVISOR
    )
    # first response now due at T0 + 24 h, later than T0 + 4 h: the tracker re-reads when it wakes
    assert updated.deadlines.first_response_due_at == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert updated.extensions == 1
    assert updated.tracker_generation == 1
    assert tracker.calls == [("start", ID)]
    assert updated.escalation_level == 1  # the level never goes down


def test_an_assignment_keeps_the_tracker(service: ComplaintService, tracker: FakeTracker) -> None:
    submit(service)
    service.update(ID, UpdateRequest(assignee="agent-7", team="cards"), AGENT)
    assert tracker.calls == [("start", ID)]


# --- the clock stops and starts ---------------------------------------------------------------------


def test_pause_stops_the_tracker_and_resume_starts_the_next_generation(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    answered(service, clock)
    assert tracker.calls == [("start", ID)]  # answering only moves the next step later

    paused = service.pause(ID, NEED_STATEMENT, AGENT)
    assert tracker.calls[-1] == ("stop", ID)
    assert tracker.running == set()
    assert paused.tracker_generation == 1

    clock.advance(hours=3)
    resumed = service.resume(ID, OptionalReasonRequest(), AGENT)
    assert resumed.tracker_generation == 2
    assert tracker.calls[-1] == ("start", f"{ID}--2")
    assert tracker.starts() == [ID, f"{ID}--2"]
    assert tracker.running == {f"{ID}--2"}


def test_reopening_starts_the_next_generation(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    answered(service, clock)
    service.resolve(ID, resolve_request(), AGENT)
    assert tracker.running == set()
    reopened = service.reopen(ID, ReasonRequest(reason="the refund never arrived"), AGENT)
    assert reopened.tracker_generation == 2
    assert tracker.running == {f"{ID}--2"}


def test_resolve_stops_the_tracker_and_close_starts_none(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    answered(service, clock)
    service.resolve(ID, resolve_request(), AGENT)
    assert tracker.calls == [("start", ID), ("stop", ID)]
    assert tracker.running == set()
    service.close(ID, CloseRequest(received_via=ReceivedVia.BRANCH, received_at=clock.now), AGENT)
    assert tracker.starts() == [ID]
    assert tracker.running == set()


def test_withdraw_stops_the_tracker(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    submit(service)
    asked = WithdrawRequest(received_via=ReceivedVia.BRANCH, received_at=clock.now, reason="settled")
    service.withdraw(ID, asked, AGENT)
    assert tracker.calls == [("start", ID), ("stop", ID)]
    assert tracker.running == set()


def test_resolving_a_paused_complaint_starts_no_tracker(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    answered(service, clock)
    service.pause(ID, NEED_STATEMENT, AGENT)
    service.resolve(ID, resolve_request(), AGENT)
    assert tracker.starts() == [ID]
    assert tracker.running == set()


# --- the 80 % warning -----------------------------------------------------------------------------


def test_warn_at_risk_records_one_warning_that_the_outbox_announces(
    service: ComplaintService, clock: FakeClock, repo: InMemoryComplaintRepository
) -> None:
    submit(service)
    warned_at = clock.advance(hours=20)  # past 80 % of 24 h (19 h 12 min)
    warned = service.warn_at_risk(ID, Step.FIRST_RESPONSE, SLA_SWEEP)

    assert warned.at_risk_warned == {"firstResponse": warned_at}
    assert warned.version == 2
    event = announced(repo)[-1]
    assert event.name is EventName.SLA_AT_RISK
    assert event.complaint_id == ID
    assert event.version == 2
    assert event.id == repo.events_by_complaint[ID][-1].id  # the audit event's own
    assert event.data["deadline"] == "firstResponse"
    # the first-response deadline: T0 + 24 h
    assert datetime.fromisoformat(event.data["dueAt"]) == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert event.data["reference"] == warned.reference
    assert (event.data["team"], event.data["assignee"]) == (None, None)  # the intake queue's


def test_a_second_warning_for_the_same_deadline_is_refused_and_records_nothing(
    service: ComplaintService, clock: FakeClock, repo: InMemoryComplaintRepository
) -> None:
    submit(service)
    clock.advance(hours=20)
    service.warn_at_risk(ID, Step.FIRST_RESPONSE, SLA_SWEEP)
    clock.advance(minutes=15)
    with pytest.raises(IllegalTransition):
        service.warn_at_risk(ID, Step.FIRST_RESPONSE, SLA_SWEEP)
    assert [e.name for e in announced(repo)].count(EventName.SLA_AT_RISK) == 1
    assert repo.get(ID).version == 2  # nothing written by the refused warning


def test_each_deadline_is_warned_once(
    service: ComplaintService, clock: FakeClock, repo: InMemoryComplaintRepository
) -> None:
    submit(service)
    clock.advance(hours=20)
    service.warn_at_risk(ID, Step.FIRST_RESPONSE, SLA_SWEEP)
    clock.advance(hours=19)  # T0 + 39 h, past 80 % of 48 h (38 h 24 min)
    service.warn_at_risk(ID, Step.RESOLUTION, SLA_SWEEP)
    warnings = [e for e in announced(repo) if e.name is EventName.SLA_AT_RISK]
    assert [e.data["deadline"] for e in warnings] == ["firstResponse", "resolution"]
    # the resolution deadline: T0 + 48 h
    assert datetime.fromisoformat(warnings[1].data["dueAt"]) == datetime(2026, 3, 4, 1, 0, tzinfo=UTC)


def test_no_first_response_warning_once_the_customer_was_answered(
    service: ComplaintService, clock: FakeClock, repo: InMemoryComplaintRepository
) -> None:
    answered(service, clock)
    clock.advance(hours=19)
    with pytest.raises(IllegalTransition):
        service.warn_at_risk(ID, Step.FIRST_RESPONSE, SLA_SWEEP)
    assert EventName.SLA_AT_RISK not in [e.name for e in announced(repo)]


def test_warn_at_risk_is_recorded_in_the_audit_trail_as_the_sweep_with_what_the_warning_says(
    service: ComplaintService, clock: FakeClock, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service)
    service.update(ID, UpdateRequest(version=1, assignee="li.na", team="cards"), AGENT)
    clock.advance(hours=20)
    service.warn_at_risk(ID, Step.FIRST_RESPONSE, SLA_SWEEP)
    last = repo.events(ID, 10, None).items[-1]
    assert last.action == "warn_at_risk"
    assert last.actor.id == "sla-sweep"
    assert last.actor.roles == ["system"]
    assert last.data == {
        "deadline": "firstResponse",
        "dueAt": "2026-03-03T01:00:00+00:00",
        "reference": complaint.reference,
        "assignee": "li.na",
        "team": "cards",
    }


# --- restarting a missing tracker ---------------------------------------------------------------------


def test_restart_tracker_bumps_the_generation_and_starts_it(
    service: ComplaintService,
    clock: FakeClock,
    tracker: FakeTracker,
    repo: InMemoryComplaintRepository,
) -> None:
    submit(service)
    tracker.running.clear()  # the execution failed
    clock.advance(hours=24, minutes=5)
    restarted = service.restart_tracker(ID, SLA_SWEEP)
    assert restarted.tracker_generation == 2
    assert restarted.version == 2
    assert repo.get(ID).tracker_generation == 2
    assert tracker.starts() == [ID, f"{ID}--2"]
    assert tracker.running == {f"{ID}--2"}
    last = repo.events(ID, 10, None).items[-1]
    assert last.action == "restart_tracker"
    assert last.changes["trackerGeneration"].before == 1
    assert last.changes["trackerGeneration"].after == 2


def test_restart_tracker_is_refused_for_a_resolved_complaint(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    answered(service, clock)
    service.resolve(ID, resolve_request(), AGENT)
    with pytest.raises(IllegalTransition):
        service.restart_tracker(ID, SLA_SWEEP)
    assert tracker.starts() == [ID]
