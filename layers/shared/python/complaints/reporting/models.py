"""The quarterly report's record (its lifecycle and links) and what the report shows."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from complaints.cases.models import LibraryCase
from complaints.core.models import (
    AccountabilityRecord,
    ApiModel,
    UtcDatetime,
)
from complaints.reporting.email import REPORT_PAGE
from complaints.reporting.kpis import KpiReport
from complaints.reporting.performance import GroupPerformance, Recognition
from complaints.reporting.quarter import Period

# --- the record of a report ---------------------------------------------------------------------------


class ReportStatus(StrEnum):
    QUEUED = "queued"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"


class Artifact(StrEnum):
    """The files of a report; the value is the file name."""

    HTML = REPORT_PAGE
    KPIS_CSV = "kpis.csv"
    COMPLAINTS_CSV = "complaints.csv"
    RISK_CSV = "regulatory-risk.csv"
    ACCOUNTABILITY_CSV = "accountability.csv"
    PERFORMANCE_CSV = "performance.csv"

    @property
    def content_type(self) -> str:
        return "text/html; charset=utf-8" if self is Artifact.HTML else "text/csv; charset=utf-8"


class KpiHeadline(ApiModel):
    """The figures a manager looks at first, kept on the record for the API and the event."""

    received: int
    first_response_on_time_rate: float | None
    satisfaction_rate: float | None
    closure_rate: float | None
    met: dict[str, bool | None]


class ReportRecord(ApiModel):
    id: str
    period: Period
    status: ReportStatus
    scheduled: bool = False
    requested_by: str
    requested_at: UtcDatetime
    started_at: UtcDatetime | None = None
    completed_at: UtcDatetime | None = None
    emailed_at: UtcDatetime | None = None
    error: str | None = None
    headline: KpiHeadline | None = None
    version: int = 1


class ReportView(ReportRecord):
    """The record with time-limited links to its files (when it is ready)."""

    links: dict[str, str] = Field(default_factory=dict, description="file name → time-limited link")
    links_expire_at: UtcDatetime | None = None


class ReportRequest(ApiModel):
    period: Period


# --- what the report shows ---------------------------------------------------------------------------


class RiskComplaint(ApiModel):
    """A complaint whose own words name a regulator, legal action or the media (no customer data)."""

    id: str
    reference: str
    received_at: UtcDatetime
    category: str
    product: str
    priority: str
    status: str
    escalation_level: int
    signals: dict[str, list[str]]


class TeamAccountability(ApiModel):
    team: str
    opened: int
    reviewed: int
    justified: int
    unjustified: int


class QuarterlyReport(ApiModel):
    id: str
    period: str
    timezone: str
    period_from: UtcDatetime = Field(alias="from")
    period_to: UtcDatetime = Field(alias="to")
    as_of: UtcDatetime
    kpis: KpiReport
    previous_period: str
    previous: KpiReport
    intake_by_month: dict[str, dict[str, int]]
    first_response_buckets: dict[str, int]
    unanswered: int
    risk_total: int
    risk: list[RiskComplaint]
    accountability_by_team: list[TeamAccountability]
    open_accountability: list[AccountabilityRecord]
    performance_by_team: list[GroupPerformance]
    performance_by_handler: list[GroupPerformance]
    recognition: list[Recognition]
    lessons: list[LibraryCase] = Field(
        default_factory=list, description="the case library's cases marked in the quarter, with their lessons"
    )


def headline(kpis: KpiReport) -> KpiHeadline:
    return KpiHeadline(
        received=kpis.received,
        first_response_on_time_rate=kpis.first_response_on_time_rate,
        satisfaction_rate=kpis.satisfaction_rate,
        closure_rate=kpis.closure_rate,
        met=kpis.met.to_json(),
    )
