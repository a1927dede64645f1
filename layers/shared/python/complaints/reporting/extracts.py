"""The report's CSV extracts: their columns and writers.

Every CSV cell goes through `csv_safe` (write rows with `csv_writer`, never `csv.writer`): a cell a
spreadsheet would read as a formula is written as text (OWASP, "CSV Injection")."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from complaints.core.models import (
    AccountabilityRecord,
    Complaint,
)
from complaints.reporting.kpis import KPI_FIGURES
from complaints.reporting.models import QuarterlyReport
from complaints.sla.on_time import answered_on_time

# --- cells that cannot run -------------------------------------------------------------------------

# What makes a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula or a command:
# = + - @ first, or a tab or carriage return first (they are trimmed, and what follows is read).
# Their full-width forms (＝ ＋ － ＠), which a Chinese input method types, are included as a
# precaution: a spreadsheet that folds them to ASCII would read a formula too.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
# A plain number ("-12", "+3.5") is read as that number, whatever its sign: it is left as it is.
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


def csv_safe(value: Any) -> Any:
    """The cell as written to a CSV: a text that a spreadsheet would run as a formula gets a leading
    single quote (OWASP's advice: the spreadsheet shows it as text, a reader sees what was typed).
    Numbers, dates, empty cells and any other text are left as they are."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeCsvWriter:
    """`csv.writer` whose every cell goes through `csv_safe`."""

    def __init__(self, sink: TextIO) -> None:
        self._writer: _Writer = csv.writer(sink)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(sink: TextIO) -> SafeCsvWriter:
    """The one way the report writes CSV rows."""
    return SafeCsvWriter(sink)


# --- the streaming aggregation ---------------------------------------------------------------------


COMPLAINT_COLUMNS = (
    "reference",
    "id",
    "receivedAt",
    "channel",
    "category",
    "subcategory",
    "product",
    "priority",
    "complexity",
    "status",
    "team",
    "firstResponseDueAt",
    "firstRespondedAt",
    "firstResponseOnTime",
    "resolutionDueAt",
    "resolvedAt",
    "closedAt",
    "outcome",
    "rootCause",
    "rating",
    "escalationLevel",
    "breaches",
    "riskSignals",
)
RISK_COLUMNS = (
    "reference",
    "id",
    "receivedAt",
    "category",
    "product",
    "priority",
    "status",
    "escalationLevel",
    "signal",
    "words",
)


def iso_utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else ""


def on_time_answer(complaint: Complaint) -> str:
    if complaint.first_responded_at is None:
        return ""
    on_time = answered_on_time(complaint.first_responded_at, complaint.deadlines.first_response_due_at)
    return "yes" if on_time else "no"


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.4f}"


def write_kpis_csv(report: QuarterlyReport, sink: TextIO) -> None:
    """One row per KPI: this quarter, the previous one, the target and whether it is met."""
    writer = csv_writer(sink)
    writer.writerow(("kpi", report.period, report.previous_period, "target", "met"))
    current, previous = report.kpis.to_json(), report.previous.to_json()
    targets, met = current["targets"], current["met"]
    for name in KPI_FIGURES:
        now, before = current[name], previous[name]
        writer.writerow(
            (
                name,
                "" if now is None else now,
                "" if before is None else before,
                targets.get(name, ""),
                "" if met.get(name) is None else ("yes" if met[name] else "no"),
            )
        )


def write_accountability_csv(records: Iterable[AccountabilityRecord], sink: TextIO) -> None:
    writer = csv_writer(sink)
    writer.writerow(
        ("recordId", "complaintId", "reference", "team", "handler", "openedAt", "status", "finding", "action")
    )
    for record in records:
        writer.writerow(
            (
                record.id,
                record.complaint_id,
                record.reference,
                record.team,
                record.assignee,
                iso_utc(record.opened_at),
                record.status.value,
                record.finding.value if record.finding else "",
                record.action or "",
            )
        )


PERFORMANCE_COLUMNS = (
    "groupBy",
    "name",
    "teams",
    "handled",
    "withdrawn",
    "firstResponsesOnTime",
    "firstResponsesCounted",
    "firstResponseOnTimeRate",
    "resolutionsOnTime",
    "resolutionsCounted",
    "resolutionOnTimeRate",
    "medianHandlingHours",
    "satisfiedRatings",
    "ratings",
    "satisfactionRate",
    "resolved",
    "reopened",
    "reopenRate",
    "accountabilityOpened",
    "accountabilityReviewed",
    "accountabilityJustified",
    "accountabilityUnjustified",
    "recognitionRank",
    "recognitionScore",
)


def write_performance_csv(report: QuarterlyReport, sink: TextIO) -> None:
    """One row per team, then one per handler (complaints/reporting/performance.py has the formulas);
    a recognised handler carries their rank and score. An empty cell is a rate with nothing to count."""
    writer = csv_writer(sink)
    writer.writerow(PERFORMANCE_COLUMNS)
    recognised = {item.handler.name: item for item in report.recognition}
    sections = (("team", report.performance_by_team), ("assignee", report.performance_by_handler))
    for section, groups in sections:
        for group in groups:
            listed = recognised.get(group.name) if section == "assignee" else None
            figures = group.to_json()
            writer.writerow(
                (
                    section,
                    group.name,
                    " ".join(group.teams),
                    *(
                        "" if figures[column] is None else figures[column]
                        for column in PERFORMANCE_COLUMNS[3:18]
                    ),
                    group.accountability.opened,
                    group.accountability.reviewed,
                    group.accountability.justified,
                    group.accountability.unjustified,
                    "" if listed is None else listed.rank,
                    "" if listed is None else listed.score,
                )
            )
