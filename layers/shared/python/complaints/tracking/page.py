"""The tracking page behind the link in every message: `GET /t/{id}?token=` (docs/architecture.md §5).

One small HTML document, readable on a 360 px phone: inline CSS, no external assets, no JavaScript.
The feedback and reopen forms are classic form posts to `/t/{id}/feedback?token=` and
`/t/{id}/reopen?token=`, answered with the page again, so the page works in any browser and behind any
stage prefix (every link is relative). Everything that comes from data is escaped; a Content-Security-
Policy that allows no script at all is the second line of defence.

Stable hooks for tests and assistive tools: `#reference`, `#status` (its `data-status` is the status
code), `#deadlines`, `#timeline`, `#feedback-form` with `input[name=rating]` and `textarea[name=comment]`,
`#feedback-thanks`, `#reopen-form` with `textarea[name=reason]`, `#notice`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from html import escape
from http import HTTPStatus
from typing import NamedTuple
from urllib.parse import parse_qs, quote, urlencode
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from complaints.core.errors import DomainError, Forbidden, NotFound, ServiceUnavailable
from complaints.core.models import Language
from complaints.tracking.service import (
    CustomerReopenRequest,
    FeedbackAlreadyGiven,
    FeedbackRequest,
    TimelineKind,
    TrackingService,
    TrackingView,
)

CONTENT_TYPE = "text/html; charset=utf-8"
HEADERS: Mapping[str, str] = {
    "Cache-Control": "no-store",
    # The token is in the URL: never send it to anyone else, never let the page be framed.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
}


class Form(StrEnum):
    FEEDBACK = "feedback"
    REOPEN = "reopen"


class PageAnswer(NamedTuple):
    status: int
    html: str


_TEXT: dict[Language, dict[str, str]] = {
    Language.ZH_CN: {
        "title": "投诉进度查询",
        "reference": "投诉编号",
        "status": "当前状态",
        "received_at": "受理时间",
        "your_complaint": "您反映的问题",
        "deadlines": "处理时限",
        "first_due": "首次答复期限",
        "resolution_due": "办结期限",
        "answered": "已于 {at} 答复",
        "resolved": "已于 {at} 办结",
        "zone": "以上时间均为 {zone} 时间。",
        "timeline": "处理进展",
        "feedback_title": "请对本次处理结果进行评价",
        "rating": "满意度评分",
        "comment": "意见或建议（可不填）",
        "submit_feedback": "提交评价",
        "thanks": "感谢您的评价（{rating} 分，满分 5 分）。",
        "follow_up": "我们的主管将在 {at} 前与您联系回访。",
        "reopen_title": "对处理结果不满意？",
        "reopen_help": "请说明原因，我们将重新处理您的投诉。",
        "reason": "原因",
        "submit_reopen": "重新处理我的投诉",
        "reopened": "您的投诉已重新打开，我们会尽快与您联系。",
        "rating_required": "请选择 1 至 5 分的评分（意见不超过 2000 字）。",
        "reason_required": "请填写原因（不超过 1000 字）。",
        "already_rated": "您已对本次处理结果作出评价，感谢您的反馈。",
        "not_now": "当前状态下无法进行此操作。",
        "invalid_title": "链接无效",
        "invalid_body": "此查询链接无效。请打开我们最近发给您的短信或邮件中的链接。",
        "busy": "系统繁忙，请稍后再试。",
        "switch": "English",
        "footer": "如需帮助，请联系您的客户经理或拨打客服热线。",
    },
    Language.EN: {
        "title": "Your complaint",
        "reference": "Reference",
        "status": "Status",
        "received_at": "Received",
        "your_complaint": "What you told us",
        "deadlines": "Our deadlines",
        "first_due": "First reply by",
        "resolution_due": "Resolution by",
        "answered": "answered on {at}",
        "resolved": "resolved on {at}",
        "zone": "All times are {zone} time.",
        "timeline": "Progress",
        "feedback_title": "How did we do?",
        "rating": "Your rating",
        "comment": "Comments (optional)",
        "submit_feedback": "Send my rating",
        "thanks": "Thank you for your rating ({rating} out of 5).",
        "follow_up": "A supervisor will call you back by {at}.",
        "reopen_title": "Not happy with the outcome?",
        "reopen_help": "Tell us why and we will look at your complaint again.",
        "reason": "Reason",
        "submit_reopen": "Reopen my complaint",
        "reopened": "Your complaint has been reopened; we will be in touch soon.",
        "rating_required": "Please choose a rating from 1 to 5 (comments up to 2000 characters).",
        "reason_required": "Please tell us the reason (up to 1000 characters).",
        "already_rated": "You have already rated this outcome. Thank you for your feedback.",
        "not_now": "This cannot be done at the complaint's current stage.",
        "invalid_title": "This link is not valid",
        "invalid_body": "This tracking link is not valid. Please open the link in the latest text or "
        "e-mail we sent you.",
        "busy": "We are busy right now. Please try again in a moment.",
        "switch": "中文",
        "footer": "Need help? Contact your relationship manager or our customer service line.",
    },
}

_TIMELINE_TEXT: dict[Language, dict[TimelineKind, str]] = {
    Language.ZH_CN: {
        TimelineKind.RECEIVED: "我们已收到您的投诉",
        TimelineKind.RESPONSE: "我们的答复",
        TimelineKind.RESOLVED: "投诉已办结",
        TimelineKind.CLOSED: "投诉已结案",
        TimelineKind.REOPENED: "投诉已重新打开",
        TimelineKind.WITHDRAWN: "投诉已撤回",
    },
    Language.EN: {
        TimelineKind.RECEIVED: "We received your complaint",
        TimelineKind.RESPONSE: "Our reply",
        TimelineKind.RESOLVED: "Your complaint was resolved",
        TimelineKind.CLOSED: "Your complaint was closed",
        TimelineKind.REOPENED: "Your complaint was reopened",
        TimelineKind.WITHDRAWN: "Your complaint was withdrawn",
    },
}

_RATING_TEXT: dict[Language, tuple[str, ...]] = {
    Language.ZH_CN: ("非常不满意", "不满意", "一般", "满意", "非常满意"),
    Language.EN: ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
}

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;
color:#1b1f24;background:#f4f5f7}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
section{background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 .75rem;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem}
dt{color:#57606a}
dd{margin:0;overflow-wrap:anywhere}
#status{font-weight:600}
.note{color:#57606a;font-size:.875rem;margin:.5rem 0 0}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0}
ol{list-style:none;margin:0;padding:0}
li{border-left:3px solid #0b6bcb;padding:0 0 .75rem .75rem}
time{color:#57606a;font-size:.875rem}
fieldset{border:0;padding:0;margin:0 0 .75rem}
legend{font-weight:600;margin-bottom:.5rem}
.rating{display:flex;flex-wrap:wrap;gap:.5rem}
.rating label{flex:1 1 5.5rem;border:1px solid #d0d7de;border-radius:.5rem;padding:.5rem;
text-align:center;min-height:2.75rem}
label{display:block}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #d0d7de;border-radius:.5rem}
button{font:inherit;font-weight:600;width:100%;min-height:2.75rem;border:0;border-radius:.5rem;
background:#0b6bcb;color:#fff;margin-top:.5rem}
#notice{padding:.75rem 1rem;border-radius:.5rem;background:#ddf4ff;margin:0 0 .75rem}
#notice.error{background:#ffebe9}
#feedback-thanks{background:#dafbe1}
nav{text-align:right;margin:0 0 .5rem}
a{color:#0b6bcb}
footer{color:#57606a;font-size:.875rem;padding:0 .25rem}
"""


def choose_language(requested: str | None, preferred: Language | None = None) -> Language:
    """`?lang=en` (or zh-CN) wins; otherwise the customer's language; otherwise zh-CN."""
    if requested:
        wanted = requested.strip().lower()
        if wanted.startswith("en"):
            return Language.EN
        if wanted.startswith("zh"):
            return Language.ZH_CN
    return preferred or Language.ZH_CN


def parse_form(body: str | None) -> dict[str, str]:
    """An application/x-www-form-urlencoded body; the last value of a repeated field wins."""
    fields = parse_qs(body or "", keep_blank_values=True)
    return {name: values[-1] for name, values in fields.items()}


def answer(
    service: TrackingService,
    complaint_id: str,
    token: str | None,
    lang: str | None,
    form: Form | None = None,
    body: str | None = None,
) -> PageAnswer:
    """The page for `GET /t/{id}` (form None) or for a form post, with its HTTP status."""
    links = _Links(complaint_id, token, lang, posted=form is not None)
    try:
        view, status, notice = _act(service, complaint_id, token, form, body)
    except (Forbidden, NotFound) as refused:
        # The same page whether the complaint exists or not.
        return PageAnswer(refused.status, render_invalid_link(choose_language(lang)))
    except ServiceUnavailable:
        return PageAnswer(HTTPStatus.SERVICE_UNAVAILABLE, render_busy(choose_language(lang)))
    return PageAnswer(status, render(view, choose_language(lang, view.language), links, notice))


Notice = tuple[str, bool]  # (text key, is an error)


def _act(
    service: TrackingService, complaint_id: str, token: str | None, form: Form | None, body: str | None
) -> tuple[TrackingView, int, Notice | None]:
    fields = parse_form(body)
    try:
        if form is Form.FEEDBACK:
            try:
                rating = FeedbackRequest.model_validate(
                    {"rating": fields.get("rating"), "comment": fields.get("comment")}
                )
            except ValidationError:
                return service.view(complaint_id, token), HTTPStatus.BAD_REQUEST, ("rating_required", True)
            return service.feedback(complaint_id, token, rating), HTTPStatus.OK, None
        if form is Form.REOPEN:
            try:
                reopen = CustomerReopenRequest.model_validate({"reason": fields.get("reason")})
            except ValidationError:
                return service.view(complaint_id, token), HTTPStatus.BAD_REQUEST, ("reason_required", True)
            return service.reopen(complaint_id, token, reopen), HTTPStatus.OK, ("reopened", False)
        return service.view(complaint_id, token), HTTPStatus.OK, None
    except (Forbidden, NotFound, ServiceUnavailable):
        raise
    except DomainError as refused:  # a conflict: already rated, or not (or no longer) resolved
        key = "already_rated" if isinstance(refused, FeedbackAlreadyGiven) else "not_now"
        return service.view(complaint_id, token), refused.status, (key, True)


class _Links:
    """Relative links that work at /t/{id} and at /t/{id}/feedback alike, behind any stage prefix."""

    def __init__(self, complaint_id: str, token: str | None, lang: str | None, *, posted: bool) -> None:
        self._id = quote(complaint_id, safe="")
        self._token = token or ""
        self._lang = lang
        self._posted = posted

    def _query(self, lang: str | None) -> str:
        return urlencode({"token": self._token} | ({"lang": lang} if lang else {}))

    def action(self, form: Form) -> str:
        prefix = "" if self._posted else f"{self._id}/"
        return f"{prefix}{form.value}?{self._query(self._lang)}"

    def page(self, lang: Language) -> str:
        path = f"../{self._id}" if self._posted else self._id
        return f"{path}?{self._query(lang.value)}"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def _time(moment: datetime, zone: ZoneInfo) -> str:
    return f'<time datetime="{escape(moment.isoformat())}">{escape(_local(moment, zone))}</time>'


def _document(lang: Language, title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang.value)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def render(view: TrackingView, lang: Language, links: _Links, notice: Notice | None = None) -> str:
    text = _TEXT[lang]
    zone = ZoneInfo(view.time_zone)

    def at(moment: datetime) -> str:
        return _time(moment, zone)

    other = Language.EN if lang is Language.ZH_CN else Language.ZH_CN
    parts = [
        f'<nav><a id="language" href="{escape(links.page(other))}" hreflang="{other.value}">'
        f"{escape(text['switch'])}</a></nav>",
        f"<h1>{escape(text['title'])}</h1>",
    ]
    if notice:
        key, is_error = notice
        parts.append(
            f'<p id="notice" role="{"alert" if is_error else "status"}"'
            f"{' class=error' if is_error else ''}>{escape(text[key])}</p>"
        )
    parts.append(
        "<section>\n<dl>\n"
        f'<dt>{escape(text["reference"])}</dt><dd id="reference">{escape(view.reference)}</dd>\n'
        f"<dt>{escape(text['status'])}</dt>"
        f'<dd id="status" data-status="{escape(view.status.value)}">{escape(view.status_label[lang])}</dd>\n'
        f"<dt>{escape(text['received_at'])}</dt><dd>{at(view.received_at)}</dd>\n"
        "</dl>\n"
        f"<h2>{escape(text['your_complaint'])}</h2>\n"
        f'<p id="description" class="text">{escape(view.description)}</p>\n</section>'
    )
    answered = (
        f" — {escape(text['answered']).format(at=at(view.first_responded_at))}"
        if view.first_responded_at
        else ""
    )
    resolved = f" — {escape(text['resolved']).format(at=at(view.resolved_at))}" if view.resolved_at else ""
    parts.append(
        f'<section id="deadlines">\n<h2>{escape(text["deadlines"])}</h2>\n<dl>\n'
        f"<dt>{escape(text['first_due'])}</dt>"
        f'<dd id="first-response-due">{at(view.deadlines.first_response_due_at)}{answered}</dd>\n'
        f"<dt>{escape(text['resolution_due'])}</dt>"
        f'<dd id="resolution-due">{at(view.deadlines.resolution_due_at)}{resolved}</dd>\n'
        f'</dl>\n<p class="note" id="time-zone">{escape(text["zone"].format(zone=view.time_zone))}</p>\n'
        "</section>"
    )
    items = []
    for entry in view.timeline:
        message = f'<p class="text">{escape(entry.message)}</p>' if entry.message else ""
        items.append(
            f'<li data-kind="{escape(entry.kind.value)}">{at(entry.at)}'
            f"<div>{escape(_TIMELINE_TEXT[lang][entry.kind])}</div>{message}</li>"
        )
    parts.append(
        f'<section>\n<h2>{escape(text["timeline"])}</h2>\n<ol id="timeline">\n'
        + "\n".join(items)
        + "\n</ol>\n</section>"
    )
    if view.feedback is not None:
        thanks = escape(text["thanks"].format(rating=view.feedback.rating))
        if view.follow_up_due_at is not None:
            thanks += " " + escape(text["follow_up"]).format(at=at(view.follow_up_due_at))
        parts.append(f'<section id="feedback-thanks" role="status"><p>{thanks}</p></section>')
    if view.can_give_feedback:
        parts.append(_feedback_form(lang, links))
    if view.can_reopen:
        parts.append(_reopen_form(lang, links))
    parts.append(f"<footer>{escape(text['footer'])}</footer>")
    return _document(lang, f"{text['title']} {view.reference}", "\n".join(parts))


def _feedback_form(lang: Language, links: _Links) -> str:
    text = _TEXT[lang]
    choices = "\n".join(
        f'<label><input type="radio" name="rating" value="{score}" required> '
        f"{score} · {escape(label)}</label>"
        for score, label in enumerate(_RATING_TEXT[lang], start=1)
    )
    return (
        f'<section>\n<form id="feedback-form" method="post" action="{escape(links.action(Form.FEEDBACK))}" '
        'accept-charset="utf-8">\n'
        f"<h2>{escape(text['feedback_title'])}</h2>\n"
        f'<fieldset>\n<legend>{escape(text["rating"])}</legend>\n<div class="rating">\n{choices}\n</div>\n'
        "</fieldset>\n"
        f'<label for="comment">{escape(text["comment"])}</label>\n'
        '<textarea id="comment" name="comment" rows="3" maxlength="2000"></textarea>\n'
        f'<button type="submit" id="feedback-submit">{escape(text["submit_feedback"])}</button>\n'
        "</form>\n</section>"
    )


def _reopen_form(lang: Language, links: _Links) -> str:
    text = _TEXT[lang]
    return (
        f'<section>\n<form id="reopen-form" method="post" action="{escape(links.action(Form.REOPEN))}" '
        'accept-charset="utf-8">\n'
        f"<h2>{escape(text['reopen_title'])}</h2>\n"
        f'<p class="note">{escape(text["reopen_help"])}</p>\n'
        f'<label for="reason">{escape(text["reason"])}</label>\n'
        '<textarea id="reason" name="reason" rows="3" maxlength="1000" required></textarea>\n'
        f'<button type="submit" id="reopen-submit">{escape(text["submit_reopen"])}</button>\n'
        "</form>\n</section>"
    )


def invalid_link(lang: str | None = None) -> PageAnswer:
    """The answer to a link that is not one of ours at all (its parts malformed or repeated)."""
    return PageAnswer(HTTPStatus.FORBIDDEN, render_invalid_link(choose_language(lang)))


def render_invalid_link(lang: Language) -> str:
    text = _TEXT[lang]
    body = (
        f"<h1>{escape(text['invalid_title'])}</h1>\n"
        f'<section><p id="notice" role="alert" class="error">{escape(text["invalid_body"])}</p></section>'
    )
    return _document(lang, text["invalid_title"], body)


def render_busy(lang: Language) -> str:
    text = _TEXT[lang]
    body = f'<section><p id="notice" role="alert" class="error">{escape(text["busy"])}</p></section>'
    return _document(lang, text["title"], body)
