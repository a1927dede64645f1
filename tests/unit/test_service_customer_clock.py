"""Issue 12: every open complaint has a running clock or a bounded pause, and there is no way to bury
one (docs/architecture.md §2, §3; docs/decisions.md). Over the in-memory repository, a clock the test
moves and the customer's tracking link.

Times are worked out by hand. T0 = Monday 2 March 2026 01:00 UTC (09:00 in Shanghai, 01:00 in London).
Seed: first response 24 h, resolution 48 h, critical 4 h / 24 h; a pause of at most 10 days in all;
7 days of cooling-off after a resolution, to 23:59:59 Shanghai time of the 7th day after.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes import T0, FakeClock, FakeTracker, FixedSecretProvider, InMemoryComplaintRepository
from pydantic import ValidationError

from complaints.core.auth import SLA_SWEEP, caller_from_claims
from complaints.core.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from complaints.core.models import (
    Attachment,
    AuditEvent,
    Complaint,
    Priority,
    Product,
    ReceivedVia,
    ScanStatus,
    Status,
)
from complaints.intake.commands import (
    CloseRequest,
    IntakeRequest,
    PauseRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    UpdateRequest,
    WithdrawRequest,
)
from complaints.intake.service import (
    COOLING_OFF_ENDED,
    PAUSE_LIMIT_REACHED,
    AcceptanceRequired,
    ComplaintService,
)
from complaints.tracking.links import TRACKING_LINK_LIFETIME, SigningKey, tracking_token
from complaints.tracking.service import (
    CustomerReplyRequest,
    CustomerWithdrawRequest,
    TimelineKind,
    TrackingService,
)

H = timedelta(hours=1)
DAY = timedelta(days=1)
KEY = SigningKey("t2", "k" * 40)

APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
OTHER_APP = caller_from_claims({"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
)
SUPERVISOR = caller_from_claims(
    {"cognito:groups": ["supervisor", "team:intake"], "username": "sup-1", "scope": "complaint-guard/staff"}
)
NEEDED = "your bank statement of February"


@pytest.fixture
def tracking(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> TrackingService:
    return TrackingService(service, repo, FixedSecretProvider("k" * 40, "t2"), clock=clock)


def submit(service: ComplaintService, **overrides: Any) -> Complaint:
    body: dict[str, Any] = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice for one transfer.",
    }
    return service.intake(IntakeRequest.model_validate(body | overrides), APP)


def answered(service: ComplaintService, clock: FakeClock, **overrides: Any) -> Complaint:
    """Received at T0, answered at T0 + 1 h."""
    complaint = submit(service, **overrides)
    clock.advance(hours=1)
    return service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)


def resolved(service: ComplaintService, clock: FakeClock, **overrides: Any) -> Complaint:
    """Answered at T0 + 1 h, resolved at T0 + 5 h (2 March 14:00 in Shanghai)."""
    complaint = answered(service, clock, **overrides)
    clock.advance(hours=4)
    return service.resolve(
        complaint.id,
        ResolveRequest(outcome="upheld", summary="Refunded the duplicate.", root_cause="batch replay"),
        AGENT,
    )


def token(complaint: Complaint) -> str:
    return tracking_token(complaint.id, KEY, T0 + TRACKING_LINK_LIFETIME)


def last(repo: InMemoryComplaintRepository, complaint: Complaint) -> AuditEvent:
    return repo.events_by_complaint[complaint.id][-1]


def pause(until: datetime | None = None) -> PauseRequest:
    return PauseRequest(reason="the statement shows the second debit", needed=NEEDED, until=until)


# --- the bounded pause --------------------------------------------------------------------------------


def test_a_pause_says_what_is_needed() -> None:
    with pytest.raises(ValidationError) as refused:
        PauseRequest.model_validate({"reason": "need the statement"})
    assert [error["loc"] for error in refused.value.errors()] == [("needed",)]


def test_a_pause_may_end_earlier_than_the_policys_limit_but_never_later(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = answered(service, clock)  # T0 + 1 h
    latest = T0 + H + 10 * DAY  # 12 March 02:00
    for wrong in (latest + timedelta(seconds=1), T0):
        with pytest.raises(InvalidInput) as refused:
            service.pause(complaint.id, pause(until=wrong), AGENT)
        assert refused.value.details[0]["field"] == "until"
    assert repo.get(complaint.id).status is Status.ACKNOWLEDGED

    paused = service.pause(complaint.id, pause(until=T0 + 3 * DAY), AGENT)
    assert paused.paused_until == T0 + 3 * DAY
    assert paused.pause_needed == NEEDED
    assert last(repo, complaint).data["until"] == "2026-03-05T01:00:00Z"


def test_the_limit_is_10_days_in_all_then_the_clock_cannot_stop_again(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = answered(service, clock)
    service.pause(complaint.id, pause(), AGENT)
    clock.advance(days=4)
    service.resume(complaint.id, ReasonRequest(reason="statement received by post"), AGENT)
    # 6 days are left
    again = service.pause(complaint.id, pause(), AGENT)
    assert again.paused_until == clock.now + 6 * DAY
    clock.advance(days=6)
    service.resume(complaint.id, ReasonRequest(reason="second statement received"), AGENT)
    with pytest.raises(IllegalTransition, match="already stood still for 10 days") as refused:
        service.pause(complaint.id, pause(), AGENT)
    assert refused.value.details[0]["field"] == "pausedSeconds"
    assert repo.get(complaint.id).status is Status.IN_PROGRESS


def test_the_customer_answers_through_the_link_and_the_clock_restarts(
    service: ComplaintService,
    tracking: TrackingService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
    tracker: FakeTracker,
) -> None:
    complaint = answered(service, clock)
    service.pause(complaint.id, pause(), AGENT)  # T0 + 1 h
    view = tracking.view(complaint.id, token(complaint))
    assert view.can_reply and view.information_needed == NEEDED
    assert view.reply_by == T0 + H + 10 * DAY
    # a statement the customer attached first (complaints/attachments lists it through the change path)
    statement = Attachment(
        id="att-1",
        file_name="statement.pdf",
        content_type="application/pdf",
        size=1024,
        added_by="customer",
        added_at=clock.now,
        scan_status=ScanStatus.PENDING,
    )
    repo.complaints[complaint.id] = repo.complaints[complaint.id].model_copy(
        update={"attachments": [statement]}
    )

    clock.advance(hours=30)
    with pytest.raises(InvalidInput) as unknown:
        tracking.reply(
            complaint.id,
            token(complaint),
            CustomerReplyRequest(message="Here it is", attachment_ids=["att-9"]),
        )
    assert unknown.value.details[0]["field"] == "attachmentIds"
    assert repo.get(complaint.id).status is Status.AWAITING_CUSTOMER

    answer = CustomerReplyRequest(message="Here is my statement.", attachment_ids=["att-1"])
    view = tracking.reply(complaint.id, token(complaint), answer)
    assert view.status is Status.IN_PROGRESS and not view.can_reply
    stored = repo.get(complaint.id)
    # the clock stood still 30 h: seed's resolution deadline T0 + 48 h moves to T0 + 78 h
    assert stored.deadlines.resolution_due_at == T0 + 78 * H
    assert (stored.paused_at, stored.paused_until, stored.pause_needed) == (None, None, None)
    event = last(repo, complaint)
    assert (event.action, event.actor.id, event.data) == (
        "resume",
        "customer",
        {"message": "Here is my statement.", "attachmentIds": ["att-1"]},
    )
    # the tracker runs again, a new generation
    assert tracker.running == {f"{complaint.id}--2"}
    kinds = [entry.kind for entry in view.timeline]
    assert kinds[-2:] == [TimelineKind.INFORMATION_REQUESTED, TimelineKind.CUSTOMER_REPLY]
    assert [entry.message for entry in view.timeline][-2:] == [NEEDED, "Here is my statement."]

    with pytest.raises(IllegalTransition):  # nothing is awaited of them any more
        tracking.reply(complaint.id, token(complaint), CustomerReplyRequest(message="And again"))


def test_halfway_through_the_pause_the_customer_is_reminded_once(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = answered(service, clock)
    service.pause(complaint.id, pause(until=T0 + H + 4 * DAY), AGENT)  # halfway: T0 + 1 h + 2 days
    clock.now = T0 + H + 2 * DAY - timedelta(seconds=1)
    with pytest.raises(IllegalTransition):
        service.remind_customer(complaint.id, SLA_SWEEP)
    clock.now = T0 + H + 2 * DAY
    reminded = service.remind_customer(complaint.id, SLA_SWEEP)
    assert reminded.pause_reminded_at == clock.now
    assert reminded.status is Status.AWAITING_CUSTOMER
    event = last(repo, complaint)
    assert (event.action, event.actor.id) == ("remind_customer", "sla-sweep")
    assert event.data == {"needed": NEEDED, "until": "2026-03-06T02:00:00Z"}
    with pytest.raises(IllegalTransition):
        service.remind_customer(complaint.id, SLA_SWEEP)
    with pytest.raises(Forbidden):  # the system's work, not staff's
        service.remind_customer(complaint.id, AGENT)


def test_at_the_end_of_the_pause_the_system_resumes_it_as_of_that_moment(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock, tracker: FakeTracker
) -> None:
    complaint = answered(service, clock)
    service.pause(complaint.id, pause(), AGENT)  # T0 + 1 h, until T0 + 1 h + 10 days
    clock.now = T0 + H + 10 * DAY - timedelta(seconds=1)
    with pytest.raises(IllegalTransition):
        service.end_pause(complaint.id, SLA_SWEEP)

    clock.now = T0 + H + 10 * DAY + timedelta(minutes=14)  # the sweep came 14 min after the end
    resumed = service.end_pause(complaint.id, SLA_SWEEP)
    assert resumed.status is Status.IN_PROGRESS
    # moved by exactly the 10 days the clock stood still, not by the sweep's delay
    assert resumed.paused_seconds == 10 * 86400
    assert resumed.deadlines.resolution_due_at == T0 + 48 * H + 10 * DAY
    event = last(repo, complaint)
    assert (event.action, event.actor.id, event.data) == (
        "resume",
        "sla-sweep",
        {"reason": PAUSE_LIMIT_REACHED},
    )
    assert tracker.running == {f"{complaint.id}--2"}


# --- withdrawal: only at the customer's request --------------------------------------------------------


def test_a_withdrawal_without_how_and_when_the_customer_asked_is_refused_naming_the_fields() -> None:
    with pytest.raises(ValidationError) as refused:
        WithdrawRequest.model_validate({"reason": "no longer needed"})
    assert {error["loc"] for error in refused.value.errors()} == {("receivedVia",), ("receivedAt",)}
    with pytest.raises(ValidationError) as link:
        WithdrawRequest.model_validate({"receivedVia": "tracking_link", "receivedAt": "2026-03-02T01:00:00Z"})
    assert link.value.errors()[0]["loc"] == ("receivedVia",)


def test_staff_record_the_customers_request_and_the_complaint_ends_when_it_reached_the_bank(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.now = T0 + 30 * H  # recorded the day after the phone call
    asked_at = T0 + 20 * H
    for wrong in (clock.now + H, T0 - H):  # ahead of now; before the complaint was received
        with pytest.raises(InvalidInput) as refused:
            service.withdraw(
                complaint.id, WithdrawRequest(received_via=ReceivedVia.PHONE, received_at=wrong), AGENT
            )
        assert refused.value.details[0]["field"] == "receivedAt"

    request = WithdrawRequest(received_via=ReceivedVia.PHONE, received_at=asked_at, reason="refund arrived")
    withdrawn = service.withdraw(complaint.id, request, AGENT)
    assert withdrawn.status is Status.WITHDRAWN
    # before the first-response deadline (T0 + 24 h): the request's time, not the recording's
    assert withdrawn.withdrawn_at == asked_at
    assert withdrawn.withdrawal is not None
    assert (withdrawn.withdrawal.received_via, withdrawn.withdrawal.recorded_by) == (
        ReceivedVia.PHONE,
        "agent-7",
    )
    assert last(repo, complaint).data == {
        "receivedVia": "phone",
        "receivedAt": "2026-03-02T21:00:00Z",
        "reason": "refund arrived",
    }


def test_the_submitting_channel_app_records_a_withdrawal_and_another_app_learns_nothing(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    request = WithdrawRequest(received_via=ReceivedVia.BRANCH, received_at=clock.now)
    with pytest.raises(NotFound):
        service.withdraw(complaint.id, request, OTHER_APP)
    assert service.withdraw(complaint.id, request, APP).status is Status.WITHDRAWN


def test_the_customer_withdraws_through_the_link(
    service: ComplaintService, tracking: TrackingService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = answered(service, clock)
    assert tracking.view(complaint.id, token(complaint)).can_withdraw
    view = tracking.withdraw(complaint.id, token(complaint), CustomerWithdrawRequest(reason="sorted out"))
    assert view.status is Status.WITHDRAWN and not view.can_withdraw
    assert view.timeline[-1].kind is TimelineKind.WITHDRAWN
    event = last(repo, complaint)
    assert (event.action, event.actor.id) == ("withdraw", "customer")
    assert event.data == {
        "receivedVia": "tracking_link",
        "reason": "sorted out",
        "receivedAt": "2026-03-02T02:00:00Z",
    }


# --- closing: by the customer's acceptance, or at the end of the cooling-off period -----------------


def test_staff_cannot_close_what_the_customer_has_not_accepted(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    # seed: 7 days from 2 March in Shanghai -> 9 March 23:59:59 CST
    assert complaint.closes_at == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)
    with pytest.raises(AcceptanceRequired) as refused:
        service.close(complaint.id, CloseRequest(reason="done"), AGENT)
    assert (refused.value.status, refused.value.code) == (409, "customer_acceptance_required")
    assert "2026-03-09T15:59:59Z" in refused.value.message and "receivedVia" in refused.value.message
    with pytest.raises(InvalidInput) as half:
        service.close(complaint.id, CloseRequest(received_via=ReceivedVia.PHONE), AGENT)
    assert half.value.details[0]["field"] == "receivedAt"
    with pytest.raises(InvalidInput) as early:  # an acceptance of an outcome not yet given
        service.close(complaint.id, CloseRequest(received_via=ReceivedVia.PHONE, received_at=T0 + H), AGENT)
    assert early.value.details[0]["field"] == "receivedAt"
    assert repo.get(complaint.id).status is Status.RESOLVED


def test_staff_close_with_the_customers_acceptance_as_they_received_it(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    clock.advance(hours=2)
    closed = service.close(
        complaint.id, CloseRequest(received_via=ReceivedVia.PHONE, received_at=clock.now - H), AGENT
    )
    assert closed.status is Status.CLOSED and closed.closes_at is None
    assert closed.customer_acceptance is not None
    assert closed.customer_acceptance.received_at == T0 + 6 * H
    assert last(repo, complaint).data == {"receivedVia": "phone", "acceptedAt": "2026-03-02T07:00:00Z"}


def test_the_customer_accepts_through_the_link_then_staff_close_it(
    service: ComplaintService, tracking: TrackingService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    view = tracking.view(complaint.id, token(complaint))
    assert view.can_accept and view.closes_at == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)
    clock.advance(minutes=10)
    view = tracking.accept(complaint.id, token(complaint))
    assert view.status is Status.RESOLVED and not view.can_accept and view.accepted_at == clock.now
    assert view.timeline[-1].kind is TimelineKind.ACCEPTED
    assert (last(repo, complaint).action, last(repo, complaint).actor.id) == ("accept_outcome", "customer")
    with pytest.raises(IllegalTransition):
        tracking.accept(complaint.id, token(complaint))

    closed = service.close(complaint.id, CloseRequest(), AGENT)
    assert closed.status is Status.CLOSED
    assert last(repo, complaint).data == {
        "receivedVia": "tracking_link",
        "acceptedAt": "2026-03-02T06:10:00Z",
    }


def test_undisputed_it_closes_by_itself_when_the_cooling_off_period_ends(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    clock.now = datetime(2026, 3, 9, 15, 59, 58, tzinfo=UTC)
    with pytest.raises(IllegalTransition):
        service.close_after_cooling_off(complaint.id, SLA_SWEEP)
    clock.now = datetime(2026, 3, 9, 16, 5, tzinfo=UTC)
    closed = service.close_after_cooling_off(complaint.id, SLA_SWEEP)
    assert (closed.status, closed.closed_at, closed.customer_acceptance) == (Status.CLOSED, clock.now, None)
    event = last(repo, complaint)
    assert (event.action, event.actor.id, event.data) == ("close", "sla-sweep", {"reason": COOLING_OFF_ENDED})


def test_a_dispute_stops_the_cooling_off_and_takes_back_an_acceptance(
    service: ComplaintService, tracking: TrackingService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    tracking.accept(complaint.id, token(complaint))
    reopened = service.reopen(complaint.id, ReasonRequest(reason="the refund bounced"), AGENT)
    assert (reopened.closes_at, reopened.customer_acceptance) == (None, None)
    with pytest.raises(IllegalTransition):
        service.close_after_cooling_off(complaint.id, SLA_SWEEP)
    clock.advance(hours=3)
    again = service.resolve(
        complaint.id,
        ResolveRequest(outcome="upheld", summary="Refunded again.", root_cause="bounced refund"),
        AGENT,
    )
    # resolved 2 March 17:00 in Shanghai: a new week, to 9 March 23:59:59 CST
    assert again.closes_at == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)
    with pytest.raises(AcceptanceRequired):
        service.close(complaint.id, CloseRequest(), AGENT)


# --- a reopened complaint's own deadline --------------------------------------------------------------


def test_a_reopen_after_the_first_deadline_counts_a_new_one_from_the_reopen(
    service: ComplaintService, clock: FakeClock, tracker: FakeTracker
) -> None:
    complaint = resolved(service, clock)  # resolved T0 + 5 h, well within T0 + 48 h
    clock.now = T0 + 6 * DAY  # the customer disputes it after the first resolution deadline
    reopened = service.reopen(complaint.id, ReasonRequest(reason="the refund never arrived"), AGENT)
    assert reopened.status is Status.IN_PROGRESS
    assert reopened.reopened_at == clock.now
    # seed: 48 h from the reopen; the first response keeps its deadline (it was answered)
    assert reopened.deadlines.resolution_due_at == T0 + 6 * DAY + 48 * H
    assert reopened.deadlines.first_response_due_at == complaint.deadlines.first_response_due_at
    assert reopened.sla_steps == {} and reopened.breaches == []
    assert tracker.running == {f"{complaint.id}--2"}


def test_a_reopened_cbirc_complaint_gets_15_days_from_the_reopen(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock, slaPolicy="cbirc-2020")
    clock.now = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)  # 1 April 10:00 in Shanghai
    reopened = service.reopen(complaint.id, ReasonRequest(reason="disputed"), AGENT)
    # day 15 counted from 2 April: 16 April, 23:59:59 CST = 15:59:59 UTC
    assert reopened.deadlines.resolution_due_at == datetime(2026, 4, 16, 15, 59, 59, tzinfo=UTC)


def test_a_reopened_complaint_that_had_breached_is_watched_again_from_its_resolution_step(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = answered(service, clock)
    # the tracker took `resolution` (opening an accountability record) and `stillOpen`
    steps = {"resolution": T0 + 48 * H, "stillOpen": T0 + 72 * H}
    repo.complaints[complaint.id] = repo.get(complaint.id).model_copy(update={"sla_steps": steps})
    clock.now = T0 + 4 * DAY
    service.resolve(
        complaint.id,
        ResolveRequest(outcome="not_upheld", summary="No error found.", root_cause="none"),
        AGENT,
    )
    clock.advance(days=1)
    reopened = service.reopen(complaint.id, ReasonRequest(reason="disputed"), AGENT)
    # both armed again: a second breach opens a record of its own (one per occasion)
    assert reopened.sla_steps == {}
    assert reopened.deadlines.resolution_due_at == T0 + 5 * DAY + 48 * H


# --- a triage that moves a deadline later is an extension ---------------------------------------------


def test_a_triage_that_moves_a_deadline_later_needs_the_extend_permission_and_a_reason(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service, priority="critical")  # 4 h / 24 h
    clock.advance(hours=1)
    with pytest.raises(Forbidden, match="extend deadlines"):
        service.update(complaint.id, UpdateRequest(priority=Priority.NORMAL, reason="not sensitive"), AGENT)
    with pytest.raises(InvalidInput) as no_reason:
        service.update(complaint.id, UpdateRequest(priority=Priority.NORMAL), SUPERVISOR)
    assert no_reason.value.details[0]["field"] == "reason"
    assert "firstResponseDueAt and resolutionDueAt" in no_reason.value.message
    assert repo.get(complaint.id) == complaint

    updated = service.update(
        complaint.id, UpdateRequest(priority=Priority.NORMAL, reason="not sensitive after all"), SUPERVISOR
    )
    assert updated.deadlines.first_response_due_at == T0 + 24 * H
    assert updated.deadlines.resolution_due_at == T0 + 48 * H
    assert (updated.extensions, updated.triage_extensions) == (1, 1)
    event = last(repo, complaint)
    assert event.data == {"reason": "not sensitive after all"}
    assert (event.changes["extensions"].before, event.changes["extensions"].after) == (0, 1)


def test_a_triage_that_moves_a_deadline_earlier_applies_at_once(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.advance(hours=1)
    critical = service.update(complaint.id, UpdateRequest(priority=Priority.CRITICAL), AGENT)
    assert critical.deadlines.resolution_due_at == T0 + 24 * H
    assert critical.extensions == 0


def test_a_triage_cannot_move_a_passed_deadline_later(service: ComplaintService, clock: FakeClock) -> None:
    complaint = submit(service, priority="critical")
    clock.now = T0 + 5 * H  # the 4 h first-response deadline passed unanswered
    with pytest.raises(IllegalTransition, match="cannot undo a breach") as refused:
        service.update(complaint.id, UpdateRequest(priority=Priority.NORMAL, reason="hide it"), SUPERVISOR)
    assert refused.value.details == [{"field": "deadlines.firstResponseDueAt", "message": "is in the past"}]


def test_a_triage_extension_is_counted_but_takes_no_step_of_the_policys_ladder(
    service: ComplaintService, clock: FakeClock
) -> None:
    """fca-disp: payment services 15 business days, extendable once to 35; other products 56 calendar
    days, not extendable. Received Monday 2 March 01:00 in London (GMT)."""
    complaint = submit(service, slaPolicy="fca-disp")
    assert complaint.deadlines.resolution_due_at == datetime(2026, 4, 27, 22, 59, 59, tzinfo=UTC)  # BST
    payment = service.update(complaint.id, UpdateRequest(product=Product.PAYMENT), AGENT)  # earlier
    # 15 business days from 3 March: 23 March, 23:59:59 GMT
    assert payment.deadlines.resolution_due_at == datetime(2026, 3, 23, 23, 59, 59, tzinfo=UTC)
    extended = service.extend(complaint.id, ReasonRequest(reason="holding reply sent"), SUPERVISOR)
    # 35 business days (Good Friday 3 April and Easter Monday 6 April off): 22 April, 23:59:59 BST
    assert extended.deadlines.resolution_due_at == datetime(2026, 4, 22, 22, 59, 59, tzinfo=UTC)
    other = service.update(
        complaint.id, UpdateRequest(product=Product.OTHER, reason="a card dispute, not a payment"), SUPERVISOR
    )
    assert other.deadlines.resolution_due_at == datetime(2026, 4, 27, 22, 59, 59, tzinfo=UTC)
    assert (other.extensions, other.triage_extensions) == (2, 1)
    back = service.update(complaint.id, UpdateRequest(product=Product.PAYMENT), AGENT)  # earlier again
    # the ladder's one step is still taken: 35 business days, not 15
    assert back.deadlines.resolution_due_at == datetime(2026, 4, 22, 22, 59, 59, tzinfo=UTC)
    with pytest.raises(IllegalTransition, match="no further extension"):
        service.extend(complaint.id, ReasonRequest(reason="again"), SUPERVISOR)
