"""The use cases over an in-memory repository and a clock the test moves by hand."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes import T0, FakeClock, FakeTracker, InMemoryComplaintRepository, SequentialIds

from complaints.core.auth import caller_from_claims
from complaints.core.errors import (
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    ReferenceTaken,
    VersionConflict,
)
from complaints.core.models import (
    AuditEvent,
    Complaint,
    Outcome,
    Priority,
    ReceivedVia,
    SlaPolicyName,
    Status,
)
from complaints.intake.commands import (
    CloseRequest,
    IntakeRequest,
    OptionalReasonRequest,
    PauseRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    SlaPreviewRequest,
    UpdateRequest,
    WithdrawRequest,
)
from complaints.intake.ports import ComplaintQuery
from complaints.intake.service import ComplaintService

# Monday 2 March 2026, 09:00 in Shanghai.

CROCKFORD_REFERENCE = re.compile(r"^CG-(\d{6})-[0-9A-HJKMNP-TV-Z]{6}$")

CHANNEL_APP = caller_from_claims(
    {"client_id": "counter-app", "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read"}
)
AGENT = caller_from_claims(
    {
        "cognito:groups": ["agent", "team:intake", "team:cards"],
        "username": "agent-7",
        "scope": "complaint-guard/staff",
    }
)
SUPERVISOR = caller_from_claims(
    {
        "cognito:groups": "[supervisor team:intake team:cards]",
        "username": "sup-1",
        "scope": "complaint-guard/staff",
    }
)


def intake_request(**overrides: Any) -> IntakeRequest:
    body: dict[str, Any] = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice for one transfer.",
    }
    return IntakeRequest.model_validate(body | overrides)


def submit(service: ComplaintService, **overrides: Any) -> Complaint:
    return service.intake(intake_request(**overrides), CHANNEL_APP)


def trail(repo: InMemoryComplaintRepository, complaint_id: str) -> list[AuditEvent]:
    return repo.events(complaint_id, 100, None).items


def reason(text: str = "because", version: int | None = None) -> ReasonRequest:
    return ReasonRequest(reason=text, version=version)


def pause(reason: str = "because", version: int | None = None) -> PauseRequest:
    return PauseRequest(reason=reason, needed="your bank statement of February", version=version)


def withdrawal(at: datetime, version: int | None = None) -> WithdrawRequest:
    """The customer's request to withdraw, as an agent took it on the phone at `at`."""
    return WithdrawRequest(received_via=ReceivedVia.PHONE, received_at=at, version=version)


def accepted_by_phone(at: datetime, version: int | None = None) -> CloseRequest:
    """A close with the customer's acceptance of the outcome, taken on the phone at `at`."""
    return CloseRequest(received_via=ReceivedVia.PHONE, received_at=at, version=version)


def resolve_request(version: int | None = None) -> ResolveRequest:
    return ResolveRequest(
        outcome=Outcome.UPHELD,
        summary="Refunded the duplicate charge.",
        root_cause="batch replay",
        version=version,
    )


def acknowledged(service: ComplaintService, clock: FakeClock, **overrides: Any) -> Complaint:
    complaint = submit(service, **overrides)
    clock.advance(hours=1)
    return service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)


# --- intake -----------------------------------------------------------------------------------------


def test_intake_stores_a_received_complaint_with_seed_deadlines_from_now(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service)
    assert complaint.status is Status.RECEIVED
    assert complaint.version == 1
    assert complaint.received_at == T0
    assert complaint.created_at == T0
    assert complaint.submitted_by == "counter-app"
    assert complaint.sla_policy is SlaPolicyName.SEED
    # seed: 24 h and 48 h after receipt
    assert complaint.deadlines.first_response_due_at == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert complaint.deadlines.resolution_due_at == datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
    assert complaint.escalation_level == 0
    assert complaint.first_responded_at is None
    assert repo.get(complaint.id) == complaint

    (event,) = trail(repo, complaint.id)
    assert event.action == "receive"
    assert event.version == 1
    assert event.actor.id == "counter-app"
    assert event.actor.roles == ["channel_app"]
    assert event.at == T0
    assert event.changes["status"].before is None
    assert event.changes["status"].after == "received"


def test_intake_deadlines_start_at_the_supplied_received_at(service: ComplaintService) -> None:
    # A paper form received two days ago at 10:30Z: seed deadlines are 24 h / 48 h after that,
    # not after the moment it was typed in.
    received = datetime(2026, 2, 28, 10, 30, tzinfo=UTC)
    complaint = submit(service, receivedAt=received.isoformat())
    assert complaint.received_at == received
    assert complaint.created_at == T0
    assert complaint.deadlines.first_response_due_at == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert complaint.deadlines.resolution_due_at == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def test_intake_with_a_policy_override_and_a_backdated_receipt(service: ComplaintService) -> None:
    # cbirc-2020, received 2026-02-28T18:30Z = 1 March 02:30 in Shanghai: day 15 counted from
    # 2 March is 16 March; 23:59:59 CST = 15:59:59Z. First response: 24 h.
    complaint = submit(service, receivedAt="2026-02-28T18:30:00Z", slaPolicy="cbirc-2020")
    assert complaint.sla_policy is SlaPolicyName.CBIRC_2020
    assert complaint.deadlines.first_response_due_at == datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    assert complaint.deadlines.resolution_due_at == datetime(2026, 3, 16, 15, 59, 59, tzinfo=UTC)


def test_the_deployment_policy_is_the_default(repo: InMemoryComplaintRepository, clock: FakeClock) -> None:
    service = ComplaintService(
        repo,
        FakeTracker(),
        default_policy=SlaPolicyName.CFPB,
        clock=clock,
        ids=SequentialIds(),
    )
    complaint = submit(service)
    # cfpb: receipt day 1 March in New York (01:00Z = 20:00 EST on 1 March); 15 days → 16 March,
    # after the switch to EDT (8 March): 23:59:59 EDT = 2026-03-17T03:59:59Z.
    assert complaint.sla_policy is SlaPolicyName.CFPB
    assert complaint.deadlines.first_response_due_at == datetime(2026, 3, 17, 3, 59, 59, tzinfo=UTC)


def test_reference_is_cg_date_and_six_unambiguous_characters(service: ComplaintService) -> None:
    references = {submit(service).reference for _ in range(30)}
    assert len(references) == 30
    for reference in references:
        match = CROCKFORD_REFERENCE.match(reference)
        assert match, reference
        assert match.group(1) == "260302"


def test_reference_carries_the_receipt_date_where_the_policy_clock_runs(service: ComplaintService) -> None:
    # 2026-03-01T18:30Z is already 2 March 02:30 in Shanghai, the seed policy's zone.
    reference = submit(service, receivedAt="2026-03-01T18:30:00Z").reference
    assert reference.startswith("CG-260302-")


def test_intake_draws_another_reference_when_one_is_taken(
    repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    drawn = iter(["CG-260302-AAAAAA", "CG-260302-AAAAAA", "CG-260302-AAAAAA", "CG-260302-BBBBBB"])
    service = ComplaintService(
        repo,
        FakeTracker(),
        clock=clock,
        ids=SequentialIds(),
        references=lambda _: next(drawn),
    )
    first = submit(service)
    second = submit(service)
    assert first.reference == "CG-260302-AAAAAA"
    assert second.reference == "CG-260302-BBBBBB"
    assert repo.get(second.id).reference == "CG-260302-BBBBBB"
    assert len(repo.complaints) == 2
    assert len(trail(repo, second.id)) == 1


def test_intake_gives_up_after_repeated_collisions_and_stores_nothing(
    repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    service = ComplaintService(
        repo,
        FakeTracker(),
        clock=clock,
        ids=SequentialIds(),
        references=lambda _: "CG-260302-AAAAAA",
    )
    submit(service)
    with pytest.raises(ReferenceTaken):
        submit(service)
    assert len(repo.complaints) == 1


def test_preview_uses_the_default_policy_unless_one_is_named(service: ComplaintService) -> None:
    seed = service.preview(SlaPreviewRequest(received_at=datetime(2030, 1, 1, 0, 0, tzinfo=UTC)))
    assert seed.first_response_due_at == datetime(2030, 1, 2, 0, 0, tzinfo=UTC)
    cbirc = service.preview(
        SlaPreviewRequest(
            sla_policy=SlaPolicyName.CBIRC_2020, received_at=datetime(2030, 1, 1, 0, 0, tzinfo=UTC)
        )
    )
    # receipt day 1 Jan (08:00 Shanghai), day 15 = 16 Jan, 23:59:59 CST = 15:59:59Z
    assert cbirc.resolution_due_at == datetime(2030, 1, 16, 15, 59, 59, tzinfo=UTC)


# --- the audit trail and versions -------------------------------------------------------------------


def test_every_change_bumps_the_version_by_one_and_appends_one_event(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    steps = [
        ("respond", lambda v: service.respond(complaint.id, ResponseRequest(message="hi", version=v), AGENT)),
        ("update", lambda v: service.update(complaint.id, UpdateRequest(team="cards", version=v), AGENT)),
        ("escalate", lambda v: service.escalate(complaint.id, reason(version=v), AGENT)),
        ("pause", lambda v: service.pause(complaint.id, pause(version=v), AGENT)),
        ("resume", lambda v: service.resume(complaint.id, OptionalReasonRequest(version=v), AGENT)),
        ("resolve", lambda v: service.resolve(complaint.id, resolve_request(v), AGENT)),
        ("close", lambda v: service.close(complaint.id, accepted_by_phone(clock.now, version=v), AGENT)),
    ]
    version = 1
    for action, step in steps:
        clock.advance(minutes=10)
        updated = step(version)
        assert updated.version == version + 1, action
        version += 1
        events = trail(repo, complaint.id)
        assert len(events) == version, action
        assert events[-1].action == action
        assert events[-1].version == version
        assert events[-1].at == clock.now
        assert events[-1].actor.id == "agent-7"
        assert updated.updated_at == clock.now
    assert [e.version for e in trail(repo, complaint.id)] == list(range(1, 9))


def test_an_event_records_the_changed_fields_before_and_after(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = acknowledged(service, clock)
    clock.advance(minutes=5)
    service.update(complaint.id, UpdateRequest(assignee="agent-7", team="cards", version=2), SUPERVISOR)
    event = trail(repo, complaint.id)[-1]
    assert event.action == "update"
    assert event.actor.id == "sup-1"
    assert event.actor.roles == ["supervisor"]
    assert event.at == T0 + timedelta(hours=1, minutes=5)
    # exactly the fields that changed; version and updatedAt are bookkeeping, not news
    assert set(event.changes) == {"assignee", "team", "status"}
    assert (event.changes["assignee"].before, event.changes["assignee"].after) == (None, "agent-7")
    assert (event.changes["team"].before, event.changes["team"].after) == (None, "cards")
    assert (event.changes["status"].before, event.changes["status"].after) == ("acknowledged", "in_progress")


def test_a_stale_version_is_refused_and_nothing_stored_changes(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    service.update(complaint.id, UpdateRequest(team="cards", version=1), AGENT)
    stored, events, writes = repo.get(complaint.id), trail(repo, complaint.id), repo.writes
    clock.advance(minutes=1)
    with pytest.raises(VersionConflict) as caught:
        service.update(complaint.id, UpdateRequest(team="loans", version=1), AGENT)
    assert caught.value.status == 409
    assert "2" in caught.value.message
    assert repo.get(complaint.id) == stored
    assert repo.get(complaint.id).team == "cards"
    assert trail(repo, complaint.id) == events
    assert repo.writes == writes


@pytest.mark.parametrize(
    "change",
    [
        lambda s, cid: s.respond(cid, ResponseRequest(message="hi", version=7), AGENT),
        lambda s, cid: s.escalate(cid, reason(version=7), AGENT),
        lambda s, cid: s.resolve(cid, resolve_request(7), AGENT),
        lambda s, cid: s.withdraw(cid, withdrawal(T0, version=7), AGENT),
    ],
)
def test_every_command_checks_the_version_it_is_given(
    service: ComplaintService, repo: InMemoryComplaintRepository, change: Any
) -> None:
    complaint = submit(service)
    with pytest.raises(VersionConflict):
        change(service, complaint.id)
    assert repo.get(complaint.id) == complaint
    assert len(trail(repo, complaint.id)) == 1


class RacingRepository(InMemoryComplaintRepository):
    """Runs `race` once, right after the first read: someone else writes between our read and write."""

    def __init__(self) -> None:
        super().__init__()
        self.race: Any = None

    def get(self, complaint_id: str) -> Complaint:
        seen = super().get(complaint_id)
        race, self.race = self.race, None
        if race is not None:
            race(complaint_id)
        return seen


def test_a_concurrent_write_between_read_and_write_is_a_version_conflict(clock: FakeClock) -> None:
    repo = RacingRepository()
    fast = ComplaintService(repo, FakeTracker(), clock=clock, ids=SequentialIds("fast"))
    slow = ComplaintService(repo, FakeTracker(), clock=clock, ids=SequentialIds("slow"))
    complaint = submit(fast)
    repo.race = lambda cid: fast.update(cid, UpdateRequest(team="other-team", version=1), SUPERVISOR)
    with pytest.raises(VersionConflict):
        slow.update(complaint.id, UpdateRequest(team="cards", version=1), AGENT)
    stored = repo.get(complaint.id)
    assert stored.version == 2
    assert stored.team == "other-team"
    assert [e.actor.id for e in trail(repo, complaint.id)] == ["counter-app", "sup-1"]


def test_an_illegal_transition_changes_nothing(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service)
    with pytest.raises(IllegalTransition, match="received"):
        service.close(complaint.id, CloseRequest(), AGENT)
    with pytest.raises(IllegalTransition, match="received"):
        service.pause(complaint.id, pause(), AGENT)
    assert repo.get(complaint.id) == complaint
    assert len(trail(repo, complaint.id)) == 1


def test_update_without_any_field_is_invalid(service: ComplaintService) -> None:
    complaint = submit(service)
    with pytest.raises(InvalidInput):
        service.update(complaint.id, UpdateRequest(version=1), AGENT)


def test_unknown_complaint_is_not_found(service: ComplaintService) -> None:
    with pytest.raises(NotFound):
        service.get("nope")
    with pytest.raises(NotFound):
        service.events("nope", 10, None)
    with pytest.raises(NotFound):
        service.escalate("nope", reason(), AGENT)


# --- responses --------------------------------------------------------------------------------------


def test_first_response_acknowledges_and_is_recorded_once(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    first_at = clock.advance(hours=2)
    answered = service.respond(complaint.id, ResponseRequest(message="We received it."), AGENT)
    assert answered.status is Status.ACKNOWLEDGED
    assert answered.first_responded_at == first_at
    event = trail(repo, complaint.id)[-1]
    assert event.action == "respond"
    # seed policy, normal priority: 24 h from T0 (2 March 01:00 UTC); answered after 2 h
    assert event.data == {
        "message": "We received it.",
        "public": True,
        "firstResponseDueAt": "2026-03-03T01:00:00Z",
        "firstResponseOnTime": True,
    }
    assert event.changes["firstRespondedAt"].before is None

    clock.advance(hours=3)
    again = service.respond(complaint.id, ResponseRequest(message="Still on it."), AGENT)
    assert again.status is Status.ACKNOWLEDGED
    assert again.first_responded_at == first_at
    assert "firstRespondedAt" not in trail(repo, complaint.id)[-1].changes
    assert trail(repo, complaint.id)[-1].data == {"message": "Still on it.", "public": True}


def test_a_first_response_exactly_at_the_deadline_is_on_time_and_one_second_later_is_late(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    in_time, late = submit(service), submit(service)
    clock.advance(hours=24)  # 3 March 01:00 UTC: both deadlines, to the second
    service.respond(in_time.id, ResponseRequest(message="We received it."), AGENT)
    clock.advance(seconds=1)
    # the resolution is the first answer of the other one
    service.resolve(late.id, resolve_request(1), AGENT)

    assert trail(repo, in_time.id)[-1].data["firstResponseOnTime"] is True
    resolved = trail(repo, late.id)[-1]
    assert resolved.action == "resolve"
    assert resolved.data == {"firstResponseDueAt": "2026-03-03T01:00:00Z", "firstResponseOnTime": False}


def test_an_internal_note_is_not_a_first_response(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.advance(minutes=30)
    noted = service.respond(complaint.id, ResponseRequest(message="called branch", internal=True), AGENT)
    assert noted.status is Status.RECEIVED
    assert noted.first_responded_at is None
    assert noted.version == 2
    event = trail(repo, complaint.id)[-1]
    assert event.action == "note"
    assert event.data["public"] is False


# --- assignment and triage --------------------------------------------------------------------------


def test_assigning_an_acknowledged_complaint_starts_the_work(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = acknowledged(service, clock)
    assigned = service.update(complaint.id, UpdateRequest(assignee="agent-7", version=2), SUPERVISOR)
    assert assigned.status is Status.IN_PROGRESS
    assert assigned.assignee == "agent-7"


def test_assigning_a_received_complaint_keeps_it_received(service: ComplaintService) -> None:
    complaint = submit(service)
    assigned = service.update(complaint.id, UpdateRequest(assignee="agent-7", version=1), SUPERVISOR)
    assert assigned.status is Status.RECEIVED
    assert assigned.assignee == "agent-7"


def test_triage_that_changes_the_priority_rederives_deadlines_from_receipt(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.advance(hours=1)
    critical = service.update(complaint.id, UpdateRequest(priority=Priority.CRITICAL, version=1), SUPERVISOR)
    # seed critical: 4 h / 24 h after receipt (T0), not after the triage
    assert critical.deadlines.first_response_due_at == T0 + timedelta(hours=4)
    assert critical.deadlines.resolution_due_at == T0 + timedelta(hours=24)


def test_triage_after_a_pause_keeps_the_paused_time(service: ComplaintService, clock: FakeClock) -> None:
    complaint = acknowledged(service, clock)  # T0 + 1 h
    clock.advance(hours=1)
    service.pause(complaint.id, pause("need statement"), AGENT)  # T0 + 2 h
    clock.advance(hours=3)
    service.resume(complaint.id, OptionalReasonRequest(), AGENT)  # T0 + 5 h: 3 h paused
    critical = service.update(complaint.id, UpdateRequest(priority=Priority.CRITICAL), SUPERVISOR)
    # seed critical: 24 h after receipt, and the 3 h the clock stood still still count: T0 + 27 h.
    assert critical.paused_seconds == 3 * 3600
    assert critical.deadlines.resolution_due_at == T0 + timedelta(hours=27)
    # The first response was given at T0 + 1 h, on time against T0 + 24 h (+ 3 h paused): decided
    # then, its deadline is not derived again (critical would have made it T0 + 7 h).
    assert critical.deadlines.first_response_due_at == T0 + timedelta(hours=27)


def test_triage_after_an_extension_keeps_the_extension(service: ComplaintService) -> None:
    complaint = submit(service, slaPolicy="cbirc-2020")
    extended = service.extend(complaint.id, reason("needs branch records"), SUPERVISOR)
    # receipt day 2 March (Shanghai); the extension moved resolution to 30 days: 1 April 23:59:59 CST
    assert extended.deadlines.resolution_due_at == datetime(2026, 4, 1, 15, 59, 59, tzinfo=UTC)
    # cbirc-2020 does not depend on priority, so re-triage must not take the granted extension back
    triaged = service.update(complaint.id, UpdateRequest(priority=Priority.HIGH), SUPERVISOR)
    assert triaged.extensions == 1
    assert triaged.deadlines.resolution_due_at == datetime(2026, 4, 1, 15, 59, 59, tzinfo=UTC)


# --- the paused clock -------------------------------------------------------------------------------


def test_pause_and_resume_shift_the_deadlines_by_the_paused_time(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = acknowledged(service, clock)  # T0 + 1 h
    paused_at = clock.advance(hours=1)  # T0 + 2 h
    paused = service.pause(complaint.id, pause("need statement"), AGENT)
    assert paused.status is Status.AWAITING_CUSTOMER
    assert paused.paused_at == paused_at
    # seed: at most 10 days in all, so by default until 12 March 03:00 UTC
    assert paused.paused_until == datetime(2026, 3, 12, 3, 0, tzinfo=UTC)
    assert paused.deadlines == complaint.deadlines  # nothing moves until the clock restarts
    assert trail(repo, complaint.id)[-1].data == {
        "reason": "need statement",
        "needed": "your bank statement of February",
        "until": "2026-03-12T03:00:00Z",
    }

    clock.advance(hours=3, minutes=15)  # T0 + 5 h 15 min
    resumed = service.resume(complaint.id, OptionalReasonRequest(reason="statement received"), AGENT)
    assert resumed.status is Status.IN_PROGRESS
    assert resumed.paused_at is None
    assert (resumed.paused_until, resumed.pause_needed) == (None, None)
    assert resumed.paused_seconds == 3 * 3600 + 15 * 60
    # seed: T0 + 24 h and T0 + 48 h, each moved by 3 h 15 min
    assert resumed.deadlines.first_response_due_at == T0 + timedelta(hours=27, minutes=15)
    assert resumed.deadlines.resolution_due_at == T0 + timedelta(hours=51, minutes=15)
    assert trail(repo, complaint.id)[-1].data == {"reason": "statement received"}

    # a second pause adds up, and may last only what is left of the 10 days
    again_paused = service.pause(complaint.id, pause(), AGENT)
    assert again_paused.paused_until == clock.now + timedelta(days=10) - timedelta(hours=3, minutes=15)
    clock.advance(minutes=45)
    again = service.resume(complaint.id, OptionalReasonRequest(), AGENT)
    assert again.paused_seconds == 4 * 3600
    assert again.deadlines.resolution_due_at == T0 + timedelta(hours=52)


def test_resolving_while_paused_stops_the_pause(service: ComplaintService, clock: FakeClock) -> None:
    complaint = acknowledged(service, clock)
    service.pause(complaint.id, pause(), AGENT)
    clock.advance(hours=2)
    resolved = service.resolve(complaint.id, resolve_request(), AGENT)
    assert resolved.status is Status.RESOLVED
    assert resolved.paused_at is None
    assert resolved.paused_seconds == 7200
    assert resolved.deadlines.resolution_due_at == T0 + timedelta(hours=50)


def test_withdrawing_while_paused_stops_the_pause(service: ComplaintService, clock: FakeClock) -> None:
    complaint = acknowledged(service, clock)
    service.pause(complaint.id, pause(), AGENT)
    withdrawn_at = clock.advance(minutes=30)
    withdrawn = service.withdraw(complaint.id, withdrawal(withdrawn_at), AGENT)
    assert withdrawn.status is Status.WITHDRAWN
    assert withdrawn.withdrawn_at == withdrawn_at
    assert withdrawn.paused_at is None
    assert withdrawn.paused_seconds == 1800


# --- resolution, closing, reopening -----------------------------------------------------------------


def test_resolve_sets_first_responded_at_when_missing(service: ComplaintService, clock: FakeClock) -> None:
    complaint = submit(service)
    resolved_at = clock.advance(hours=5)
    resolved = service.resolve(complaint.id, resolve_request(1), AGENT)
    assert resolved.status is Status.RESOLVED
    assert resolved.resolved_at == resolved_at
    assert resolved.first_responded_at == resolved_at
    assert resolved.resolution is not None
    assert resolved.resolution.outcome is Outcome.UPHELD
    assert resolved.resolution.root_cause == "batch replay"


def test_resolve_keeps_an_earlier_first_response(service: ComplaintService, clock: FakeClock) -> None:
    complaint = acknowledged(service, clock)
    clock.advance(hours=5)
    resolved = service.resolve(complaint.id, resolve_request(), AGENT)
    assert resolved.first_responded_at == T0 + timedelta(hours=1)


def test_close_then_nothing_more(service: ComplaintService, clock: FakeClock) -> None:
    complaint = submit(service)
    service.resolve(complaint.id, resolve_request(), AGENT)
    closed_at = clock.advance(days=3)
    closed = service.close(complaint.id, accepted_by_phone(closed_at), AGENT)
    assert closed.status is Status.CLOSED
    assert closed.closed_at == closed_at
    with pytest.raises(IllegalTransition, match="closed"):
        service.reopen(complaint.id, reason(), AGENT)


def test_reopen_a_disputed_resolution(service: ComplaintService, clock: FakeClock) -> None:
    complaint = submit(service)
    service.resolve(complaint.id, resolve_request(), AGENT)
    clock.advance(days=1)
    reopened = service.reopen(complaint.id, reason("customer disagrees"), AGENT)
    assert reopened.status is Status.IN_PROGRESS
    assert reopened.resolved_at is None
    assert reopened.reopen_count == 1


# --- escalation -------------------------------------------------------------------------------------


def test_escalation_stops_at_level_3(service: ComplaintService, repo: InMemoryComplaintRepository) -> None:
    complaint = submit(service)
    levels = [service.escalate(complaint.id, reason(), SUPERVISOR).escalation_level for _ in range(3)]
    assert levels == [1, 2, 3]
    with pytest.raises(IllegalTransition, match="3"):
        service.escalate(complaint.id, reason(), SUPERVISOR)
    stored = repo.get(complaint.id)
    assert stored.escalation_level == 3
    assert stored.version == 4
    assert len(trail(repo, complaint.id)) == 4


# --- extensions -------------------------------------------------------------------------------------


def test_extend_is_refused_when_the_policy_allows_none(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service)  # seed: no extensions
    with pytest.raises(IllegalTransition, match="seed"):
        service.extend(complaint.id, reason("complex case"), SUPERVISOR)
    assert repo.get(complaint.id) == complaint


def test_cbirc_extensions_climb_the_ladder_then_stop(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service, slaPolicy="cbirc-2020")
    # T0 = 2 March 09:00 in Shanghai. 15 days → 17 March; 30 → 1 April; 60 → 1 May.
    # 23:59:59 CST = 15:59:59Z.
    assert complaint.deadlines.resolution_due_at == datetime(2026, 3, 17, 15, 59, 59, tzinfo=UTC)
    once = service.extend(complaint.id, reason("needs branch records"), SUPERVISOR)
    assert once.deadlines.resolution_due_at == datetime(2026, 4, 1, 15, 59, 59, tzinfo=UTC)
    assert once.deadlines.first_response_due_at == complaint.deadlines.first_response_due_at
    assert once.extensions == 1
    twice = service.extend(complaint.id, reason("approved by head office"), SUPERVISOR)
    assert twice.deadlines.resolution_due_at == datetime(2026, 5, 1, 15, 59, 59, tzinfo=UTC)
    assert twice.extensions == 2
    with pytest.raises(IllegalTransition, match="no further extension"):
        service.extend(complaint.id, reason("again"), SUPERVISOR)
    assert repo.get(complaint.id) == twice
    assert trail(repo, complaint.id)[-1].data == {"reason": "approved by head office"}


def test_extend_is_refused_once_the_deadline_has_passed(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service, slaPolicy="cbirc-2020")
    clock.now = datetime(2026, 3, 17, 16, 0, 0, tzinfo=UTC)  # one second past 2026-03-17T15:59:59Z
    with pytest.raises(IllegalTransition, match="passed"):
        service.extend(complaint.id, reason("late"), SUPERVISOR)
    assert repo.get(complaint.id) == complaint


@pytest.mark.parametrize("policy", ["cbirc-2020", "fca-disp", "cfpb"])
def test_a_policy_that_stops_no_clock_refuses_a_pause(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock, policy: str
) -> None:
    """Their deadlines run from receipt whatever the bank waits for (sla/policies.py): the complaint
    is not paused, and the answer says what to do instead."""
    complaint = acknowledged(service, clock, slaPolicy=policy)
    with pytest.raises(IllegalTransition, match=f"the {policy} policy does not stop the clock") as refused:
        service.pause(complaint.id, pause(), AGENT)
    assert refused.value.details[0]["field"] == "slaPolicy"
    assert repo.get(complaint.id) == complaint


# --- lists ------------------------------------------------------------------------------------------


def test_list_passes_the_query_to_the_repository(service: ComplaintService, clock: FakeClock) -> None:
    first = submit(service)
    clock.advance(minutes=1)
    second = submit(service, channel="hotline")
    page = service.list(ComplaintQuery(), AGENT)
    assert [c.id for c in page.items] == [second.id, first.id]
    assert [c.id for c in service.list(ComplaintQuery(channel="hotline"), AGENT).items] == [second.id]


# --- access: each use case applies core/access on the complaint it reads -------------------------------

OTHER_APP = caller_from_claims({"client_id": "mobile-app", "scope": "complaint-guard/complaints.read"})
LOANS_AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:loans"], "username": "agent-9", "scope": "complaint-guard/staff"}
)
MANAGER = caller_from_claims(
    {"cognito:groups": ["manager"], "username": "mgr-1", "scope": "complaint-guard/staff"}
)


def test_a_channel_app_reads_only_what_it_submitted(service: ComplaintService) -> None:
    complaint = submit(service)
    assert service.read(complaint.id, CHANNEL_APP) == complaint
    with pytest.raises(NotFound) as hidden:
        service.read(complaint.id, OTHER_APP)
    with pytest.raises(NotFound) as unknown:
        service.read("no-such-id", OTHER_APP)
    assert hidden.value.message == unknown.value.message.replace("no-such-id", complaint.id)


def test_staff_of_another_team_may_neither_read_nor_change_and_nothing_is_written(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service)
    writes = repo.writes
    with pytest.raises(Forbidden, match="intake queue"):
        service.read(complaint.id, LOANS_AGENT)
    with pytest.raises(Forbidden, match="your teams"):
        service.update(complaint.id, UpdateRequest(team="loans", version=1), LOANS_AGENT)
    with pytest.raises(Forbidden):
        service.read_events(complaint.id, LOANS_AGENT, 10, None)
    assert repo.writes == writes


def test_a_change_is_checked_on_the_complaint_as_it_is_now(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    """Moved to another team between the agent's read and write, the complaint is no longer theirs:
    the unversioned change is re-read and refused, not applied."""
    complaint = submit(service)
    repo.interleave(lambda: service.update(complaint.id, UpdateRequest(team="loans"), SUPERVISOR))
    with pytest.raises(Forbidden, match="team loans"):
        service.escalate(complaint.id, reason("customer called again"), AGENT)
    assert repo.get(complaint.id).escalation_level == 0


def test_the_listing_holds_the_callers_teams_only_unless_they_read_bank_wide(
    service: ComplaintService, clock: FakeClock
) -> None:
    in_intake = submit(service)
    clock.advance(minutes=1)
    in_cards = service.update(submit(service).id, UpdateRequest(team="cards", version=1), AGENT)
    clock.advance(minutes=1)
    in_loans = service.update(submit(service).id, UpdateRequest(team="loans", version=1), AGENT)
    assert [c.id for c in service.list(ComplaintQuery(), AGENT).items] == [in_cards.id, in_intake.id]
    assert [c.id for c in service.list(ComplaintQuery(), LOANS_AGENT).items] == [in_loans.id]
    everything = [in_loans.id, in_cards.id, in_intake.id]
    assert [c.id for c in service.list(ComplaintQuery(), MANAGER).items] == everything
    nobody = caller_from_claims(
        {"cognito:groups": ["agent"], "username": "new-1", "scope": "complaint-guard/staff"}
    )
    with pytest.raises(Forbidden, match="no team"):
        service.list(ComplaintQuery(), nobody)


def test_compliance_adds_a_note_but_may_not_respond(service: ComplaintService) -> None:
    compliance = caller_from_claims(
        {"cognito:groups": ["compliance"], "username": "legal-1", "scope": "complaint-guard/staff"}
    )
    complaint = submit(service)
    note = ResponseRequest(message="Checked: no breach.", internal=True)
    noted = service.respond(complaint.id, note, compliance)
    assert noted.version == 2 and noted.status is Status.RECEIVED
    with pytest.raises(Forbidden, match="work complaints"):
        service.respond(complaint.id, ResponseRequest(message="Hello"), compliance)
