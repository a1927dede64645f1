"""The quarterly report: its period in the bank's time zone, its figures, files, links, event and e-mail.

Expected figures are worked out by hand in the comments next to the data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from complaint_builders import complaint, record
from fakes import FakeClock, FixedSecretProvider, RecordingPublisher

from complaints.core.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable, VersionConflict
from complaints.core.events import EventName
from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityTrigger,
    Category,
    Channel,
    Complaint,
    Status,
)
from complaints.reporting.aggregation import QuarterAggregator, listed_first
from complaints.reporting.models import Artifact, ReportRecord, ReportRequest, ReportStatus
from complaints.reporting.page import render
from complaints.reporting.quarter import Quarter
from complaints.reporting.quarterly_reports import QuarterlyReports, ReportSettings
from complaints.reporting.signed_links import HmacLinkSigner
from complaints.tracking.links import SigningKey, signature, tracking_token

SHANGHAI = "Asia/Shanghai"
# The schedule fires at 01:00 Shanghai time on 1 April 2026 = 2026-03-31 17:00 UTC.
SCHEDULE_FIRES = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
SECRET = "k" * 40
OLD_SECRET = "o" * 40


class InMemorySource:
    def __init__(self, complaints: list[Complaint], records: list[AccountabilityRecord]) -> None:
        self.complaints = complaints
        self.records = records
        self.fail = False

    def received_between(self, start: datetime, end: datetime) -> Iterator[Complaint]:
        if self.fail:
            raise RuntimeError("the table is unavailable")
        yield from (c for c in self.complaints if start <= c.received_at < end)

    def accountability_records(self) -> Iterator[AccountabilityRecord]:
        yield from self.records

    def library_cases(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[Any]:
        yield from ()


class InMemoryRecords:
    def __init__(self) -> None:
        self.stored: dict[str, ReportRecord] = {}

    def create(self, report: ReportRecord) -> None:
        if report.id in self.stored:
            raise Conflict(f"report {report.id} exists")
        self.stored[report.id] = report

    def get(self, report_id: str) -> ReportRecord:
        if report_id not in self.stored:
            raise NotFound(f"no report {report_id}")
        return self.stored[report_id]

    def replace(self, report: ReportRecord) -> ReportRecord:
        if self.stored[report.id].version != report.version:
            raise VersionConflict("stale")
        stored = report.model_copy(update={"version": report.version + 1})
        self.stored[report.id] = stored
        return stored


class InMemoryArtifacts:
    def __init__(self) -> None:
        self.files: dict[str, tuple[str, str]] = {}

    @contextmanager
    def writer(self, key: str, content_type: str) -> Iterator[io.StringIO]:
        sink = io.StringIO()
        yield sink
        self.files[key] = (content_type, sink.getvalue())

    def link(self, key: str, expires_in: timedelta) -> str:
        return f"https://bucket.example/{key}?valid={int(expires_in.total_seconds())}"


class RecordingMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[list[str], str, str, str]] = []

    def send(self, to: list[str], subject: str, text: str, html: str) -> None:
        self.sent.append((to, subject, text, html))


class RecordingQueue:
    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, report_id: str) -> None:
        self.submitted.append(report_id)


def local(month: int, day: int, hour: int, year: int = 2026) -> datetime:
    """A Shanghai wall-clock time (UTC+8, no daylight saving) as UTC."""
    return datetime(year, month, day, hour, tzinfo=UTC) - timedelta(hours=8)


# Q1 2026 in Shanghai = [2025-12-31 16:00 UTC, 2026-03-31 16:00 UTC).
# 1 counter,  Jan 1 00:00 local (the first instant of the quarter), answered in 2 h, closed; rated 5
# 2 online,   Feb 10, answered in 30 h (late), resolved in 40 h; rated 2; "I will call my lawyer and the CFPB"
# 3 counter,  Mar 31 23:00 local (the last hour of the quarter), unanswered, deadline not passed at as-of
# 4 hotline,  Mar 1, answered in 5 h, closed; "我要向媒体曝光"
# outside: 5 = Dec 31 23:59 local (previous quarter, answered in 1 h, closed), 6 = Apr 1 00:00 local (next)
QUARTER_COMPLAINTS = [
    complaint(
        1, local(1, 1, 0), customer="c-1", channel=Channel.COUNTER, status=Status.CLOSED,
        responded=2, resolved=10, root_cause="card retained", ratings=(5,),
    ),
    complaint(
        2, local(2, 10, 9), customer="c-2", channel=Channel.ONLINE_BANKING, category=Category.PRODUCT,
        status=Status.RESOLVED, responded=30, resolved=40, root_cause="fee error", ratings=(2,),
        team="cards", breaches=("firstResponse",),
        description="You charged me twice. I will call my lawyer and the CFPB about it.",
    ),
    complaint(3, local(3, 31, 23), customer="c-1", channel=Channel.COUNTER),
    complaint(
        4, local(3, 1, 9), customer="c-3", channel=Channel.HOTLINE, status=Status.CLOSED,
        responded=5, resolved=20, root_cause="card retained", description="我要向媒体曝光这件事",
    ),
]  # fmt: skip
OUTSIDE = [
    complaint(
        5, local(12, 31, 23, year=2025) + timedelta(minutes=59), customer="c-9",
        status=Status.CLOSED, responded=1, resolved=3,
    ),
    complaint(6, local(4, 1, 0), customer="c-9"),
]  # fmt: skip


def build(
    now: datetime = SCHEDULE_FIRES,
    extra: tuple[Complaint, ...] = (),
    keys: FixedSecretProvider | None = None,
    extra_records: tuple[AccountabilityRecord, ...] = (),
    **settings: Any,
) -> tuple[QuarterlyReports, dict[str, Any]]:
    parts: dict[str, Any] = {
        "source": InMemorySource(
            [*QUARTER_COMPLAINTS, *OUTSIDE, *extra], [record(1, "cmp-2", reviewed=True), *extra_records]
        ),
        "records": InMemoryRecords(),
        "artifacts": InMemoryArtifacts(),
        "events": RecordingPublisher(),
        "mailer": RecordingMailer(),
        "queue": RecordingQueue(),
    }
    reports = QuarterlyReports(
        parts["source"],
        parts["records"],
        parts["artifacts"],
        parts["events"],
        HmacLinkSigner(keys or FixedSecretProvider(SECRET, "r2")),
        render,
        ReportSettings(
            timezone=SHANGHAI,
            recipients=("management@bank.example",),
            public_base_url="https://complaints.bank.example",
            **settings,
        ),
        queue=parts["queue"],
        mailer=parts["mailer"],
        clock=FakeClock(now),
    )
    return reports, parts


def rows(parts: dict[str, Any], report_id: str, artifact: Artifact) -> list[dict[str, str]]:
    _, text = parts["artifacts"].files[f"reports/{report_id}/{artifact.value}"]
    return list(csv.DictReader(io.StringIO(text)))


# --- the period ------------------------------------------------------------------------------------


def test_a_quarter_is_three_local_calendar_months() -> None:
    start, end = Quarter.parse("2026-Q3").bounds(SHANGHAI)
    assert start == datetime(2026, 6, 30, 16, tzinfo=UTC)
    assert end == datetime(2026, 9, 30, 16, tzinfo=UTC)
    assert Quarter.parse("2026-Q1").previous() == Quarter(2025, 4)
    assert Quarter.parse("2026-Q4").next() == Quarter(2027, 1)
    assert Quarter.parse("2026-Q2").months() == ["2026-04", "2026-05", "2026-06"]


def test_the_schedule_moment_is_already_in_the_next_quarter_in_shanghai() -> None:
    # 2026-03-31 17:00 UTC is 1 April 01:00 in Shanghai: Q2 has begun there, not in UTC.
    assert Quarter.containing(SCHEDULE_FIRES, SHANGHAI) == Quarter(2026, 2)
    assert Quarter.containing(SCHEDULE_FIRES, "UTC") == Quarter(2026, 1)


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-q1", "", "0000-Q1", "0001-Q1", "1969-Q4"]
)
def test_a_period_that_is_not_a_quarter_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Quarter.parse(text)
    assert refused.value.details[0]["field"] == "period"


# --- the scheduled report --------------------------------------------------------------------------


def test_the_schedule_builds_the_quarter_that_just_ended() -> None:
    reports, _ = build()
    view = reports.scheduled()
    assert view.id == "2026-Q1-scheduled" and view.period == "2026-Q1"
    assert view.status is ReportStatus.READY and view.scheduled
    assert sorted(view.links) == sorted(artifact.value for artifact in Artifact)


def test_the_kpis_cover_the_local_quarter_only() -> None:
    reports, parts = build()
    reports.scheduled()
    kpis = {row["kpi"]: row for row in rows(parts, "2026-Q1-scheduled", Artifact.KPIS_CSV)}
    # received: #1..#4 (not #5 at 23:59 on 31 Dec, not #6 at 00:00 on 1 Apr)
    assert kpis["received"]["2026-Q1"] == "4"
    # on time: #1 (2 h) and #4 (5 h) of 3 counted (#2 answered late; #3 unanswered, deadline
    # Apr 1 23:00 local > as-of Apr 1 01:00 local, not counted) -> 2/3
    assert kpis["firstResponseOnTimeRate"]["2026-Q1"] == str(2 / 3)
    assert kpis["firstResponseOnTimeRate"]["met"] == "no"
    # ratings: 5 and 2 -> 1 of 2 satisfied; closure: #1 and #4 of 4 -> 0.5
    assert kpis["satisfactionRate"]["2026-Q1"] == "0.5"
    assert kpis["closureRate"]["2026-Q1"] == "0.5"
    # accountability: the one record (on #2) is reviewed -> 1.0
    assert kpis["accountabilityRate"]["2026-Q1"] == "1.0"
    # the previous quarter (2025-Q4) holds #5 only: answered in 1 h, closed
    assert kpis["received"]["2025-Q4"] == "1"
    assert kpis["closureRate"]["2025-Q4"] == "1.0"
    # first responses sorted [2, 5, 30] h -> median 5 h
    assert kpis["medianHoursToFirstResponse"]["2026-Q1"] == "5.0"
    # c-1 complained twice (#1, #3)
    assert kpis["repeatComplainants"]["2026-Q1"] == "1"


def test_the_complaints_extract_has_one_row_per_complaint_and_no_contact_details() -> None:
    reports, parts = build()
    reports.scheduled()
    extract = rows(parts, "2026-Q1-scheduled", Artifact.COMPLAINTS_CSV)
    assert [row["reference"] for row in extract] == [f"CG-2026-{n:06d}" for n in (1, 2, 3, 4)]
    by_id = {row["id"]: row for row in extract}
    assert by_id["cmp-1"]["firstResponseOnTime"] == "yes"
    assert by_id["cmp-2"]["firstResponseOnTime"] == "no"
    assert by_id["cmp-3"]["firstResponseOnTime"] == ""
    assert by_id["cmp-2"]["rating"] == "2" and by_id["cmp-2"]["breaches"] == "1"
    assert by_id["cmp-2"]["riskSignals"] == "legal regulatory"
    _, text = parts["artifacts"].files["reports/2026-Q1-scheduled/complaints.csv"]
    assert "Li Wei" not in text and "+8613800138000" not in text and "charged me" not in text


def test_regulatory_risk_complaints_are_listed_with_the_words_that_flagged_them() -> None:
    reports, parts = build()
    reports.scheduled()
    risk = rows(parts, "2026-Q1-scheduled", Artifact.RISK_CSV)
    assert sorted((row["reference"], row["signal"], row["words"]) for row in risk) == [
        ("CG-2026-000002", "legal", "lawyer"),
        ("CG-2026-000002", "regulatory", "cfpb"),
        ("CG-2026-000004", "media", "媒体 曝光"),
    ]


def test_the_accountability_extract_holds_the_quarters_records() -> None:
    reports, parts = build()
    reports.scheduled()
    extract = rows(parts, "2026-Q1-scheduled", Artifact.ACCOUNTABILITY_CSV)
    assert [(row["recordId"], row["complaintId"], row["status"]) for row in extract] == [
        ("acc-1", "cmp-2", "reviewed")
    ]


def test_the_html_report_is_self_contained_and_shows_pass_and_fail() -> None:
    reports, parts = build()
    reports.scheduled()
    content_type, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    assert content_type == "text/html; charset=utf-8"
    assert page.count("<svg") == 4  # KPI, first response, intake, category charts
    assert "<script" not in page and not re.search(r"(src|href)=\"//", page)
    assert "66.7%" in page  # on-time rate 2/3
    assert "✘ 未达标 missed" in page and "≥ 90%" in page
    assert "CG-2026-000002" in page and "cfpb" in page  # the risk list
    assert "Li Wei" not in page and "+8613800138000" not in page


def test_publishing_announces_the_report_once_and_emails_management_once() -> None:
    reports, parts = build()
    reports.scheduled()
    reports.scheduled()  # the schedule delivered twice
    [event] = parts["events"].published
    assert event.name is EventName.REPORT_PUBLISHED and event.complaint_id is None
    assert event.data["reportId"] == "2026-Q1-scheduled" and event.data["period"] == "2026-Q1"
    assert event.data["headline"]["received"] == 4
    [(to, subject, text, _)] = parts["mailer"].sent
    assert to == ["management@bank.example"] and "2026-Q1" in subject
    assert "https://complaints.bank.example/r/2026-Q1-scheduled/report.html?expires=" in text
    # the links expire 7 days after the report was e-mailed
    assert "Links valid until 2026-04-07 17:00 UTC" in text


def test_a_failed_build_is_recorded_and_can_be_retried() -> None:
    reports, parts = build()
    parts["source"].fail = True
    with pytest.raises(RuntimeError):
        reports.scheduled()
    failed = parts["records"].get("2026-Q1-scheduled")
    assert failed.status is ReportStatus.FAILED and failed.error == "RuntimeError"
    assert parts["events"].published == [] and parts["mailer"].sent == []
    parts["source"].fail = False
    assert reports.build("2026-Q1-scheduled").status is ReportStatus.READY


# --- on demand -------------------------------------------------------------------------------------


def test_a_manager_asks_for_a_report_which_is_queued() -> None:
    reports, parts = build(now=datetime(2026, 5, 1, tzinfo=UTC))
    view = reports.request(ReportRequest(period="2026-Q2"), "manager-1")
    assert view.status is ReportStatus.QUEUED and view.links == {}
    assert parts["queue"].submitted == [view.id] and view.id.startswith("2026-Q2-")
    assert reports.build(view.id).status is ReportStatus.READY


@pytest.mark.parametrize("period", ["2026-Q3", "9999-Q4"])  # the last quarter datetime can hold
def test_a_quarter_that_has_not_begun_is_refused(period: str) -> None:
    reports, _ = build(now=datetime(2026, 5, 1, tzinfo=UTC))
    with pytest.raises(InvalidInput) as refused:
        reports.request(ReportRequest(period=period), "manager-1")
    assert refused.value.details[0]["field"] == "period"


# --- the links ---------------------------------------------------------------------------------------


def _signed(link: str) -> tuple[str, int, str]:
    match = re.search(r"/r/([^/]+)/([^?]+)\?expires=(\d+)&signature=([\w.-]+)$", link)
    assert match, link
    return match.group(2), int(match.group(3)), match.group(4)


def test_a_signed_link_leads_to_the_file_until_it_expires() -> None:
    reports, _ = build()
    view = reports.scheduled()
    file_name, expires, signature = _signed(view.links["complaints.csv"])
    assert expires == int((SCHEDULE_FIRES + timedelta(days=7)).timestamp())
    target = reports.download("2026-Q1-scheduled", file_name, str(expires), signature)
    assert target == "https://bucket.example/reports/2026-Q1-scheduled/complaints.csv?valid=300"


@pytest.mark.parametrize(
    "change",
    [
        {"report_id": "2026-Q4-scheduled"},  # another report
        {"file_name": "report.html"},  # another file of the same report
        {"expires_delta": 3600},  # a later expiry
        {"signature": "x" * 43},
        {"signature": None},
        {"file_name": "../../etc/passwd"},
        {"expires": None},
        {"expires": "1e12"},  # not Unix seconds
        {"expires": "9" * 40},  # beyond any date
        {"expires": "-1"},
    ],
)
def test_a_tampered_link_is_refused_like_an_unknown_report(change: dict[str, Any]) -> None:
    reports, _ = build()
    view = reports.scheduled()
    file_name, expires, signature = _signed(view.links["complaints.csv"])
    arguments: dict[str, Any] = {
        "report_id": "2026-Q1-scheduled",
        "file_name": file_name,
        "expires": str(expires + change.pop("expires_delta", 0)),
        "signature": signature,
    }
    arguments.update(change)
    with pytest.raises(NotFound):
        reports.download(**arguments)


def test_an_expired_link_is_refused() -> None:
    reports, parts = build()
    view = reports.scheduled()
    file_name, expires, signature = _signed(view.links["kpis.csv"])
    later, _ = build(now=SCHEDULE_FIRES + timedelta(days=7, seconds=1))
    later._records = parts["records"]
    with pytest.raises(NotFound):
        later.download("2026-Q1-scheduled", file_name, str(expires), signature)


def test_a_link_carries_the_report_key_id_and_the_previous_key_still_opens_it() -> None:
    old_keys = FixedSecretProvider(OLD_SECRET, "r1")
    reports, parts = build(keys=old_keys)
    file_name, expires, signature = _signed(reports.scheduled().links["complaints.csv"])
    assert signature.startswith("r1.")
    # Rotated: r2 signs, r1 is the previous key for the window.
    rotated, _ = build(keys=FixedSecretProvider(SECRET, "r2", previous=SigningKey("r1", OLD_SECRET)))
    rotated._records = parts["records"]
    assert rotated.download("2026-Q1-scheduled", file_name, str(expires), signature)
    assert _signed(rotated.view(parts["records"].get("2026-Q1-scheduled")).links["kpis.csv"])[2].startswith(
        "r2."
    )
    # The window over, r1 is retired: its links are refused like an unknown report.
    retired, _ = build(keys=FixedSecretProvider(SECRET, "r2"))
    retired._records = parts["records"]
    with pytest.raises(NotFound):
        retired.download("2026-Q1-scheduled", file_name, str(expires), signature)


@pytest.mark.parametrize("key_id", ["r2", "r9", "", "r 1", "r" * 33])
def test_a_tampered_key_id_is_refused(key_id: str) -> None:
    reports, _ = build(keys=FixedSecretProvider(SECRET, "r1", previous=SigningKey("r2", OLD_SECRET)))
    file_name, expires, signature = _signed(reports.scheduled().links["complaints.csv"])
    mac = signature.split(".", 1)[1]
    with pytest.raises(NotFound):
        reports.download("2026-Q1-scheduled", file_name, str(expires), f"{key_id}.{mac}")


def test_a_link_signed_before_key_ids_opens_only_while_the_legacy_key_is_kept() -> None:
    reports, parts = build(keys=FixedSecretProvider(SECRET, "r2", legacy=OLD_SECRET))
    file_name, expires, _ = _signed(reports.scheduled().links["complaints.csv"])
    message = f"report\n2026-Q1-scheduled\n{file_name}\n{expires}"
    legacy = signature(message, OLD_SECRET)
    assert reports.download("2026-Q1-scheduled", file_name, str(expires), legacy)
    retired, _ = build(keys=FixedSecretProvider(SECRET, "r2"))
    retired._records = parts["records"]
    with pytest.raises(NotFound):
        retired.download("2026-Q1-scheduled", file_name, str(expires), legacy)


def test_a_tracking_token_is_no_report_signature_even_under_the_same_key() -> None:
    reports, _ = build(keys=FixedSecretProvider(SECRET, "r2"))
    file_name, expires, _ = _signed(reports.scheduled().links["complaints.csv"])
    token = tracking_token("2026-Q1-scheduled", SigningKey("r2", SECRET))
    for forged in (token, "r2." + token.rsplit(".", 1)[1]):
        with pytest.raises(NotFound):
            reports.download("2026-Q1-scheduled", file_name, str(expires), forged)


def test_the_page_lists_the_most_escalated_risk_complaints_and_the_extract_all_of_them() -> None:
    # 250 flagged complaints in Q1, one a day-hour apart; every 50th (5 of them) is at level 3, the
    # rest at level 0. The page shows 100: the five at level 3 first, then the oldest level-0 ones.
    start, _ = Quarter(2026, 1).bounds(SHANGHAI)
    complaints_csv, risk_csv = io.StringIO(), io.StringIO()
    aggregator = QuarterAggregator(Quarter(2026, 1), SHANGHAI, SCHEDULE_FIRES, [], complaints_csv, risk_csv)
    for number in range(250):
        aggregator.add(
            complaint(
                number,
                start + timedelta(hours=number),
                customer=f"c-{number}",
                description="I will sue the bank.",
                escalation_level=3 if number % 50 == 0 else 0,
            )
        )
    shown = listed_first(aggregator.risk)
    assert len(shown) == 100 and aggregator.risk_total == 250
    assert [item.id for item in shown[:5]] == [f"cmp-{n}" for n in (0, 50, 100, 150, 200)]
    assert [item.id for item in shown[5:8]] == ["cmp-1", "cmp-2", "cmp-3"]
    assert len(list(csv.DictReader(io.StringIO(risk_csv.getvalue())))) == 250


class RefusingQueue:
    def submit(self, report_id: str) -> None:
        raise ServiceUnavailable("the queue is unavailable")


def test_a_request_the_queue_refuses_is_a_503_and_the_record_says_so() -> None:
    reports, parts = build(now=datetime(2026, 5, 1, tzinfo=UTC))
    reports._queue = RefusingQueue()
    with pytest.raises(ServiceUnavailable):
        reports.request(ReportRequest(period="2026-Q2"), "manager-1")
    [stored] = parts["records"].stored.values()
    assert stored.status is ReportStatus.FAILED and stored.error == "NotQueued"  # not "queued" forever


def test_a_quarter_without_complaints_still_makes_a_report() -> None:
    # 2027-01-05: the quarter just ended (2026-Q4) holds none of the test complaints
    reports, parts = build(now=datetime(2027, 1, 5, tzinfo=UTC))
    view = reports.scheduled()
    assert view.status is ReportStatus.READY and view.headline is not None
    assert view.headline.received == 0 and view.headline.closure_rate is None
    _, page = parts["artifacts"].files["reports/2026-Q4-scheduled/report.html"]
    assert page.count("<svg") == 4 and "无数据 no data" in page


HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


def test_values_from_data_are_escaped_on_the_page() -> None:
    """A root cause is free text staff typed: the template engine escapes it (autoescape)."""
    hostile = complaint(
        7, local(2, 20, 9), customer="c-7", status=Status.CLOSED, responded=2, resolved=10,
        root_cause=HOSTILE, breaches=("firstResponse",),
    )  # fmt: skip
    reports, parts = build(extra=(hostile,))
    reports.scheduled()
    _, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    assert "<img" not in page and "<script" not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- performance by team and handler ------------------------------------------------------------------

# Besides #1-#4 above (no handler; #2 in team cards, the others in the intake queue), in Q1:
# li.na (cards): 10 complaints from Feb 1, each answered in 1 h, resolved in 10 h, closed, rated 5.
# @wang (cards; a name a spreadsheet would read as a formula): #30 answered in 30 h (late), resolved in
# 40 h; #31 answered in 1 h, resolved in 10 h; both closed and rated 5.
# Record acc-1 (the default) names agent-1 of team-a about #2: reviewed, no finding.
HANDLERS = (
    *(
        complaint(
            20 + i, local(2, 1, 9) + timedelta(hours=i), customer=f"c-{20 + i}", status=Status.CLOSED,
            responded=1, resolved=10, ratings=(5,), assignee="li.na", team="cards",
        )
        for i in range(10)
    ),
    complaint(
        30, local(2, 20, 9), customer="c-30", status=Status.CLOSED, responded=30, resolved=40, ratings=(5,),
        assignee="@wang", team="cards",
    ),
    complaint(
        31, local(2, 21, 9), customer="c-31", status=Status.CLOSED, responded=1, resolved=10, ratings=(5,),
        assignee="@wang", team="cards",
    ),
)  # fmt: skip


def test_the_performance_extract_has_a_row_per_team_and_handler_with_the_recognised_ranked() -> None:
    reports, parts = build(extra=HANDLERS)
    reports.scheduled()
    extract = rows(parts, "2026-Q1-scheduled", Artifact.PERFORMANCE_CSV)
    # teams by name: cards, intake, and team-a (only named by record acc-1); then handlers by name
    # ("'@wang" is "@wang" written as text: '@' sorts before 'a'), agent-1 (only named by acc-1)
    assert [(row["groupBy"], row["name"]) for row in extract] == [
        ("team", "cards"),
        ("team", "intake"),
        ("team", "team-a"),
        ("assignee", "'@wang"),
        ("assignee", "agent-1"),
        ("assignee", "li.na"),
        ("assignee", "unassigned"),
    ]
    by_name = {(row["groupBy"], row["name"]): row for row in extract}
    li = by_name[("assignee", "li.na")]
    # 10 handled, all on time and satisfied, none reopened: score 0.35 + 0.35 + 0.20 + 0.10 = 1.0, rank 1
    assert (li["handled"], li["firstResponseOnTimeRate"], li["satisfactionRate"]) == ("10", "1.0", "1.0")
    assert (li["resolutionOnTimeRate"], li["reopenRate"], li["medianHandlingHours"]) == ("1.0", "0.0", "10.0")
    assert (li["recognitionRank"], li["recognitionScore"]) == ("1", "1.0")
    wang = by_name[("assignee", "'@wang")]
    # first responses 1 of 2 on time; handling (10 + 40) / 2 = 25 h; 2 complaints: too few to be listed
    assert (wang["handled"], wang["firstResponsesOnTime"], wang["firstResponsesCounted"]) == ("2", "1", "2")
    assert (wang["medianHandlingHours"], wang["recognitionRank"], wang["recognitionScore"]) == (
        "25.0",
        "",
        "",
    )
    # the unassigned: #1-#4. First responses #1 (2 h) and #4 (5 h) on time, #2 (30 h) late, #3 not yet
    # due -> 2/3; resolutions #1 (10 h), #2 (40 h), #4 (20 h) within 72 h -> 3/3, median 20 h;
    # ratings 5 and 2 -> 1/2
    nobody = by_name[("assignee", "unassigned")]
    assert (nobody["handled"], nobody["firstResponsesOnTime"], nobody["firstResponsesCounted"]) == (
        "4",
        "2",
        "3",
    )
    assert (nobody["resolutionsOnTime"], nobody["resolutionsCounted"], nobody["medianHandlingHours"]) == (
        "3", "3", "20.0",
    )  # fmt: skip
    assert (nobody["satisfiedRatings"], nobody["ratings"], nobody["recognitionRank"]) == ("1", "2", "")
    # cards: #2, li.na's 10, @wang's 2 = 13; on time: all but #2 and #30 -> 11/13; handling: eleven
    # complaints of 10 h, two of 40 h (#2, #30) -> median (7th) 10 h; satisfied all but #2 (rated 2)
    cards = by_name[("team", "cards")]
    assert (cards["handled"], cards["firstResponsesOnTime"], cards["firstResponsesCounted"]) == (
        "13",
        "11",
        "13",
    )
    assert (cards["medianHandlingHours"], cards["satisfiedRatings"], cards["ratings"]) == ("10.0", "12", "13")
    # acc-1 counts for whom it names: team-a and agent-1, reviewed without a finding
    team_a = by_name[("team", "team-a")]
    assert (team_a["handled"], team_a["accountabilityOpened"], team_a["accountabilityReviewed"]) == (
        "0",
        "1",
        "1",
    )
    assert by_name[("assignee", "agent-1")]["accountabilityOpened"] == "1"
    assert by_name[("team", "cards")]["accountabilityOpened"] == "0"


def test_the_page_has_the_performance_section_and_the_recognition_list() -> None:
    reports, parts = build(extra=HANDLERS)
    reports.scheduled()
    _, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    assert "Performance by team and handler" in page
    recognition = page.split("表彰 Recognition", 1)[1].split("按团队 By team", 1)[0]
    assert "li.na" in recognition and "@wang" not in recognition  # 2 complaints: too few
    assert "100.0" in recognition  # li.na's score, of 100
    assert "at least 10 complaints" in recognition
    assert "35 × first response on time + 35 × satisfaction + 20 × resolved on time" in recognition
    by_handler = page.split("按处理人 By handler", 1)[1]
    assert "50.0% (1/2)" in by_handler  # @wang's first responses
    assert "performance.csv" in page


def test_a_quarter_without_a_recognised_handler_says_so() -> None:
    reports, parts = build()
    reports.scheduled()
    _, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    assert "no handler met both targets with enough complaints" in page


def test_withdrawn_complaints_are_shown_with_their_place_in_the_on_time_rate() -> None:
    # #40 withdrawn unanswered 30 h after receipt (its 24 h deadline had passed): late in the rate.
    # #41 withdrawn unanswered after 2 h: outside the rate.
    withdrawn = (
        complaint(40, local(2, 3, 9), customer="c-40", status=Status.WITHDRAWN, withdrawn_at=local(2, 4, 15)),
        complaint(41, local(2, 5, 9), customer="c-41", status=Status.WITHDRAWN, withdrawn_at=local(2, 5, 11)),
    )
    reports, parts = build(extra=withdrawn)
    reports.scheduled()
    kpis = {row["kpi"]: row for row in rows(parts, "2026-Q1-scheduled", Artifact.KPIS_CSV)}
    assert (kpis["withdrawn"]["2026-Q1"], kpis["withdrawn"]["2025-Q4"]) == ("2", "0")
    assert (kpis["withdrawnLate"]["2026-Q1"], kpis["withdrawnBeforeDue"]["2026-Q1"]) == ("1", "1")
    # on time: #1 and #4 of #1, #2, #4 and #40 counted -> 2/4 (#3 not yet due, #41 outside)
    assert kpis["firstResponseOnTimeRate"]["2026-Q1"] == "0.5"
    _, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    text = " ".join(page.split())
    assert "撤回 withdrawn <strong>2</strong>" in text
    assert (
        "after the first-response deadline had passed: <strong>1</strong> (in the on-time rate, as late)"
        in text
    )
    assert "Withdrawn unanswered before it: <strong>1</strong> (outside the rate)" in text


def test_names_in_the_performance_section_are_escaped_and_cannot_run_in_a_spreadsheet() -> None:
    """An accountability record's handler is a plain string: the page escapes it, the CSV neutralises it."""
    hostile = record(7, "cmp-1", reviewed=False, assignee=HOSTILE, team='=HYPERLINK("http://x")')
    reports, parts = build(extra_records=(hostile,))
    reports.scheduled()
    _, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    assert "<img" not in page and "<script" not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    names = [row["name"] for row in rows(parts, "2026-Q1-scheduled", Artifact.PERFORMANCE_CSV)]
    assert '\'=HYPERLINK("http://x")' in names


def test_records_awaiting_review_name_their_trigger_when_no_deadline_was_missed() -> None:
    """A record opened by a reopen or by hand has no deadline: the list names why it was opened, and a
    complaint with two records awaiting review is listed twice (records are counted, not complaints)."""
    by_hand = record(8, "cmp-1", reviewed=False).model_copy(
        update={
            "trigger": AccountabilityTrigger.OPENED_BY_SUPERVISOR,
            "deadline": None,
            "due_at": None,
            "reference": "CG-BY-HAND",
        }
    )
    missed = record(9, "cmp-1", reviewed=False).model_copy(update={"reference": "CG-MISSED"})
    reports, parts = build(extra_records=(by_hand, missed))
    reports.scheduled()
    _, page = parts["artifacts"].files["reports/2026-Q1-scheduled/report.html"]
    assert "opened_by_supervisor" in page and "CG-BY-HAND" in page and "CG-MISSED" in page
    ids = [row["recordId"] for row in rows(parts, "2026-Q1-scheduled", Artifact.ACCOUNTABILITY_CSV)]
    assert {"acc-8", "acc-9"} <= set(ids)
