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
from complaints.tracking.service import ReopenCategory, TimelineKind

# The texts a page may show in its `#notice`.
NoticeKey = Literal[
    "rating_required",
    "reason_required",
    "already_rated",
    "not_now",
    "reopened",
    "accepted",
    "replied",
    "message_required",
    "withdrawn",
    "confirm_required",
]


@dataclass(frozen=True)
class TrackingTexts:
    title: str
    reference: str
    status: str
    received_at: str
    your_complaint: str
    deadlines: str
    first_due: str
    plan_due: str
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
    accept_title: str
    accept_help: str
    submit_accept: str
    accepted: str  # notice after accepting
    accepted_on: str  # {at}
    closes: str  # {at}
    reply_title: str
    needed: str
    reply_by: str  # {at}
    message: str
    submit_reply: str
    replied: str
    message_required: str
    withdraw_title: str
    withdraw_help: str
    withdraw_reason: str
    withdraw_confirm: str
    submit_withdraw: str
    withdrawn: str
    confirm_required: str
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
    # What kind of dispute a reopen is: the form's choices (handling_wrong opens an accountability record).
    reopen_kind: str
    reopen_categories: Mapping[ReopenCategory, str]

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
        plan_due="解决方案期限",
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
        accept_title="接受处理结果？",
        accept_help="如您接受本次处理结果，我们即可为您结案；如仍有异议，请使用下方的重新处理。",
        submit_accept="我接受处理结果",
        accepted="感谢您确认接受处理结果。",
        accepted_on="您已于 {at} 接受处理结果。",
        closes="如您在 {at} 前未提出异议，投诉将自动结案。",
        reply_title="我们需要您补充信息",
        needed="需要您提供",
        reply_by="请在 {at} 前回复；届时无论是否收到回复，我们都将继续处理。",
        message="您的回复",
        submit_reply="提交回复",
        replied="感谢您的回复，我们将继续处理您的投诉。",
        message_required="请填写回复内容（不超过 2000 字）。",
        withdraw_title="撤回投诉",
        withdraw_help="撤回后我们将不再处理此投诉。如问题仍未解决，您可随时重新投诉。",
        withdraw_reason="撤回原因（可不填）",
        withdraw_confirm="我确认撤回此投诉",
        submit_withdraw="撤回我的投诉",
        withdrawn="您的投诉已撤回。",
        confirm_required="请勾选确认后再撤回（原因不超过 1000 字）。",
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
            TimelineKind.SOLUTION_PLAN: "我们的解决方案",
            TimelineKind.INFORMATION_REQUESTED: "我们请您补充信息",
            TimelineKind.CUSTOMER_REPLY: "您的回复",
            TimelineKind.RESOLVED: "投诉已办结",
            TimelineKind.ACCEPTED: "您已接受处理结果",
            TimelineKind.CLOSED: "投诉已结案",
            TimelineKind.REOPENED: "投诉已重新打开",
            TimelineKind.WITHDRAWN: "投诉已撤回",
        },
        ratings=("非常不满意", "不满意", "一般", "满意", "非常满意"),
        reopen_kind="您不满意的是",
        reopen_categories={
            ReopenCategory.OUTCOME_DISPUTED: "我不同意处理结果",
            ReopenCategory.HANDLING_WRONG: "处理有误（遗漏了事实或适用规定有误）",
            ReopenCategory.NEW_INFORMATION: "我有新的情况或材料",
        },
    ),
    Language.EN: TrackingTexts(
        title="Your complaint",
        reference="Reference",
        status="Status",
        received_at="Received",
        your_complaint="What you told us",
        deadlines="Our deadlines",
        first_due="First reply by",
        plan_due="Plan to resolve it by",
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
        accept_title="Happy with the outcome?",
        accept_help="If you accept this outcome we can close your complaint now; if not, reopen it below.",
        submit_accept="I accept the outcome",
        accepted="Thank you for accepting the outcome.",
        accepted_on="You accepted the outcome on {at}.",
        closes="Unless you tell us you disagree by {at}, your complaint will be closed.",
        reply_title="We need something from you",
        needed="What we need",
        reply_by="Please answer by {at}; after that we carry on with what we have.",
        message="Your answer",
        submit_reply="Send my answer",
        replied="Thank you for your answer; we are carrying on with your complaint.",
        message_required="Please write your answer (up to 2000 characters).",
        withdraw_title="Withdraw your complaint",
        withdraw_help="Once withdrawn, we stop handling it. If the problem comes back, complain again.",
        withdraw_reason="Why (optional)",
        withdraw_confirm="I want to withdraw this complaint",
        submit_withdraw="Withdraw my complaint",
        withdrawn="Your complaint has been withdrawn.",
        confirm_required="Please tick the box to confirm (the reason may be up to 1000 characters).",
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
            TimelineKind.SOLUTION_PLAN: "Our plan to resolve it",
            TimelineKind.INFORMATION_REQUESTED: "We asked you for information",
            TimelineKind.CUSTOMER_REPLY: "Your answer",
            TimelineKind.RESOLVED: "Your complaint was resolved",
            TimelineKind.ACCEPTED: "You accepted the outcome",
            TimelineKind.CLOSED: "Your complaint was closed",
            TimelineKind.REOPENED: "Your complaint was reopened",
            TimelineKind.WITHDRAWN: "Your complaint was withdrawn",
        },
        ratings=("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
        reopen_kind="What is wrong",
        reopen_categories={
            ReopenCategory.OUTCOME_DISPUTED: "I disagree with the outcome",
            ReopenCategory.HANDLING_WRONG: "It was handled wrongly (facts missed, rules misapplied)",
            ReopenCategory.NEW_INFORMATION: "I have something new to add",
        },
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
            f"{language.value}.reopen_categories.{category.value}: missing"
            for category in ReopenCategory
            if not texts.reopen_categories.get(category, "").strip()
        ]
        found += [
            f"{language.value}.ratings[{score}]: empty"
            for score, label in enumerate(texts.ratings, start=1)
            if not label.strip()
        ]
    return found


def tracking_texts(language: Language) -> TrackingTexts:
    return TRACKING[language]
