"""The service KPIs of docs/architecture.md §7, computed in one streaming pass (pure Python, no AWS).

Population: the complaints *received* in the half-open period [from, to), i.e.
``from <= received_at < to``; everything else in the input is skipped. ``as_of`` is the moment the
report is taken (usually "now", never later than needed): it decides which unanswered complaints are
already past their first-response deadline.

Formulas (n = complaints received in the period; every rate is ``None`` when its denominator is 0):

- ``received`` = n.
- ``withdrawn`` = complaints of the period whose ``status == withdrawn``. Their place in the on-time
  rate is shown, never left out silently: ``withdrawnLate`` = those withdrawn unanswered after their
  first-response deadline had passed (in the rate's denominator, as late), ``withdrawnBeforeDue`` =
  those withdrawn unanswered before it (in neither part of the rate); a withdrawn complaint that was
  answered counts as any answered one.
- ``firstResponseOnTimeRate`` = on_time / (answered + unanswered_past_deadline), where
  answered = complaints with ``first_responded_at`` set;
  on_time = answered complaints with ``first_responded_at <= deadlines.first_response_due_at``
  (``complaints.sla.on_time.answered_on_time``)
  (an answer after the deadline counts as answered, not on time);
  unanswered_past_deadline = complaints without ``first_responded_at`` whose deadline lies strictly
  before ``as_of`` — or, for a complaint withdrawn unanswered, strictly before ``withdrawn_at`` (its
  clock stopped when it was withdrawn). An unanswered complaint whose deadline has not passed is in
  neither the numerator nor the denominator (``first_response_on_time``).
- ``satisfactionRate`` = satisfied / rated, where each complaint contributes at most one rating, its
  latest (greatest ``Feedback.at``), and satisfied = latest rating >= 4 (of 5).
- ``closureRate`` = closed / n, closed = ``status == closed``.
- ``resolutionRate`` = (resolved + closed) / n, by current ``status`` (a reopened complaint no longer
  counts until it is resolved again).
- ``followUpOnTimeRate`` = on_time / counted over the complaints of the period with a follow-up (回访,
  opened by a rating of 3 or less; a complaint holds its latest one): on_time = completed with
  ``completed_at <= due_at``; counted = completed, plus open ones whose ``due_at`` lies strictly before
  ``as_of`` (overdue: late). An open follow-up not yet due is in neither (``follow_up_on_time``).
- ``solutionPlanOnTimeRate`` = on_time / counted over the complaints of the period that owe a solution
  plan (``deadlines.solution_plan_due_at`` set: the seed policy's complex complaints): on_time = first
  plan given with ``solution_plan.first_given_at <= solution_plan_due_at``; counted = plans given, plus
  complaints without one whose milestone lies strictly before ``as_of`` (or the withdrawal). One not yet
  due is in neither (``solution_plan_on_time``).
- ``accountabilityRate`` = reviewed / opened over the accountability records whose ``complaint_id`` is
  a complaint of the period; reviewed = ``status == reviewed``.
- ``medianHoursToFirstResponse`` / ``p90HoursToFirstResponse``: over answered complaints,
  hours = (``first_responded_at`` - ``received_at``) / 3600 s.
- ``medianHoursToResolution`` / ``p90HoursToResolution``: over complaints with ``resolved_at`` (else
  ``closed_at``) set, hours = (that time - ``received_at``) / 3600 s, elapsed calendar time (time spent
  awaiting the customer is not subtracted).
- Durations are counted in whole minutes (rounded down), so a quarter's durations fit in one counter per
  minute value however many complaints it holds; hours = minutes / 60.
- median of sorted x_1..x_k = x_((k+1)/2) for odd k, (x_(k/2) + x_(k/2+1)) / 2 for even k.
- p90 is the nearest-rank percentile: x_r with r = ceil(0.9 * k) (1-based) on the ascending sort,
  so it is always an observed value. Both are ``None`` when k = 0. Hours are rounded to 2 decimals.
- ``byChannel`` / ``byCategory`` / ``byProduct`` / ``byPriority`` = count of the period's complaints
  per value; every value of the enumeration is listed, zeros included.
- ``breachesByTeam`` = sum of ``len(breaches)`` per ``team`` (``"unassigned"`` when no team), teams
  with no breach left out.
- ``topRootCauses`` = the 5 most frequent ``resolution.root_cause`` among the period's complaints
  that carry a resolution, count descending then name ascending.
- ``repeatComplainants`` = number of distinct ``customer.customer_id`` with >= 2 complaints in the
  period.
- ``targets`` = firstResponseOnTimeRate 0.90, satisfactionRate 0.85, closureRate 0.95;
  ``met.<kpi>`` = rate >= target, or ``None`` when the rate is ``None``.

Memory: the complaints are consumed one at a time and never retained. State that grows is, by choice:
- two duration histograms (a count per whole minute): bounded by the longest duration, not by the
  number of complaints — a quarter has at most ~130 000 distinct minutes, in practice a few thousand;
- the customers, as 8-byte digests sorted and spilled to temporary files in runs of 200 000 and merged
  at the end (``CustomerTally``, an external sort): repeat complainants are counted exactly while
  memory holds one run's buffer; a counter per distinct root cause;
- the accountability records, read *first* and folded into per-complaint (opened, reviewed) counts, so
  no set of the period's complaint ids is kept: memory follows the number of breaches, not of
  complaints.
Everything else (counts, per-enum and per-team tallies) is bounded.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import groupby
from typing import IO

from pydantic import Field

from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    ApiModel,
    Category,
    Channel,
    Complaint,
    Priority,
    Product,
    Status,
)
from complaints.sla.on_time import answered_on_time, resolved_on_time

UNASSIGNED = "unassigned"
# The figures of a KpiReport, by their API names, in the order reports list them.
KPI_FIGURES = (
    "received",
    "withdrawn",
    "withdrawnLate",
    "withdrawnBeforeDue",
    "firstResponseOnTimeRate",
    "satisfactionRate",
    "closureRate",
    "resolutionRate",
    "accountabilityRate",
    "followUpOnTimeRate",
    "solutionPlanOnTimeRate",
    "medianHoursToFirstResponse",
    "p90HoursToFirstResponse",
    "medianHoursToResolution",
    "p90HoursToResolution",
    "repeatComplainants",
)
TOP_ROOT_CAUSES = 5
SATISFIED_FROM = 4
FIRST_RESPONSE_ON_TIME_TARGET = 0.90
SATISFACTION_TARGET = 0.85
CLOSURE_TARGET = 0.95


class KpiTargets(ApiModel):
    first_response_on_time_rate: float = FIRST_RESPONSE_ON_TIME_TARGET
    satisfaction_rate: float = SATISFACTION_TARGET
    closure_rate: float = CLOSURE_TARGET


class KpiMet(ApiModel):
    """rate >= target; ``None`` when the rate is ``None`` (nothing to measure)."""

    first_response_on_time_rate: bool | None
    satisfaction_rate: bool | None
    closure_rate: bool | None


class RootCauseCount(ApiModel):
    root_cause: str
    count: int


class KpiReport(ApiModel):
    """The KPIs of one period; see the module docstring for every formula."""

    period_from: datetime = Field(alias="from")
    period_to: datetime = Field(alias="to")
    as_of: datetime
    received: int
    withdrawn: int = Field(description="complaints of the period withdrawn by their customer")
    withdrawn_late: int = Field(
        description="withdrawn unanswered after the first-response deadline had passed: in "
        "firstResponsesCounted, as late"
    )
    withdrawn_before_due: int = Field(
        description="withdrawn unanswered before the first-response deadline: outside the on-time rate"
    )
    # numerators and denominators, so each rate can be checked
    first_responses_on_time: int
    first_responses_counted: int = Field(description="answered + unanswered past the deadline")
    satisfied_ratings: int
    ratings: int
    closed: int
    resolved_or_closed: int
    accountability_reviewed: int
    accountability_opened: int
    follow_ups_on_time: int = Field(description="follow-ups (回访) completed by their due time")
    follow_ups_counted: int = Field(description="follow-ups completed, plus those open past their due time")
    solution_plans_on_time: int = Field(
        description="solution plans (complex complaints, seed policy) first given by their deadline"
    )
    solution_plans_counted: int = Field(
        description="solution plans given, plus complaints still owing one past its deadline"
    )
    # rates
    first_response_on_time_rate: float | None
    satisfaction_rate: float | None
    closure_rate: float | None
    resolution_rate: float | None
    accountability_rate: float | None
    follow_up_on_time_rate: float | None
    solution_plan_on_time_rate: float | None
    # durations, hours
    median_hours_to_first_response: float | None
    p90_hours_to_first_response: float | None
    median_hours_to_resolution: float | None
    p90_hours_to_resolution: float | None
    # breakdowns
    by_channel: dict[str, int]
    by_category: dict[str, int]
    by_product: dict[str, int]
    by_priority: dict[str, int]
    breaches_by_team: dict[str, int]
    top_root_causes: list[RootCauseCount]
    repeat_complainants: int
    targets: KpiTargets
    met: KpiMet


def _rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, ``None`` when the denominator is 0."""
    return numerator / denominator if denominator else None


class DurationHistogram:
    """Durations as a count per whole minute: exact median and nearest-rank percentiles at minute
    resolution, in memory bounded by the longest duration rather than by the number of complaints."""

    def __init__(self) -> None:
        self._minutes: Counter[int] = Counter()
        self.count = 0

    def add(self, start: datetime, end: datetime) -> None:
        self.add_duration(end - start)

    def add_duration(self, duration: timedelta) -> None:
        self._minutes[int(duration.total_seconds() // 60)] += 1
        self.count += 1

    def _ranked(self, rank: int) -> int:
        """The rank-th smallest duration in minutes (1-based)."""
        seen = 0
        for minutes in sorted(self._minutes):
            seen += self._minutes[minutes]
            if seen >= rank:
                return minutes
        raise IndexError(rank)

    def median_hours(self) -> float | None:
        if not self.count:
            return None
        middle = self.count // 2
        if self.count % 2:
            return self._ranked(middle + 1) / 60
        return (self._ranked(middle) + self._ranked(middle + 1)) / 2 / 60

    def percentile_hours(self, percentile: float) -> float | None:
        if not self.count:
            return None
        return self._ranked(max(1, math.ceil(percentile / 100 * self.count))) / 60


class CustomerTally:
    """Counts the customers seen at least twice, in memory that does not grow with the period.

    Each customer id becomes an 8-byte digest appended to a buffer; a full buffer is sorted and spilled
    to a temporary file (8 bytes a complaint: 8 MB for a million), and at the end the sorted runs are
    merged and equal neighbours counted — an external sort. Memory holds one buffer and one block per
    run, whatever the number of complaints. Two ids share a digest with probability ~n²/2⁶⁵ (about
    3·10⁻⁸ for a million complaints).
    """

    BUFFER = 200_000
    _BLOCK = 8192

    def __init__(self, buffer: int = BUFFER) -> None:
        self._limit = buffer
        self._buffer = array("Q")
        self._runs: list[IO[bytes]] = []
        self._repeat: int | None = None

    def add(self, customer_id: str) -> None:
        digest = hashlib.blake2b(customer_id.encode(), digest_size=8).digest()
        self._buffer.append(int.from_bytes(digest, "big"))
        if len(self._buffer) >= self._limit:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile()  # noqa: SIM115 (kept open until the runs are merged, then closed)
        array("Q", sorted(self._buffer)).tofile(run)
        self._runs.append(run)
        self._buffer = array("Q")

    def _read(self, run: IO[bytes]) -> Iterator[int]:
        run.seek(0)
        while True:
            block = array("Q")
            try:
                block.fromfile(run, self._BLOCK)
            except EOFError:  # the last, shorter block: what was read is in `block`
                yield from block
                return
            yield from block

    @property
    def repeat(self) -> int:
        if self._repeat is None:
            ordered: Iterable[int]
            if self._runs:
                self._spill()
                ordered = heapq.merge(*(self._read(run) for run in self._runs))
            else:
                ordered = sorted(self._buffer)
            self._repeat = sum(
                1 for _, same in groupby(ordered) if next(same) is not None and any(True for _ in same)
            )
            for run in self._runs:
                run.close()
            self._runs = []
        return self._repeat


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _met(rate: float | None, target: float) -> bool | None:
    return None if rate is None else rate >= target


def _clock_stopped(complaint: Complaint, as_of: datetime) -> datetime:
    """Until when a deadline could pass: ``as_of``, or the withdrawal if it came first."""
    return min(complaint.withdrawn_at or as_of, as_of)


def first_response_on_time(complaint: Complaint, as_of: datetime) -> bool | None:
    """The first response as the on-time rate counts it: True answered at or before the deadline,
    False answered after it or unanswered once it passed (before ``as_of`` and before any withdrawal),
    None not decided yet (unanswered, the deadline not passed): outside the rate."""
    due = complaint.deadlines.first_response_due_at
    if complaint.first_responded_at is not None:
        return answered_on_time(complaint.first_responded_at, due)
    return False if due < _clock_stopped(complaint, as_of) else None


def resolution_on_time(complaint: Complaint, as_of: datetime) -> bool | None:
    """The resolution, by the same rule against the resolution deadline as it stands now: True resolved
    at or before it (the latest resolution: a reopen clears ``resolved_at``), False resolved after it or
    unresolved once it passed (before ``as_of`` and before any withdrawal), None not decided yet."""
    due = complaint.deadlines.resolution_due_at
    finished = complaint.resolved_at or complaint.closed_at
    if finished is not None:
        return resolved_on_time(finished, due)
    return False if due < _clock_stopped(complaint, as_of) else None


def follow_up_on_time(complaint: Complaint, as_of: datetime) -> bool | None:
    """The complaint's follow-up (回访) as the on-time rate counts it: True completed by its due time,
    False completed after it or still open once it passed (before ``as_of``), None no follow-up or one
    not yet due: outside the rate."""
    follow_up = complaint.follow_up
    if follow_up is None:
        return None
    if follow_up.completed_at is not None:
        return follow_up.completed_at <= follow_up.due_at
    return False if follow_up.due_at < as_of else None


def solution_plan_on_time(complaint: Complaint, as_of: datetime) -> bool | None:
    """The solution-plan milestone as its on-time rate counts it: True the first plan given by its
    deadline, False given after it or still owed once it passed (before ``as_of`` and any withdrawal),
    None owed no plan, or its deadline not passed yet: outside the rate."""
    due = complaint.deadlines.solution_plan_due_at
    if due is None:
        return None
    if complaint.solution_plan is not None:
        return answered_on_time(complaint.solution_plan.first_given_at, due)
    return False if due < _clock_stopped(complaint, as_of) else None


def latest_rating(complaint: Complaint) -> int | None:
    """The customer's latest rating (greatest ``Feedback.at``), or None when never rated."""
    if not complaint.feedback:
        return None
    return max(complaint.feedback, key=lambda feedback: feedback.at).rating


class KpiAccumulator:
    """One streaming pass: ``add`` each complaint, then ``report``. See the module docstring."""

    def __init__(
        self,
        period_from: datetime,
        period_to: datetime,
        as_of: datetime,
        records: Iterable[AccountabilityRecord] = (),
    ) -> None:
        if period_from >= period_to:
            raise ValueError("the period is empty: 'from' must be before 'to'")
        self.period_from = period_from
        self.period_to = period_to
        self.as_of = as_of
        # complaint id -> [opened, reviewed]; sized by the breaches, not by the complaints
        self._records: dict[str, list[int]] = {}
        for record in records:
            tally = self._records.setdefault(record.complaint_id, [0, 0])
            tally[0] += 1
            tally[1] += record.status is AccountabilityStatus.REVIEWED
        self.received = 0
        self.withdrawn = 0
        self.withdrawn_late = 0
        self.withdrawn_before_due = 0
        self.on_time = 0
        self.counted = 0
        self.satisfied = 0
        self.ratings = 0
        self.closed = 0
        self.resolved_or_closed = 0
        self.records_opened = 0
        self.records_reviewed = 0
        self.follow_ups_on_time = 0
        self.follow_ups_counted = 0
        self.plans_on_time = 0
        self.plans_counted = 0
        self.first_response_time = DurationHistogram()
        self.resolution_time = DurationHistogram()
        self.by_channel: Counter[str] = Counter({value.value: 0 for value in Channel})
        self.by_category: Counter[str] = Counter({value.value: 0 for value in Category})
        self.by_product: Counter[str] = Counter({value.value: 0 for value in Product})
        self.by_priority: Counter[str] = Counter({value.value: 0 for value in Priority})
        self.breaches_by_team: Counter[str] = Counter()
        self.root_causes: Counter[str] = Counter()
        self.customers = CustomerTally()

    def add(self, complaint: Complaint) -> None:
        if not self.period_from <= complaint.received_at < self.period_to:
            return
        self.received += 1
        on_time = first_response_on_time(complaint, self.as_of)
        if on_time is not None:
            self.counted += 1
            self.on_time += on_time
        if complaint.first_responded_at is not None:
            self.first_response_time.add(complaint.received_at, complaint.first_responded_at)
        if complaint.status is Status.WITHDRAWN:
            self.withdrawn += 1
            if complaint.first_responded_at is None:
                self.withdrawn_late += on_time is False
                self.withdrawn_before_due += on_time is None
        rating = latest_rating(complaint)
        if rating is not None:
            self.ratings += 1
            self.satisfied += rating >= SATISFIED_FROM
        self.closed += complaint.status is Status.CLOSED
        self.resolved_or_closed += complaint.status in (Status.RESOLVED, Status.CLOSED)
        finished = complaint.resolved_at or complaint.closed_at
        if finished is not None:
            self.resolution_time.add(complaint.received_at, finished)
        follow_up = follow_up_on_time(complaint, self.as_of)
        if follow_up is not None:
            self.follow_ups_counted += 1
            self.follow_ups_on_time += follow_up
        plan = solution_plan_on_time(complaint, self.as_of)
        if plan is not None:
            self.plans_counted += 1
            self.plans_on_time += plan
        opened, reviewed = self._records.get(complaint.id, (0, 0))
        self.records_opened += opened
        self.records_reviewed += reviewed
        self.by_channel[complaint.channel.value] += 1
        self.by_category[complaint.category.value] += 1
        self.by_product[complaint.product.value] += 1
        self.by_priority[complaint.priority.value] += 1
        if complaint.breaches:
            self.breaches_by_team[complaint.team or UNASSIGNED] += len(complaint.breaches)
        if complaint.resolution is not None:
            self.root_causes[complaint.resolution.root_cause] += 1
        self.customers.add(complaint.customer.customer_id)

    def report(self) -> KpiReport:
        on_time_rate = _rate(self.on_time, self.counted)
        satisfaction_rate = _rate(self.satisfied, self.ratings)
        closure_rate = _rate(self.closed, self.received)
        top = sorted(self.root_causes.items(), key=lambda item: (-item[1], item[0]))[:TOP_ROOT_CAUSES]
        return KpiReport(
            period_from=self.period_from,
            period_to=self.period_to,
            as_of=self.as_of,
            received=self.received,
            withdrawn=self.withdrawn,
            withdrawn_late=self.withdrawn_late,
            withdrawn_before_due=self.withdrawn_before_due,
            first_responses_on_time=self.on_time,
            first_responses_counted=self.counted,
            satisfied_ratings=self.satisfied,
            ratings=self.ratings,
            closed=self.closed,
            resolved_or_closed=self.resolved_or_closed,
            accountability_reviewed=self.records_reviewed,
            accountability_opened=self.records_opened,
            follow_ups_on_time=self.follow_ups_on_time,
            follow_ups_counted=self.follow_ups_counted,
            solution_plans_on_time=self.plans_on_time,
            solution_plans_counted=self.plans_counted,
            first_response_on_time_rate=on_time_rate,
            satisfaction_rate=satisfaction_rate,
            closure_rate=closure_rate,
            resolution_rate=_rate(self.resolved_or_closed, self.received),
            accountability_rate=_rate(self.records_reviewed, self.records_opened),
            follow_up_on_time_rate=_rate(self.follow_ups_on_time, self.follow_ups_counted),
            solution_plan_on_time_rate=_rate(self.plans_on_time, self.plans_counted),
            median_hours_to_first_response=_rounded(self.first_response_time.median_hours()),
            p90_hours_to_first_response=_rounded(self.first_response_time.percentile_hours(90)),
            median_hours_to_resolution=_rounded(self.resolution_time.median_hours()),
            p90_hours_to_resolution=_rounded(self.resolution_time.percentile_hours(90)),
            by_channel=dict(self.by_channel),
            by_category=dict(self.by_category),
            by_product=dict(self.by_product),
            by_priority=dict(self.by_priority),
            breaches_by_team=dict(sorted(self.breaches_by_team.items())),
            top_root_causes=[RootCauseCount(root_cause=cause, count=count) for cause, count in top],
            repeat_complainants=self.customers.repeat,
            targets=KpiTargets(),
            met=KpiMet(
                first_response_on_time_rate=_met(on_time_rate, FIRST_RESPONSE_ON_TIME_TARGET),
                satisfaction_rate=_met(satisfaction_rate, SATISFACTION_TARGET),
                closure_rate=_met(closure_rate, CLOSURE_TARGET),
            ),
        )


def compute_kpis(
    complaints: Iterable[Complaint],
    records: Iterable[AccountabilityRecord],
    *,
    period_from: datetime,
    period_to: datetime,
    as_of: datetime,
) -> KpiReport:
    """The KPIs of the complaints received in [period_from, period_to), as of ``as_of``.

    ``records`` is read first (it is small: one record per missed resolution deadline), then
    ``complaints`` is streamed once; it may be a generator over a paginated query.
    """
    accumulator = KpiAccumulator(period_from, period_to, as_of, records)
    for complaint in complaints:
        accumulator.add(complaint)
    return accumulator.report()
