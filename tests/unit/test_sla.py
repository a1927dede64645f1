"""Deadlines (docs/architecture.md §3). Every expected instant below was worked out by hand from the rules:

- hour-based: receipt + hours;
- day-based: 23:59:59 local time of the last day, counting from the day after receipt (the receipt
  day is the local calendar day in the policy's zone);
- business days: only working days of the policy's calendar count (weekends and public holidays
  off, make-up working days on).
Offsets used: Asia/Shanghai UTC+8 (no DST); Europe/London GMT (UTC+0) / BST (UTC+1, 2026-03-29 to
2026-10-25); America/New_York EST (UTC-5) / EDT (UTC-4, 2026-03-08 to 2026-11-01).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.core.models import Complexity, Deadlines, Priority, Product, SlaPolicyName
from complaints.sla import policies as sla
from complaints.sla.policies import (
    Calendar,
    Period,
    Unit,
    calendar_for,
    compute_deadlines,
    extensions_allowed,
    is_working_day,
    shift,
)

SEED = SlaPolicyName.SEED
CBIRC = SlaPolicyName.CBIRC_2020
FCA = SlaPolicyName.FCA_DISP
CFPB = SlaPolicyName.CFPB
NORMAL, HIGH, CRITICAL = Priority.NORMAL, Priority.HIGH, Priority.CRITICAL
SIMPLE, COMPLEX = Complexity.SIMPLE, Complexity.COMPLEX


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def deadlines(
    policy: SlaPolicyName,
    received: str,
    priority: Priority = NORMAL,
    complexity: Complexity = SIMPLE,
    product: Product = Product.OTHER,
) -> Deadlines:
    return compute_deadlines(policy, utc(received), priority, complexity, product)


# --- seed: calendar hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "complexity", "first_response", "resolution"),
    [
        # 09:15Z + 24 h = next day 09:15Z; + 48 h = two days later 09:15Z
        (NORMAL, SIMPLE, "2026-03-11T09:15:00Z", "2026-03-12T09:15:00Z"),
        (HIGH, SIMPLE, "2026-03-11T09:15:00Z", "2026-03-12T09:15:00Z"),
        # critical: 09:15Z + 4 h = 13:15Z; + 24 h = next day 09:15Z
        (CRITICAL, SIMPLE, "2026-03-10T13:15:00Z", "2026-03-11T09:15:00Z"),
    ],
)
def test_seed_policy_is_receipt_plus_hours(
    priority: Priority, complexity: Complexity, first_response: str, resolution: str
) -> None:
    due = deadlines(SEED, "2026-03-10T09:15:00Z", priority, complexity)
    assert due.first_response_due_at == utc(first_response)
    assert due.resolution_due_at == utc(resolution)
    assert due.solution_plan_due_at is None  # a simple complaint owes its outcome, no plan


@pytest.mark.parametrize(
    ("priority", "first_response", "plan"),
    [
        # 09:15Z + 24 h; the plan at + 48 h
        (NORMAL, "2026-03-11T09:15:00Z", "2026-03-12T09:15:00Z"),
        (HIGH, "2026-03-11T09:15:00Z", "2026-03-12T09:15:00Z"),
        # critical: the answer at + 4 h, the plan at + 24 h
        (CRITICAL, "2026-03-10T13:15:00Z", "2026-03-11T09:15:00Z"),
    ],
)
def test_a_complex_seed_complaint_owes_a_plan_in_48_hours_and_its_outcome_within_15_days(
    priority: Priority, first_response: str, plan: str
) -> None:
    # Received 17:15 Beijing time on Tuesday 10 March; 15 calendar days count from the 11th: the 25th,
    # to its last second in Beijing (15:59:59Z). Extended once: 30 days, 9 April.
    due = deadlines(SEED, "2026-03-10T09:15:00Z", priority, COMPLEX)
    assert due.first_response_due_at == utc(first_response)
    assert due.solution_plan_due_at == utc(plan)
    assert due.resolution_due_at == utc("2026-03-25T15:59:59Z")
    extended = compute_deadlines(SEED, utc("2026-03-10T09:15:00Z"), priority, COMPLEX, Product.OTHER, 1)
    assert extended.resolution_due_at == utc("2026-04-09T15:59:59Z")
    assert extensions_allowed(SEED, priority, COMPLEX, Product.OTHER) == 1


@pytest.mark.parametrize("policy", [CBIRC, FCA, CFPB])
def test_the_regulators_policies_set_no_solution_plan_milestone(policy: SlaPolicyName) -> None:
    due = deadlines(policy, "2026-03-10T09:15:00Z", NORMAL, COMPLEX, Product.PAYMENT)
    assert due.solution_plan_due_at is None


def test_hour_based_deadline_keeps_minutes_and_seconds_and_ignores_the_local_day() -> None:
    # 23:47:31Z + 24 h: no rounding to the end of any day
    due = deadlines(SEED, "2026-12-31T23:47:31Z")
    assert due.first_response_due_at == utc("2027-01-01T23:47:31Z")
    assert due.resolution_due_at == utc("2027-01-02T23:47:31Z")


def test_deadlines_are_returned_in_utc() -> None:
    due = deadlines(CBIRC, "2026-03-10T18:30:00Z")
    assert due.first_response_due_at.utcoffset() == timedelta(0)
    assert due.resolution_due_at.utcoffset() == timedelta(0)
    assert due.to_json()["resolutionDueAt"] in ("2026-03-26T15:59:59Z", "2026-03-26T15:59:59+00:00")


# --- cbirc-2020: calendar days, Asia/Shanghai -------------------------------------------------------


def test_cbirc_receipt_late_evening_utc_is_already_the_next_day_in_shanghai() -> None:
    # 2026-03-10T18:30Z is 2026-03-11 02:30 in Shanghai: the receipt day is 11 March.
    # Day 1 = 12 March … day 15 = 26 March; 23:59:59 CST (UTC+8) = 15:59:59Z.
    # First response: 24 calendar hours = 2026-03-11T18:30Z.
    due = deadlines(CBIRC, "2026-03-10T18:30:00Z")
    assert due.first_response_due_at == utc("2026-03-11T18:30:00Z")
    assert due.resolution_due_at == utc("2026-03-26T15:59:59Z")


def test_cbirc_receipt_one_second_before_shanghai_midnight_counts_from_that_day() -> None:
    # 15:59:59Z = 23:59:59 CST on 10 March → day 15 is 25 March → 2026-03-25T15:59:59Z
    assert deadlines(CBIRC, "2026-03-10T15:59:59Z").resolution_due_at == utc("2026-03-25T15:59:59Z")
    # 16:00:00Z = 00:00:00 CST on 11 March → day 15 is 26 March
    assert deadlines(CBIRC, "2026-03-10T16:00:00Z").resolution_due_at == utc("2026-03-26T15:59:59Z")


def test_cbirc_counts_calendar_days_through_a_public_holiday() -> None:
    # Received 2026-09-30 10:00 CST (02:00Z); the National Day holiday (1–7 Oct) still counts.
    # Day 15 = 15 October → 2026-10-15T15:59:59Z.
    assert deadlines(CBIRC, "2026-09-30T02:00:00Z").resolution_due_at == utc("2026-10-15T15:59:59Z")


# --- fca-disp: business days, England, Europe/London ------------------------------------------------


def test_cbirc_resolution_runs_across_the_year_end() -> None:
    # Received 2026-12-20 09:00 CST (01:00Z): 21–31 Dec are days 1–11, 1–4 Jan 2027 days 12–15.
    # 23:59:59 CST on 4 Jan = 2027-01-04T15:59:59Z.
    assert deadlines(CBIRC, "2026-12-20T01:00:00Z").resolution_due_at == utc("2027-01-04T15:59:59Z")


def test_cbirc_calendar_days_count_straight_through_chinese_new_year() -> None:
    # Received 2026-02-13 10:00 CST (02:00Z): calendar days ignore the 15–23 Feb holiday;
    # day 15 = 28 Feb → 2026-02-28T15:59:59Z.
    assert deadlines(CBIRC, "2026-02-13T02:00:00Z").resolution_due_at == utc("2026-02-28T15:59:59Z")


def test_fca_receipt_late_on_a_friday_counts_from_monday() -> None:
    # Fri 2026-06-05 23:30 BST (22:30Z) is still Friday in London: business day 1 = Mon 8 June,
    # 2 = Tue 9, 3 = Wed 10 (no bank holiday); 23:59:59 BST = 2026-06-10T22:59:59Z.
    assert deadlines(FCA, "2026-06-05T22:30:00Z").first_response_due_at == utc("2026-06-10T22:59:59Z")


def test_fca_first_response_skips_a_weekend_and_a_bank_holiday() -> None:
    # Received Friday 2026-05-01 10:00 BST (09:00Z). Sat 2 and Sun 3 are the weekend, Mon 4 May is
    # the Early May bank holiday: business day 1 = Tue 5, 2 = Wed 6, 3 = Thu 7 May.
    # 23:59:59 BST = 22:59:59Z.
    due = deadlines(FCA, "2026-05-01T09:00:00Z")
    assert due.first_response_due_at == utc("2026-05-07T22:59:59Z")
    # Non-payment resolution: 8 weeks = 56 calendar days: 1 May + 56 = 26 June.
    assert due.resolution_due_at == utc("2026-06-26T22:59:59Z")


def test_fca_payment_services_resolution_is_15_business_days() -> None:
    # From Fri 1 May 2026: 5–8 May (4), 11–15 (9), 18–22 (14), Mon 25 May is the Spring bank
    # holiday, Tue 26 May is day 15. 23:59:59 BST = 22:59:59Z.
    due = deadlines(FCA, "2026-05-01T09:00:00Z", product=Product.PAYMENT)
    assert due.first_response_due_at == utc("2026-05-07T22:59:59Z")
    assert due.resolution_due_at == utc("2026-05-26T22:59:59Z")


def test_fca_first_response_over_christmas_in_winter_time() -> None:
    # Received Thu 2026-12-24 12:00 GMT. Fri 25 Christmas, Sat 26, Sun 27, Mon 28 Boxing Day
    # (substitute day): day 1 = Tue 29, 2 = Wed 30, 3 = Thu 31 Dec; GMT = UTC.
    due = deadlines(FCA, "2026-12-24T12:00:00Z")
    assert due.first_response_due_at == utc("2026-12-31T23:59:59Z")


# --- cfpb: calendar days, America/New_York ----------------------------------------------------------


def test_cfpb_across_the_autumn_dst_change() -> None:
    # 2026-10-21T02:30Z is 20 Oct 22:30 EDT, so the receipt day is 20 October (the UTC date, 21 Oct,
    # would give one day more). 15 days → 4 Nov; clocks went back on 1 Nov, so 23:59:59 EST (UTC-5)
    # = 2026-11-05T04:59:59Z. 60 days → 19 Dec (11 days to 31 Oct, 30 in Nov, 19 in Dec)
    # = 2026-12-20T04:59:59Z.
    due = deadlines(CFPB, "2026-10-21T02:30:00Z")
    assert due.first_response_due_at == utc("2026-11-05T04:59:59Z")
    assert due.resolution_due_at == utc("2026-12-20T04:59:59Z")


def test_cfpb_across_the_spring_dst_change() -> None:
    # Received 1 Mar 2026 10:00 EST (15:00Z). 15 days → 16 Mar, after the switch to EDT on 8 Mar:
    # 23:59:59 EDT (UTC-4) = 2026-03-17T03:59:59Z. 60 days → 30 Apr → 2026-05-01T03:59:59Z.
    due = deadlines(CFPB, "2026-03-01T15:00:00Z")
    assert due.first_response_due_at == utc("2026-03-17T03:59:59Z")
    assert due.resolution_due_at == utc("2026-05-01T03:59:59Z")


# --- Chinese working-day calendar (make-up working days) --------------------------------------------

SHANGHAI = Calendar("Asia/Shanghai", "CN")


def test_chinese_make_up_working_day_is_a_working_day() -> None:
    # 2026 Spring Festival: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up working days.
    assert is_working_day(date(2026, 2, 14), SHANGHAI)  # Saturday, but worked
    assert is_working_day(date(2026, 2, 28), SHANGHAI)  # Saturday, but worked
    assert not is_working_day(date(2026, 3, 1), SHANGHAI)  # an ordinary Sunday
    assert not is_working_day(date(2026, 2, 16), SHANGHAI)  # a Monday inside the holiday
    assert is_working_day(date(2026, 3, 2), SHANGHAI)  # an ordinary Monday
    assert calendar_for(CBIRC) == SHANGHAI


def test_business_days_count_a_chinese_make_up_saturday() -> None:
    # Received Fri 2026-02-13 10:00 CST (02:00Z), 3 business days in the CN calendar:
    # Sat 14 Feb (make-up working day) = 1, 15–23 Feb holiday, Tue 24 = 2, Wed 25 = 3.
    # 23:59:59 CST = 15:59:59Z.
    due = sla._due(utc("2026-02-13T02:00:00Z"), Period(3, Unit.BUSINESS_DAYS), SHANGHAI)
    assert due == utc("2026-02-25T15:59:59Z")


def test_a_calendar_without_a_country_knows_only_weekends() -> None:
    plain = Calendar("UTC")
    assert is_working_day(date(2026, 5, 4), plain)  # a UK bank holiday means nothing here
    assert not is_working_day(date(2026, 5, 2), plain)  # Saturday


# --- extensions -------------------------------------------------------------------------------------


def extension(
    policy: SlaPolicyName, received: str, taken: int, product: Product = Product.OTHER
) -> datetime | None:
    """The resolution deadline after one more extension, None when the policy allows no more."""
    if taken >= extensions_allowed(policy, NORMAL, SIMPLE, product):
        return None
    return compute_deadlines(
        policy, utc(received), NORMAL, SIMPLE, product, extensions=taken + 1
    ).resolution_due_at


def test_cbirc_extension_ladder_15_then_30_then_60_days() -> None:
    # Receipt day 11 March (Shanghai). 30 days → 10 April; 60 days → 10 May (20 days to 31 Mar,
    # 30 in April, 10 in May). 23:59:59 CST = 15:59:59Z.
    received = "2026-03-10T18:30:00Z"
    assert extension(CBIRC, received, 0) == utc("2026-04-10T15:59:59Z")
    assert extension(CBIRC, received, 1) == utc("2026-05-10T15:59:59Z")
    assert extension(CBIRC, received, 2) is None


def test_fca_payment_extension_to_35_business_days() -> None:
    # From Fri 1 May 2026, continuing after day 15 (Tue 26 May): 27–29 May (18), 1–5 Jun (23),
    # 8–12 Jun (28), 15–19 Jun (33), Mon 22 (34), Tue 23 Jun (35). 23:59:59 BST = 22:59:59Z.
    received = "2026-05-01T09:00:00Z"
    assert extension(FCA, received, 0, Product.PAYMENT) == utc("2026-06-23T22:59:59Z")
    assert extension(FCA, received, 1, Product.PAYMENT) is None


@pytest.mark.parametrize(
    ("policy", "product"),
    [(SEED, Product.OTHER), (SEED, Product.PAYMENT), (FCA, Product.LOAN), (CFPB, Product.OTHER)],
)
def test_policies_without_an_extension_ladder_allow_none(policy: SlaPolicyName, product: Product) -> None:
    assert extension(policy, "2026-05-01T09:00:00Z", 0, product) is None


def test_an_extension_keeps_the_time_already_spent_paused() -> None:
    # 30 days from receipt (2026-04-10T15:59:59Z) plus 5 h 30 min waiting on the customer.
    due = compute_deadlines(
        CBIRC,
        utc("2026-03-10T18:30:00Z"),
        NORMAL,
        SIMPLE,
        Product.OTHER,
        extensions=1,
        paused_for=timedelta(hours=5, minutes=30),
    )
    assert due.resolution_due_at == utc("2026-04-10T21:29:59Z")


def test_shift_moves_both_deadlines_by_the_paused_time() -> None:
    due = deadlines(SEED, "2026-03-10T09:15:00Z")
    moved = shift(due, timedelta(hours=3, minutes=20))
    assert moved.first_response_due_at == utc("2026-03-11T12:35:00Z")
    assert moved.resolution_due_at == utc("2026-03-12T12:35:00Z")


# --- properties -------------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
policies = st.sampled_from(list(SlaPolicyName))
priorities = st.sampled_from(list(Priority))
complexities = st.sampled_from(list(Complexity))
products = st.sampled_from(list(Product))


@settings(max_examples=150, deadline=None)
@given(received=instants, product=products)
def test_business_day_deadlines_never_fall_on_a_non_working_day(received: datetime, product: Product) -> None:
    london = calendar_for(FCA)
    due = compute_deadlines(FCA, received, NORMAL, SIMPLE, product)
    local = due.first_response_due_at.astimezone(ZoneInfo(london.time_zone))
    assert is_working_day(local.date(), london)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert local.date() > received.astimezone(ZoneInfo(london.time_zone)).date()
    if product is Product.PAYMENT:
        resolution = due.resolution_due_at.astimezone(ZoneInfo(london.time_zone))
        assert is_working_day(resolution.date(), london)
        extended = compute_deadlines(FCA, received, NORMAL, SIMPLE, product, extensions=1).resolution_due_at
        assert is_working_day(extended.astimezone(ZoneInfo(london.time_zone)).date(), london)


@settings(max_examples=100, deadline=None)
@given(received=instants, days=st.integers(min_value=1, max_value=40))
def test_chinese_business_day_deadlines_never_fall_on_a_non_working_day(
    received: datetime, days: int
) -> None:
    due = sla._due(received, Period(days, Unit.BUSINESS_DAYS), SHANGHAI).astimezone(ZoneInfo("Asia/Shanghai"))
    assert is_working_day(due.date(), SHANGHAI)


@settings(max_examples=200, deadline=None)
@given(
    first=instants,
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    policy=policies,
    priority=priorities,
    complexity=complexities,
    product=products,
)
def test_deadlines_are_monotonic_in_received_at(
    first: datetime,
    gap: timedelta,
    policy: SlaPolicyName,
    priority: Priority,
    complexity: Complexity,
    product: Product,
) -> None:
    earlier = compute_deadlines(policy, first, priority, complexity, product)
    later = compute_deadlines(policy, first + gap, priority, complexity, product)
    assert earlier.first_response_due_at <= later.first_response_due_at
    assert earlier.resolution_due_at <= later.resolution_due_at
    # and never before the receipt itself
    assert earlier.first_response_due_at > first
    assert earlier.resolution_due_at > first


@settings(max_examples=200, deadline=None)
@given(
    received=instants,
    paused=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)),
    policy=policies,
    priority=priorities,
    product=products,
)
def test_shift_never_shortens_a_deadline(
    received: datetime, paused: timedelta, policy: SlaPolicyName, priority: Priority, product: Product
) -> None:
    before = compute_deadlines(policy, received, priority, SIMPLE, product)
    after = shift(before, paused)
    assert after.first_response_due_at >= before.first_response_due_at
    assert after.resolution_due_at >= before.resolution_due_at
    assert after.first_response_due_at - before.first_response_due_at == paused
    assert after.resolution_due_at - before.resolution_due_at == paused
