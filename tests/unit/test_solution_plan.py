"""The seed policy's second clock: a complex complaint owes the customer a solution plan (what will be
done, by when) within 48 hours, and the plan's date is its resolution deadline within 15 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes import T0, FakeClock, InMemoryComplaintRepository

from complaints.adapters.dynamodb.table import sla_plan
from complaints.core.auth import caller_from_claims
from complaints.core.errors import Forbidden, IllegalTransition, InvalidInput
from complaints.core.models import Complaint, Status
from complaints.intake.commands import (
    IntakeRequest,
    PauseRequest,
    ReasonRequest,
    ResponseRequest,
    SlaPreviewRequest,
    SolutionPlanRequest,
    UpdateRequest,
)
from complaints.intake.service import ComplaintService
from complaints.reporting.kpis import compute_kpis, solution_plan_on_time
from complaints.sla.escalation import Step, at_risk_pending, next_step, pending_steps

CHANNEL_APP = caller_from_claims(
    {"client_id": "counter-app", "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read"}
)
AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
)
SUPERVISOR = caller_from_claims(
    {"cognito:groups": ["supervisor", "team:intake"], "username": "sup-1", "scope": "complaint-guard/staff"}
)

# T0 is 09:00 on Monday 2 March 2026 in Beijing (01:00Z). A complex complaint received then owes its
# first answer at 01:00Z on the 3rd, its plan at 01:00Z on the 4th, and its outcome by the end of the
# 17th in Beijing (15 calendar days from the 3rd): 15:59:59Z; extended once, the 1 April.
FIRST_RESPONSE_DUE = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
PLAN_DUE = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
LIMIT = datetime(2026, 3, 17, 15, 59, 59, tzinfo=UTC)
EXTENDED_LIMIT = datetime(2026, 4, 1, 15, 59, 59, tzinfo=UTC)


def submit(service: ComplaintService, **overrides: Any) -> Complaint:
    body: dict[str, Any] = {
        "channel": "hotline",
        "customer": {"customerId": "C-9", "name": "Wang Fang", "phone": "+8613800138000"},
        "description": "A card payment I never made: please charge it back.",
        "complexity": "complex",
    }
    return service.intake(IntakeRequest.model_validate(body | overrides), CHANNEL_APP)


def plan(
    resolve_by: datetime, text: str = "We will raise a chargeback with the merchant's bank.", **more: Any
):
    return SolutionPlanRequest.model_validate({"plan": text, "resolveBy": resolve_by.isoformat(), **more})


def test_intake_and_the_preview_give_a_complex_complaint_its_three_deadlines(
    service: ComplaintService,
) -> None:
    complaint = submit(service)
    assert complaint.deadlines.first_response_due_at == FIRST_RESPONSE_DUE
    assert complaint.deadlines.solution_plan_due_at == PLAN_DUE
    assert complaint.deadlines.resolution_due_at == LIMIT
    preview = service.preview(
        SlaPreviewRequest.model_validate({"receivedAt": T0.isoformat(), "complexity": "complex"})
    )
    assert preview == complaint.deadlines
    assert preview.to_json()["solutionPlanDueAt"] == "2026-03-04T01:00:00Z"


def test_the_tracker_waits_for_the_plan_between_the_first_answer_and_the_outcome(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    assert pending_steps(complaint) == [
        Step.FIRST_RESPONSE,
        Step.SOLUTION_PLAN,
        Step.RESOLUTION,
        Step.STILL_OPEN,
    ]
    assert sla_plan(complaint)["solutionPlan"]["deadline"] == "2026-03-04T01:00:00Z"
    assert sla_plan(complaint)["solutionPlan"]["level"] == 2
    clock.advance(hours=2)
    answered = service.respond(complaint.id, ResponseRequest(message="We are on it."), AGENT)
    assert next_step(answered) is Step.SOLUTION_PLAN
    assert Step.SOLUTION_PLAN in at_risk_pending(answered)
    planned = service.give_solution_plan(complaint.id, plan(datetime(2026, 3, 12, 8, 0, tzinfo=UTC)), AGENT)
    assert next_step(planned) is Step.RESOLUTION
    assert Step.SOLUTION_PLAN not in at_risk_pending(planned)
    # the tracker reads no plan step once the plan is given
    assert "solutionPlan" not in sla_plan(planned)


def test_a_plan_sets_the_resolution_deadline_answers_the_customer_and_is_on_time(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.advance(hours=30)  # past the first-answer deadline, before the plan's
    resolve_by = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
    planned = service.give_solution_plan(complaint.id, plan(resolve_by), AGENT)
    assert planned.status is Status.ACKNOWLEDGED  # the plan is the customer's first answer
    assert planned.first_responded_at == T0 + timedelta(hours=30)
    assert planned.deadlines.resolution_due_at == resolve_by
    assert planned.deadlines.solution_plan_due_at == PLAN_DUE
    assert planned.solution_plan is not None
    assert planned.solution_plan.given_by == "agent-7"
    event = repo.events(complaint.id, 10, None).items[-1]
    assert event.action == "give_solution_plan"
    assert event.data["resolveBy"] == "2026-03-12T08:00:00Z"
    assert event.data["solutionPlanOnTime"] is True
    assert event.data["firstResponseOnTime"] is False  # 30 h after receipt, due at 24 h
    assert solution_plan_on_time(planned, clock.now) is True


@pytest.mark.parametrize(
    ("resolve_by", "message"),
    [(LIMIT + timedelta(seconds=1), "at most 2026-03-17T15:59:59Z"), (T0 - timedelta(hours=1), "future")],
)
def test_a_plan_dated_beyond_the_policy_limit_or_in_the_past_names_resolve_by(
    service: ComplaintService, repo: InMemoryComplaintRepository, resolve_by: datetime, message: str
) -> None:
    complaint = submit(service)
    with pytest.raises(InvalidInput, match=message) as refused:
        service.give_solution_plan(complaint.id, plan(resolve_by), AGENT)
    assert refused.value.details[0]["field"] == "resolveBy"
    assert repo.get(complaint.id) == complaint


def test_a_complaint_that_owes_no_plan_refuses_one(service: ComplaintService) -> None:
    simple = submit(service, complexity="simple")
    with pytest.raises(IllegalTransition, match="no solution plan"):
        service.give_solution_plan(simple.id, plan(T0 + timedelta(days=1)), AGENT)
    regulated = submit(service, slaPolicy="cbirc-2020")
    with pytest.raises(IllegalTransition, match="cbirc-2020"):
        service.give_solution_plan(regulated.id, plan(T0 + timedelta(days=1)), AGENT)


def test_a_revision_that_moves_the_date_later_is_an_extension_for_a_supervisor_with_a_reason(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service)
    first = service.give_solution_plan(complaint.id, plan(datetime(2026, 3, 10, tzinfo=UTC)), AGENT)
    later = datetime(2026, 3, 14, tzinfo=UTC)
    with pytest.raises(Forbidden):
        service.give_solution_plan(complaint.id, plan(later, reason="merchant slow"), AGENT)
    with pytest.raises(InvalidInput, match="extension") as refused:
        service.give_solution_plan(complaint.id, plan(later), SUPERVISOR)
    assert refused.value.details[0]["field"] == "reason"
    assert repo.get(complaint.id) == first
    revised = service.give_solution_plan(
        complaint.id, plan(later, reason="the merchant's bank asked 2 days"), SUPERVISOR
    )
    assert revised.deadlines.resolution_due_at == later
    assert revised.extensions == 1
    assert revised.solution_plan is not None and first.solution_plan is not None
    assert (
        revised.solution_plan.first_given_at == first.solution_plan.first_given_at
    )  # the milestone stays met
    # earlier again: at once, by the agent
    sooner = service.give_solution_plan(complaint.id, plan(datetime(2026, 3, 9, tzinfo=UTC)), AGENT)
    assert sooner.deadlines.resolution_due_at == datetime(2026, 3, 9, tzinfo=UTC)
    assert sooner.extensions == 1


def test_a_supervisors_extension_after_the_plan_moves_the_deadline_to_the_extended_limit(
    service: ComplaintService,
) -> None:
    complaint = submit(service)
    service.give_solution_plan(complaint.id, plan(datetime(2026, 3, 10, tzinfo=UTC)), AGENT)
    extended = service.extend(complaint.id, ReasonRequest(reason="awaiting the card scheme"), SUPERVISOR)
    assert extended.deadlines.resolution_due_at == EXTENDED_LIMIT
    with pytest.raises(IllegalTransition, match="no further extension"):
        service.extend(complaint.id, ReasonRequest(reason="again"), SUPERVISOR)


def test_making_a_complaint_complex_lengthens_its_resolution_so_an_agent_may_not(
    service: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submit(service, complexity="simple")
    with pytest.raises(Forbidden):
        service.update(complaint.id, UpdateRequest(complexity="complex", reason="a fraud case"), AGENT)
    assert repo.get(complaint.id) == complaint
    complex_now = service.update(
        complaint.id, UpdateRequest(complexity="complex", reason="a fraud case"), SUPERVISOR
    )
    assert complex_now.deadlines.solution_plan_due_at == PLAN_DUE
    assert complex_now.deadlines.resolution_due_at == LIMIT
    assert complex_now.extensions == 1


def test_a_planned_complaint_made_simple_keeps_its_plan_date_unless_the_new_limit_is_earlier(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    service.give_solution_plan(complaint.id, plan(datetime(2026, 3, 10, tzinfo=UTC)), AGENT)
    simple = service.update(complaint.id, UpdateRequest(complexity="simple"), AGENT)
    # simple: 48 h from receipt, earlier than the plan's date: it applies at once
    assert simple.deadlines.resolution_due_at == T0 + timedelta(hours=48)


def test_a_pause_moves_the_plan_milestone_with_the_other_deadlines(
    service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.advance(hours=1)
    service.respond(complaint.id, ResponseRequest(message="We are on it."), AGENT)
    paused = PauseRequest(reason="need the statement", needed="your card statement")
    service.pause(complaint.id, paused, AGENT)
    clock.advance(hours=5)
    resumed = service.resume(complaint.id, ReasonRequest(reason="statement received"), AGENT)  # type: ignore[arg-type]
    assert resumed.deadlines.solution_plan_due_at == PLAN_DUE + timedelta(hours=5)
    assert resumed.deadlines.resolution_due_at == LIMIT + timedelta(hours=5)


def test_the_kpis_count_plans_on_time_late_and_still_owed(
    service: ComplaintService, clock: FakeClock
) -> None:
    on_time = submit(service)
    late = submit(service)
    owed = submit(service)
    clock.advance(hours=1)
    not_yet_due = submit(service)  # received an hour later: its plan is due at 02:00Z on the 4th
    service.give_solution_plan(on_time.id, plan(datetime(2026, 3, 10, tzinfo=UTC)), AGENT)
    clock.now = PLAN_DUE + timedelta(minutes=1)
    service.give_solution_plan(late.id, plan(datetime(2026, 3, 10, tzinfo=UTC)), AGENT)
    complaints = [service.get(item.id) for item in (on_time, late, owed, not_yet_due)]
    as_of = PLAN_DUE + timedelta(minutes=30)  # the 4th complaint's plan is due at 02:00Z
    report = compute_kpis(
        complaints, [], period_from=T0 - timedelta(days=1), period_to=T0 + timedelta(days=1), as_of=as_of
    ).to_json()
    # on time: 1; counted: on time, late, owed past its deadline = 3; not yet due: neither
    assert (report["solutionPlansOnTime"], report["solutionPlansCounted"]) == (1, 3)
    assert report["solutionPlanOnTimeRate"] == pytest.approx(1 / 3)
