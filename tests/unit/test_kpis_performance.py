"""Performance per handler and per team (complaints/reporting/performance.py), on a data set whose every
figure is worked out by hand below, and the recognition list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from complaint_builders import H, at, complaint, record

from complaints.core.auth import caller_from_claims
from complaints.core.errors import Forbidden, InvalidInput
from complaints.core.models import Complaint, Finding, Status
from complaints.reporting.kpi_service import KpiService
from complaints.reporting.performance import (
    RECOGNITION_MIN_HANDLED,
    GroupBy,
    GroupPerformance,
    PerformanceAccumulator,
    compute_performance,
    recognition,
    recognition_score,
)

FROM = datetime(2026, 1, 1, tzinfo=UTC)
TO = datetime(2026, 4, 1, tzinfo=UTC)
AS_OF = TO
CLOSED, RESOLVED = Status.CLOSED, Status.RESOLVED

# Deadlines (the builder's): first response = receipt + 24 h, resolution = receipt + 72 h.
# resp / resol = hours from receipt to first response / (latest) resolution.
#  # handler  team   status      resp   resol  paused reopens rating  notes
#  1 li.na    cards  closed        2     10     -      -       5
#  2 li.na    cards  resolved     30 L   80 L   6 h    -       4      handling 80 - 6 = 74 h
#  3 li.na    cards  in_progress   1     -      -      1       2      reopened, open past its 72 h: late
#  4 wang.wei cards  closed        5     20     -      1       5      reopened and resolved again
#  5 wang.wei cards  withdrawn     -     -      -      -       -      withdrawn at 30 h, unanswered:
#                                                                    FR late; resolution not yet due
#  6 zhao.lei loans  closed        3     48     -      -       -
#  7 -        -      received      -     -      -      -       -      03-31 12h: nothing due by as_of
#  8 zhao.lei cards  closed        4     72 =   -      -       3      resolved exactly at the deadline
#  9 li.na    cards  closed        1      2     -      -       5      2025-12-31: outside the period
LI_NA = "li.na"
COMPLAINTS = [
    complaint(
        1, at(1, 5), customer="C-1", status=CLOSED, responded=2, resolved=10, ratings=(5,),
        assignee=LI_NA, team="cards",
    ),
    complaint(
        2, at(1, 10), customer="C-2", status=RESOLVED, responded=30, resolved=80, ratings=(4,),
        paused_seconds=6 * 3600, assignee=LI_NA, team="cards",
    ),
    complaint(
        3, at(3, 1), customer="C-3", status=Status.IN_PROGRESS, responded=1, ratings=(2,), reopen_count=1,
        assignee=LI_NA, team="cards",
    ),
    complaint(
        4, at(2, 1), customer="C-4", status=CLOSED, responded=5, resolved=20, ratings=(5,), reopen_count=1,
        assignee="wang.wei", team="cards",
    ),
    complaint(
        5, at(2, 10), customer="C-5", status=Status.WITHDRAWN, withdrawn_at=at(2, 10) + 30 * H,
        assignee="wang.wei", team="cards",
    ),
    complaint(
        6, at(2, 15), customer="C-6", status=CLOSED, responded=3, resolved=48,
        assignee="zhao.lei", team="loans",
    ),
    complaint(7, at(3, 31, 12), customer="C-7"),
    complaint(
        8, at(3, 10), customer="C-8", status=CLOSED, responded=4, resolved=72, ratings=(3,),
        assignee="zhao.lei", team="cards",
    ),
    complaint(
        9, datetime(2025, 12, 31, 9, tzinfo=UTC), customer="C-9", status=CLOSED, responded=1, resolved=2,
        ratings=(5,), assignee=LI_NA, team="cards",
    ),
]  # fmt: skip
# Records name who had the complaint at the breach: #2 li.na (justified), #3 wang.wei (unjustified:
# it was his when the deadline passed, li.na holds it now), #9 zhao.lei/loans (outside the period).
RECORDS = [
    record(1, "cmp-2", reviewed=True, assignee="li.na", team="cards", finding=Finding.JUSTIFIED),
    record(2, "cmp-3", reviewed=True, assignee="wang.wei", team="cards", finding=Finding.UNJUSTIFIED),
    record(3, "cmp-9", reviewed=True, assignee="zhao.lei", team="loans", finding=Finding.JUSTIFIED),
]


def groups(group_by: GroupBy, scope: frozenset[str] | None = None) -> dict[str, dict[str, Any]]:
    report = compute_performance(
        (c for c in COMPLAINTS),  # one pass over a generator, as from the table
        iter(RECORDS),
        period_from=FROM,
        period_to=TO,
        as_of=AS_OF,
        group_by=group_by,
        scope=scope,
    ).to_json()
    return {group["name"]: group for group in report["groups"]}


def test_per_handler_figures() -> None:
    by_handler = groups(GroupBy.ASSIGNEE)
    assert list(by_handler) == ["li.na", "unassigned", "wang.wei", "zhao.lei"]  # by name
    li = by_handler["li.na"]
    # #1 #2 #3 (#9 is outside the period)
    assert (li["handled"], li["withdrawn"], li["teams"]) == (3, 0, ["cards"])
    # first response: #1 on time, #2 late (30 h), #3 on time -> 2/3
    assert (li["firstResponsesOnTime"], li["firstResponsesCounted"]) == (2, 3)
    assert li["firstResponseOnTimeRate"] == 2 / 3
    # resolution: #1 on time (10 h), #2 late (80 h > 72 h), #3 reopened and open past 72 h: late -> 1/3
    assert (li["resolutionsOnTime"], li["resolutionsCounted"], li["resolutionOnTimeRate"]) == (1, 3, 1 / 3)
    # handling: #1 10 h, #2 80 h - 6 h paused = 74 h -> median (10 + 74) / 2 = 42 h
    assert li["medianHandlingHours"] == 42
    # latest ratings 5, 4, 2 -> 2 of 3 satisfied
    assert (li["satisfiedRatings"], li["ratings"], li["satisfactionRate"]) == (2, 3, 2 / 3)
    # resolved at least once: #1, #2, #3 (reopened, so it was resolved); reopened: #3 -> 1/3
    assert (li["resolved"], li["reopened"], li["reopenRate"]) == (3, 1, 1 / 3)
    # the record of #2 names li.na; the one of #3 names wang.wei, who had it at the breach
    assert li["accountability"] == {"opened": 1, "reviewed": 1, "justified": 1, "unjustified": 0}

    wang = by_handler["wang.wei"]
    assert (wang["handled"], wang["withdrawn"]) == (2, 1)
    # #4 on time; #5 withdrawn unanswered at 30 h, after its 24 h deadline: late -> 1/2
    assert (wang["firstResponsesOnTime"], wang["firstResponsesCounted"]) == (1, 2)
    # #4 on time; #5 withdrawn at 30 h, before its 72 h resolution deadline: not counted -> 1/1
    assert (wang["resolutionsOnTime"], wang["resolutionsCounted"]) == (1, 1)
    assert wang["medianHandlingHours"] == 20
    assert (wang["satisfiedRatings"], wang["ratings"]) == (1, 1)
    assert (wang["resolved"], wang["reopened"], wang["reopenRate"]) == (1, 1, 1.0)
    assert wang["accountability"] == {"opened": 1, "reviewed": 1, "justified": 0, "unjustified": 1}

    zhao = by_handler["zhao.lei"]
    # #6 (loans) and #8 (cards): both teams; #8 resolved exactly at its deadline is on time
    assert (zhao["handled"], zhao["teams"]) == (2, ["cards", "loans"])
    assert (zhao["firstResponsesOnTime"], zhao["firstResponsesCounted"]) == (2, 2)
    assert (zhao["resolutionsOnTime"], zhao["resolutionsCounted"]) == (2, 2)
    assert zhao["medianHandlingHours"] == 60  # (48 + 72) / 2
    assert (zhao["satisfiedRatings"], zhao["ratings"]) == (0, 1)
    assert (zhao["resolved"], zhao["reopened"], zhao["reopenRate"]) == (2, 0, 0.0)
    # record 3 (zhao.lei) is about #9, outside the period
    assert zhao["accountability"] == {"opened": 0, "reviewed": 0, "justified": 0, "unjustified": 0}

    nobody = by_handler["unassigned"]
    # #7: nothing answered, nothing due by as_of (first response due 04-01 12:00), nothing rated
    assert (nobody["handled"], nobody["teams"]) == (1, ["intake"])
    for rate in ("firstResponseOnTimeRate", "resolutionOnTimeRate", "satisfactionRate", "reopenRate"):
        assert nobody[rate] is None, rate
    assert nobody["medianHandlingHours"] is None


def test_per_team_figures() -> None:
    by_team = groups(GroupBy.TEAM)
    assert list(by_team) == ["cards", "intake", "loans"]
    cards = by_team["cards"]
    # #1 #2 #3 (li.na), #4 #5 (wang.wei), #8 (zhao.lei)
    assert (cards["handled"], cards["withdrawn"], cards["teams"]) == (6, 1, ["cards"])
    # on time: #1 #3 #4 #8; late: #2, #5 -> 4/6
    assert (cards["firstResponsesOnTime"], cards["firstResponsesCounted"]) == (4, 6)
    # resolution on time: #1 #4 #8; late: #2 #3; #5 not due -> 3/5
    assert (cards["resolutionsOnTime"], cards["resolutionsCounted"]) == (3, 5)
    # handling 10, 74, 20, 72 h -> sorted 10 20 72 74 -> (20 + 72) / 2 = 46 h
    assert cards["medianHandlingHours"] == 46
    # ratings 5 4 2 5 3 -> 3 of 5 satisfied
    assert (cards["satisfiedRatings"], cards["ratings"]) == (3, 5)
    # resolved at least once #1 #2 #3 #4 #8; reopened #3 #4 -> 2/5
    assert (cards["resolved"], cards["reopened"], cards["reopenRate"]) == (5, 2, 0.4)
    assert cards["accountability"] == {"opened": 2, "reviewed": 2, "justified": 1, "unjustified": 1}

    loans = by_team["loans"]
    assert (loans["handled"], loans["firstResponseOnTimeRate"], loans["resolutionOnTimeRate"]) == (
        1,
        1.0,
        1.0,
    )
    assert (loans["satisfactionRate"], loans["reopenRate"], loans["medianHandlingHours"]) == (None, 0.0, 48)
    assert loans["accountability"]["opened"] == 0  # record 3 is about #9, outside the period
    assert by_team["intake"]["handled"] == 1  # #7, no team yet


def test_a_supervisors_scope_keeps_their_teams_complaints_and_records_only() -> None:
    # cards: li.na #1-#3, wang.wei #4 #5, zhao.lei #8 only (his #6 is loans); records 1 and 2 (cards).
    cards = groups(GroupBy.ASSIGNEE, scope=frozenset({"cards"}))
    assert list(cards) == ["li.na", "wang.wei", "zhao.lei"]
    assert (cards["zhao.lei"]["handled"], cards["zhao.lei"]["teams"]) == (1, ["cards"])
    assert cards["zhao.lei"]["medianHandlingHours"] == 72
    assert cards["li.na"]["handled"] == 3 and cards["li.na"]["accountability"]["opened"] == 1
    # loans: zhao.lei's #6 only; the one loans record is about #9, outside the period
    loans = groups(GroupBy.ASSIGNEE, scope=frozenset({"loans"}))
    assert list(loans) == ["zhao.lei"] and loans["zhao.lei"]["handled"] == 1
    assert list(groups(GroupBy.TEAM, scope=frozenset({"loans", "intake"}))) == ["intake", "loans"]
    assert groups(GroupBy.TEAM, scope=frozenset({"collections"})) == {}


def test_a_resolution_exactly_at_the_deadline_is_on_time_and_a_microsecond_later_late() -> None:
    received = at(1, 5)
    due = received + 72 * H  # the builder's resolution deadline
    on_time = complaint(1, received, customer="C-1", status=RESOLVED, resolved_at=due, assignee="a")
    late = complaint(
        2,
        received,
        customer="C-2",
        status=RESOLVED,
        resolved_at=due + timedelta(microseconds=1),
        assignee="a",
    )
    [group] = compute_performance(
        [on_time, late], [], period_from=FROM, period_to=TO, as_of=AS_OF, group_by=GroupBy.ASSIGNEE
    ).groups
    assert (group.resolutions_on_time, group.resolutions_counted) == (1, 2)


def test_an_unresolved_complaint_counts_late_only_once_its_deadline_has_passed() -> None:
    received = at(3, 1)  # resolution due 03-04 09:00
    open_one = complaint(1, received, customer="C-1", responded=1, assignee="a")
    before = compute_performance(
        [open_one], [], period_from=FROM, period_to=TO, as_of=received + 72 * H, group_by=GroupBy.ASSIGNEE
    ).groups[0]
    assert before.resolutions_counted == 0 and before.resolution_on_time_rate is None  # at the deadline
    after = compute_performance(
        [open_one], [], period_from=FROM, period_to=TO, as_of=received + 73 * H, group_by=GroupBy.ASSIGNEE
    ).groups[0]
    assert (after.resolutions_on_time, after.resolutions_counted) == (0, 1)


def test_an_empty_or_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="'from' must be before 'to'"):
        PerformanceAccumulator(TO, FROM, AS_OF, GroupBy.TEAM)


# --- who may ask ----------------------------------------------------------------------------------------


class Source:
    def received_between(self, start: datetime, end: datetime) -> Any:
        return (c for c in COMPLAINTS if start <= c.received_at < end)

    def accountability_records(self) -> Any:
        return iter(RECORDS)

    def library_cases(self, since: Any = None, until: Any = None) -> Any:
        return iter(())


def staff(*groups: str) -> Any:
    return caller_from_claims(
        {"cognito:groups": list(groups), "username": "u-1", "scope": "complaint-guard/staff"}
    )


def test_managers_read_bank_wide_and_supervisors_their_own_teams() -> None:
    service = KpiService(Source(), clock=lambda: AS_OF)
    bank_wide = service.performance(FROM, TO, GroupBy.TEAM, staff("manager", "team:loans"))
    assert bank_wide.scope is None and [g.name for g in bank_wide.groups] == ["cards", "intake", "loans"]
    scoped = service.performance(FROM, TO, GroupBy.ASSIGNEE, staff("supervisor", "team:loans"))
    assert scoped.scope == ["loans"] and [g.name for g in scoped.groups] == ["zhao.lei"]
    for refused in (staff("agent", "team:cards"), staff("compliance"), staff("supervisor")):
        with pytest.raises(Forbidden):
            service.performance(FROM, TO, GroupBy.TEAM, refused)
    with pytest.raises(InvalidInput):
        service.performance(TO, FROM, GroupBy.TEAM, staff("manager"))


# --- recognition ---------------------------------------------------------------------------------------


def handled_by(
    handler: str,
    count: int,
    *,
    late_answers: int = 0,
    low_ratings: int = 0,
    reopened: int = 0,
    start: int = 0,
) -> list[Complaint]:
    """`count` closed complaints of `handler`: answered in 1 h (the first `late_answers` in 30 h, past
    the 24 h deadline), resolved in 10 h (on time), rated 5 (the first `low_ratings` rated 3), the first
    `reopened` reopened once and resolved again."""
    return [
        complaint(
            start + i, at(1, 5) + i * H, customer=f"C-{start + i}", status=CLOSED,
            responded=30 if i < late_answers else 1, resolved=10, ratings=(3 if i < low_ratings else 5,),
            reopen_count=1 if i < reopened else 0, assignee=handler, team="cards",
        )
        for i in range(count)
    ]  # fmt: skip


def test_recognition_lists_handlers_above_both_targets_with_enough_volume_ranked_by_score() -> None:
    assert RECOGNITION_MIN_HANDLED == 10
    complaints = [
        # a: 10, all perfect -> 0.35 + 0.35 + 0.20 + 0.10 = 1.0
        *handled_by("a", 10, start=100),
        # b: 10; 9/10 on time (= the 90 % target), 9/10 satisfied (>= 85 %), all resolved on time,
        #    1/10 reopened -> 0.35 × 0.9 + 0.35 × 0.9 + 0.20 × 1 + 0.10 × 0.9
        #    = 0.315 + 0.315 + 0.2 + 0.09 = 0.92
        *handled_by("b", 10, late_answers=1, low_ratings=1, reopened=1, start=200),
        # c: 9, perfect: too few
        *handled_by("c", 9, start=300),
        # d: 12, satisfaction 10/12 = 0.833 < 0.85: below target
        *handled_by("d", 12, low_ratings=2, start=400),
        # e: 10, perfect, but found accountable (record 9, justified)
        *handled_by("e", 10, start=500),
        # f: 11, perfect -> 1.0, ties with a: more complaints ranks first
        *handled_by("f", 11, start=600),
        # g: 10, 8/10 on time = 0.8 < 0.9: below target
        *handled_by("g", 10, late_answers=2, start=700),
    ]
    unassigned = [c.model_copy(update={"assignee": None}) for c in handled_by("x", 10, start=800)]
    records = [record(9, "cmp-500", reviewed=True, assignee="e", team="cards", finding=Finding.JUSTIFIED)]
    report = compute_performance(
        [*complaints, *unassigned], records, period_from=FROM, period_to=TO, as_of=AS_OF,
        group_by=GroupBy.ASSIGNEE,
    )  # fmt: skip
    listed = recognition(report.groups)
    assert [(item.rank, item.handler.name, item.score) for item in listed] == [
        (1, "f", 1.0),
        (2, "a", 1.0),
        (3, "b", 0.92),
    ]


def test_a_rate_with_nothing_to_count_scores_zero() -> None:
    # first response 1.0, satisfaction 0.9, nothing resolved on time or reopened to count:
    # 0.35 × 1.0 + 0.35 × 0.9 + 0.20 × 0 + 0.10 × 0 = 0.35 + 0.315 = 0.665
    handler = GroupPerformance.model_validate(
        {
            "name": "h", "teams": ["cards"], "handled": 10, "withdrawn": 0,
            "firstResponsesOnTime": 10, "firstResponsesCounted": 10, "firstResponseOnTimeRate": 1.0,
            "resolutionsOnTime": 0, "resolutionsCounted": 0, "resolutionOnTimeRate": None,
            "medianHandlingHours": None, "satisfiedRatings": 9, "ratings": 10, "satisfactionRate": 0.9,
            "resolved": 0, "reopened": 0, "reopenRate": None,
            "accountability": {"opened": 0, "reviewed": 0, "justified": 0, "unjustified": 0},
        }
    )  # fmt: skip
    assert recognition_score(handler) == 0.665
