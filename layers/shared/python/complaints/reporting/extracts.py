"""The report's CSV extracts: their columns and writers."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from complaints.core.models import (
    AccountabilityRecord,
    Complaint,
)
from complaints.reporting.models import QuarterlyReport
from complaints.sla.on_time import answered_on_time

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
    writer = csv.writer(sink)
    writer.writerow(("kpi", report.period, report.previous_period, "target", "met"))
    current, previous = report.kpis.to_json(), report.previous.to_json()
    targets, met = current["targets"], current["met"]
    for name in (
        "received",
        "firstResponseOnTimeRate",
        "satisfactionRate",
        "closureRate",
        "resolutionRate",
        "accountabilityRate",
        "medianHoursToFirstResponse",
        "p90HoursToFirstResponse",
        "medianHoursToResolution",
        "p90HoursToResolution",
        "repeatComplainants",
    ):
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
    writer = csv.writer(sink)
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
