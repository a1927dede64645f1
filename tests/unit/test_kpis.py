"""The KPI engine (docs/architecture.md §7) on a data set whose every figure is worked out by hand below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from complaint_builders import H, at, complaint, record

from complaints.core.models import Category, Channel, Priority, Product, Status
from complaints.reporting.kpis import (
    KPI_FIGURES,
    CustomerTally,
    DurationHistogram,
    KpiAccumulator,
    compute_kpis,
)

FROM = datetime(2026, 1, 1, tzinfo=UTC)
TO = datetime(2026, 4, 1, tzinfo=UTC)
AS_OF = TO  # the report is taken at the end of the quarter


CLOSED, RESOLVED = Status.CLOSED, Status.RESOLVED

# 10 complaints in the quarter, 2 outside it (#11 before `from`, #12 exactly at `to`).
# resp / resol = hours from receipt to first response / resolution; first-response deadline = 24 h.
#  # received  channel   category  product  prio  status    resp resol rating team   breaches  cause  cust
#  1 01-05 09h counter   service   deposit  norm  closed       2   10  5      team-a -         staff  C-1
#  2 01-10 09h online    product   card     high  closed       4   20  2 → 4  team-a -         fee    C-2
#  3 01-20 09h mobile    technical payment  norm  closed  30 late  50  3      team-b firstResp outage C-1
#  4 02-01 09h hotline   service   loan     crit  resolved     1  100  4      team-b resol     branch C-3
#  5 02-10 09h counter   conduct   wealth   high  in_prog      6    -  -      team-a resol+open -     C-4
#  6 02-15 09h email     product   card     norm  received     -    -  -      -      firstResp -      C-2
#  7 03-01 09h mobile    technical payment  norm  closed       3    8  5      team-b -         outage C-5
#  8 03-10 09h phone     product   mortgage norm  closed      12   40  1      team-a -         fee    C-2
#  9 03-20 09h self_svc  service   other    norm  withdrawn 5 h in, never answered, no team      -      C-6
# 10 03-31 12h online    service   deposit  norm  received, unanswered, due 04-01 12h > as_of     -      C-7
# 11 2025-12-31 23h (before the period): breach team-z, root cause "outside", rating 1, customer C-3
# 12 04-01 00h (= `to`, excluded): customer C-5
# causes: staff = "staff training", fee = "fee disclosure", outage = "app outage", branch = "branch queue";
# online = online_banking, mobile = mobile_app, phone = phone_banking, card = credit_card.
COMPLAINTS = [
    complaint(
        1,
        at(1, 5),
        customer="C-1",
        product=Product.DEPOSIT,
        status=CLOSED,
        responded=2,
        resolved=10,
        ratings=(5,),
        team="team-a",
        root_cause="staff training",
    ),
    complaint(
        2,
        at(1, 10),
        customer="C-2",
        channel=Channel.ONLINE_BANKING,
        category=Category.PRODUCT,
        product=Product.CREDIT_CARD,
        priority=Priority.HIGH,
        status=CLOSED,
        responded=4,
        resolved=20,
        ratings=(2, 4),
        team="team-a",
        root_cause="fee disclosure",
    ),
    complaint(
        3,
        at(1, 20),
        customer="C-1",
        channel=Channel.MOBILE_APP,
        category=Category.TECHNICAL,
        product=Product.PAYMENT,
        status=CLOSED,
        responded=30,
        resolved=50,
        ratings=(3,),
        team="team-b",
        breaches=("firstResponse",),
        root_cause="app outage",
    ),
    complaint(
        4,
        at(2, 1),
        customer="C-3",
        channel=Channel.HOTLINE,
        product=Product.LOAN,
        priority=Priority.CRITICAL,
        status=RESOLVED,
        responded=1,
        resolved=100,
        ratings=(4,),
        team="team-b",
        breaches=("resolution",),
        root_cause="branch queue",
    ),
    complaint(
        5,
        at(2, 10),
        customer="C-4",
        category=Category.CONDUCT,
        product=Product.WEALTH,
        priority=Priority.HIGH,
        status=Status.IN_PROGRESS,
        responded=6,
        team="team-a",
        breaches=("resolution", "stillOpen"),
    ),
    complaint(
        6,
        at(2, 15),
        customer="C-2",
        channel=Channel.EMAIL,
        category=Category.PRODUCT,
        product=Product.CREDIT_CARD,
        breaches=("firstResponse",),
    ),
    complaint(
        7,
        at(3, 1),
        customer="C-5",
        channel=Channel.MOBILE_APP,
        category=Category.TECHNICAL,
        product=Product.PAYMENT,
        status=CLOSED,
        responded=3,
        resolved=8,
        ratings=(5,),
        team="team-b",
        root_cause="app outage",
    ),
    complaint(
        8,
        at(3, 10),
        customer="C-2",
        channel=Channel.PHONE_BANKING,
        category=Category.PRODUCT,
        product=Product.MORTGAGE,
        status=CLOSED,
        responded=12,
        resolved=40,
        ratings=(1,),
        team="team-a",
        root_cause="fee disclosure",
    ),
    complaint(
        9,
        at(3, 20),
        customer="C-6",
        channel=Channel.SELF_SERVICE,
        status=Status.WITHDRAWN,
        withdrawn_at=at(3, 20) + 5 * H,
    ),
    complaint(10, at(3, 31, 12), customer="C-7", channel=Channel.ONLINE_BANKING, product=Product.DEPOSIT),
    complaint(
        11,
        datetime(2025, 12, 31, 23, tzinfo=UTC),
        customer="C-3",
        status=CLOSED,
        resolved=5,
        ratings=(1,),
        team="team-z",
        breaches=("firstResponse",),
        root_cause="outside",
    ),
    complaint(12, TO, customer="C-5", channel=Channel.EMAIL),
]

# Accountability records: #4 reviewed, #5 one reviewed + one open, #11 reviewed (outside, ignored).
RECORDS = [
    record(1, "cmp-4", reviewed=True),
    record(2, "cmp-5", reviewed=True),
    record(3, "cmp-5", reviewed=False),
    record(4, "cmp-11", reviewed=True),
]


@pytest.fixture
def report() -> Any:
    # A generator: the engine must cope with a single pass.
    return compute_kpis(
        (c for c in COMPLAINTS), iter(RECORDS), period_from=FROM, period_to=TO, as_of=AS_OF
    ).to_json()


def test_received_counts_only_the_half_open_period(report: dict[str, Any]) -> None:
    # #1..#10 have from <= received_at < to; #11 is before `from`, #12 is exactly `to` -> 10.
    assert report["received"] == 10
    assert report["from"] == "2026-01-01T00:00:00Z"
    assert report["to"] == "2026-04-01T00:00:00Z"


def test_first_response_on_time_rate(report: dict[str, Any]) -> None:
    # answered: #1 #2 #3 #4 #5 #7 #8 = 7; on time (<= 24 h): all but #3 (30 h) = 6.
    # unanswered past the deadline at as_of: #6 (due 02-16 09:00) = 1.
    # not counted: #9 (withdrawn 5 h in, before its 24 h deadline), #10 (due 04-01 12:00 > as_of 04-01 00:00).
    # rate = 6 / (7 + 1) = 6 / 8 = 0.75 < 0.90 -> not met.
    assert report["firstResponsesOnTime"] == 6
    assert report["firstResponsesCounted"] == 8
    assert report["firstResponseOnTimeRate"] == 0.75
    assert report["met"]["firstResponseOnTimeRate"] is False


def test_withdrawn_complaints_are_counted_and_their_place_in_the_on_time_rate_shown(
    report: dict[str, Any],
) -> None:
    # Of the 10, only #9 is withdrawn: 5 h after receipt, unanswered, before its 24 h deadline -> it is
    # outside the on-time rate (withdrawnBeforeDue 1), not in its denominator (withdrawnLate 0).
    assert (report["withdrawn"], report["withdrawnLate"], report["withdrawnBeforeDue"]) == (1, 0, 1)


def test_a_withdrawn_complaint_past_its_deadline_stays_late_in_the_on_time_rate() -> None:
    # deadline = receipt + 24 h; as_of long after.
    # #1 answered in 2 h, then withdrawn at 30 h: an answered complaint, on time (not "withdrawnLate").
    # #2 unanswered, withdrawn at 30 h (the deadline passed at 24 h): counted, late.
    # #3 unanswered, withdrawn at 10 h (before the deadline): outside the rate.
    # #4 unanswered, withdrawn exactly at 24 h: the deadline has not passed *before* withdrawal
    #    (due < withdrawn is false) -> outside the rate.
    # #5 answered in 1 h, not withdrawn.
    # on time: #1, #5 = 2; counted: #1, #2, #5 = 3 -> 2/3; withdrawn 4 = late 1 + before due 2 + answered 1.
    received = at(1, 5)
    complaints = [
        complaint(
            1, received, customer="C-1", responded=2, status=Status.WITHDRAWN, withdrawn_at=received + 30 * H
        ),
        complaint(2, received, customer="C-2", status=Status.WITHDRAWN, withdrawn_at=received + 30 * H),
        complaint(3, received, customer="C-3", status=Status.WITHDRAWN, withdrawn_at=received + 10 * H),
        complaint(4, received, customer="C-4", status=Status.WITHDRAWN, withdrawn_at=received + 24 * H),
        complaint(5, received, customer="C-5", responded=1),
    ]  # fmt: skip
    report = compute_kpis(complaints, [], period_from=FROM, period_to=TO, as_of=AS_OF)
    assert (report.withdrawn, report.withdrawn_late, report.withdrawn_before_due) == (4, 1, 2)
    assert (report.first_responses_on_time, report.first_responses_counted) == (2, 3)
    assert report.first_response_on_time_rate == 2 / 3


def test_satisfaction_rate_uses_each_complaints_latest_rating(report: dict[str, Any]) -> None:
    # latest ratings: #1 5, #2 4 (2 then 4), #3 3, #4 4, #7 5, #8 1 -> 6 ratings; >= 4: #1 #2 #4 #7 = 4.
    # rate = 4 / 6 = 0.666… < 0.85 -> not met. (#11's rating 1 is outside the period.)
    assert report["ratings"] == 6
    assert report["satisfiedRatings"] == 4
    assert report["satisfactionRate"] == 4 / 6
    assert report["met"]["satisfactionRate"] is False


def test_closure_resolution_and_accountability_rates(report: dict[str, Any]) -> None:
    # closed: #1 #2 #3 #7 #8 = 5 -> 5 / 10 = 0.5 < 0.95 -> not met.
    # resolved or closed: those 5 + #4 (resolved) = 6 -> 6 / 10 = 0.6.
    # accountability: records of period complaints #4 (reviewed), #5 (reviewed), #5 (open) -> 2 / 3;
    # #11's record is outside the period.
    assert report["closed"] == 5
    assert report["closureRate"] == 0.5
    assert report["met"]["closureRate"] is False
    assert report["resolvedOrClosed"] == 6
    assert report["resolutionRate"] == 0.6
    assert (report["accountabilityReviewed"], report["accountabilityOpened"]) == (2, 3)
    assert report["accountabilityRate"] == 2 / 3
    assert report["targets"] == {
        "firstResponseOnTimeRate": 0.90,
        "satisfactionRate": 0.85,
        "closureRate": 0.95,
    }


def test_median_and_p90_hours(report: dict[str, Any]) -> None:
    # first response hours, sorted: [1, 2, 3, 4, 6, 12, 30], k = 7
    #   median = 4th value = 4; p90 rank = ceil(0.9 * 7) = ceil(6.3) = 7 -> 30.
    # resolution hours (resolved_at - received_at), sorted: [8, 10, 20, 40, 50, 100], k = 6
    #   median = (3rd + 4th) / 2 = (20 + 40) / 2 = 30; p90 rank = ceil(0.9 * 6) = ceil(5.4) = 6 -> 100.
    assert report["medianHoursToFirstResponse"] == 4
    assert report["p90HoursToFirstResponse"] == 30
    assert report["medianHoursToResolution"] == 30
    assert report["p90HoursToResolution"] == 100


def test_volumes(report: dict[str, Any]) -> None:
    # channel: counter #1 #5; online_banking #2 #10; mobile_app #3 #7; hotline #4; email #6;
    # phone_banking #8; self_service #9 -> 2+2+2+1+1+1+1 = 10.
    assert report["byChannel"] == {
        "counter": 2,
        "phone_banking": 1,
        "online_banking": 2,
        "mobile_app": 2,
        "hotline": 1,
        "email": 1,
        "self_service": 1,
    }
    # category: service #1 #4 #9 #10 = 4; product #2 #6 #8 = 3; technical #3 #7 = 2; conduct #5 = 1.
    assert report["byCategory"] == {"service": 4, "product": 3, "technical": 2, "conduct": 1}
    # product: deposit #1 #10; credit_card #2 #6; payment #3 #7; loan #4; wealth #5; mortgage #8;
    # other #9; insurance none -> 2+2+2+1+1+1+1+0 = 10.
    assert report["byProduct"] == {
        "deposit": 2,
        "credit_card": 2,
        "loan": 1,
        "mortgage": 1,
        "wealth": 1,
        "insurance": 0,
        "payment": 2,
        "other": 1,
    }
    # priority: high #2 #5 = 2; critical #4 = 1; normal the other 7.
    assert report["byPriority"] == {"normal": 7, "high": 2, "critical": 1}


def test_breaches_root_causes_and_repeat_complainants(report: dict[str, Any]) -> None:
    # breaches: team-a #5 (resolution + stillOpen) = 2; team-b #3 (1) + #4 (1) = 2; unassigned #6 = 1.
    # (#11's team-z breach is outside the period.)
    assert report["breachesByTeam"] == {"team-a": 2, "team-b": 2, "unassigned": 1}
    # root causes: app outage #3 #7 = 2; fee disclosure #2 #8 = 2; branch queue #4 = 1;
    # staff training #1 = 1 -> count descending, then name ascending.
    assert report["topRootCauses"] == [
        {"rootCause": "app outage", "count": 2},
        {"rootCause": "fee disclosure", "count": 2},
        {"rootCause": "branch queue", "count": 1},
        {"rootCause": "staff training", "count": 1},
    ]
    # customers: C-1 #1 #3 = 2; C-2 #2 #6 #8 = 3; C-3 #4 only (its #11 is outside); C-5 #7 only
    # (its #12 is at `to`, excluded); C-4, C-6, C-7 one each -> 2 repeat complainants.
    assert report["repeatComplainants"] == 2


def test_a_sub_period_where_every_target_is_met() -> None:
    # [01-01, 01-15): #1 and #2. on time 2 / 2 = 1.0; satisfaction (5, 4) 2 / 2 = 1.0; closed 2 / 2 = 1.0.
    # no accountability record -> rate None.
    report = compute_kpis(
        COMPLAINTS, RECORDS, period_from=FROM, period_to=at(1, 15, 0), as_of=AS_OF
    ).to_json()
    assert report["received"] == 2
    assert report["firstResponseOnTimeRate"] == 1.0
    assert report["satisfactionRate"] == 1.0
    assert report["closureRate"] == 1.0
    assert report["accountabilityRate"] is None
    assert report["met"] == {"firstResponseOnTimeRate": True, "satisfactionRate": True, "closureRate": True}


def test_an_empty_period_has_no_rates_and_no_verdicts() -> None:
    # Only #11 (before) and #12 (at `to`) are offered: nothing is in the period.
    report = compute_kpis(
        [COMPLAINTS[10], COMPLAINTS[11]], RECORDS, period_from=FROM, period_to=TO, as_of=AS_OF
    ).to_json()
    counts = ("received", "withdrawn", "withdrawnLate", "withdrawnBeforeDue", "repeatComplainants")
    for count in counts:
        assert report[count] == 0, count
    # every other figure is a rate or a duration: none without complaints
    rates = [name for name in KPI_FIGURES if name not in counts]
    assert len(rates) == 11
    for rate in rates:
        assert report[rate] is None, rate
    assert report["met"] == {"firstResponseOnTimeRate": None, "satisfactionRate": None, "closureRate": None}
    assert set(report["byChannel"].values()) == {0}
    assert report["breachesByTeam"] == {}
    assert report["topRootCauses"] == []
    assert report["repeatComplainants"] == 0


def test_a_late_answer_counts_against_on_time() -> None:
    # one answered in 23 h (on time), one in 25 h (late, due at 24 h) -> 1 / 2.
    report = compute_kpis(
        [
            complaint(1, at(1, 5), customer="C-1", responded=23),
            complaint(2, at(1, 6), customer="C-2", responded=25),
        ],
        [],
        period_from=FROM,
        period_to=TO,
        as_of=AS_OF,
    )
    assert (report.first_responses_on_time, report.first_responses_counted) == (1, 2)
    assert report.first_response_on_time_rate == 0.5


def test_an_unanswered_complaint_counts_only_once_its_deadline_has_passed() -> None:
    received = at(3, 31, 12)  # due 04-01 12:00
    answered = complaint(1, at(3, 1), customer="C-1", responded=1)
    waiting = complaint(2, received, customer="C-2")
    before = compute_kpis([answered, waiting], [], period_from=FROM, period_to=TO, as_of=received + 23 * H)
    # 1 on time / (1 answered + 0 past the deadline) = 1.0
    assert (before.first_responses_counted, before.first_response_on_time_rate) == (1, 1.0)
    after = compute_kpis([answered, waiting], [], period_from=FROM, period_to=TO, as_of=received + 25 * H)
    # 1 on time / (1 answered + 1 unanswered past its deadline) = 0.5
    assert (after.first_responses_counted, after.first_response_on_time_rate) == (2, 0.5)


def test_top_root_causes_keeps_five() -> None:
    # causes a×3, b×2, c..g ×1 -> a 3, b 2, then c d e (name order); f and g are cut.
    causes = ["a", "a", "a", "b", "b", "c", "d", "e", "f", "g"]
    complaints = [
        complaint(i, at(1, 5) + i * H, customer=f"C-{i}", status=CLOSED, resolved=1, root_cause=cause)
        for i, cause in enumerate(causes, start=1)
    ]
    report = compute_kpis(complaints, [], period_from=FROM, period_to=TO, as_of=AS_OF)
    assert [(item.root_cause, item.count) for item in report.top_root_causes] == [
        ("a", 3),
        ("b", 2),
        ("c", 1),
        ("d", 1),
        ("e", 1),
    ]


def _histogram(*minutes: float) -> DurationHistogram:
    histogram = DurationHistogram()
    for value in minutes:
        histogram.add(FROM, FROM + timedelta(minutes=value))
    return histogram


def test_median_and_nearest_rank_definitions() -> None:
    empty = _histogram()
    assert empty.median_hours() is None and empty.percentile_hours(90) is None
    single = _histogram(300)
    assert single.median_hours() == 5.0 and single.percentile_hours(90) == 5.0
    # k = 10 (1 h .. 10 h, given in reverse): p90 rank = ceil(9.0) = 9 -> 9 h; median = (5 + 6) / 2 h.
    ten = _histogram(*(60 * hours for hours in range(10, 0, -1)))
    assert ten.percentile_hours(90) == 9.0
    assert ten.median_hours() == 5.5


def test_durations_are_counted_in_whole_minutes() -> None:
    # 90 s and 119 s are both "1 minute"; 120 s is 2: median of [1, 1, 2] minutes = 1 minute.
    histogram = _histogram(1.5, 119 / 60, 2)
    assert histogram.median_hours() == 1 / 60
    assert histogram.percentile_hours(90) == 2 / 60


def test_repeat_complainants_count_each_customer_once() -> None:
    tally = CustomerTally()
    for customer in ["a", "b", "a", "a", "c", "b"]:
        tally.add(customer)
    assert tally.repeat == 2  # a (3 times) and b (twice); c once


def test_repeat_complainants_are_counted_across_spilled_runs() -> None:
    # A buffer of 3 spills runs [a, b, a] [a, c, d] [e, f, e] and keeps [g] in memory: a is seen in two
    # runs, e twice in one, b c d f g once -> 2 repeat complainants.
    tally = CustomerTally(buffer=3)
    for customer in ["a", "b", "a", "a", "c", "d", "e", "f", "e", "g"]:
        tally.add(customer)
    assert tally.repeat == 2
    assert tally.repeat == 2  # asked again: the same answer, the runs already merged


def test_an_empty_or_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="'from' must be before 'to'"):
        KpiAccumulator(TO, FROM, AS_OF)


def follow_up(opened: datetime, *, completed_after: float | None = None) -> dict[str, Any]:
    """A follow-up (回访) opened at `opened`, due 48 h later; completed `completed_after` hours after
    it opened (None: still open)."""
    done = completed_after is not None
    return {
        "status": "completed" if done else "open",
        "rating": 2,
        "openedAt": opened,
        "dueAt": opened + 48 * H,
        "completedAt": opened + completed_after * H if done else None,
        "completedBy": "sup-1" if done else None,
        "outcome": "satisfied" if done else None,
    }


def test_follow_ups_count_on_time_when_completed_by_their_due_time_and_late_once_overdue() -> None:
    # every one opened 2 days after receipt (the low rating); due 48 h after opening
    # 1: completed after 47 h -> on time; 2: exactly at 48 h -> on time; 3: after 49 h -> late;
    # 4: open, due 03-03 09h < as_of -> late; 5: open, due 04-02 09h > as_of -> not counted;
    # 6: no follow-up -> not counted.
    def opened(day: int, month: int = 1) -> datetime:
        return at(month, day) + 48 * H

    complaints = [
        complaint(1, at(1, 5), customer="C-1", follow_up=follow_up(opened(5), completed_after=47)),
        complaint(2, at(1, 6), customer="C-2", follow_up=follow_up(opened(6), completed_after=48)),
        complaint(3, at(1, 7), customer="C-3", follow_up=follow_up(opened(7), completed_after=49)),
        complaint(4, at(2, 27, 9), customer="C-4", follow_up=follow_up(at(3, 1, 9))),
        complaint(5, at(3, 29, 9), customer="C-5", follow_up=follow_up(at(3, 31, 9))),
        complaint(6, at(1, 8), customer="C-6"),
    ]
    report = compute_kpis(complaints, [], period_from=FROM, period_to=TO, as_of=AS_OF)
    # 2 on time / (3 completed + 1 overdue) = 0.5
    assert (report.follow_ups_on_time, report.follow_ups_counted) == (2, 4)
    assert report.follow_up_on_time_rate == 0.5
    assert report.to_json()["followUpOnTimeRate"] == 0.5
