"""The e-mail that tells management a quarterly report is ready: the headline figures and time-limited
links, in Chinese and English. It carries no customer data."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report module imports this one
    from complaints.reporting.models import ReportRecord

REPORT_PAGE = "report.html"  # the file name of the report page (Artifact.HTML)
_RATES = (
    ("firstResponseOnTimeRate", "首次响应及时率", "First response on time"),
    ("satisfactionRate", "满意率", "Satisfaction"),
    ("closureRate", "办结率", "Closure"),
)


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _verdict(met: bool | None) -> str:
    return {True: "达标 met", False: "未达标 missed", None: "无数据 no data"}[met]


def report_email(
    record: ReportRecord, links: dict[str, str], expires: datetime, bank_name: str
) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the announcement; `links` by file name, the page first."""
    page = links[REPORT_PAGE]
    headline = record.headline
    subject = f"{bank_name} 季度投诉报告 / Quarterly complaints report {record.period}"
    lines = [
        f"{bank_name} — 季度投诉报告 / Quarterly complaints report {record.period}",
        "",
    ]
    rows: list[tuple[str, str, str]] = []
    if headline is not None:
        lines.append(f"受理投诉 Complaints received: {headline.received}")
        values = headline.to_json()
        for key, chinese, english in _RATES:
            verdict = _verdict(headline.met.get(key))
            rows.append((f"{chinese} {english}", _rate(values[key]), verdict))
            lines.append(f"{chinese} {english}: {_rate(values[key])} ({verdict})")
    valid_until = expires.strftime("%Y-%m-%d %H:%M UTC")
    lines += [
        "",
        f"报告 Report: {page}",
        *(f"{name}: {url}" for name, url in links.items() if name != REPORT_PAGE),
        "",
        f"链接有效期至 Links valid until {valid_until}. 过期后请在系统中重新获取 "
        "(GET /v1/reports/{id}) / After that, ask the system for new ones.",
    ]
    # The HTML part is a template rendered with autoescape: a bank name or a link is escaped by the engine.
    from complaints.rendering import render

    html = render(
        "reporting/email.html",
        title=lines[0],
        received=headline.received if headline is not None else None,
        rows=rows,
        page=page,
        links=list(links.items()),
        valid_until=valid_until,
    )
    return subject, "\n".join(lines), html
