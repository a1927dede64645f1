"""The quarterly report as one self-contained HTML file: inline CSS, inline SVG charts drawn by pygal
(with its JavaScript switched off), no external resources — it opens the same from S3, from an e-mail
attachment or from a USB stick in the board room. Labels are in Chinese and English. The page is
templates/reporting/report.html, rendered with autoescape: every value that comes from data is escaped
by the engine, not by hand. No customer names, phones, e-mails or complaint texts appear in it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from complaints.reporting.kpis import FIRST_RESPONSE_ON_TIME_TARGET, SATISFACTION_TARGET, KpiReport
from complaints.reporting.models import Artifact, QuarterlyReport
from complaints.reporting.performance import (
    RECOGNITION_MIN_HANDLED,
    SCORE_WEIGHTS,
    GroupPerformance,
    Recognition,
)

_TARGETED = (
    ("firstResponseOnTimeRate", "首次响应及时率", "First response on time"),
    ("satisfactionRate", "满意率", "Satisfaction (ratings ≥ 4/5)"),
    ("closureRate", "办结率", "Closure"),
)
_OTHER_RATES = (
    ("resolutionRate", "解决率", "Resolution"),
    ("accountabilityRate", "问责复核率", "Accountability reviewed"),
    ("followUpOnTimeRate", "回访按时完成率", "Follow-up calls on time"),
    ("solutionPlanOnTimeRate", "复杂投诉解决方案及时率", "Solution plans on time (complex complaints)"),
)
_DURATIONS = (
    ("medianHoursToFirstResponse", "首次响应时长中位数", "Median hours to first response"),
    ("p90HoursToFirstResponse", "首次响应时长 P90", "p90 hours to first response"),
    ("medianHoursToResolution", "解决时长中位数", "Median hours to resolution"),
    ("p90HoursToResolution", "解决时长 P90", "p90 hours to resolution"),
)
_BREAKDOWNS = (
    ("byChannel", "渠道", "Channel"),
    ("byCategory", "类别", "Category"),
    ("byProduct", "产品", "Product"),
    ("byPriority", "优先级", "Priority"),
)
_COLOURS = ("#1f5fa8", "#9bb7d9", "#d9822b", "#3b8f4f", "#b03a2e", "#6c5b7b", "#7f8c8d", "#c2a83e")


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value:.1%}"


def _hours(value: Any) -> str:
    return "—" if value is None else f"{value:.2f} h"


def _change(now: Any, before: Any, *, rate: bool) -> str:
    if now is None or before is None:
        return "—"
    delta = now - before
    if rate:
        return f"{delta * 100:+.1f} pp"
    return f"{delta:+.2f}"


def _verdict(met: bool | None) -> tuple[str, str]:
    if met is None:
        return "none", "无数据 no data"
    return ("met", "✔ 达标 met") if met else ("missed", "✘ 未达标 missed")


@dataclass(frozen=True)
class Cell:
    """A table cell: plain text (one or more lines), escaped by the template engine."""

    lines: tuple[str, ...]
    css: str = ""


def _cell(text: str, css: str = "") -> Cell:
    return Cell((text,), css)


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Card:
    css: str
    chinese: str
    english: str
    value: str
    verdict: str


@dataclass(frozen=True)
class Breakdown:
    chinese: str
    english: str
    table: Table


def _chart(kind: str, title: str, **options: Any) -> Any:
    # pygal is imported here so only the report's builder pays for it, not every function's cold start.
    import pygal
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        colors=_COLOURS,
        font_family="system-ui, sans-serif",
        title_font_size=16,
        label_font_size=12,
        legend_font_size=12,
    )
    chart_class = getattr(pygal, kind)
    return chart_class(
        title=title,
        style=style,
        js=[],  # self-contained: no script from a CDN
        disable_xml_declaration=True,
        width=640,
        height=360,
        legend_at_bottom=True,
        print_values=False,
        truncate_label=-1,  # whole labels: "First response on time", not "First response …"
        **options,
    )


# pygal writes its configuration into every SVG as a <script> even without its JavaScript; the report
# has no use for it, and a page without scripts opens under the strictest content policy.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def _svg(chart: Any) -> Markup:
    # The one piece of the page written as it is: pygal's own SVG, its <script> removed. Everything pygal
    # draws from data (a channel, a category) it escapes as XML itself.
    return Markup('<div class="chart">{}</div>').format(
        Markup(_SCRIPT.sub("", chart.render(is_unicode=True)))
    )


def _count_axis(largest: int) -> dict[str, list[int]]:
    """Whole-number ticks from 0 to at least `largest`, about five of them: counts have no halves.
    Nothing for a chart without a count: pygal draws its "No data" there and cannot place ticks."""
    if largest <= 0:
        return {}
    step = max(1, math.ceil(largest / 5))
    return {"y_labels": list(range(0, largest + step, step))}


def kpi_chart(report: QuarterlyReport) -> Markup:
    chart = _chart("Bar", "KPIs against targets (%)", range=(0, 100), y_labels=[0, 20, 40, 60, 80, 90, 100])
    chart.x_labels = [english for _, _, english in _TARGETED]
    current, previous = report.kpis.to_json(), report.previous.to_json()
    targets = report.kpis.targets.to_json()

    def percents(values: dict[str, Any]) -> list[float | None]:
        return [None if values[key] is None else round(values[key] * 100, 1) for key, _, _ in _TARGETED]

    chart.add(report.period, percents(current))
    chart.add(report.previous_period, percents(previous))
    chart.add("target", percents(targets))
    return _svg(chart)


def intake_chart(report: QuarterlyReport) -> Markup:
    months = list(report.intake_by_month)
    busiest = max((sum(report.intake_by_month[month].values()) for month in months), default=0)
    chart = _chart("StackedBar", "Complaints received by month and channel", **_count_axis(busiest))
    chart.x_labels = months
    channels = sorted({channel for counts in report.intake_by_month.values() for channel in counts})
    for channel in channels:
        values = [report.intake_by_month[month].get(channel, 0) for month in months]
        if any(values):
            chart.add(channel, values)
    return _svg(chart)


def first_response_chart(report: QuarterlyReport) -> Markup:
    largest = max([*report.first_response_buckets.values(), report.unanswered])
    chart = _chart("Bar", "Time to first response", show_legend=False, **_count_axis(largest))
    chart.x_labels = [*report.first_response_buckets, "unanswered"]
    chart.add("complaints", [*report.first_response_buckets.values(), report.unanswered])
    return _svg(chart)


def category_chart(report: QuarterlyReport) -> Markup:
    largest = max(report.kpis.by_category.values(), default=0)
    chart = _chart("HorizontalBar", "Complaints by category", **_count_axis(largest))
    for category, count in sorted(report.kpis.by_category.items(), key=lambda item: -item[1]):
        if count:
            chart.add(category, count)
    return _svg(chart)


def _kpi_rows(current: dict[str, Any], previous: dict[str, Any], report: QuarterlyReport) -> Table:
    targets, met = report.kpis.targets.to_json(), report.kpis.met.to_json()
    rows = []
    for key, chinese, english in _TARGETED:
        css, verdict = _verdict(met[key])
        rows.append(
            [
                Cell((chinese, english)),
                _cell(_rate(current[key]), "num"),
                _cell(_rate(previous[key]), "num"),
                _cell(_change(current[key], previous[key], rate=True), "num"),
                _cell(f"≥ {targets[key]:.0%}", "num"),
                _cell(verdict, css),
            ]
        )
    for key, chinese, english in _OTHER_RATES:
        rows.append(
            [
                Cell((chinese, english)),
                _cell(_rate(current[key]), "num"),
                _cell(_rate(previous[key]), "num"),
                _cell(_change(current[key], previous[key], rate=True), "num"),
                _cell("—", "none"),
                _cell("—", "none"),
            ]
        )
    for key, chinese, english in _DURATIONS:
        rows.append(
            [
                Cell((chinese, english)),
                _cell(_hours(current[key]), "num"),
                _cell(_hours(previous[key]), "num"),
                _cell(_change(current[key], previous[key], rate=False), "num"),
                _cell("—", "none"),
                _cell("—", "none"),
            ]
        )
    return Table(
        ("指标 KPI", report.period, report.previous_period, "变化 change", "目标 target", "结果 result"), rows
    )


def _cards(current: KpiReport) -> list[Card]:
    values, met = current.to_json(), current.met.to_json()
    cards = []
    for key, chinese, english in _TARGETED:
        css, verdict = _verdict(met[key])
        cards.append(Card(css, chinese, english, _rate(values[key]), verdict))
    return cards


def _breakdowns(report: QuarterlyReport) -> list[Breakdown]:
    current, previous = report.kpis.to_json(), report.previous.to_json()
    parts = []
    for key, chinese, english in _BREAKDOWNS:
        counts: dict[str, int] = current[key]
        total = sum(counts.values()) or 1
        rows = [
            [
                _cell(value),
                _cell(str(count), "num"),
                _cell(f"{count / total:.1%}", "num"),
                _cell(str(previous[key].get(value, 0)), "num"),
            ]
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        parts.append(
            Breakdown(
                chinese, english, Table((english, report.period, "share", report.previous_period), rows)
            )
        )
    return parts


def _share(numerator: int, denominator: int, target: float | None = None) -> Cell:
    """A rate with what it counts, "90.0% (9/10)"; coloured against its target when it has one."""
    if not denominator:
        return _cell("—", "none num")
    rate = numerator / denominator
    css = "num" if target is None else ("met num" if rate >= target else "missed num")
    return _cell(f"{rate:.1%} ({numerator}/{denominator})", css)


_PERFORMANCE_HEAD = (
    "handled",
    "withdrawn",
    "首次响应及时 first response on time",
    "按时解决 resolved on time",
    "处理时长中位数 median handling",
    "满意率 satisfaction",
    "重开率 reopened",
    "问责 accountability: opened / justified / unjustified",
)


def _performance_row(group: GroupPerformance) -> list[Cell]:
    findings = group.accountability
    return [
        _cell(str(group.handled), "num"),
        _cell(str(group.withdrawn), "num"),
        _share(group.first_responses_on_time, group.first_responses_counted, FIRST_RESPONSE_ON_TIME_TARGET),
        _share(group.resolutions_on_time, group.resolutions_counted),
        _cell(
            _hours(group.median_handling_hours),
            "num" if group.median_handling_hours is not None else "none num",
        ),
        _share(group.satisfied_ratings, group.ratings, SATISFACTION_TARGET),
        _share(group.reopened, group.resolved),
        _cell(f"{findings.opened} / {findings.justified} / {findings.unjustified}", "num"),
    ]


def performance_tables(report: QuarterlyReport) -> dict[str, Table]:
    """The section "Performance by team and handler": by team, by handler, and the recognition list."""
    by_team = Table(
        ("团队 Team", *_PERFORMANCE_HEAD),
        [[_cell(group.name), *_performance_row(group)] for group in report.performance_by_team],
    )
    by_handler = Table(
        ("处理人 Handler", "团队 teams", *_PERFORMANCE_HEAD),
        [
            [_cell(group.name), _cell(", ".join(group.teams)), *_performance_row(group)]
            for group in report.performance_by_handler
        ],
    )
    return {"by_team": by_team, "by_handler": by_handler, "recognition": _recognition(report.recognition)}


def _recognition(listed: list[Recognition]) -> Table:
    rows = []
    for item in listed:
        handler = item.handler
        rows.append(
            [
                _cell(str(item.rank), "num"),
                _cell(handler.name),
                _cell(", ".join(handler.teams)),
                _cell(str(handler.handled), "num"),
                _share(handler.first_responses_on_time, handler.first_responses_counted),
                _share(handler.satisfied_ratings, handler.ratings),
                _share(handler.resolutions_on_time, handler.resolutions_counted),
                _share(handler.reopened, handler.resolved),
                _cell(f"{item.score * 100:.1f}", "num"),
            ]
        )
    return Table(
        (
            "名次 Rank",
            "处理人 Handler",
            "团队 teams",
            "handled",
            "首次响应及时 first response on time",
            "满意率 satisfaction",
            "按时解决 resolved on time",
            "重开率 reopened",
            "得分 score (/100)",
        ),
        rows,
    )


def recognition_rule() -> dict[str, str]:
    """The recognition list's rule and score, as the page states them (from the constants that decide)."""
    names = {
        "firstResponseOnTimeRate": "first response on time",
        "satisfactionRate": "satisfaction",
        "resolutionOnTimeRate": "resolved on time",
        "notReopenedRate": "(1 − reopened)",
    }
    return {
        "min_handled": str(RECOGNITION_MIN_HANDLED),
        "first_response_target": f"{FIRST_RESPONSE_ON_TIME_TARGET:.0%}",
        "satisfaction_target": f"{SATISFACTION_TARGET:.0%}",
        "score": " + ".join(f"{weight * 100:.0f} × {names[name]}" for name, weight in SCORE_WEIGHTS),
    }


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def render(report: QuarterlyReport, links: dict[Artifact, str]) -> str:
    """The whole report page, from templates/reporting/report.html (autoescaped: a root cause, a team
    or a reference is escaped by the engine wherever it appears)."""
    from complaints.rendering import render as render_template

    current = report.kpis
    zone = report.timezone
    root_causes = Table(
        ("根因 Root cause", "complaints"),
        [[_cell(item.root_cause), _cell(str(item.count), "num")] for item in current.top_root_causes],
    )
    breaches = Table(
        ("团队 Team", "breaches"),
        [[_cell(team), _cell(str(count), "num")] for team, count in current.breaches_by_team.items()],
    )
    accountability = Table(
        ("团队 Team", "opened", "reviewed", "justified", "unjustified"),
        [
            [
                _cell(team.team),
                _cell(str(team.opened), "num"),
                _cell(str(team.reviewed), "num"),
                _cell(str(team.justified), "num"),
                _cell(str(team.unjustified), "num"),
            ]
            for team in report.accountability_by_team
        ],
    )
    open_records = Table(
        ("参考号 Reference", "team", "handler", "deadline", "missed at"),
        [
            [
                _cell(record.reference),
                _cell(record.team),
                _cell(record.assignee),
                _cell(record.deadline or record.trigger.value),
                _cell(_local(record.due_at, zone) if record.due_at else "—"),
            ]
            for record in report.open_accountability
        ],
    )
    risk = Table(
        ("参考号 Reference", "received", "category", "product", "priority", "status", "level", "signals"),
        [
            [
                _cell(item.reference),
                _cell(_local(item.received_at, zone)),
                _cell(item.category),
                _cell(item.product),
                _cell(item.priority),
                _cell(item.status),
                _cell(str(item.escalation_level), "num"),
                _cell("; ".join(f"{signal}: {', '.join(words)}" for signal, words in item.signals.items())),
            ]
            for item in report.risk
        ],
    )
    lessons = Table(
        ("参考号 Reference", "product", "case", "lesson", "root cause", "days to resolve", "marked by"),
        [
            [
                _cell(case.reference),
                _cell(case.product),
                _cell(case.title),
                _cell(case.lesson),
                _cell(case.root_cause),
                _cell(f"{case.days_to_resolve:g}", "num"),
                _cell(f"{case.marked_by}, {_local(case.marked_at, zone)}"),
            ]
            for case in report.lessons
        ],
    )
    return render_template(
        "reporting/report.html",
        report=report,
        current=current,
        zone=zone,
        period_from=_local(report.period_from, zone),
        period_to=_local(report.period_to, zone),
        as_of=_local(report.as_of, zone),
        cards=_cards(current),
        kpis=_kpi_rows(current.to_json(), report.previous.to_json(), report),
        charts={
            "kpi": kpi_chart(report),
            "first_response": first_response_chart(report),
            "intake": intake_chart(report),
            "category": category_chart(report),
        },
        breakdowns=_breakdowns(report),
        root_causes=root_causes,
        breaches=breaches,
        accountability=accountability,
        open_records=open_records,
        risk_csv={"url": links[Artifact.RISK_CSV], "name": Artifact.RISK_CSV.value},
        risk=risk,
        lessons=lessons,
        performance=performance_tables(report),
        performance_csv={"url": links[Artifact.PERFORMANCE_CSV], "name": Artifact.PERFORMANCE_CSV.value},
        recognition_rule=recognition_rule(),
        downloads=[(artifact.value, url) for artifact, url in links.items() if artifact is not Artifact.HTML],
    )
