"""An action sent without a version is applied to the complaint as it is now (issue 11, item 4): a
background write between the service's read and its write (an escalation, a tracker restart, another
caller) is retried inside `change`, never answered 409; with a version given it stays a 409."""

from __future__ import annotations

import pytest
from fakes import FakeClock, FakeTracker, InMemoryComplaintRepository, SequentialIds

from complaints.core.auth import SLA_SWEEP, caller_from_claims
from complaints.core.errors import IllegalTransition, VersionConflict
from complaints.core.events import EventName
from complaints.core.models import Complaint, ReceivedVia, Status
from complaints.intake.commands import (
    IntakeRequest,
    ReasonRequest,
    ResponseRequest,
    UpdateRequest,
    WithdrawRequest,
)
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import _UNVERSIONED_ATTEMPTS, ComplaintService
from complaints.sla.escalation import Step

CHANNEL_APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims(
    {
        "cognito:groups": ["agent", "team:intake", "team:cards"],
        "username": "agent-7",
        "scope": "complaint-guard/staff",
    }
)
SUPERVISOR = caller_from_claims(
    {
        "cognito:groups": ["supervisor", "team:intake", "team:cards"],
        "username": "sup-1",
        "scope": "complaint-guard/staff",
    }
)


@pytest.fixture
def background(repo: InMemoryComplaintRepository, clock: FakeClock) -> ComplaintService:
    """Another writer on the same repository (the SLA tracker's escalations, another caller)."""
    return ComplaintService(repo, FakeTracker(), clock=clock, ids=SequentialIds("bg"))


def submitted(service: ComplaintService) -> Complaint:
    request = IntakeRequest.model_validate(
        {
            "channel": "counter",
            "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
            "description": "Charged twice for one transfer.",
        }
    )
    return service.intake(request, CHANNEL_APP)


def escalation(background: ComplaintService, complaint_id: str) -> None:
    background.escalate(complaint_id, ReasonRequest(reason="first response deadline passed"), SUPERVISOR)


def test_an_unversioned_response_is_applied_after_a_concurrent_escalation(
    service: ComplaintService, background: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submitted(service)
    repo.interleave(lambda: escalation(background, complaint.id))
    answered = service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)
    assert answered.version == 3
    assert answered.status is Status.ACKNOWLEDGED
    assert answered.escalation_level == 1  # the escalation is kept, not overwritten
    assert repo.get(complaint.id) == answered
    actions = [event.action for event in repo.events(complaint.id, 10, None).items]
    assert actions == ["receive", "escalate", "respond"]  # the message recorded (and sent) once
    assert repo.refused_updates == 1


def test_an_unversioned_change_is_retried_until_it_lands(
    service: ComplaintService, background: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submitted(service)
    races = _UNVERSIONED_ATTEMPTS - 1  # the last attempt lands
    repo.interleave(
        lambda: escalation(background, complaint.id),
        *[
            lambda n=n: background.update(complaint.id, UpdateRequest(subcategory=f"race-{n}"), SUPERVISOR)
            for n in range(races - 1)
        ],
    )
    updated = service.update(complaint.id, UpdateRequest(assignee="agent-7"), AGENT)
    assert updated.assignee == "agent-7"
    assert updated.version == 2 + races
    assert repo.refused_updates == races


def test_an_unversioned_change_gives_up_after_its_attempts(
    service: ComplaintService, background: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submitted(service)
    repo.interleave(
        *[
            lambda n=n: background.update(complaint.id, UpdateRequest(subcategory=f"race-{n}"), SUPERVISOR)
            for n in range(_UNVERSIONED_ATTEMPTS)
        ]
    )
    with pytest.raises(VersionConflict):
        service.update(complaint.id, UpdateRequest(assignee="agent-7"), AGENT)
    assert repo.refused_updates == _UNVERSIONED_ATTEMPTS
    assert repo.get(complaint.id).assignee is None


def test_a_versioned_change_that_lost_the_race_stays_a_conflict(
    service: ComplaintService, background: ComplaintService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submitted(service)
    repo.interleave(lambda: escalation(background, complaint.id))
    with pytest.raises(VersionConflict):
        service.respond(complaint.id, ResponseRequest(message="hello", version=1), AGENT)
    assert repo.refused_updates == 1
    assert [event.action for event in repo.events(complaint.id, 10, None).items] == ["receive", "escalate"]


def test_the_retry_reapplies_the_action_to_the_complaint_as_it_is_now(
    service: ComplaintService,
    background: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
) -> None:
    """The lifecycle is checked again on the re-read: a complaint withdrawn in between cannot be
    closed, and the answer says why (a transition, not a version conflict)."""
    complaint = submitted(service)
    service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)
    repo.interleave(
        lambda: background.withdraw(
            complaint.id,
            WithdrawRequest(received_via=ReceivedVia.PHONE, received_at=clock.now, reason="sorted out"),
            SUPERVISOR,
        )
    )
    with pytest.raises(IllegalTransition):
        service.escalate(complaint.id, ReasonRequest(reason="customer called again"), AGENT)
    assert repo.get(complaint.id).status is Status.WITHDRAWN


def test_an_at_risk_warning_is_recorded_once_after_a_concurrent_change(
    service: ComplaintService,
    background: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
) -> None:
    """An agent's change between the sweep's read and its write neither makes the warning a 409 nor
    loses the agent's change, and the warning says what it is about as of the version it is written
    on: the team the at-risk topic's subscribers filter on is the new one."""
    complaint = submitted(service)
    clock.advance(hours=20)  # past 80 % of the 24 h first-response deadline
    repo.interleave(lambda: background.update(complaint.id, UpdateRequest(team="cards"), SUPERVISOR))
    warned = service.warn_at_risk(complaint.id, Step.FIRST_RESPONSE, SLA_SWEEP)
    assert set(warned.at_risk_warned) == {"firstResponse"}
    assert warned.team == "cards"
    warnings = [event for event in repo.events_by_complaint[complaint.id] if event.action == "warn_at_risk"]
    assert [event.data["team"] for event in warnings] == ["cards"]
    assert [e.name for e in domain_events_for(warnings[0])] == [EventName.SLA_AT_RISK]
    assert repo.refused_updates == 1
