"""The words of the customer's tracking page, as typed data per language (zh-CN, the default, and en).

Each language is one `TrackingTexts`: a missing label is a type error and a TypeError at import, not a
blank on a customer's screen. `problems()` checks what the types cannot: every language is there, no
text is empty, every timeline event and all five ratings are named, and a text's `{placeholders}` are
the same in both languages (a translation that drops `{at}` would drop the time it stands for).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Literal

from complaints.core.models import Language
from complaints.tracking.service import TimelineKind

# The texts a page may show in its `#notice`.
NoticeKey = Literal["rating_required", "reason_required", "already_rated", "not_now", "reopened"]


@dataclass(frozen=True)
class TrackingTexts:
    title: str
    reference: str
    status: str
    received_at: str
    your_complaint: str
    deadlines: str
    first_due: str
    resolution_due: str
    answered: str  # {at}
    resolved: str  # {at}
    zone: str  # {zone}
    timeline: str
    feedback_title: str
    rating: str
    comment: str
    submit_feedback: str
    thanks: str  # {rating}
    follow_up: str  # {at}
    reopen_title: str
    reopen_help: str
    reason: str
    submit_reopen: str
    reopened: str
    rating_required: str
    reason_required: str
    already_rated: str
    not_now: str
    invalid_title: str
    invalid_body: str
    busy: str
    switch: str
    footer: str
    events: Mapping[TimelineKind, str]
    ratings: tuple[str, str, str, str, str]  # 1 to 5

    def notice(self, key: NoticeKey) -> str:
        text: str = getattr(self, key)
        return text


TRACKING: Mapping[Language, TrackingTexts] = {
    Language.ZH_CN: TrackingTexts(
        title="投诉进度查询",
        reference="投诉编号",
        status="当前状态",
        received_at="受理时间",
        your_complaint="您反映的问题",
        deadlines="处理时限",
        first_due="首次答复期限",
        resolution_due="办结期限",
        answered="已于 {at} 答复",
        resolved="已于 {at} 办结",
        zone="以上时间均为 {zone} 时间。",
        timeline="处理进展",
        feedback_title="请对本次处理结果进行评价",
        rating="满意度评分",
        comment="意见或建议（可不填）",
        submit_feedback="提交评价",
        thanks="感谢您的评价（{rating} 分，满分 5 分）。",
        follow_up="我们的主管将在 {at} 前与您联系回访。",
        reopen_title="对处理结果不满意？",
        reopen_help="请说明原因，我们将重新处理您的投诉。",
        reason="原因",
        submit_reopen="重新处理我的投诉",
        reopened="您的投诉已重新打开，我们会尽快与您联系。",
        rating_required="请选择 1 至 5 分的评分（意见不超过 2000 字）。",
        reason_required="请填写原因（不超过 1000 字）。",
        already_rated="您已对本次处理结果作出评价，感谢您的反馈。",
        not_now="当前状态下无法进行此操作。",
        invalid_title="链接无效",
        invalid_body="此查询链接无效。请打开我们最近发给您的短信或邮件中的链接。",
        busy="系统繁忙，请稍后再试。",
        switch="English",
        footer="如需帮助，请联系您的客户经理或拨打客服热线。",
        events={
            TimelineKind.RECEIVED: "我们已收到您的投诉",
            TimelineKind.RESPONSE: "我们的答复",
            TimelineKind.RESOLVED: "投诉已办结",
            TimelineKind.CLOSED: "投诉已结案",
            TimelineKind.REOPENED: "投诉已重新打开",
            TimelineKind.WITHDRAWN: "投诉已撤回",
        },
        ratings=("非常不满意", "不满意", "一般", "满意", "非常满意"),
    ),
    Language.EN: TrackingTexts(
        title="Your complaint",
        reference="Reference",
        status="Status",
        received_at="Received",
        your_complaint="What you told us",
        deadlines="Our deadlines",
        first_due="First reply by",
        resolution_due="Resolution by",
        answered="answered on {at}",
        resolved="resolved on {at}",
        zone="All times are {zone} time.",
        timeline="Progress",
        feedback_title="How did we do?",
        rating="Your rating",
        comment="Comments (optional)",
        submit_feedback="Send my rating",
        thanks="Thank you for your rating ({rating} out of 5).",
        follow_up="A supervisor will call you back by {at}.",
        reopen_title="Not happy with the outcome?",
        reopen_help="Tell us why and we will look at your complaint again.",
        reason="Reason",
        submit_reopen="Reopen my complaint",
        reopened="Your complaint has been reopened; we will be in touch soon.",
        rating_required="Please choose a rating from 1 to 5 (comments up to 2000 characters).",
        reason_required="Please tell us the reason (up to 1000 characters).",
        already_rated="You have already rated this outcome. Thank you for your feedback.",
        not_now="This cannot be done at the complaint's current stage.",
        invalid_title="This link is not valid",
        invalid_body=(
            "This tracking link is not valid. Please open the link in the latest text or e-mail we sent you."
        ),
        busy="We are busy right now. Please try again in a moment.",
        switch="中文",
        footer="Need help? Contact your relationship manager or our customer service line.",
        events={
            TimelineKind.RECEIVED: "We received your complaint",
            TimelineKind.RESPONSE: "Our reply",
            TimelineKind.RESOLVED: "Your complaint was resolved",
            TimelineKind.CLOSED: "Your complaint was closed",
            TimelineKind.REOPENED: "Your complaint was reopened",
            TimelineKind.WITHDRAWN: "Your complaint was withdrawn",
        },
        ratings=("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
    ),
}


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def problems(catalogue: Mapping[Language, TrackingTexts] = TRACKING) -> list[str]:
    """What is missing or inconsistent in `catalogue`; empty when every language says everything."""
    found: list[str] = [f"{language.value}: missing" for language in Language if language not in catalogue]
    reference = catalogue.get(Language.ZH_CN)
    for language, texts in catalogue.items():
        for field in fields(TrackingTexts):
            value = getattr(texts, field.name)
            if isinstance(value, str):
                if not value.strip():
                    found.append(f"{language.value}.{field.name}: empty")
                elif reference is not None and _placeholders(value) != _placeholders(
                    getattr(reference, field.name)
                ):
                    found.append(f"{language.value}.{field.name}: placeholders differ from zh-CN")
        found += [
            f"{language.value}.events.{kind.value}: missing"
            for kind in TimelineKind
            if not texts.events.get(kind, "").strip()
        ]
        found += [
            f"{language.value}.ratings[{score}]: empty"
            for score, label in enumerate(texts.ratings, start=1)
            if not label.strip()
        ]
    return found


def tracking_texts(language: Language) -> TrackingTexts:
    return TRACKING[language]
