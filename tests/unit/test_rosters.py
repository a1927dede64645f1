"""Team rosters: who keeps and reads them, and triage's assignment to the least-loaded member on duty."""

from __future__ import annotations

from typing import Any

import pytest
from fakes import FakeClock, InMemoryComplaintRepository, InMemoryRosters
from pydantic import ValidationError

from complaints.core.auth import caller_from_claims
from complaints.core.errors import Forbidden, VersionConflict
from complaints.core.models import Complaint
from complaints.intake.commands import IntakeRequest, UpdateRequest
from complaints.intake.service import ComplaintService
from complaints.teams.roster import Roster, RosterMember, RosterRequest, Rosters, pick_assignee
from complaints.triage.analysis import Sentiment, TextAnalysis
from complaints.triage.rules import RoutingRule, TriageRules
from complaints.triage.service import TriageService

CARDS_SUPERVISOR = caller_from_claims({"cognito:groups": ["supervisor", "team:cards"], "username": "sup-c"})
CARDS_AGENT = caller_from_claims({"cognito:groups": ["agent", "team:cards"], "username": "li.na"})
LOANS_SUPERVISOR = caller_from_claims({"cognito:groups": ["supervisor", "team:loans"], "username": "sup-l"})
MANAGER = caller_from_claims({"cognito:groups": ["manager"], "username": "mgr"})
APP = caller_from_claims({"client_id": "hotline-app", "scope": "complaint-guard/complaints.submit"})
DUTY = [RosterMember(id="li.na"), RosterMember(id="wang.fang"), RosterMember(id="zhao.lei", on_duty=False)]


def test_the_teams_supervisor_or_a_manager_keeps_the_roster_and_its_members_read_it(clock: FakeClock) -> None:
    rosters = Rosters(InMemoryRosters(), clock)
    assert rosters.read("cards", CARDS_AGENT) == Roster(team="cards")  # none kept yet
    kept = rosters.replace("cards", RosterRequest(members=DUTY, version=0), CARDS_SUPERVISOR)
    assert (kept.version, kept.updated_by, kept.updated_at) == (1, "sup-c", clock.now)
    assert rosters.read("cards", CARDS_AGENT).members == DUTY
    assert rosters.replace("cards", RosterRequest(members=DUTY[:1]), MANAGER).version == 2
    with pytest.raises(VersionConflict):
        rosters.replace("cards", RosterRequest(members=DUTY, version=1), CARDS_SUPERVISOR)
    with pytest.raises(Forbidden):
        rosters.replace("cards", RosterRequest(members=DUTY), CARDS_AGENT)  # agents do not keep rosters
    with pytest.raises(Forbidden, match="not team cards"):
        rosters.replace("cards", RosterRequest(members=DUTY), LOANS_SUPERVISOR)
    with pytest.raises(Forbidden):
        rosters.read("cards", LOANS_SUPERVISOR)


def test_a_member_listed_twice_is_refused_naming_them() -> None:
    with pytest.raises(ValidationError, match=r"more than once: li\.na"):
        RosterRequest(members=[RosterMember(id="li.na"), RosterMember(id="li.na", on_duty=False)])


def test_the_least_loaded_member_on_duty_is_picked_and_the_roster_order_breaks_ties() -> None:
    roster = Roster(team="cards", members=DUTY)
    assert pick_assignee(roster, {"li.na": 4, "wang.fang": 2, "zhao.lei": 0}.__getitem__) == "wang.fang"
    assert pick_assignee(roster, lambda member: 1) == "li.na"
    assert pick_assignee(Roster(team="cards", members=DUTY[2:]), lambda member: 0) is None


def plain_reading(description: str, language: Any = None) -> TextAnalysis:
    return TextAnalysis("en", "service", "credit_card", Sentiment("neutral", 0.0), "low", (), "stand-in")  # type: ignore[arg-type]


def submit(service: ComplaintService, customer: str = "C-1") -> Complaint:
    body = {
        "channel": "counter",
        "customer": {"customerId": customer, "name": "Li Wei", "phone": f"+861380013800{customer[-1]}"},
        "description": f"A fee on my card statement I do not recognise ({customer}).",
    }
    return service.intake(IntakeRequest.model_validate(body), APP)


def test_triage_gives_a_routed_complaint_to_the_least_loaded_member_on_duty(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    workloads = InMemoryRosters({"li.na": 5, "wang.fang": 3, "zhao.lei": 0})
    workloads.rosters["cards"] = Roster(team="cards", members=DUTY, version=1)
    rules = TriageRules(teams=("cards",), routing=(RoutingRule(product="credit_card", team="cards"),))
    triage = TriageService(service, repo, rules, analyser=plain_reading, clock=clock, workloads=workloads)
    read = triage.triage(submit(service).id)
    assert (read.team, read.assignee) == ("cards", "wang.fang")  # zhao.lei is off duty
    event = repo.events(read.id, 10, None).items[-1]
    assert event.data["assignedFromRoster"] == "wang.fang"
    # an assignee given by hand before triage stays
    other = submit(service, customer="C-2")
    desk = caller_from_claims(
        {"cognito:groups": ["supervisor", "team:intake", "team:cards"], "username": "d"}
    )

    service.update(other.id, UpdateRequest(team="cards", assignee="li.na"), desk)
    assert triage.triage(other.id).assignee == "li.na"
    # a team with no roster: routed, nobody assigned
    workloads.rosters.clear()
    assert triage.triage(submit(service, customer="C-3").id).assignee is None
