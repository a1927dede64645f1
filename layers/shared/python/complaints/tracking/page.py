"""The tracking page behind the link in every message: `GET /t/{id}?token=` (docs/architecture.md §5).

One small HTML document, readable on a 360 px phone: inline CSS, no external assets, no JavaScript.
The forms (rate, reopen, accept the outcome, answer while the bank waits, withdraw) are classic form
posts to `/t/{id}/<form>?token=`, answered with the page again, so the page works in any browser and
behind any stage prefix (every link is relative). The HTML comes from templates/tracking/*.html, rendered with
autoescape, so everything that comes from data is escaped by the engine; a Content-Security-Policy that
allows no script at all is the second line of defence. The words are typed data in templates/texts.py.

Stable hooks for tests and assistive tools: `#reference`, `#status` (its `data-status` is the status
code), `#deadlines`, `#timeline`, `#feedback-form` with `input[name=rating]` and `textarea[name=comment]`,
`#feedback-thanks`, `#reopen-form` with `input[name=category]` and `textarea[name=reason]`,
`#accept-form`, `#reply-form` with `textarea[name=message]` (and `#information-needed`, `#reply-by`),
`#withdraw-form` with `textarea[name=reason]` and `input[name=confirm]`, `#closes-at`, `#notice`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from http import HTTPStatus
from typing import Any, NamedTuple
from urllib.parse import parse_qs, quote, urlencode
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from complaints.core.errors import DomainError, Forbidden, NotFound, ServiceUnavailable
from complaints.core.models import Language
from complaints.rendering.texts import NoticeKey, tracking_texts
from complaints.tracking.service import (
    CustomerReopenRequest,
    CustomerReplyRequest,
    CustomerWithdrawRequest,
    FeedbackAlreadyGiven,
    FeedbackRequest,
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
    ACCEPT = "accept"
    REPLY = "reply"
    WITHDRAW = "withdraw"


class PageAnswer(NamedTuple):
    status: int
    html: str


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


Notice = tuple[NoticeKey, bool]  # (text key, is an error)


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
                given = {"reason": fields.get("reason")}
                if fields.get("category"):
                    given["category"] = fields.get("category")
                reopen = CustomerReopenRequest.model_validate(given)
            except ValidationError:
                return service.view(complaint_id, token), HTTPStatus.BAD_REQUEST, ("reason_required", True)
            return service.reopen(complaint_id, token, reopen), HTTPStatus.OK, ("reopened", False)
        if form is Form.ACCEPT:
            return service.accept(complaint_id, token), HTTPStatus.OK, ("accepted", False)
        if form is Form.REPLY:
            try:
                reply = CustomerReplyRequest.model_validate({"message": fields.get("message")})
            except ValidationError:
                return service.view(complaint_id, token), HTTPStatus.BAD_REQUEST, ("message_required", True)
            return service.reply(complaint_id, token, reply), HTTPStatus.OK, ("replied", False)
        if form is Form.WITHDRAW:
            try:
                if fields.get("confirm") != "yes":
                    raise ValueError("not confirmed")
                withdrawal = CustomerWithdrawRequest.model_validate({"reason": fields.get("reason") or None})
            except (ValueError, ValidationError):
                return service.view(complaint_id, token), HTTPStatus.BAD_REQUEST, ("confirm_required", True)
            return service.withdraw(complaint_id, token, withdrawal), HTTPStatus.OK, ("withdrawn", False)
        return service.view(complaint_id, token), HTTPStatus.OK, None
    except (Forbidden, NotFound, ServiceUnavailable):
        raise
    except DomainError as refused:  # a conflict: already rated, or not (or no longer) resolved
        key: NoticeKey = "already_rated" if isinstance(refused, FeedbackAlreadyGiven) else "not_now"
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


def _render(name: str, lang: Language, **context: Any) -> str:
    # The template engine is loaded with the first page, not with this module (cold start of the API).
    from complaints.rendering import render as render_template

    return render_template(name, lang=lang.value, text=tracking_texts(lang), **context)


def render(view: TrackingView, lang: Language, links: _Links, notice: Notice | None = None) -> str:
    """The page; every value is escaped by the template engine (autoescape), none by hand."""
    zone = ZoneInfo(view.time_zone)
    other = Language.EN if lang is Language.ZH_CN else Language.ZH_CN
    text = tracking_texts(lang)
    return _render(
        "tracking/page.html",
        lang,
        view=view,
        status_label=view.status_label[lang],
        local=lambda moment: _local(moment, zone),
        other_lang=other.value,
        other_href=links.page(other),
        notice=text.notice(notice[0]) if notice else None,
        notice_is_error=bool(notice and notice[1]),
        feedback_action=links.action(Form.FEEDBACK),
        reopen_action=links.action(Form.REOPEN),
        accept_action=links.action(Form.ACCEPT),
        reply_action=links.action(Form.REPLY),
        withdraw_action=links.action(Form.WITHDRAW),
    )


def invalid_link(lang: str | None = None) -> PageAnswer:
    """The answer to a link that is not one of ours at all (its parts malformed or repeated)."""
    return PageAnswer(HTTPStatus.FORBIDDEN, render_invalid_link(choose_language(lang)))


def render_invalid_link(lang: Language) -> str:
    return _render("tracking/invalid.html", lang)


def render_busy(lang: Language) -> str:
    return _render("tracking/busy.html", lang)
