"""Accountability records opened by a change of the complaint (a reopen because the handling was wrong,
a supervisor by hand): one per occasion, keyed by the version the change writes, written in the same
write as the change and its audit event (sla/accountability.py, ComplaintService.change)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakes import T0, FakeClock, InMemoryComplaintRepository

from complaints.core.auth import Caller, caller_from_claims
from complaints.core.errors import Forbidden, InvalidInput
from complaints.core.events import EventName
from complaints.core.models import AccountabilityStatus, AccountabilityTrigger, Complaint
from complaints.intake.commands import (
    IntakeRequest,
    ReasonRequest,
    ReopenRequest,
    ResolveRequest,
    ResponseRequest,
    UpdateRequest,
)
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import ComplaintService
from complaints.sla.accountability import OpenRequest, record_id
from complaints.trail.chain import is_pseudonym, sealed_form

APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
INTAKE = caller_from_claims({"username": "li.na", "cognito:groups": ["agent", "team:intake"]})
CARDS = caller_from_claims({"username": "agent-7", "cognito:groups": ["agent", "team:cards"]})
CARDS_SUPERVISOR = caller_from_claims({"username": "sup-1", "cognito:groups": ["supervisor", "team:cards"]})
LOANS_SUPERVISOR = caller_from_claims({"username": "sup-2", "cognito:groups": ["supervisor", "team:loans"]})


def resolved_by_cards(service: ComplaintService, clock: FakeClock) -> Complaint:
    """Received at T0, triaged to cards (v2), taken by agent-7 (v3), resolved by them an hour on (v4)."""
    body = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Chen Jie", "phone": "+8613700137000"},
        "description": "Charged twice for one transfer.",
    }
    complaint = service.intake(IntakeRequest.model_validate(body), APP)
    service.update(complaint.id, UpdateRequest(version=1, team="cards"), INTAKE)
    service.update(complaint.id, UpdateRequest(version=2, assignee="agent-7"), CARDS)
    clock.advance(hours=1)
    return service.resolve(
        complaint.id, ResolveRequest(outcome="not_upheld", summary="No fault.", root_cause="none"), CARDS
    )


def test_the_id_is_the_complaint_and_the_version_the_change_writes() -> None:
    assert record_id("0f3c", 7) == "0f3c.7"


def test_a_reopen_because_the_handling_was_wrong_opens_its_record_in_the_same_write(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved_by_cards(service, clock)
    writes = repo.writes
    clock.advance(minutes=30)
    reopened = service.reopen(
        complaint.id, ReopenRequest(reason="Statement ignored.", handling_wrong=True, version=4), CARDS
    )
    assert repo.writes == writes + 1  # one write: the complaint, its event and the record
    (record,) = repo.accountability.values()
    assert record.id == f"{complaint.id}.5" == f"{complaint.id}.{reopened.version}"
    assert (record.trigger, record.status, record.assignee, record.team) == (
        AccountabilityTrigger.REOPENED_HANDLING_WRONG,
        AccountabilityStatus.OPEN,
        "agent-7",
        "cards",
    )
    assert record.opened_at == T0 + timedelta(hours=1, minutes=30)
    assert (record.reason, record.deadline, record.due_at, record.opened_by) == (
        "Statement ignored.",
        None,
        None,
        None,
    )
    event = repo.events_by_complaint[complaint.id][-1]
    assert event.data == {
        "reason": "Statement ignored.",
        "handlingWrong": True,
        "accountabilityRecord": record.id,
    }


def test_a_reopen_that_loses_a_race_opens_one_record_at_the_version_it_finally_writes(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved_by_cards(service, clock)
    # a supervisor's internal note gets in between the reopen's read and its write (v5)
    repo.interleave(
        lambda: service.respond(
            complaint.id, ResponseRequest(message="Checked.", internal=True), CARDS_SUPERVISOR
        )
    )
    service.reopen(complaint.id, ReasonRequest(reason="Handled wrongly."), CARDS, handling_wrong=True)
    assert list(repo.accountability) == [f"{complaint.id}.6"]
    assert repo.events_by_complaint[complaint.id][-1].data["accountabilityRecord"] == f"{complaint.id}.6"


def test_a_plain_reopen_opens_nothing(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved_by_cards(service, clock)
    service.reopen(complaint.id, ReasonRequest(reason="Still charged."), CARDS)
    assert repo.accountability == {}
    assert repo.events_by_complaint[complaint.id][-1].data == {"reason": "Still charged."}


def opening(complaint: Complaint, **overrides: object) -> OpenRequest:
    body = {"complaintId": complaint.id, "findingSought": "refund rules", "evidence": "statement p. 2"}
    return OpenRequest.model_validate(body | overrides)


def test_a_supervisor_of_another_team_opens_one_by_hand_each_time(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved_by_cards(service, clock)
    first = service.open_accountability(opening(complaint), LOANS_SUPERVISOR)
    second = service.open_accountability(opening(complaint, findingSought="tone"), LOANS_SUPERVISOR)
    assert [first.id, second.id] == [f"{complaint.id}.5", f"{complaint.id}.6"]
    assert list(repo.accountability) == [first.id, second.id]
    assert (first.trigger, first.opened_by, first.reason, first.evidence) == (
        AccountabilityTrigger.OPENED_BY_SUPERVISOR,
        "sup-2",
        "refund rules",
        "statement p. 2",
    )
    assert service_status(repo, complaint) == ("resolved", 6)
    # audited: the event names the record; the evidence may quote the customer, so the chain seals it
    # as a personal value (the bank's finding sought stays in clear)
    event = repo.events_by_complaint[complaint.id][4]
    assert (event.action, event.version, event.actor.id) == ("open_accountability", 5, "sup-2")
    assert event.data["accountabilityRecord"] == first.id
    sealed = sealed_form(event.model_dump(mode="json", by_alias=True), "salt-of-the-complaint")
    assert is_pseudonym(sealed["data"]["evidence"])
    assert sealed["data"]["findingSought"] == "refund rules"
    # announced as an internal change, without the finding sought or the evidence, and told to nobody
    (announced,) = domain_events_for(event)
    assert (announced.name, announced.data) == (
        EventName.COMPLAINT_UPDATED,
        {"action": "open_accountability", "public": False, "accountabilityRecord": first.id},
    )


def service_status(repo: InMemoryComplaintRepository, complaint: Complaint) -> tuple[str, int]:
    stored = repo.complaints[complaint.id]
    return stored.status.value, stored.version


@pytest.mark.parametrize(
    ("caller", "message"),
    [
        (CARDS_SUPERVISOR, r"your own team \(cards\)"),
        (
            caller_from_claims({"username": "agent-7", "cognito:groups": ["supervisor", "team:loans"]}),
            "own handling",
        ),
    ],
)
def test_never_about_ones_own_handling_or_team(
    service: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
    caller: Caller,
    message: str,
) -> None:
    complaint = resolved_by_cards(service, clock)
    with pytest.raises(Forbidden, match=message):
        service.open_accountability(opening(complaint), caller)
    assert repo.accountability == {}
    assert service_status(repo, complaint) == ("resolved", 4)


def test_only_the_complaints_own_attachments_back_it(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved_by_cards(service, clock)
    with pytest.raises(InvalidInput, match="att-9"):
        service.open_accountability(opening(complaint, attachmentIds=["att-9"]), LOANS_SUPERVISOR)
    with pytest.raises(Forbidden):
        service.open_accountability(opening(complaint), CARDS)  # an agent may not
    assert repo.accountability == {}
