"""KPIs of a period, read from storage in one streaming pass (docs/architecture.md §7): bank-wide, or
per handler or team."""

from __future__ import annotations

from datetime import datetime, timedelta

from complaints.core import access
from complaints.core.auth import Caller
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import InvalidInput
from complaints.reporting.kpis import KpiReport, compute_kpis
from complaints.reporting.performance import GroupBy, PerformanceReport, compute_performance
from complaints.reporting.ports import ComplaintHistory

# One request reads every complaint of the period: longer periods are the quarterly reports' job.
MAX_PERIOD = timedelta(days=366)


def _check_period(period_from: datetime, period_to: datetime) -> None:
    if period_to <= period_from:
        raise InvalidInput.for_field("to", "must be after from")
    if period_to - period_from > MAX_PERIOD:
        raise InvalidInput.for_field(
            "to", f"must be at most {MAX_PERIOD.days} days after from (longer: POST /v1/reports)"
        )


class KpiService:
    """`GET /v1/kpis`: the KPIs of the complaints received in a period, against the policy's targets."""

    def __init__(self, store: ComplaintHistory, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    def kpis(self, period_from: datetime, period_to: datetime) -> KpiReport:
        _check_period(period_from, period_to)
        return compute_kpis(
            self._store.received_between(period_from, period_to),
            self._store.accountability_records(),
            period_from=period_from,
            period_to=period_to,
            as_of=self._clock(),
        )

    def performance(
        self, period_from: datetime, period_to: datetime, group_by: GroupBy, caller: Caller
    ) -> PerformanceReport:
        """`GET /v1/kpis?groupBy=`: per handler or team, bank-wide for managers and limited to their
        own teams for supervisors (core/access.performance_scope)."""
        scope = access.performance_scope(caller)
        _check_period(period_from, period_to)
        return compute_performance(
            self._store.received_between(period_from, period_to),
            self._store.accountability_records(),
            period_from=period_from,
            period_to=period_to,
            as_of=self._clock(),
            group_by=group_by,
            scope=scope,
        )
