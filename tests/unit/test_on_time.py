"""The one on-time rule (complaints/sla/on_time.py) and the three places that use it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from complaint_builders import complaint
from fakes import FakeClock, InMemoryComplaintRepository

from complaints.core.auth import caller_from_claims
from complaints.intake.commands import IntakeRequest, ResponseRequest
from complaints.intake.service import ComplaintService
from complaints.reporting.extracts import on_time_answer
from complaints.reporting.kpis import KpiAccumulator
from complaints.sla.on_time import answered_on_time, resolved_on_time

DUE = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
CHANNEL_APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
)


def test_an_answer_exactly_at_the_deadline_is_on_time() -> None:
    assert answered_on_time(DUE, DUE) is True


def test_an_answer_one_microsecond_after_the_deadline_is_late() -> None:
    assert answered_on_time(DUE + MICROSECOND, DUE) is False


def test_an_answer_before_the_deadline_is_on_time() -> None:
    assert answered_on_time(DUE - MICROSECOND, DUE) is True


def test_a_resolution_exactly_at_the_deadline_is_on_time_and_one_microsecond_later_late() -> None:
    assert resolved_on_time(DUE, DUE) is True
    assert resolved_on_time(DUE - MICROSECOND, DUE) is True
    assert resolved_on_time(DUE + MICROSECOND, DUE) is False


def test_the_kpis_and_the_extract_count_the_boundary_the_same_way() -> None:
    received = DUE - timedelta(hours=24)  # the builder's first-response deadline: receipt + 24 h
    at_deadline = complaint(1, received, customer="C-1", responded=24.0)
    just_late = complaint(2, received, customer="C-2", first_responded_at=DUE + MICROSECOND)
    assert at_deadline.deadlines.first_response_due_at == DUE == just_late.deadlines.first_response_due_at
    assert on_time_answer(at_deadline) == "yes"
    assert on_time_answer(just_late) == "no"
    kpis = KpiAccumulator(received, DUE + timedelta(days=1), as_of=DUE + timedelta(days=2))
    kpis.add(at_deadline)
    kpis.add(just_late)
    report = kpis.report()
    assert report.first_responses_on_time == 1
    assert report.first_responses_counted == 2


@pytest.mark.parametrize(("after_deadline", "on_time"), [(timedelta(0), True), (MICROSECOND, False)])
def test_the_audit_trail_records_the_boundary_the_same_way(
    service: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
    after_deadline: timedelta,
    on_time: bool,
) -> None:
    body = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice for one transfer.",
    }
    created = service.intake(IntakeRequest.model_validate(body), CHANNEL_APP)
    clock.now = created.deadlines.first_response_due_at + after_deadline
    service.respond(created.id, ResponseRequest(message="We are looking into it."), AGENT)
    answer = repo.events(created.id, 100, None).items[-1]
    assert answer.data["firstResponseOnTime"] is on_time
