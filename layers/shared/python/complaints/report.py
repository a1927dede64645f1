"""The quarterly report (DESIGN section 7): what management reads every quarter.

A report covers the complaints *received* in one calendar quarter of the bank's time zone (by default
Asia/Shanghai: 2026-Q3 is [2026-07-01 00:00+08:00, 2026-10-01 00:00+08:00)). It is built in one
streaming pass over the quarter's complaints, month by month through the byMonth index: each complaint
feeds the KPI accumulator, a few bounded tallies for the charts, and one row of each CSV extract, which
is written out as it goes — nothing grows with the quarter except what `kpis.KpiAccumulator` documents.
The previous quarter is read the same way for the trend.

Lifecycle of a report: `queued` (asked for by a manager through the API, or by the schedule) →
`building` → `ready` (artifacts stored, `ReportPublished` emitted, management e-mailed) or `failed`
(with the reason; the request is retried by its queue and dead-lettered if it keeps failing). Every
change to the record is a conditional write on its version, so two builders cannot both publish.
"""

from __future__ import annotations

import csv
import hmac
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Protocol, TextIO
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from .clock import Clock, new_id, utc_now
from .errors import Conflict, InvalidInput, NotFound, ServiceUnavailable
from .events import DomainEvent, EventName
from .kpis import KpiAccumulator, KpiReport
from .models import (
    AccountabilityRecord,
    AccountabilityStatus,
    ApiModel,
    Channel,
    Complaint,
    UtcDatetime,
)
from .ports import EventPublisher
from .report_mail import REPORT_PAGE, report_email
from .risk import risk_signals
from .tracking import SecretProvider, signature

REPORT_TIMEZONE = "Asia/Shanghai"
# The HTML lists this many regulatory-risk complaints (highest escalation first); the CSV has them all.
# Reports start here: no complaint is older, and a quarter's days stay within what datetime holds.
FIRST_YEAR = 1970
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
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
INVALID_LINK = "this report link is not valid or has expired: ask for a new one"
# A link's expiry: Unix seconds, at most 11 digits (before the year 5000, within what datetime holds).
_UNIX_SECONDS = re.compile(r"[0-9]{1,11}")

Period = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-Q[1-4]$"),
    Field(description="a calendar quarter, `YYYY-Qn`, e.g. `2026-Q3`", examples=["2026-Q3"]),
]


# --- the period -------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text)
        if not match or int(match.group(1)) < FIRST_YEAR:
            raise InvalidInput.for_field("period", f"must be a quarter from {FIRST_YEAR} on, like 2026-Q3")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, moment: datetime, timezone: str) -> Quarter:
        local = moment.astimezone(ZoneInfo(timezone))
        return cls(local.year, (local.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the quarter's local calendar days."""
        zone = ZoneInfo(timezone)

        def midnight(day: date) -> datetime:
            return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

        return midnight(self.first_day), midnight(self.next().first_day)

    def months(self) -> list[str]:
        return [f"{self.year}-{3 * self.number - 2 + offset:02d}" for offset in range(3)]


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


# --- the ports ----------------------------------------------------------------------------------------


class ReportSource(Protocol):
    def received_between(self, start: datetime, end: datetime) -> Iterator[Complaint]:
        """Complaints received in [start, end), streamed."""

    def accountability_records(self) -> Iterator[AccountabilityRecord]:
        """Every accountability record."""


class ReportRecords(Protocol):
    def create(self, record: ReportRecord) -> None:
        """Store a new record; `Conflict` when one with its id exists."""

    def get(self, report_id: str) -> ReportRecord:
        """The record; `NotFound` when there is none."""

    def replace(self, record: ReportRecord) -> ReportRecord:
        """Store `record` with version + 1 if the stored version is `record.version`, else
        `VersionConflict`; returns what was stored."""


class ArtifactStore(Protocol):
    def writer(self, key: str, content_type: str) -> AbstractContextManager[TextIO]:
        """A text sink stored under `key` when the block ends without an error."""

    def link(self, key: str, expires_in: timedelta) -> str:
        """A direct download link to the stored file, valid for `expires_in`."""


class ReportQueue(Protocol):
    def submit(self, report_id: str) -> None:
        """Ask for the report to be built (asynchronously, retried on failure)."""


class ReportMailer(Protocol):
    def send(self, to: list[str], subject: str, text: str, html: str) -> None:
        """E-mail management."""


class LinkSigner(Protocol):
    def sign(self, report_id: str, artifact: Artifact, expires_at: datetime) -> str:
        """The signature of a link to one file of one report until `expires_at`."""

    def valid(self, report_id: str, artifact: Artifact, expires_at: datetime, signature: str) -> bool:
        """Whether `signature` is the one `sign` gives (compared in constant time)."""


Renderer = Callable[[QuarterlyReport, dict[Artifact, str]], str]


class HmacLinkSigner:
    """Signs report links with the key of the customers' tracking links. The signed text starts with
    `report` and has line breaks no complaint id has, so no link of one kind is valid as the other."""

    def __init__(self, secrets: SecretProvider) -> None:
        self._secrets = secrets

    @staticmethod
    def _message(report_id: str, artifact: Artifact, expires_at: datetime) -> str:
        return f"report\n{report_id}\n{artifact.value}\n{int(expires_at.timestamp())}"

    def sign(self, report_id: str, artifact: Artifact, expires_at: datetime) -> str:
        return signature(self._message(report_id, artifact, expires_at), self._secrets.secret())

    def valid(self, report_id: str, artifact: Artifact, expires_at: datetime, signature_: str) -> bool:
        expected = self.sign(report_id, artifact, expires_at).encode()
        return hmac.compare_digest(expected, signature_.encode("utf-8", "replace"))


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


def _iso(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else ""


def _on_time(complaint: Complaint) -> str:
    if complaint.first_responded_at is None:
        return ""
    return "yes" if complaint.first_responded_at <= complaint.deadlines.first_response_due_at else "no"


class QuarterAggregator:
    """Everything the report needs from the quarter's complaints, one complaint at a time.

    Each complaint goes to the KPI accumulator, a row of `complaints.csv` (and of
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
        self._complaints = csv.writer(complaints_csv)
        self._complaints.writerow(COMPLAINT_COLUMNS)
        self._risk = csv.writer(risk_csv)
        self._risk.writerow(RISK_COLUMNS)

    def add(self, complaint: Complaint) -> None:
        if not self.period_from <= complaint.received_at < self.period_to:
            return
        self.kpis.add(complaint)
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
                _iso(complaint.received_at),
                complaint.channel.value,
                complaint.category.value,
                complaint.subcategory or "",
                complaint.product.value,
                complaint.priority.value,
                complaint.complexity.value,
                complaint.status.value,
                complaint.team or "",
                _iso(complaint.deadlines.first_response_due_at),
                _iso(complaint.first_responded_at),
                _on_time(complaint),
                _iso(complaint.deadlines.resolution_due_at),
                _iso(complaint.resolved_at),
                _iso(complaint.closed_at),
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
                    _iso(complaint.received_at),
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
                _iso(record.opened_at),
                record.status.value,
                record.finding.value if record.finding else "",
                record.action or "",
            )
        )


def headline(kpis: KpiReport) -> KpiHeadline:
    return KpiHeadline(
        received=kpis.received,
        first_response_on_time_rate=kpis.first_response_on_time_rate,
        satisfaction_rate=kpis.satisfaction_rate,
        closure_rate=kpis.closure_rate,
        met=kpis.met.to_json(),
    )


# --- the service --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSettings:
    timezone: str = REPORT_TIMEZONE
    recipients: tuple[str, ...] = ()
    link_lifetime: timedelta = timedelta(days=7)
    public_base_url: str = ""
    bank_name: str = "complaint-guard bank"


def artifact_key(report_id: str, artifact: Artifact) -> str:
    return f"reports/{report_id}/{artifact.value}"


class Reports:
    """Asks for, builds, publishes and hands out quarterly reports."""

    def __init__(
        self,
        source: ReportSource,
        records: ReportRecords,
        artifacts: ArtifactStore,
        events: EventPublisher,
        signer: LinkSigner,
        render: Renderer,
        settings: ReportSettings,
        queue: ReportQueue | None = None,
        mailer: ReportMailer | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._source = source
        self._records = records
        self._artifacts = artifacts
        self._events = events
        self._signer = signer
        self._render = render
        self._settings = settings
        self._queue = queue
        self._mailer = mailer
        self._clock = clock

    # asking

    def request(self, request: ReportRequest, requested_by: str) -> ReportView:
        """A manager's request: a new report of a quarter that has begun, built asynchronously."""
        quarter = Quarter.parse(request.period)
        if quarter > Quarter.containing(self._clock(), self._settings.timezone):
            raise InvalidInput.for_field("period", f"{quarter} has not begun yet")
        if self._queue is None:
            raise RuntimeError("no report queue is configured for this function")
        record = ReportRecord(
            id=f"{quarter}-{new_id()[:8]}",
            period=str(quarter),
            status=ReportStatus.QUEUED,
            requested_by=requested_by,
            requested_at=self._clock(),
        )
        self._records.create(record)
        try:
            self._queue.submit(record.id)
        except Exception as error:
            # Not left "queued" with nothing to build it: the record says it failed, the caller retries.
            self._records.replace(
                record.model_copy(update={"status": ReportStatus.FAILED, "error": "NotQueued"})
            )
            if isinstance(error, ServiceUnavailable):
                raise
            raise ServiceUnavailable(
                "the report could not be queued; nothing will be built, retry"
            ) from error
        return ReportView(**record.model_dump())

    def scheduled(self) -> ReportView:
        """The schedule's run, on the first day of a quarter: the quarter that has just ended. Its id
        is fixed, so a repeated delivery of the schedule builds (and e-mails) it once."""
        quarter = Quarter.containing(self._clock(), self._settings.timezone).previous()
        record = ReportRecord(
            id=f"{quarter}-scheduled",
            period=str(quarter),
            status=ReportStatus.QUEUED,
            scheduled=True,
            requested_by="schedule",
            requested_at=self._clock(),
        )
        with suppress(Conflict):  # delivered again: carry on with the stored record
            self._records.create(record)
        return self.build(record.id)

    # building

    def build(self, report_id: str) -> ReportView:
        """Build, store, announce and e-mail the report; each step is skipped when already done."""
        record = self._records.get(report_id)
        if record.status is not ReportStatus.READY:
            record = self._records.replace(
                record.model_copy(
                    update={"status": ReportStatus.BUILDING, "started_at": self._clock(), "error": None}
                )
            )
            try:
                report = self._assemble(record)
            except Exception as error:
                self._records.replace(
                    record.model_copy(update={"status": ReportStatus.FAILED, "error": type(error).__name__})
                )
                raise
            record = self._records.replace(
                record.model_copy(
                    update={
                        "status": ReportStatus.READY,
                        "completed_at": self._clock(),
                        "headline": headline(report.kpis),
                    }
                )
            )
            self._events.publish([self._published(record)])
        if record.emailed_at is None and self._mailer is not None and self._settings.recipients:
            self._email(record)
            record = self._records.replace(record.model_copy(update={"emailed_at": self._clock()}))
        return self.view(record)

    def _assemble(self, record: ReportRecord) -> QuarterlyReport:
        quarter = Quarter.parse(record.period)
        zone = self._settings.timezone
        as_of = self._clock()
        records = list(self._source.accountability_records())
        with (
            self._artifacts.writer(
                artifact_key(record.id, Artifact.COMPLAINTS_CSV), Artifact.COMPLAINTS_CSV.content_type
            ) as complaints_csv,
            self._artifacts.writer(
                artifact_key(record.id, Artifact.RISK_CSV), Artifact.RISK_CSV.content_type
            ) as risk_csv,
        ):
            current = QuarterAggregator(quarter, zone, as_of, records, complaints_csv, risk_csv)
            for complaint in self._source.received_between(current.period_from, current.period_to):
                current.add(complaint)
        kpis = current.kpis.report()
        previous_quarter = quarter.previous()
        previous_from, previous_to = previous_quarter.bounds(zone)
        previous = KpiAccumulator(previous_from, previous_to, as_of, records)
        for complaint in self._source.received_between(previous_from, previous_to):
            previous.add(complaint)
        in_quarter = current.records
        report = QuarterlyReport(
            id=record.id,
            period=str(quarter),
            timezone=zone,
            period_from=current.period_from,
            period_to=current.period_to,
            as_of=as_of,
            kpis=kpis,
            previous_period=str(previous_quarter),
            previous=previous.report(),
            intake_by_month={month: dict(counts) for month, counts in current.intake_by_month.items()},
            first_response_buckets=dict(current.first_response_buckets),
            unanswered=current.unanswered,
            risk_total=current.risk_total,
            risk=listed_first(current.risk),
            accountability_by_team=accountability_by_team(in_quarter),
            open_accountability=[r for r in in_quarter if r.status is AccountabilityStatus.OPEN][
                :MAX_OPEN_RECORDS_LISTED
            ],
        )
        links = self._links(record.id)[0]
        with self._artifacts.writer(
            artifact_key(record.id, Artifact.KPIS_CSV), Artifact.KPIS_CSV.content_type
        ) as sink:
            write_kpis_csv(report, sink)
        with self._artifacts.writer(
            artifact_key(record.id, Artifact.ACCOUNTABILITY_CSV), Artifact.ACCOUNTABILITY_CSV.content_type
        ) as sink:
            write_accountability_csv(in_quarter, sink)
        with self._artifacts.writer(
            artifact_key(record.id, Artifact.HTML), Artifact.HTML.content_type
        ) as sink:
            sink.write(self._render(report, links))
        return report

    def _published(self, record: ReportRecord) -> DomainEvent:
        return DomainEvent(
            name=EventName.REPORT_PUBLISHED,
            complaint_id=None,
            version=record.version,
            occurred_at=self._clock(),
            data={
                "reportId": record.id,
                "period": record.period,
                "scheduled": record.scheduled,
                "headline": record.headline.to_json() if record.headline else None,
                "artifacts": [artifact.value for artifact in Artifact],
            },
        )

    def _email(self, record: ReportRecord) -> None:
        assert self._mailer is not None
        links, expires = self._links(record.id)
        by_name = {artifact.value: url for artifact, url in links.items()}
        subject, text, html = report_email(record, by_name, expires, self._settings.bank_name)
        self._mailer.send(list(self._settings.recipients), subject, text, html)

    # reading

    def _links(self, report_id: str) -> tuple[dict[Artifact, str], datetime]:
        expires = (self._clock() + self._settings.link_lifetime).replace(microsecond=0)
        base = self._settings.public_base_url.rstrip("/")
        links = {
            artifact: f"{base}/r/{report_id}/{artifact.value}?expires={int(expires.timestamp())}"
            f"&signature={self._signer.sign(report_id, artifact, expires)}"
            for artifact in Artifact
        }
        return links, expires

    def get(self, report_id: str) -> ReportView:
        return self.view(self._records.get(report_id))

    def view(self, record: ReportRecord) -> ReportView:
        if record.status is not ReportStatus.READY:
            return ReportView(**record.model_dump())
        links, expires = self._links(record.id)
        return ReportView(
            **record.model_dump(), links={a.value: url for a, url in links.items()}, links_expire_at=expires
        )

    def download(self, report_id: str, file_name: str, expires: str | None, signature: str | None) -> str:
        """Where a signed link leads: a short-lived direct link to the file. A wrong, expired or
        missing signature (or expiry) is the same `NotFound` as an unknown report, so links cannot
        be probed; the link's parts arrive as the text of the link."""
        refused = NotFound(INVALID_LINK)
        try:
            artifact = Artifact(file_name)
        except ValueError:
            raise refused from None
        if not expires or not _UNIX_SECONDS.fullmatch(expires) or not signature:
            raise refused
        expires_at = datetime.fromtimestamp(int(expires), UTC)
        if expires_at <= self._clock() or not self._signer.valid(report_id, artifact, expires_at, signature):
            raise refused
        return self._artifacts.link(artifact_key(report_id, artifact), timedelta(minutes=5))
