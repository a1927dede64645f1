"""The quarter's complaints in one streaming pass: KPIs, performance per team and handler, chart
tallies, risk signals and the rows of the CSV extracts, with nothing retained that grows with the
quarter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    Channel,
    Complaint,
)
from complaints.reporting.extracts import COMPLAINT_COLUMNS, RISK_COLUMNS, csv_writer, iso_utc, on_time_answer
from complaints.reporting.kpis import KpiAccumulator
from complaints.reporting.models import RiskComplaint, TeamAccountability
from complaints.reporting.performance import GroupBy, PerformanceAccumulator
from complaints.reporting.quarter import Quarter
from complaints.reporting.risk_signals import risk_signals

# The HTML lists this many regulatory-risk complaints (highest escalation first); the CSV has them all.
MAX_RISK_LISTED = 100
MAX_OPEN_RECORDS_LISTED = 50
FIRST_RESPONSE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("< 4 h", 4),
    ("4–8 h", 8),
    ("8–12 h", 12),
    ("12–24 h", 24),
    ("24–48 h", 48),
    ("≥ 48 h", float("inf")),
)


class QuarterAggregator:
    """Everything the report needs from the quarter's complaints, one complaint at a time.

    Each complaint goes to the KPI accumulator, the performance tallies (per team and per handler,
    bank-wide), a row of `complaints.csv` (and of
    `regulatory-risk.csv` when it is flagged), and the bounded chart tallies; none is retained except
    the `MAX_RISK_LISTED` flagged ones the HTML shows (at most twice as many are held at a time).
    """

    def __init__(
        self,
        quarter: Quarter,
        timezone: str,
        as_of: datetime,
        records: list[AccountabilityRecord],
        complaints_csv: TextIO,
        risk_csv: TextIO,
    ) -> None:
        self.quarter = quarter
        self.timezone = timezone
        self.period_from, self.period_to = quarter.bounds(timezone)
        self.kpis = KpiAccumulator(self.period_from, self.period_to, as_of, records)
        self.by_team = PerformanceAccumulator(self.period_from, self.period_to, as_of, GroupBy.TEAM, records)
        self.by_handler = PerformanceAccumulator(
            self.period_from, self.period_to, as_of, GroupBy.ASSIGNEE, records
        )
        self._records_of: dict[str, list[AccountabilityRecord]] = {}
        for record in records:
            self._records_of.setdefault(record.complaint_id, []).append(record)
        self.records: list[AccountabilityRecord] = []
        self._zone = ZoneInfo(timezone)
        self.intake_by_month: dict[str, Counter[str]] = {
            month: Counter({channel.value: 0 for channel in Channel}) for month in quarter.months()
        }
        self.first_response_buckets: Counter[str] = Counter({label: 0 for label, _ in FIRST_RESPONSE_BUCKETS})
        self.unanswered = 0
        self.risk_total = 0
        self.risk: list[RiskComplaint] = []
        self._complaints = csv_writer(complaints_csv)
        self._complaints.writerow(COMPLAINT_COLUMNS)
        self._risk = csv_writer(risk_csv)
        self._risk.writerow(RISK_COLUMNS)

    def add(self, complaint: Complaint) -> None:
        if not self.period_from <= complaint.received_at < self.period_to:
            return
        self.kpis.add(complaint)
        self.by_team.add(complaint)
        self.by_handler.add(complaint)
        self.records.extend(self._records_of.get(complaint.id, ()))
        local_month = complaint.received_at.astimezone(self._zone).strftime("%Y-%m")
        self.intake_by_month[local_month][complaint.channel.value] += 1
        if complaint.first_responded_at is None:
            self.unanswered += 1
        else:
            hours = (complaint.first_responded_at - complaint.received_at).total_seconds() / 3600
            label = next(label for label, below in FIRST_RESPONSE_BUCKETS if hours < below)
            self.first_response_buckets[label] += 1
        signals = {signal.value: words for signal, words in risk_signals(complaint.description).items()}
        self._write_complaint(complaint, signals)
        if signals:
            self._flagged(complaint, signals)

    def _write_complaint(self, complaint: Complaint, signals: dict[str, list[str]]) -> None:
        resolution = complaint.resolution
        latest = max(complaint.feedback, key=lambda feedback: feedback.at) if complaint.feedback else None
        self._complaints.writerow(
            (
                complaint.reference,
                complaint.id,
                iso_utc(complaint.received_at),
                complaint.channel.value,
                complaint.category.value,
                complaint.subcategory or "",
                complaint.product.value,
                complaint.priority.value,
                complaint.complexity.value,
                complaint.status.value,
                complaint.team or "",
                iso_utc(complaint.deadlines.first_response_due_at),
                iso_utc(complaint.first_responded_at),
                on_time_answer(complaint),
                iso_utc(complaint.deadlines.resolution_due_at),
                iso_utc(complaint.resolved_at),
                iso_utc(complaint.closed_at),
                resolution.outcome.value if resolution else "",
                resolution.root_cause if resolution else "",
                latest.rating if latest else "",
                complaint.escalation_level,
                len(complaint.breaches),
                " ".join(sorted(signals)),
            )
        )

    def _flagged(self, complaint: Complaint, signals: dict[str, list[str]]) -> None:
        self.risk_total += 1
        for signal, words in signals.items():
            self._risk.writerow(
                (
                    complaint.reference,
                    complaint.id,
                    iso_utc(complaint.received_at),
                    complaint.category.value,
                    complaint.product.value,
                    complaint.priority.value,
                    complaint.status.value,
                    complaint.escalation_level,
                    signal,
                    " ".join(words),
                )
            )
        self.risk.append(
            RiskComplaint(
                id=complaint.id,
                reference=complaint.reference,
                received_at=complaint.received_at,
                category=complaint.category.value,
                product=complaint.product.value,
                priority=complaint.priority.value,
                status=complaint.status.value,
                escalation_level=complaint.escalation_level,
                signals=signals,
            )
        )
        if len(self.risk) >= 2 * MAX_RISK_LISTED:  # keep the list bounded: drop all but the first ones
            self.risk = listed_first(self.risk)


def listed_first(risk: list[RiskComplaint]) -> list[RiskComplaint]:
    """The regulatory-risk complaints the HTML shows: highest escalation level first, then oldest."""
    return sorted(risk, key=lambda item: (-item.escalation_level, item.received_at))[:MAX_RISK_LISTED]


def accountability_by_team(records: Iterable[AccountabilityRecord]) -> list[TeamAccountability]:
    tallies: dict[str, Counter[str]] = {}
    for record in records:
        tally = tallies.setdefault(record.team, Counter())
        tally["opened"] += 1
        if record.status is AccountabilityStatus.REVIEWED:
            tally["reviewed"] += 1
            if record.finding is not None:
                tally[record.finding.value] += 1
    return [
        TeamAccountability(
            team=team,
            opened=tally["opened"],
            reviewed=tally["reviewed"],
            justified=tally["justified"],
            unjustified=tally["unjustified"],
        )
        for team, tally in sorted(tallies.items())
    ]
