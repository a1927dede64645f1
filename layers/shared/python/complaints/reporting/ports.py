"""What the reporting use cases need from outside the domain: the complaints' history, the report
records, the file store, the build queue, the mailer and the link signer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Protocol, TextIO

from complaints.cases.models import LibraryCase
from complaints.core.models import (
    AccountabilityRecord,
    Complaint,
)
from complaints.reporting.models import Artifact, QuarterlyReport, ReportRecord

# --- the ports ----------------------------------------------------------------------------------------


class ComplaintHistory(Protocol):
    """The complaints as history: what the KPIs and the quarterly report read."""

    def received_between(self, start: datetime, end: datetime) -> Iterator[Complaint]:
        """Complaints received in [start, end), streamed."""

    def accountability_records(self) -> Iterator[AccountabilityRecord]:
        """Every accountability record."""

    def library_cases(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[LibraryCase]:
        """The case library's cases marked in [since, until), newest first: the quarter's lessons."""


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
