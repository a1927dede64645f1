"""Performance per handler and per team (docs/architecture.md §7), in the KPIs' one streaming pass.

Population: as the KPIs (``kpis.py``), the complaints *received* in [from, to), as of ``as_of``.

Who a complaint counts for (docs/decisions.md, "Performance counts for who resolved it"): the assignee
and team the complaint has when the figures are taken. Triage, the only change of assignee or team, is
refused once a complaint is resolved, closed or withdrawn, so for a finished complaint that is who had it
when it was (last) resolved or withdrawn; an open one counts for whoever holds it now. A complaint
without an assignee counts for ``unassigned``, one without a team for the intake queue, ``intake``
(``core/access.team_of``). Accountability records count for the handler and team *they* name (who had
the complaint when its resolution deadline was missed), over the records of the period's complaints.

Formulas, per group (handler or team); a rate is ``None`` when its denominator is 0:

- ``handled`` = the period's complaints that count for the group, whatever their status;
  ``withdrawn`` = those of them withdrawn.
- ``firstResponseOnTimeRate`` = on time / counted, the bank-wide rule (``kpis.first_response_on_time``:
  a complaint withdrawn unanswered after its deadline stays in the denominator, as late).
- ``resolutionOnTimeRate`` = resolved at or before the resolution deadline / (resolved + unresolved
  whose resolution deadline passed before ``as_of`` and before any withdrawal)
  (``kpis.resolution_on_time``, ``sla.on_time.resolved_on_time``). The latest resolution is judged
  against the resolution deadline the complaint has now (``deadlines.resolutionDueAt``, moved by
  pauses and extensions, and by a reopen if the policy gives one).
- ``medianHandlingHours`` = median over the resolved complaints of (latest resolution - receipt -
  time spent awaiting the customer, ``pausedSeconds``), in whole minutes as the KPIs' durations: the
  time the complaint was with the bank, on the SLA's own clock (a pause stops it).
- ``satisfactionRate`` = complaints whose latest rating is >= 4 / complaints rated (as bank-wide).
- ``reopenRate`` = complaints reopened at least once (``reopenCount >= 1``) / complaints resolved at
  least once (``resolvedAt`` set, or reopened: a reopen follows a resolution).
- ``accountability`` = the records naming the group: ``opened``, ``reviewed`` and, of those reviewed,
  ``justified`` / ``unjustified``.

Recognition (``recognition``): handlers (never ``unassigned``) with ``handled >=
RECOGNITION_MIN_HANDLED``, ``firstResponseOnTimeRate >= 0.90``, ``satisfactionRate >= 0.85`` and no
justified accountability finding, ranked by

    score = 0.35 × firstResponseOnTimeRate + 0.35 × satisfactionRate
          + 0.20 × resolutionOnTimeRate + 0.10 × (1 - reopenRate)

(a rate that is ``None`` counts 0), score descending, then ``handled`` descending, then name.

Memory: one bounded tally per group (counters, a per-minute histogram of handling times, the set of
teams a handler's complaints came from), and the accountability records folded per complaint before the
pass, as ``KpiAccumulator`` does: it grows with the number of handlers and teams and of breaches, never
with the number of complaints.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from pydantic import Field

from complaints.core.access import record_team, team_of
from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    ApiModel,
    Complaint,
    Finding,
    Status,
)
from complaints.reporting.kpis import (
    FIRST_RESPONSE_ON_TIME_TARGET,
    SATISFACTION_TARGET,
    SATISFIED_FROM,
    UNASSIGNED,
    DurationHistogram,
    KpiTargets,
    first_response_on_time,
    latest_rating,
    resolution_on_time,
)

RECOGNITION_MIN_HANDLED = 10
"""A handler is recognised only with at least this many complaints of the period: below it, a rate
says more about luck than about the work (one late answer of five is 80 %)."""
# The recognition score's weights (docs/architecture.md §7): the two targets the list is about weigh
# most and equally, the resolution deadline next, and a resolution that held (not reopened) last.
SCORE_WEIGHTS = (
    ("firstResponseOnTimeRate", 0.35),
    ("satisfactionRate", 0.35),
    ("resolutionOnTimeRate", 0.20),
    ("notReopenedRate", 0.10),
)


class GroupBy(StrEnum):
    ASSIGNEE = "assignee"
    TEAM = "team"


class AccountabilityFindings(ApiModel):
    opened: int = Field(description="accountability records naming the handler or team")
    reviewed: int
    justified: int = Field(description="reviewed and found the handler's or team's doing")
    unjustified: int


class GroupPerformance(ApiModel):
    """One handler's or one team's figures over the period; see complaints/reporting/performance.py."""

    name: str = Field(description="the handler's user name (`unassigned`: no handler) or the team (`intake`)")
    teams: list[str] = Field(description="the teams its complaints and records came from")
    handled: int = Field(description="the period's complaints that count for it, whatever their status")
    withdrawn: int
    first_responses_on_time: int
    first_responses_counted: int = Field(description="answered + unanswered past the deadline")
    first_response_on_time_rate: float | None
    resolutions_on_time: int
    resolutions_counted: int = Field(description="resolved + unresolved past the resolution deadline")
    resolution_on_time_rate: float | None
    median_handling_hours: float | None = Field(
        description="receipt to latest resolution, less the time awaiting the customer"
    )
    satisfied_ratings: int
    ratings: int
    satisfaction_rate: float | None
    resolved: int = Field(description="complaints resolved at least once")
    reopened: int = Field(description="complaints reopened at least once")
    reopen_rate: float | None
    accountability: AccountabilityFindings


class PerformanceReport(ApiModel):
    """`GET /v1/kpis?groupBy=`: the figures per handler or per team."""

    period_from: datetime = Field(alias="from")
    period_to: datetime = Field(alias="to")
    as_of: datetime
    group_by: GroupBy
    scope: list[str] | None = Field(
        description="the teams the figures are limited to (a supervisor's); null: bank-wide"
    )
    targets: KpiTargets
    groups: list[GroupPerformance] = Field(description="by name")


class Recognition(ApiModel):
    """A handler above both targets with enough volume, and their place on the list."""

    rank: int
    score: float = Field(description="0–1; see docs/architecture.md §7")
    handler: GroupPerformance


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


class _Record(NamedTuple):
    """What the figures need of an accountability record."""

    name: str
    team: str
    reviewed: bool
    finding: Finding | None


class _Tally:
    """One group's bounded state."""

    def __init__(self) -> None:
        self.teams: set[str] = set()
        self.handled = self.withdrawn = 0
        self.first_on_time = self.first_counted = 0
        self.resolution_on_time = self.resolution_counted = 0
        self.satisfied = self.ratings = 0
        self.resolved = self.reopened = 0
        self.opened = self.reviewed = self.justified = self.unjustified = 0
        self.handling = DurationHistogram()

    def add(self, complaint: Complaint, team: str, as_of: datetime) -> None:
        self.teams.add(team)
        self.handled += 1
        self.withdrawn += complaint.status is Status.WITHDRAWN
        first = first_response_on_time(complaint, as_of)
        if first is not None:
            self.first_counted += 1
            self.first_on_time += first
        resolution = resolution_on_time(complaint, as_of)
        if resolution is not None:
            self.resolution_counted += 1
            self.resolution_on_time += resolution
        finished = complaint.resolved_at or complaint.closed_at
        if finished is not None:
            elapsed = finished - complaint.received_at - timedelta(seconds=complaint.paused_seconds)
            self.handling.add_duration(max(elapsed, timedelta(0)))
        rating = latest_rating(complaint)
        if rating is not None:
            self.ratings += 1
            self.satisfied += rating >= SATISFIED_FROM
        if finished is not None or complaint.reopen_count:
            self.resolved += 1
            self.reopened += complaint.reopen_count > 0

    def add_record(self, record: _Record) -> None:
        self.teams.add(record.team)
        self.opened += 1
        if record.reviewed:
            self.reviewed += 1
            self.justified += record.finding is Finding.JUSTIFIED
            self.unjustified += record.finding is Finding.UNJUSTIFIED

    def performance(self, name: str) -> GroupPerformance:
        median = self.handling.median_hours()
        return GroupPerformance(
            name=name,
            teams=sorted(self.teams),
            handled=self.handled,
            withdrawn=self.withdrawn,
            first_responses_on_time=self.first_on_time,
            first_responses_counted=self.first_counted,
            first_response_on_time_rate=_rate(self.first_on_time, self.first_counted),
            resolutions_on_time=self.resolution_on_time,
            resolutions_counted=self.resolution_counted,
            resolution_on_time_rate=_rate(self.resolution_on_time, self.resolution_counted),
            median_handling_hours=None if median is None else round(median, 2),
            satisfied_ratings=self.satisfied,
            ratings=self.ratings,
            satisfaction_rate=_rate(self.satisfied, self.ratings),
            resolved=self.resolved,
            reopened=self.reopened,
            reopen_rate=_rate(self.reopened, self.resolved),
            accountability=AccountabilityFindings(
                opened=self.opened,
                reviewed=self.reviewed,
                justified=self.justified,
                unjustified=self.unjustified,
            ),
        )


def counts_for(complaint: Complaint, group_by: GroupBy) -> str:
    """The handler or team a complaint counts for (module docstring)."""
    if group_by is GroupBy.TEAM:
        return team_of(complaint)
    return complaint.assignee or UNASSIGNED


class PerformanceAccumulator:
    """One streaming pass: ``add`` each complaint, then ``report``. See the module docstring.

    ``scope``: the teams to keep (a supervisor's), or None for the whole bank. A complaint is kept when
    its team is in scope, an accountability record when the team it names is."""

    def __init__(
        self,
        period_from: datetime,
        period_to: datetime,
        as_of: datetime,
        group_by: GroupBy,
        records: Iterable[AccountabilityRecord] = (),
        scope: frozenset[str] | None = None,
    ) -> None:
        if period_from >= period_to:
            raise ValueError("the period is empty: 'from' must be before 'to'")
        self.period_from = period_from
        self.period_to = period_to
        self.as_of = as_of
        self.group_by = group_by
        self.scope = scope
        # complaint id -> the records of it in scope; sized by the breaches, not by the complaints
        self._records: dict[str, list[_Record]] = {}
        for record in records:
            team = record_team(record)
            if scope is not None and team not in scope:
                continue
            name = team if group_by is GroupBy.TEAM else record.assignee or UNASSIGNED
            self._records.setdefault(record.complaint_id, []).append(
                _Record(name, team, record.status is AccountabilityStatus.REVIEWED, record.finding)
            )
        self._groups: dict[str, _Tally] = {}

    def _tally(self, name: str) -> _Tally:
        tally = self._groups.get(name)
        if tally is None:
            tally = self._groups[name] = _Tally()
        return tally

    def add(self, complaint: Complaint) -> None:
        if not self.period_from <= complaint.received_at < self.period_to:
            return
        for record in self._records.get(complaint.id, ()):
            self._tally(record.name).add_record(record)
        team = team_of(complaint)
        if self.scope is not None and team not in self.scope:
            return
        self._tally(counts_for(complaint, self.group_by)).add(complaint, team, self.as_of)

    def groups(self) -> list[GroupPerformance]:
        return [self._groups[name].performance(name) for name in sorted(self._groups)]

    def report(self) -> PerformanceReport:
        return PerformanceReport(
            period_from=self.period_from,
            period_to=self.period_to,
            as_of=self.as_of,
            group_by=self.group_by,
            scope=None if self.scope is None else sorted(self.scope),
            targets=KpiTargets(),
            groups=self.groups(),
        )


def compute_performance(
    complaints: Iterable[Complaint],
    records: Iterable[AccountabilityRecord],
    *,
    period_from: datetime,
    period_to: datetime,
    as_of: datetime,
    group_by: GroupBy,
    scope: frozenset[str] | None = None,
) -> PerformanceReport:
    """The figures per handler or team of the complaints received in [period_from, period_to)."""
    accumulator = PerformanceAccumulator(period_from, period_to, as_of, group_by, records, scope)
    for complaint in complaints:
        accumulator.add(complaint)
    return accumulator.report()


# --- recognition ------------------------------------------------------------------------------------


def recognition_score(handler: GroupPerformance) -> float:
    """The weighted score of the module docstring, 0–1, rounded to 4 decimals."""
    parts = {
        "firstResponseOnTimeRate": handler.first_response_on_time_rate,
        "satisfactionRate": handler.satisfaction_rate,
        "resolutionOnTimeRate": handler.resolution_on_time_rate,
        "notReopenedRate": None if handler.reopen_rate is None else 1 - handler.reopen_rate,
    }
    return round(sum(weight * (parts[name] or 0.0) for name, weight in SCORE_WEIGHTS), 4)


def recognised(handler: GroupPerformance) -> bool:
    """Above both targets, with enough volume, and no justified accountability finding (a handler
    found accountable for a breach this period is not also recognised for it)."""
    return (
        handler.name != UNASSIGNED
        and handler.handled >= RECOGNITION_MIN_HANDLED
        and handler.first_response_on_time_rate is not None
        and handler.first_response_on_time_rate >= FIRST_RESPONSE_ON_TIME_TARGET
        and handler.satisfaction_rate is not None
        and handler.satisfaction_rate >= SATISFACTION_TARGET
        and handler.accountability.justified == 0
    )


def recognition(handlers: Iterable[GroupPerformance]) -> list[Recognition]:
    """The recognised handlers, ranked: score descending, then handled descending, then name."""
    scored = [(recognition_score(handler), handler) for handler in handlers if recognised(handler)]
    scored.sort(key=lambda item: (-item[0], -item[1].handled, item[1].name))
    return [
        Recognition(rank=rank, score=score, handler=handler)
        for rank, (score, handler) in enumerate(scored, start=1)
    ]
