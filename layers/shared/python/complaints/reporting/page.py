"""The quarterly report as one self-contained HTML file: inline CSS, inline SVG charts drawn by pygal
(with its JavaScript switched off), no external resources — it opens the same from S3, from an e-mail
attachment or from a USB stick in the board room. Labels are in Chinese and English. Every value that
comes from data is escaped. No customer names, phones, e-mails or complaint texts appear in it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from complaints.reporting.kpis import KpiReport
from complaints.reporting.models import Artifact, QuarterlyReport

_TARGETED = (
    ("firstResponseOnTimeRate", "首次响应及时率", "First response on time"),
    ("satisfactionRate", "满意率", "Satisfaction (ratings ≥ 4/5)"),
    ("closureRate", "办结率", "Closure"),
)
_OTHER_RATES = (
    ("resolutionRate", "解决率", "Resolution"),
    ("accountabilityRate", "问责复核率", "Accountability reviewed"),
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
_CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2733}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 8px;border-bottom:2px solid #1f5fa8}
.meta{color:#566573;margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.92rem}
th,td{border:1px solid #d5dbe1;padding:6px 8px;text-align:left}th{background:#eef2f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.met{color:#1e7b34;font-weight:600}.missed{color:#b03a2e;font-weight:600}.none{color:#7f8c8d}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{flex:1 1 200px;border:1px solid #d5dbe1;border-radius:8px;padding:12px}
.card .value{font-size:1.8rem;font-weight:700}
.card.met{border-color:#1e7b34}.card.missed{border-color:#b03a2e}
.chart svg{width:100%;height:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
footer{margin-top:40px;color:#566573;font-size:.85rem}
"""


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


def _table(head: Iterable[str], rows: Iterable[Iterable[tuple[str, str]]]) -> str:
    """rows of (css class, already-escaped cell)."""
    header = "".join(f"<th>{escape(cell)}</th>" for cell in head)
    body = "".join(
        "<tr>" + "".join(f'<td class="{css}">{cell}</td>' for css, cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


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


def _svg(chart: Any) -> str:
    return f'<div class="chart">{_SCRIPT.sub("", chart.render(is_unicode=True))}</div>'


def _count_axis(largest: int) -> dict[str, list[int]]:
    """Whole-number ticks from 0 to at least `largest`, about five of them: counts have no halves.
    Nothing for a chart without a count: pygal draws its "No data" there and cannot place ticks."""
    if largest <= 0:
        return {}
    step = max(1, math.ceil(largest / 5))
    return {"y_labels": list(range(0, largest + step, step))}


def kpi_chart(report: QuarterlyReport) -> str:
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


def intake_chart(report: QuarterlyReport) -> str:
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


def first_response_chart(report: QuarterlyReport) -> str:
    largest = max([*report.first_response_buckets.values(), report.unanswered])
    chart = _chart("Bar", "Time to first response", show_legend=False, **_count_axis(largest))
    chart.x_labels = [*report.first_response_buckets, "unanswered"]
    chart.add("complaints", [*report.first_response_buckets.values(), report.unanswered])
    return _svg(chart)


def category_chart(report: QuarterlyReport) -> str:
    largest = max(report.kpis.by_category.values(), default=0)
    chart = _chart("HorizontalBar", "Complaints by category", **_count_axis(largest))
    for category, count in sorted(report.kpis.by_category.items(), key=lambda item: -item[1]):
        if count:
            chart.add(category, count)
    return _svg(chart)


def _kpi_rows(current: dict[str, Any], previous: dict[str, Any], report: QuarterlyReport) -> str:
    targets, met = report.kpis.targets.to_json(), report.kpis.met.to_json()
    rows = []
    for key, chinese, english in _TARGETED:
        css, verdict = _verdict(met[key])
        rows.append(
            [
                ("", f"{escape(chinese)}<br>{escape(english)}"),
                ("num", _rate(current[key])),
                ("num", _rate(previous[key])),
                ("num", _change(current[key], previous[key], rate=True)),
                ("num", f"≥ {targets[key]:.0%}"),
                (css, verdict),
            ]
        )
    for key, chinese, english in _OTHER_RATES:
        rows.append(
            [
                ("", f"{escape(chinese)}<br>{escape(english)}"),
                ("num", _rate(current[key])),
                ("num", _rate(previous[key])),
                ("num", _change(current[key], previous[key], rate=True)),
                ("none", "—"),
                ("none", "—"),
            ]
        )
    for key, chinese, english in _DURATIONS:
        rows.append(
            [
                ("", f"{escape(chinese)}<br>{escape(english)}"),
                ("num", _hours(current[key])),
                ("num", _hours(previous[key])),
                ("num", _change(current[key], previous[key], rate=False)),
                ("none", "—"),
                ("none", "—"),
            ]
        )
    return _table(
        ("指标 KPI", report.period, report.previous_period, "变化 change", "目标 target", "结果 result"), rows
    )


def _cards(current: KpiReport) -> str:
    values, met = current.to_json(), current.met.to_json()
    cards = []
    for key, chinese, english in _TARGETED:
        css, verdict = _verdict(met[key])
        cards.append(
            f'<div class="card {css}"><div>{escape(chinese)} · {escape(english)}</div>'
            f'<div class="value">{_rate(values[key])}</div><div class="{css}">{verdict}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _breakdowns(report: QuarterlyReport) -> str:
    current, previous = report.kpis.to_json(), report.previous.to_json()
    parts = []
    for key, chinese, english in _BREAKDOWNS:
        counts: dict[str, int] = current[key]
        total = sum(counts.values()) or 1
        rows = [
            [
                ("", escape(value)),
                ("num", str(count)),
                ("num", f"{count / total:.1%}"),
                ("num", str(previous[key].get(value, 0))),
            ]
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        parts.append(
            f"<div><h3>{escape(chinese)} · {escape(english)}</h3>"
            + _table((english, report.period, "share", report.previous_period), rows)
            + "</div>"
        )
    return f'<div class="grid">{"".join(parts)}</div>'


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def render(report: QuarterlyReport, links: dict[Artifact, str]) -> str:
    """The whole report page."""
    current = report.kpis
    values = current.to_json()
    zone = report.timezone
    root_causes = _table(
        ("根因 Root cause", "complaints"),
        [[("", escape(item.root_cause)), ("num", str(item.count))] for item in current.top_root_causes],
    )
    breaches = _table(
        ("团队 Team", "breaches"),
        [[("", escape(team)), ("num", str(count))] for team, count in current.breaches_by_team.items()],
    )
    accountability = _table(
        ("团队 Team", "opened", "reviewed", "justified", "unjustified"),
        [
            [
                ("", escape(team.team)),
                ("num", str(team.opened)),
                ("num", str(team.reviewed)),
                ("num", str(team.justified)),
                ("num", str(team.unjustified)),
            ]
            for team in report.accountability_by_team
        ],
    )
    open_records = _table(
        ("参考号 Reference", "team", "handler", "deadline", "missed at"),
        [
            [
                ("", escape(record.reference)),
                ("", escape(record.team)),
                ("", escape(record.assignee)),
                ("", escape(record.deadline)),
                ("", escape(_local(record.due_at, zone))),
            ]
            for record in report.open_accountability
        ],
    )
    risk = _table(
        ("参考号 Reference", "received", "category", "product", "priority", "status", "level", "signals"),
        [
            [
                ("", escape(item.reference)),
                ("", escape(_local(item.received_at, zone))),
                ("", escape(item.category)),
                ("", escape(item.product)),
                ("", escape(item.priority)),
                ("", escape(item.status)),
                ("num", str(item.escalation_level)),
                (
                    "",
                    "; ".join(
                        f"{escape(signal)}: {escape(', '.join(words))}"
                        for signal, words in item.signals.items()
                    ),
                ),
            ]
            for item in report.risk
        ],
    )
    shown = len(report.risk)
    risk_note = (
        f"<p>{report.risk_total} 件 complaints flagged; the {shown} shown here are sorted by "
        "escalation level. "
        f'All are in <a href="{escape(links[Artifact.RISK_CSV])}">{Artifact.RISK_CSV.value}</a>.</p>'
    )
    downloads = "".join(
        f'<li><a href="{escape(url)}">{escape(artifact.value)}</a></li>'
        for artifact, url in links.items()
        if artifact is not Artifact.HTML
    )
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>季度投诉报告 Quarterly complaints report {escape(report.period)}</title>
<style>{_CSS}</style></head>
<body><main>
<h1>季度投诉报告 · Quarterly complaints report {escape(report.period)}</h1>
<p class="meta">{escape(_local(report.period_from, zone))} – {escape(_local(report.period_to, zone))}
({escape(zone)}) · 受理 received <strong>{current.received}</strong> ·
数据截至 as of {escape(_local(report.as_of, zone))} · report {escape(report.id)}</p>

<h2>目标达成 · Targets</h2>
{_cards(current)}
{_kpi_rows(values, report.previous.to_json(), report)}
<div class="grid">{kpi_chart(report)}{first_response_chart(report)}</div>

<h2>投诉量 · Volumes</h2>
<div class="grid">{intake_chart(report)}{category_chart(report)}</div>
{_breakdowns(report)}
<p>重复投诉客户 Repeat complainants (≥ 2 complaints this quarter):
<strong>{current.repeat_complainants}</strong> (previous quarter: {report.previous.repeat_complainants})</p>

<h2>根因 · Top root causes</h2>
{root_causes}

<h2>超时与问责 · Breaches and accountability</h2>
<h3>超时次数（按团队） Breaches by team</h3>
{breaches}
<h3>问责记录（按团队） Accountability records by team</h3>
{accountability}
<h3>待复核 Awaiting review</h3>
{open_records}

<h2>监管风险投诉 · Regulatory-risk complaints</h2>
<p>Complaints whose own words name a regulator, legal action or the media.</p>
{risk_note}
{risk}

<h2>下载 · Downloads</h2>
<ul>{downloads}</ul>

<footer>
<p>口径 Definitions: first response on time = answered by the deadline / (answered + unanswered past the
deadline); satisfaction = latest ratings ≥ 4 of 5 / ratings; closure = closed / received; resolution =
resolved or closed / received; accountability = reviewed records / records opened. Population: complaints
received in the quarter ({escape(zone)}); durations in whole minutes; p90 is the nearest rank.</p>
</footer>
</main></body></html>
"""
