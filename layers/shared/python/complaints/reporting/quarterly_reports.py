"""The quarterly report (docs/architecture.md §7): what management reads every quarter.

A report covers the complaints *received* in one calendar quarter of the bank's time zone (by default
Asia/Shanghai: 2026-Q3 is [2026-07-01 00:00+08:00, 2026-10-01 00:00+08:00)). It is built in one
streaming pass over the quarter's complaints, month by month through the byMonth index: each complaint
feeds the KPI accumulator, the performance tallies per team and per handler, a few bounded tallies for
the charts, and one row of each CSV extract, which is written out as it goes — nothing grows with the
quarter except what `kpis.KpiAccumulator` and `performance.PerformanceAccumulator` document.
The previous quarter is read the same way for the trend.

Lifecycle of a report: `queued` (asked for by a manager through the API, or by the schedule) →
`building` → `ready` (artifacts stored, `ReportPublished` emitted, management e-mailed) or `failed`
(with the reason; the request is retried by its queue and dead-lettered if it keeps failing). Every
change to the record is a conditional write on its version, so two builders cannot both publish."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from complaints.core.clock import Clock, new_id, utc_now
from complaints.core.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import (
    AccountabilityStatus,
)
from complaints.core.ports import EventPublisher
from complaints.reporting.aggregation import (
    MAX_OPEN_RECORDS_LISTED,
    QuarterAggregator,
    accountability_by_team,
    listed_first,
)
from complaints.reporting.email import report_email
from complaints.reporting.extracts import write_accountability_csv, write_kpis_csv, write_performance_csv
from complaints.reporting.kpis import KpiAccumulator
from complaints.reporting.models import (
    Artifact,
    QuarterlyReport,
    ReportRecord,
    ReportRequest,
    ReportStatus,
    ReportView,
    headline,
)
from complaints.reporting.performance import recognition
from complaints.reporting.ports import (
    ArtifactStore,
    ComplaintHistory,
    LinkSigner,
    Renderer,
    ReportMailer,
    ReportQueue,
    ReportRecords,
)
from complaints.reporting.quarter import REPORT_TIMEZONE, Quarter
from complaints.reporting.signed_links import INVALID_LINK, UNIX_SECONDS

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


class QuarterlyReports:
    """Asks for, builds, publishes and hands out quarterly reports."""

    def __init__(
        self,
        source: ComplaintHistory,
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
        by_handler = current.by_handler.groups()
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
            performance_by_team=current.by_team.groups(),
            performance_by_handler=by_handler,
            recognition=recognition(by_handler),
            lessons=list(self._source.library_cases(current.period_from, current.period_to)),
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
            artifact_key(record.id, Artifact.PERFORMANCE_CSV), Artifact.PERFORMANCE_CSV.content_type
        ) as sink:
            write_performance_csv(report, sink)
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
        if not expires or not UNIX_SECONDS.fullmatch(expires) or not signature:
            raise refused
        expires_at = datetime.fromtimestamp(int(expires), UTC)
        if expires_at <= self._clock() or not self._signer.valid(report_id, artifact, expires_at, signature):
            raise refused
        return self._artifacts.link(artifact_key(report_id, artifact), timedelta(minutes=5))
