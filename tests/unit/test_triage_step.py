"""The triage step over the in-memory repository, with a stand-in for the model whose reading each test
chooses (the model itself is measured by `make eval` and tested in test_triage_analysis*): what triage
records, the special path, the priority lane, routing, `repeat`, links to the same matter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fakes import T0, FakeClock, InMemoryComplaintRepository
from pydantic import ValidationError

from complaints.core.auth import caller_from_claims
from complaints.core.events import EventName
from complaints.core.models import Complaint, Priority, RiskFlag, Status
from complaints.intake.commands import IntakeRequest, UpdateRequest
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import ComplaintService
from complaints.triage.analysis import Sentiment, TextAnalysis
from complaints.triage.requests import TriagePreviewRequest
from complaints.triage.rules import RoutingRule, TriageRules
from complaints.triage.service import TriageService

APP = caller_from_claims({"client_id": "hotline-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims({"cognito:groups": ["agent", "team:intake", "team:cards"], "username": "li.na"})
RULES = TriageRules(
    teams=("cards", "payments", "priority"),
    routing=(
        RoutingRule(product="credit_card", team="cards"),
        RoutingRule(flag=RiskFlag.FRAUD, team="payments"),
    ),
    priority_team="priority",
)


def reading(
    category: str = "service",
    product: str = "credit_card",
    sentiment: str = "neutral",
    churn: str = "low",
    flags: tuple[str, ...] = (),
) -> Callable[..., TextAnalysis]:
    """A model that reads every text this way."""

    def analyse(description: str, language: Any = None) -> TextAnalysis:
        return TextAnalysis(
            language="en",
            category=category,  # type: ignore[arg-type]
            product=product,  # type: ignore[arg-type]
            sentiment=Sentiment(sentiment, -0.5 if sentiment == "negative" else 0.0),  # type: ignore[arg-type]
            churn_risk=churn,  # type: ignore[arg-type]
            risk_flags=flags,  # type: ignore[arg-type]
            model="stand-in 1",
        )

    return analyse


@pytest.fixture
def complaints(repo: InMemoryComplaintRepository, service: ComplaintService) -> ComplaintService:
    return service


def triage_with(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock, **read: Any
) -> TriageService:
    return TriageService(service, repo, RULES, analyser=reading(**read), clock=clock)


def submit(service: ComplaintService, **fields: Any) -> Complaint:
    body: dict[str, Any] = {
        "channel": "phone_banking",
        "customer": {"customerId": "C-7", "name": "Chen Jie", "phone": "+8613700137000"},
        "description": "My card was charged twice for one purchase at the airport shop.",
        **fields,
    }
    return service.intake(IntakeRequest.model_validate(body), APP)


def test_triage_records_its_reading_and_fills_only_what_the_channel_left_out(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service, category="conduct")  # the category given, the product left out
    assert complaint.unclassified == ["product"]
    clock.advance(seconds=3)
    read = triage_with(service, repo, clock, category="technical", product="credit_card").triage(complaint.id)
    assert read.triage is not None
    assert (read.triage.category.value, read.triage.product.value) == ("conduct", "credit_card")
    assert read.category.value == "conduct"  # what the channel gave is never overwritten
    assert read.product.value == "credit_card"  # what it left out, triage fills
    assert read.triage.model == "stand-in 1" and read.triage.at == T0 + timedelta(seconds=3)
    assert read.team == "cards"  # the routing table's row for credit cards
    (event,) = [e for e in repo.events(complaint.id, 10, None).items if e.action == "triage"]
    assert event.actor.id == "triage"
    assert event.data["inferred"] == ["product"]
    assert event.changes["product"].after == "credit_card"
    assert "category" not in event.changes


def test_a_sensitive_complaint_goes_on_the_special_path_at_once(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    clock.advance(minutes=1)
    read = triage_with(service, repo, clock, product="payment", flags=("regulator", "fraud")).triage(
        complaint.id
    )
    assert read.triage is not None and read.triage.sensitive
    assert read.priority is Priority.CRITICAL
    # critical under the seed policy: answered within 4 h, resolved within 24 h of receipt
    assert read.deadlines.first_response_due_at == T0 + timedelta(hours=4)
    assert read.deadlines.resolution_due_at == T0 + timedelta(hours=24)
    assert read.escalation_level == 1
    assert read.team == "payments"  # no row for payments' product: the fraud flag's row
    audit = repo.events(complaint.id, 10, None).items[-1]
    names = [event.name for event in domain_events_for(audit)]
    assert names == [EventName.COMPLAINT_UPDATED, EventName.COMPLAINT_FLAGGED, EventName.COMPLAINT_ESCALATED]
    flagged, escalated = domain_events_for(audit)[1:]
    assert flagged.data["riskFlags"] == ["regulator", "fraud"]
    assert escalated.data["notify"] == ["supervisor", "compliance"] and escalated.data["level"] == 1


def test_negative_sentiment_with_high_churn_or_a_vulnerable_customer_is_sensitive_too(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    angry = submit(service)
    read = triage_with(service, repo, clock, sentiment="negative", churn="high").triage(angry.id)
    assert read.triage is not None and read.triage.sensitive and read.priority is Priority.CRITICAL
    frail = submit(
        service,
        customer={"customerId": "C-8", "name": "Wu Bo", "phone": "+8613700137001", "segment": "vulnerable"},
    )
    read = triage_with(service, repo, clock).triage(frail.id)
    assert read.triage is not None and read.triage.sensitive
    assert RiskFlag.VULNERABLE in read.triage.risk_flags
    calm = submit(service, customer={"customerId": "C-9", "name": "Xu Li", "phone": "+8613700137002"})
    read = triage_with(service, repo, clock, sentiment="negative", churn="medium").triage(calm.id)
    assert read.triage is not None and not read.triage.sensitive and read.priority is Priority.NORMAL


def test_a_priority_customer_takes_the_priority_lane(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    private = {"customerId": "C-P", "name": "Zhou Min", "phone": "+8613700137003", "segment": "private"}
    complaint = submit(service, customer=private)
    read = triage_with(service, repo, clock).triage(complaint.id)
    assert (read.priority, read.team) == (Priority.HIGH, "priority")


def test_a_team_given_by_hand_before_triage_wins(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    service.update(complaint.id, UpdateRequest(team="payments"), AGENT)
    read = triage_with(service, repo, clock).triage(complaint.id)
    assert read.team == "payments"
    assert read.triage is not None and read.triage.suggested_team == "cards"


def test_the_third_complaint_within_90_days_is_a_repeat(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    texts = ("The ATM kept my card.", "My statement shows a fee I never agreed to.", "The app logs me out.")
    found = []
    for text in texts:
        complaint = submit(service, description=text)
        found.append(triage_with(service, repo, clock).triage(complaint.id))
        clock.advance(days=10)
    assert [RiskFlag.REPEAT in (c.triage.risk_flags if c.triage else []) for c in found] == [
        False,
        False,
        True,
    ]


def test_the_same_matter_from_two_channels_is_linked_both_ways_never_merged(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    counter = submit(service, channel="counter")
    triage_with(service, repo, clock).triage(counter.id)
    service.update(counter.id, UpdateRequest(assignee="li.na", team="cards"), AGENT)
    clock.advance(days=2)
    hotline = submit(service, description="My card was charged twice for one purchase at the airport shop!!")
    clock.advance(seconds=5)
    read = triage_with(service, repo, clock).triage(hotline.id)
    (link,) = read.links
    assert (link.complaint_id, link.reference) == (counter.id, counter.reference)
    assert 0.9 <= link.similarity <= 1.0
    assert (read.assignee, read.team) == ("li.na", "cards")  # handled by the same person
    (back,) = service.get(counter.id).links
    assert back.complaint_id == hotline.id and back.similarity == link.similarity
    # each keeps its own clock
    assert read.deadlines.first_response_due_at == hotline.received_at + timedelta(hours=24)
    assert service.get(counter.id).status is not Status.CLOSED
    # redelivered: nothing recorded twice
    versions = (service.get(hotline.id).version, service.get(counter.id).version)
    triage_with(service, repo, clock).triage(hotline.id)
    assert (service.get(hotline.id).version, service.get(counter.id).version) == versions
    # the customer is told once, from the new complaint's reading
    (told,) = [e for e in repo.events(hotline.id, 10, None).items if e.action == "triage"]
    assert told.data["linked"] == [{"complaintId": counter.id, "reference": counter.reference}]
    assert [e.action for e in repo.events(counter.id, 10, None).items].count("link_complaint") == 1


def test_the_same_phone_under_another_customer_id_is_the_same_customer(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    # The counter knew the customer by their card number, the hotline by their phone: two ids, one phone.
    counter = submit(service, channel="counter")
    clock.advance(hours=3)
    other_id = {"customerId": "CARD-6222", "name": "Chen Jie", "phone": "+8613700137000"}
    hotline = submit(service, customer=other_id)
    read = triage_with(service, repo, clock).triage(hotline.id)
    assert [link.complaint_id for link in read.links] == [counter.id]
    assert [link.complaint_id for link in service.get(counter.id).links] == [hotline.id]
    # another phone and another id: a stranger, however alike the words
    stranger = submit(service, customer={"customerId": "C-99", "name": "Xu Li", "phone": "+8613700137999"})
    assert triage_with(service, repo, clock).triage(stranger.id).links == []


def test_a_closed_complaint_is_not_handled_together_and_at_most_three_are_linked(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    earlier = [submit(service) for _ in range(5)]
    repo.complaints[earlier[0].id] = earlier[0].model_copy(update={"status": Status.CLOSED})
    clock.advance(hours=1)
    again = submit(service)
    linked = [link.complaint_id for link in triage_with(service, repo, clock).triage(again.id).links]
    assert len(linked) == 3 and earlier[0].id not in linked and set(linked) <= {c.id for c in earlier}


def test_a_different_matter_or_an_old_one_is_not_linked(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    old = submit(service)
    triage_with(service, repo, clock).triage(old.id)
    clock.advance(days=31)
    again = submit(service)  # the same words, 31 days later
    other = submit(service, description="The branch in Pudong closed early on Saturday without notice.")
    assert triage_with(service, repo, clock).triage(again.id).links == []
    assert triage_with(service, repo, clock).triage(other.id).links == []


def test_the_preview_reads_the_same_way_and_stores_nothing(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    stored = len(repo.complaints)
    request = TriagePreviewRequest.model_validate(
        {"description": "I will report you to the regulator.", "customer": {"segment": "private"}}
    )
    preview = triage_with(service, repo, clock, flags=("regulator",)).preview(request)
    assert preview.sensitive and preview.risk_flags == [RiskFlag.REGULATOR]
    assert preview.suggested_team == "priority"
    assert len(repo.complaints) == stored


def test_routing_that_names_an_unknown_team_fails_naming_it() -> None:
    with pytest.raises(ValidationError, match="not in `teams`: loans"):
        TriageRules(teams=("cards",), routing=(RoutingRule(product="loan", team="loans"),))
    with pytest.raises(ValidationError, match="colour"):
        TriageRules.model_validate({"routing": [{"team": "cards", "colour": "red"}], "teams": ["cards"]})
