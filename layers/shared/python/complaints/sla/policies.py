"""Deadlines: the SLA policies of docs/architecture.md §3.

A policy maps (priority, complexity, product) to a first-response and a resolution deadline, each a
number of calendar hours, calendar days or business days in a named time zone and holiday calendar.
Rules shared by every policy:
- an hour-based deadline is receipt + hours;
- a day-based deadline ends at 23:59:59 local time of its last day, counting from the day after
  receipt; a business-day deadline counts only working days of the policy's calendar (weekends and
  public holidays off, make-up working days on), from the `holidays` library.
Everything returned is UTC. The very same function serves intake and the preview endpoint.

Each policy also says how long the clock may stand still while the bank waits on the customer
(`pause_limit`: none where the rule knows no such stop) and how long a resolved complaint stays open to
the customer's dispute before it closes by itself (`cooling_off`); the reasons are beside the numbers.

The seed policy is the bank's own: its numbers are the bank's to set (`SeedPolicySettings`, cdk.json
`seed_policy`), installed once per process by the composition (`use_seed_policy`). The regulators'
numbers are their rules' and cannot be changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from complaints.core.models import ApiModel, Complexity, Deadlines, Priority, Product, SlaPolicyName

if TYPE_CHECKING:
    import holidays


class Unit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit


@dataclass(frozen=True)
class Calendar:
    time_zone: str
    country: str | None = None
    subdivision: str | None = None


@dataclass(frozen=True)
class Limits:
    first_response: Period
    resolution: Period
    # The resolution limits an extension may move to, in order, each counted from receipt.
    extensions: tuple[Period, ...] = ()
    # A solution plan owed to the customer (what will be done, by when): the plan's date is then the
    # resolution deadline, within `resolution` (or the extension reached). None: no such milestone.
    solution_plan: Period | None = None


class SeedPolicySettings(BaseModel):
    """The numbers of the seed policy (保障措施) a bank may set for its deployment. The defaults are the
    policy's: an answer in 24 hours (4 when critical), an outcome in 48 (24), and for a complex complaint
    a solution plan in 48 hours (24) with the outcome within 15 days, extensible once to 30; the clock
    stands still at most 10 days in all while the bank waits on the customer; a resolution may be
    disputed for 7 days. A shorter pause limit also makes a pause that expires by itself quick to try."""

    # Built when first validated: a cold start that reads no setting pays nothing for it.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    pause_limit: timedelta = Field(default=timedelta(days=10), ge=timedelta(0), le=timedelta(days=60))
    cooling_off_days: int = Field(default=7, ge=1, le=90)
    solution_plan_hours: int = Field(default=48, ge=1, le=24 * 10)
    critical_solution_plan_hours: int = Field(default=24, ge=1, le=24 * 10)
    complex_resolution_days: int = Field(default=15, ge=1, le=90)
    complex_extended_days: int = Field(default=30, ge=1, le=180)

    @model_validator(mode="after")
    def _extension_is_longer(self) -> Self:
        if self.complex_extended_days <= self.complex_resolution_days:
            raise ValueError("complex_extended_days must be more than complex_resolution_days")
        if self.critical_solution_plan_hours > self.solution_plan_hours:
            raise ValueError("critical_solution_plan_hours must be at most solution_plan_hours")
        return self


_seed = SeedPolicySettings()


def use_seed_policy(settings: SeedPolicySettings) -> None:
    """Install the deployment's seed-policy numbers for this process (composition, at cold start)."""
    global _seed
    _seed = settings


def seed_policy() -> SeedPolicySettings:
    return _seed


_END_OF_DAY = time(23, 59, 59)
_SHANGHAI = Calendar("Asia/Shanghai", "CN")
_LONDON = Calendar("Europe/London", "GB", "ENG")
_NEW_YORK = Calendar("America/New_York", "US")


def _limits(policy: SlaPolicyName, priority: Priority, complexity: Complexity, product: Product) -> Limits:
    """The policy table of docs/architecture.md §3."""
    if policy is SlaPolicyName.SEED:
        # 一般投诉24小时内初步回复, 复杂投诉48小时内提供解决方案; sensitive (critical) ones faster.
        first_response = Period(4 if priority is Priority.CRITICAL else 24, Unit.HOURS)
        if complexity is Complexity.COMPLEX:
            # A complex complaint (a chargeback, a fraud case) owes a *solution* in 48 hours, not an
            # outcome: the plan says what will be done and by when, within 15 days, which a supervisor
            # may extend once to 30 with the customer told (docs/architecture.md §3).
            critical = priority is Priority.CRITICAL
            plan_hours = _seed.critical_solution_plan_hours if critical else _seed.solution_plan_hours
            return Limits(
                first_response,
                Period(_seed.complex_resolution_days, Unit.CALENDAR_DAYS),
                (Period(_seed.complex_extended_days, Unit.CALENDAR_DAYS),),
                solution_plan=Period(plan_hours, Unit.HOURS),
            )
        return Limits(first_response, Period(24 if priority is Priority.CRITICAL else 48, Unit.HOURS))
    if policy is SlaPolicyName.CBIRC_2020:
        # 办法第十五条: 15 days, extendable to 30; a further 30 with recorded approval.
        return Limits(
            Period(24, Unit.HOURS),
            Period(15, Unit.CALENDAR_DAYS),
            (Period(30, Unit.CALENDAR_DAYS), Period(60, Unit.CALENDAR_DAYS)),
        )
    if policy is SlaPolicyName.FCA_DISP:
        if product is Product.PAYMENT:
            # DISP 1.6.2A: 15 business days; 35 when a holding reply explains the delay.
            return Limits(
                Period(3, Unit.BUSINESS_DAYS),
                Period(15, Unit.BUSINESS_DAYS),
                (Period(35, Unit.BUSINESS_DAYS),),
            )
        return Limits(Period(3, Unit.BUSINESS_DAYS), Period(56, Unit.CALENDAR_DAYS))
    return Limits(Period(15, Unit.CALENDAR_DAYS), Period(60, Unit.CALENDAR_DAYS))


def calendar_for(policy: SlaPolicyName) -> Calendar:
    return {
        SlaPolicyName.SEED: _SHANGHAI,
        SlaPolicyName.CBIRC_2020: _SHANGHAI,
        SlaPolicyName.FCA_DISP: _LONDON,
        SlaPolicyName.CFPB: _NEW_YORK,
    }[policy]


class PolicyClock(ApiModel):
    """Where a policy's clock runs: what a deadline's time of day and a business day are read against."""

    name: SlaPolicyName
    time_zone: str = Field(description="IANA time zone: a day-based deadline ends at 23:59:59 there")
    holiday_calendar: str = Field(
        description="ISO 3166 country (and subdivision) whose public holidays are not business days"
    )


class PolicyClocks(ApiModel):
    items: list[PolicyClock]


def policy_clocks() -> PolicyClocks:
    """Every policy's clock, in the order the policies are named."""
    return PolicyClocks(
        items=[
            PolicyClock(
                name=policy,
                time_zone=calendar.time_zone,
                holiday_calendar="-".join(part for part in (calendar.country, calendar.subdivision) if part),
            )
            for policy in SlaPolicyName
            for calendar in (calendar_for(policy),)
        ]
    )


def local_date(policy: SlaPolicyName, moment: datetime) -> date:
    """The calendar date of `moment` where the policy's clock runs (the date a customer knows)."""
    return moment.astimezone(ZoneInfo(calendar_for(policy).time_zone)).date()


@cache
def _holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # Imported on first use: only business-day policies need it, and it costs every cold start ~50 ms.
    import holidays

    return holidays.country_holidays(country, subdiv=subdivision)


def is_working_day(day: date, calendar: Calendar) -> bool:
    if calendar.country is None:
        return day.weekday() < 5
    return bool(_holidays(calendar.country, calendar.subdivision).is_working_day(day))


def _due(received_at: datetime, period: Period, calendar: Calendar) -> datetime:
    if period.unit is Unit.HOURS:
        return received_at + timedelta(hours=period.amount)
    zone = ZoneInfo(calendar.time_zone)
    day = received_at.astimezone(zone).date()
    if period.unit is Unit.CALENDAR_DAYS:
        day += timedelta(days=period.amount)
    else:
        remaining = period.amount
        while remaining:
            day += timedelta(days=1)
            if is_working_day(day, calendar):
                remaining -= 1
    return datetime.combine(day, _END_OF_DAY, tzinfo=zone).astimezone(received_at.tzinfo)


def compute_deadlines(
    policy: SlaPolicyName,
    received_at: datetime,
    priority: Priority,
    complexity: Complexity,
    product: Product,
    extensions: int = 0,
    paused_for: timedelta = timedelta(0),
) -> Deadlines:
    """The deadlines of a complaint of this class, after `extensions` extensions of its resolution
    deadline (as far as the policy allows) and with the clock stopped for `paused_for`."""
    limits = _limits(policy, priority, complexity, product)
    calendar = calendar_for(policy)
    ladder = (limits.resolution, *limits.extensions)
    resolution = ladder[min(extensions, len(ladder) - 1)]
    plan = limits.solution_plan
    return Deadlines(
        first_response_due_at=_due(received_at, limits.first_response, calendar) + paused_for,
        resolution_due_at=_due(received_at, resolution, calendar) + paused_for,
        solution_plan_due_at=_due(received_at, plan, calendar) + paused_for if plan else None,
    )


def extensions_allowed(
    policy: SlaPolicyName, priority: Priority, complexity: Complexity, product: Product
) -> int:
    return len(_limits(policy, priority, complexity, product).extensions)


def shift(deadlines: Deadlines, paused_for: timedelta) -> Deadlines:
    """While the complaint waits on the customer the clock stops: deadlines move by the paused time."""
    plan = deadlines.solution_plan_due_at
    return Deadlines(
        first_response_due_at=deadlines.first_response_due_at + paused_for,
        resolution_due_at=deadlines.resolution_due_at + paused_for,
        solution_plan_due_at=plan + paused_for if plan else None,
    )


# --- waiting on the customer, and the cooling-off after a resolution ----------------------------------

PAUSE_LIMITS: dict[SlaPolicyName, timedelta] = {
    # The bank's own policy: the clock may stand still at most 10 days in all while the bank waits on
    # the customer (one pause or several); then it restarts by itself and the customer is told so.
    # (The deployment may set another: SeedPolicySettings.pause_limit, read by `pause_limit`.)
    SlaPolicyName.SEED: timedelta(days=10),
    # 银行业保险业消费投诉处理管理办法 (2020): its 15, 30 and 60 days count from receipt. As we read it,
    # the only time a bank may leave out of them is that of an outside appraisal, test or assessment
    # (鉴定、检测、评估), not time spent waiting for the complainant's materials: a complex case is
    # extended (the rule's own route, the customer told), never paused.
    SlaPolicyName.CBIRC_2020: timedelta(0),
    # DISP 1.6.2R (eight weeks) and DISP 1.6.2A (15 business days, payment services) run from receipt
    # with no stop-the-clock: a firm still waiting on the customer sends its holding response by the
    # deadline, and for payment services may take the 35 business days instead.
    SlaPolicyName.FCA_DISP: timedelta(0),
    # The CFPB expects a response within 15 days and closure within 60 of the complaint reaching the
    # company, whatever it waits for; Regulations E and Z count their error-resolution periods from the
    # notice of error. Nothing stops them.
    SlaPolicyName.CFPB: timedelta(0),
}

COOLING_OFF: dict[SlaPolicyName, Period] = {
    # The bank's own policy: a week for the customer to read the outcome and dispute it (or the
    # deployment's SeedPolicySettings.cooling_off_days, read by `cooling_off_ends`).
    SlaPolicyName.SEED: Period(7, Unit.CALENDAR_DAYS),
    # The 办法 lets the complainant ask the bank to review (核查) its decision but names no period for
    # asking: we give them 15 days, as long as the rule gives the bank to decide.
    SlaPolicyName.CBIRC_2020: Period(15, Unit.CALENDAR_DAYS),
    # The final response ends the firm's handling (DISP 1.6.2R); the customer's next step is the
    # Ombudsman within six months, which a reopen here neither replaces nor shortens. A week, as the
    # seed, for a customer who writes back at once (a misunderstanding, a wrong figure in the redress).
    SlaPolicyName.FCA_DISP: Period(7, Unit.CALENDAR_DAYS),
    # The CFPB shows the consumer the company's response and lets them dispute it; that dispute was open
    # for 30 days after the response (the "Consumer disputed?" column of its public data), so the
    # complaint stays open to dispute that long.
    SlaPolicyName.CFPB: Period(30, Unit.CALENDAR_DAYS),
}


def pause_limit(policy: SlaPolicyName) -> timedelta:
    """How long the clock may stand still in all, over the complaint's life; zero: it never stops."""
    return _seed.pause_limit if policy is SlaPolicyName.SEED else PAUSE_LIMITS[policy]


def cooling_off_ends(policy: SlaPolicyName, resolved_at: datetime) -> datetime:
    """When a complaint resolved at `resolved_at` closes by itself unless the customer disputes it: the
    end (23:59:59 local) of the last day of the policy's cooling-off period."""
    period = Period(_seed.cooling_off_days, Unit.CALENDAR_DAYS) if policy is SlaPolicyName.SEED else None
    return _due(resolved_at, period or COOLING_OFF[policy], calendar_for(policy))


def resolution_due(
    policy: SlaPolicyName,
    start: datetime,
    priority: Priority,
    complexity: Complexity,
    product: Product,
    extensions: int = 0,
) -> datetime:
    """The resolution deadline of a complaint of this class whose clock starts at `start` (its receipt,
    or its latest reopen), after `extensions` steps of the policy's extension ladder."""
    return compute_deadlines(policy, start, priority, complexity, product, extensions).resolution_due_at
