"""Every message the system sends, in one place: per kind, per language (zh-CN, the default, and en),
per channel.

A customer message has one template per kind and language: an e-mail subject, the e-mail's paragraphs
(the plain-text and the HTML body are both built from them, so they cannot say different things) and
an SMS text. Placeholders are `{name}`; a paragraph whose placeholders are all empty is left out (no
redress, no line about it). An SMS must fit in at most three segments (3 × 153 GSM-7 characters, or
3 × 67 UCS-2 characters once any character is not GSM-7, e.g. Chinese): the one free text a template
marks as elastic (a response's message, a resolution's summary) is shortened to fit, and the tracking
link carries the rest. Chinese SMS open with the bank's signature in 【】, as Chinese carriers expect.

A staff message (SNS topic) has an ASCII subject in every language, because SNS subjects must be
ASCII (and under 100 characters); its text is in the staff language of the deployment.

Times are shown in the time zone where the complaint's policy runs its clock (Asia/Shanghai for seed
and cbirc-2020, Europe/London for fca-disp, America/New_York for cfpb), named in the message.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from complaints.core.models import Complaint, Language, Outcome, Redress, SlaPolicyName
from complaints.notifications.messages import MessageKind
from complaints.sla.escalation import Step
from complaints.sla.policies import calendar_for

if TYPE_CHECKING:
    from markupsafe import Markup

# --- SMS segments -----------------------------------------------------------------------------------

SMS_MAX_SEGMENTS = 3
# GSM 03.38: the basic character set, and the extension table (each of those costs two septets).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(char in _GSM7_BASIC or char in _GSM7_EXTENDED for char in text)


def sms_units(text: str) -> int:
    """Septets for a GSM-7 text, UTF-16 code units otherwise."""
    if is_gsm7(text):
        return sum(2 if char in _GSM7_EXTENDED else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def sms_segments(text: str) -> int:
    """How many SMS a carrier splits the text into (a concatenated SMS loses room to its header)."""
    single, multi = (160, 153) if is_gsm7(text) else (70, 67)
    units = sms_units(text)
    if units <= single:
        return 1
    return -(-units // multi)


# --- times, in the policy's zone --------------------------------------------------------------------

_ZONE_NAMES: Mapping[str, Mapping[Language, str]] = {
    "Asia/Shanghai": {Language.ZH_CN: "北京时间", Language.EN: "Beijing time"},
    "Europe/London": {Language.ZH_CN: "英国时间", Language.EN: "UK time"},
    "America/New_York": {Language.ZH_CN: "美国东部时间", Language.EN: "US Eastern time"},
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def policy_zone(policy: SlaPolicyName) -> str:
    return calendar_for(policy).time_zone


def zone_name(zone: str, language: Language) -> str:
    return _ZONE_NAMES.get(zone, {}).get(language, zone)


def format_time(moment: datetime, zone: str, language: Language) -> str:
    """`2026年3月3日 09:00（北京时间）` / `3 March 2026, 09:00 (Beijing time)`."""
    local = moment.astimezone(ZoneInfo(zone))
    name = zone_name(zone, language)
    if language is Language.ZH_CN:
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（{name}）"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M} ({name})"


def format_time_short(moment: datetime, zone: str, language: Language) -> str:
    """For SMS, without the zone (the SMS names it once): `3月3日09:00` / `3 Mar 09:00`."""
    local = moment.astimezone(ZoneInfo(zone))
    if language is Language.ZH_CN:
        return f"{local.month}月{local.day}日{local:%H:%M}"
    return f"{local.day} {_MONTHS[local.month - 1][:3]} {local:%H:%M}"


def format_date(day: date, language: Language) -> str:
    """A day without a time (a date the customer was given, not a deadline to the minute):
    `2026年3月9日` / `9 March 2026`."""
    if language is Language.ZH_CN:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_date_short(day: date, language: Language) -> str:
    """For SMS: `3月9日` / `9 Mar`."""
    if language is Language.ZH_CN:
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1][:3]}"


def format_time_ascii(moment: datetime, zone: str) -> str:
    """For SNS subjects: `2026-03-03 09:00 Beijing time`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {zone_name(zone, Language.EN)}"


# --- labels -----------------------------------------------------------------------------------------

_OUTCOMES: Mapping[Outcome, Mapping[Language, str]] = {
    Outcome.UPHELD: {Language.ZH_CN: "投诉成立", Language.EN: "upheld"},
    Outcome.PARTIALLY_UPHELD: {Language.ZH_CN: "投诉部分成立", Language.EN: "partially upheld"},
    Outcome.NOT_UPHELD: {Language.ZH_CN: "投诉不成立", Language.EN: "not upheld"},
}
_STEPS: Mapping[Step, Mapping[Language, str]] = {
    Step.FIRST_RESPONSE: {Language.ZH_CN: "首次答复时限", Language.EN: "first-response deadline"},
    Step.SOLUTION_PLAN: {Language.ZH_CN: "解决方案时限", Language.EN: "solution-plan deadline"},
    Step.RESOLUTION: {Language.ZH_CN: "处理时限", Language.EN: "resolution deadline"},
    Step.STILL_OPEN: {
        Language.ZH_CN: "处理时限后24小时仍未办结",
        Language.EN: "still open 24 h after the resolution deadline",
    },
}
_LEVELS: Mapping[int, Mapping[Language, str]] = {
    1: {Language.ZH_CN: "一级（团队主管）", Language.EN: "level 1 (team supervisor)"},
    2: {Language.ZH_CN: "二级（投诉管理经理）", Language.EN: "level 2 (complaints manager)"},
    3: {Language.ZH_CN: "三级（合规/法务）", Language.EN: "level 3 (compliance/legal)"},
}
_UNASSIGNED: Mapping[Language, str] = {Language.ZH_CN: "未分配", Language.EN: "unassigned"}
_BY_HAND: Mapping[Language, str] = {Language.ZH_CN: "人工升级", Language.EN: "escalated by hand"}
_AT_INTAKE: Mapping[Language, str] = {
    Language.ZH_CN: "重大/敏感投诉，受理即升级",
    Language.EN: "critical complaint, escalated at intake",
}
_COLON: Mapping[Language, str] = {Language.ZH_CN: "：", Language.EN: ": "}
_FLAGGED: Mapping[Language, str] = {
    Language.ZH_CN: "敏感投诉（智能分拣识别），转入特别处理通道",
    Language.EN: "sensitive complaint found by triage, on the special path",
}


def outcome_label(outcome: Outcome, language: Language) -> str:
    return _OUTCOMES[outcome][language]


def step_label(step: Step, language: Language) -> str:
    return _STEPS[step][language]


def level_label(level: int, language: Language) -> str:
    return _LEVELS.get(level, {}).get(language, str(level))


# --- the rights a customer has after the final answer, per policy regime ----------------------------

_RIGHTS_CN = {
    Language.ZH_CN: (
        "如您对处理结果有异议，您可以：通过本行任一投诉渠道或上述链接向本行申请核查；"
        "向依法设立的金融纠纷调解组织申请调解；"
        "拨打12378金融消费者投诉服务热线或通过国家金融监督管理总局（金融监管部门）的投诉渠道反映；"
        "也可以依法向人民法院提起诉讼。"
    ),
    Language.EN: (
        "If you disagree with this outcome, you may ask us to review it (核查) through any of our "
        "complaint channels or the link above; apply for mediation to a financial dispute mediation "
        "organisation (金融纠纷调解组织); complain to the National Financial Regulatory Administration "
        "(国家金融监督管理总局), for example on its consumer hotline 12378; or bring a claim before the "
        "people's courts."
    ),
}
_RIGHTS_FCA = {
    Language.ZH_CN: (
        "这是我们的最终答复。如您仍不满意，您有权自本最终答复之日起六个月内，将投诉免费提交英国金融申诉专员"
        "服务机构（Financial Ombudsman Service）处理；逾期未提交的，申诉专员仅能在极有限的情况下受理。"
        "联系方式：Financial Ombudsman Service, Exchange Tower, London E14 9SR；电话 0800 023 4567；"
        "网址 www.financial-ombudsman.org.uk。"
    ),
    Language.EN: (
        "This is our final response. If you remain dissatisfied, you have the right to refer your "
        "complaint to the Financial Ombudsman Service, free of charge, but you must do so within six "
        "months of the date of this final response. If you do not refer your complaint in time, the "
        "Ombudsman will not have our permission to consider it and so will only be able to do so in very "
        "limited circumstances. Financial Ombudsman Service, Exchange Tower, London E14 9SR; telephone "
        "0800 023 4567; www.financial-ombudsman.org.uk."
    ),
}
_RIGHTS_CFPB = {
    Language.ZH_CN: (
        "如您对我们的答复不满意，您可以向美国消费者金融保护局（Consumer Financial Protection Bureau，"
        "CFPB）提交投诉：网址 consumerfinance.gov/complaint，电话 (855) 411-2372。"
    ),
    Language.EN: (
        "If you are not satisfied with our response, you can submit a complaint to the Consumer "
        "Financial Protection Bureau (CFPB) at consumerfinance.gov/complaint or by calling "
        "(855) 411-2372."
    ),
}
_RIGHTS: Mapping[SlaPolicyName, Mapping[Language, str]] = {
    SlaPolicyName.SEED: _RIGHTS_CN,
    SlaPolicyName.CBIRC_2020: _RIGHTS_CN,
    SlaPolicyName.FCA_DISP: _RIGHTS_FCA,
    SlaPolicyName.CFPB: _RIGHTS_CFPB,
}
# The same rights in a sentence an SMS has room for; the link leads to the full text.
_RIGHTS_CN_SMS = {
    Language.ZH_CN: "如有异议，可申请本行核查、金融纠纷调解，或拨打12378向监管投诉、依法起诉。",
    Language.EN: (
        "If you disagree, you may ask us to review it, seek mediation, complain to the NFRA "
        "(hotline 12378) or go to court."
    ),
}
_RIGHTS_SMS: Mapping[SlaPolicyName, Mapping[Language, str]] = {
    SlaPolicyName.SEED: _RIGHTS_CN_SMS,
    SlaPolicyName.CBIRC_2020: _RIGHTS_CN_SMS,
    SlaPolicyName.FCA_DISP: {
        Language.ZH_CN: "如不满意，可于6个月内免费向金融申诉专员服务机构申诉。",
        Language.EN: (
            "This is our final response. If you are still unhappy you may refer your complaint to the "
            "Financial Ombudsman Service, free of charge, within 6 months: financial-ombudsman.org.uk."
        ),
    },
    SlaPolicyName.CFPB: {
        Language.ZH_CN: "如不满意，可向美国消费者金融保护局投诉：consumerfinance.gov。",
        Language.EN: (
            "If you are not satisfied, you can submit a complaint to the CFPB at consumerfinance.gov."
        ),
    },
}


def rights_text(policy: SlaPolicyName, language: Language) -> str:
    return _RIGHTS[policy][language]


def rights_sms(policy: SlaPolicyName, language: Language) -> str:
    return _RIGHTS_SMS[policy][language]


# --- customer templates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerTemplate:
    subject: str
    paragraphs: tuple[str, ...]
    sms: str
    # The placeholder whose text an SMS shortens to fit, the words around it ({} is the text, ended
    # with `sms_elastic_stop` unless it ends a sentence already), and what stands there without it
    # (no room left: the link carries the text).
    sms_elastic: str | None = None
    sms_elastic_frame: str = "{}"
    sms_elastic_stop: str = ""
    sms_elastic_empty: str = ""


@dataclass(frozen=True)
class Frame:
    """What every customer e-mail of a language opens and closes with."""

    greeting: str
    sign_off: str
    footer: str


_FRAMES: Mapping[Language, Frame] = {
    Language.ZH_CN: Frame(
        greeting="尊敬的{name}：",
        sign_off="{bank} 投诉处理中心",
        footer="本邮件由系统自动发送。如需联系我们，请使用本行公布的投诉渠道或上述进度查询链接。",
    ),
    Language.EN: Frame(
        greeting="Dear {name},",
        sign_off="Complaints team, {bank}",
        footer=(
            "This e-mail was sent automatically. To contact us, use any of our published complaint "
            "channels or the tracking link above."
        ),
    ),
}

CUSTOMER_TEMPLATES: Mapping[MessageKind, Mapping[Language, CustomerTemplate]] = {
    MessageKind.RECEIPT: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉已受理（编号 {reference}）",
            paragraphs=(
                "我们已于{received}收到您的投诉，受理编号为 {reference}，请妥善保存。",
                "我们将在{first_response_due}前首次答复您，并在{resolution_due}前给出处理结果。",
                "您可以随时通过以下链接查看处理进度：{link}",
            ),
            sms=(
                "【{bank}】您的投诉已受理，编号{reference}，首次答复不晚于{first_response_due_short}，"
                "处理结果不晚于{resolution_due_short}（{zone}）。进度：{link}"
            ),
        ),
        Language.EN: CustomerTemplate(
            subject="We have received your complaint (reference {reference})",
            paragraphs=(
                "We received your complaint on {received}. Your reference is {reference}; please keep it.",
                "We will give you a first response by {first_response_due} and our decision by "
                "{resolution_due}.",
                "You can follow your complaint at any time here: {link}",
            ),
            sms=(
                "{bank}: we have your complaint, ref {reference}. First response by "
                "{first_response_due_short}, decision by {resolution_due_short} ({zone}). "
                "Track it: {link}"
            ),
        ),
    },
    MessageKind.RESPONSE: {
        Language.ZH_CN: CustomerTemplate(
            subject="关于您的投诉（编号 {reference}）的回复",
            paragraphs=(
                "关于您的投诉（编号 {reference}），我们的回复如下：",
                "{message}",
                "查看处理进度和全部回复：{link}",
            ),
            sms="【{bank}】您的投诉{reference}有新回复{message}详见：{link}",
            sms_elastic="message",
            sms_elastic_frame="：{}",
            sms_elastic_stop="。",
            sms_elastic_empty="。",
        ),
        Language.EN: CustomerTemplate(
            subject="An update on your complaint (reference {reference})",
            paragraphs=(
                "Here is our message about your complaint (reference {reference}):",
                "{message}",
                "See the progress of your complaint and every message here: {link}",
            ),
            sms="{bank}: new message on your complaint {reference}.{message} Read it all: {link}",
            sms_elastic="message",
            sms_elastic_frame=" {}",
            sms_elastic_stop=".",
        ),
    },
    MessageKind.RESOLUTION: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）处理结果",
            paragraphs=(
                "您的投诉（编号 {reference}）已处理完毕。",
                "处理结论：{outcome}",
                "处理说明：{summary}",
                "补偿或解决方案：{redress}",
                "{rights}",
                "查看详情：{link}",
            ),
            sms="【{bank}】投诉{reference}已办结，结论：{outcome}。{summary}{rights_sms}详情：{link}",
            sms_elastic="summary",
            sms_elastic_stop="。",
        ),
        Language.EN: CustomerTemplate(
            subject="Our decision on your complaint (reference {reference})",
            paragraphs=(
                "We have finished looking into your complaint (reference {reference}).",
                "Our decision: your complaint is {outcome}.",
                "What we found: {summary}",
                "What we will do to put things right: {redress}",
                "{rights}",
                "Read the details here: {link}",
            ),
            sms="{bank}: complaint {reference} resolved, {outcome}.{summary} {rights_sms} Details: {link}",
            sms_elastic="summary",
            sms_elastic_frame=" {}",
            sms_elastic_stop=".",
        ),
    },
    MessageKind.SURVEY: {
        Language.ZH_CN: CustomerTemplate(
            subject="请为我们的投诉处理打分（编号 {reference}）",
            paragraphs=(
                "您的投诉（编号 {reference}）已处理完毕。您对我们的处理满意吗？",
                "请通过以下链接为本次处理打分（1–5分，5分为非常满意），并留下您的意见：{link}",
                "如您对处理结果不满意，也可以在该页面申请重新处理。",
            ),
            sms="【{bank}】您的投诉{reference}已办结，请为本次处理打分（1-5分）：{link}",
        ),
        Language.EN: CustomerTemplate(
            subject="How did we do? (complaint reference {reference})",
            paragraphs=(
                "Your complaint (reference {reference}) has been resolved. How satisfied are you with the "
                "way we handled it?",
                "Please rate us from 1 (very dissatisfied) to 5 (very satisfied) and tell us why: {link}",
                "If you are not satisfied with the outcome, you can also ask us to look at it again there.",
            ),
            sms="{bank}: how did we handle complaint {reference}? Rate us 1-5: {link}",
        ),
    },
    # Waiting for the customer: what we need (the pause's reason) and, when the pause has an end, by
    # when. While we wait the clock stops; the deadlines move by the wait (docs/architecture.md §3).
    MessageKind.PAUSED: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）需要您补充信息",
            paragraphs=(
                "为继续处理您的投诉（编号 {reference}），我们需要您提供以下信息：",
                "{needed}",
                "请于{until}前回复我们。",
                "在收到您的信息之前，处理时限暂停计算；收到后我们将继续处理，处理时限相应顺延。",
                "回复方式及处理进度请见：{link}",
            ),
            sms="【{bank}】您的投诉{reference}需要您补充信息{needed}{until_sms}详见：{link}",
            sms_elastic="needed",
            sms_elastic_frame="：{}",
            sms_elastic_stop="。",
            sms_elastic_empty="。",
        ),
        Language.EN: CustomerTemplate(
            subject="We need information from you (complaint reference {reference})",
            paragraphs=(
                "To carry on with your complaint (reference {reference}), we need the following from you:",
                "{needed}",
                "Please let us have it by {until}.",
                "Until we hear from you, our deadlines are on hold; once we have what we need we will carry "
                "on, and our deadlines move by the time we waited.",
                "How to reply, and the progress of your complaint: {link}",
            ),
            sms=(
                "{bank}: we need information from you for complaint {reference}.{needed}{until_sms} "
                "Details: {link}"
            ),
            sms_elastic="needed",
            sms_elastic_frame=" {}",
            sms_elastic_stop=".",
        ),
    },
    # Halfway through the pause, once (the sweep): we still wait, and until when.
    MessageKind.REMINDER: {
        Language.ZH_CN: CustomerTemplate(
            subject="提醒：您的投诉（编号 {reference}）仍需要您补充信息",
            paragraphs=(
                "我们仍在等待您为投诉（编号 {reference}）提供以下信息：",
                "{needed}",
                "请于{until}前回复我们；逾期我们将根据现有信息继续处理。",
                "回复方式及处理进度请见：{link}",
            ),
            sms="【{bank}】提醒：您的投诉{reference}仍需要您补充信息{needed}{until_sms}详见：{link}",
            sms_elastic="needed",
            sms_elastic_frame="：{}",
            sms_elastic_stop="。",
            sms_elastic_empty="。",
        ),
        Language.EN: CustomerTemplate(
            subject="Reminder: we still need information from you (complaint reference {reference})",
            paragraphs=(
                "We are still waiting for the following from you for your complaint (reference {reference}):",
                "{needed}",
                "Please let us have it by {until}; after that we will carry on with what we have.",
                "How to reply, and the progress of your complaint: {link}",
            ),
            sms=(
                "{bank}: a reminder, we still need information from you for complaint {reference}."
                "{needed}{until_sms} Details: {link}"
            ),
            sms_elastic="needed",
            sms_elastic_frame=" {}",
            sms_elastic_stop=".",
        ),
    },
    MessageKind.RESUMED: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）已恢复处理",
            paragraphs=(
                "您的投诉（编号 {reference}）已恢复处理。",
                "我们将在{resolution_due}前给出处理结果。",
                "查看处理进度：{link}",
            ),
            sms="【{bank}】您的投诉{reference}已恢复处理，处理结果不晚于{resolution_due_short}（{zone}）。进度：{link}",
        ),
        Language.EN: CustomerTemplate(
            subject="We are working on your complaint again (reference {reference})",
            paragraphs=(
                "We are working on your complaint (reference {reference}) again.",
                "We will give you our decision by {resolution_due}.",
                "Follow your complaint here: {link}",
            ),
            sms=(
                "{bank}: we are working on complaint {reference} again. Decision by "
                "{resolution_due_short} ({zone}). Track it: {link}"
            ),
        ),
    },
    MessageKind.EXTENDED: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）处理时限延长",
            paragraphs=(
                "您的投诉（编号 {reference}）需要更多时间处理，我们将在{resolution_due}前给出处理结果。",
                "延期原因：{reason}",
                "处理期间如有进展，我们会及时告知您。查看处理进度：{link}",
            ),
            sms="【{bank}】您的投诉{reference}处理时限延长至{resolution_due_short}（{zone}）{reason}详见：{link}",
            sms_elastic="reason",
            sms_elastic_frame="，原因：{}",
            sms_elastic_stop="。",
            sms_elastic_empty="。",
        ),
        Language.EN: CustomerTemplate(
            subject="We need more time for your complaint (reference {reference})",
            paragraphs=(
                "We need more time to look into your complaint (reference {reference}). We will now give "
                "you our decision by {resolution_due}.",
                "Why: {reason}",
                "We will keep you informed. Follow your complaint here: {link}",
            ),
            sms=(
                "{bank}: we need more time for complaint {reference}; decision now by "
                "{resolution_due_short} ({zone}).{reason} Details: {link}"
            ),
            sms_elastic="reason",
            sms_elastic_frame=" Why: {}",
            sms_elastic_stop=".",
        ),
    },
    MessageKind.SOLUTION_PLAN: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）解决方案",
            paragraphs=(
                "关于您的投诉（编号 {reference}），我们的解决方案如下：",
                "{plan}",
                "我们将在{resolution_due}前办结并告知您处理结果。",
                "查看处理进度：{link}",
            ),
            sms="【{bank}】您的投诉{reference}解决方案已制定{plan}办结时间不晚于{resolution_due_short}（{zone}）。详见：{link}",
            sms_elastic="plan",
            sms_elastic_frame="：{}",
            sms_elastic_stop="。",
            sms_elastic_empty="。",
        ),
        Language.EN: CustomerTemplate(
            subject="Our plan for your complaint (reference {reference})",
            paragraphs=(
                "Here is what we will do about your complaint (reference {reference}):",
                "{plan}",
                "We will give you our decision by {resolution_due}.",
                "Follow your complaint here: {link}",
            ),
            sms=(
                "{bank}: our plan for complaint {reference}.{plan} Decision by {resolution_due_short} "
                "({zone}). Details: {link}"
            ),
            sms_elastic="plan",
            sms_elastic_frame=" {}",
            sms_elastic_stop=".",
        ),
    },
    MessageKind.LINKED: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）将与编号 {other} 的投诉一并处理",
            paragraphs=(
                "我们注意到您的投诉（编号 {reference}）与您此前提交的投诉（编号 {other}）涉及同一事项。",
                "两件投诉将由同一位处理人一并处理，您无需重复提交；各自的处理时限不变。",
                "查看处理进度：{link}",
            ),
            sms="【{bank}】您的投诉{reference}与此前的投诉{other}为同一事项，将一并处理，无需重复提交。进度：{link}",
        ),
        Language.EN: CustomerTemplate(
            subject="Your complaints {reference} and {other} will be handled together",
            paragraphs=(
                "Your complaint (reference {reference}) is about the same matter as the one you made "
                "earlier (reference {other}).",
                "The same person will handle both together, so there is no need to tell us again; each "
                "keeps its own deadlines.",
                "Follow your complaint here: {link}",
            ),
            sms=(
                "{bank}: complaint {reference} is about the same matter as {other}; we will handle them "
                "together, no need to tell us again. Track it: {link}"
            ),
        ),
    },
    MessageKind.CLOSED: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）已结案",
            paragraphs=(
                "您的投诉（编号 {reference}）已结案。感谢您的耐心与理解。",
                "您仍可通过以下链接查看投诉记录：{link}",
            ),
            sms="【{bank}】您的投诉{reference}已结案，感谢您的理解与支持。记录：{link}",
        ),
        Language.EN: CustomerTemplate(
            subject="Your complaint is closed (reference {reference})",
            paragraphs=(
                "Your complaint (reference {reference}) is now closed. Thank you for your patience.",
                "You can still see its record here: {link}",
            ),
            sms="{bank}: complaint {reference} is now closed. Thank you. Its record: {link}",
        ),
    },
    MessageKind.WITHDRAWN: {
        Language.ZH_CN: CustomerTemplate(
            subject="您的投诉（编号 {reference}）已撤回",
            paragraphs=(
                "您的投诉（编号 {reference}）已撤回，我们将不再继续处理。",
                "如撤回并非您本人的意愿，或您仍需要我们的帮助，请通过本行公布的投诉渠道联系我们。",
                "查看投诉记录：{link}",
            ),
            sms="【{bank}】您的投诉{reference}已撤回，我们将不再处理。如非您本人意愿，请联系我们。记录：{link}",
        ),
        Language.EN: CustomerTemplate(
            subject="Your complaint has been withdrawn (reference {reference})",
            paragraphs=(
                "Your complaint (reference {reference}) has been withdrawn, so we will take no further "
                "action on it.",
                "If you did not mean to withdraw it, or still need our help, contact us through any of our "
                "complaint channels.",
                "You can see its record here: {link}",
            ),
            sms=(
                "{bank}: complaint {reference} has been withdrawn; we will take no further action. If you "
                "did not ask for this, contact us. Record: {link}"
            ),
        ),
    },
}


@dataclass(frozen=True)
class CustomerContent:
    """One customer message rendered for every channel."""

    subject: str
    text: str
    html: str
    sms: str


_FORMATTER = string.Formatter()
_LINK = "link"
_MIN_ELASTIC = 8  # shorter than this, a shortened text says nothing: leave it to the link
_SENTENCE_ENDS = ("。", "！", "？", ".", "!", "?")


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in _FORMATTER.parse(template) if name]


def _html_value(name: str, value: str) -> Markup:
    """A value as HTML: escaped, its line breaks kept; the tracking link made a link."""
    from markupsafe import Markup, escape

    if name == _LINK:
        return Markup('<a href="{0}">{0}</a>').format(value)
    return escape(value).replace("\n", Markup("<br>\n"))


def _html_paragraph(paragraph: str, values: Mapping[str, str]) -> Markup:
    """A paragraph of a template with its values filled in: the template's words and every value are
    escaped (markupsafe's `format` escapes whatever is not Markup already)."""
    from markupsafe import escape

    return escape(paragraph).format(**{name: _html_value(name, value) for name, value in values.items()})


def _paragraphs(template: CustomerTemplate, values: Mapping[str, str]) -> list[str]:
    return [p for p in template.paragraphs if all(values.get(name) for name in _fields(p))]


def _shorten(text: str, length: int, ellipsis: str) -> str:
    return text if len(text) <= length else text[: max(length - len(ellipsis), 0)].rstrip() + ellipsis


def fit_sms(template: CustomerTemplate, values: Mapping[str, str], language: Language) -> str:
    """The SMS with the elastic text shortened (on a whole character) until it fits in
    SMS_MAX_SEGMENTS; an SMS that cannot fit without it goes without it."""
    key = template.sms_elastic
    if key is None:
        return template.sms.format(**values)
    elastic = " ".join(values.get(key, "").split())
    ellipsis = "…" if language is Language.ZH_CN else "..."

    def with_text(text: str) -> str:
        if not text:
            framed = template.sms_elastic_empty
        else:
            ended = text if text.endswith(_SENTENCE_ENDS) else text + template.sms_elastic_stop
            framed = template.sms_elastic_frame.format(ended)
        return template.sms.format(**{**values, key: framed})

    if sms_segments(with_text(elastic)) <= SMS_MAX_SEGMENTS:
        return with_text(elastic)
    low, high, best = _MIN_ELASTIC, len(elastic) - 1, ""
    while low <= high:
        middle = (low + high) // 2
        candidate = _shorten(elastic, middle, ellipsis)
        if sms_segments(with_text(candidate)) <= SMS_MAX_SEGMENTS:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return with_text(best)


def render_customer(kind: MessageKind, language: Language, values: Mapping[str, str]) -> CustomerContent:
    template = CUSTOMER_TEMPLATES[kind][language]
    frame = _FRAMES[language]
    subject = template.subject.format(**values)
    lines = [
        frame.greeting.format(**values),
        *(p.format(**values) for p in _paragraphs(template, values)),
        frame.sign_off.format(**values),
    ]
    text = "\n\n".join([*lines, frame.footer])

    # The HTML part is a template rendered with autoescape (templates/notifications/customer_email.html):
    # the subject and footer are escaped by the engine, the paragraphs are Markup built by
    # `_html_paragraph`, which escapes every value it puts in.
    from complaints.rendering import render

    page = render(
        "notifications/customer_email.html",
        language=language.value,
        subject=subject,
        paragraphs=[
            _html_paragraph(frame.greeting, values),
            *(_html_paragraph(p, values) for p in _paragraphs(template, values)),
            _html_paragraph(frame.sign_off, values),
        ],
        footer=frame.footer,
    )
    return CustomerContent(subject=subject, text=text, html=page, sms=fit_sms(template, values, language))


# --- staff templates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffTemplate:
    subject: str  # ASCII, whatever the language (an SNS subject must be)
    text: str


STAFF_TEMPLATES: Mapping[MessageKind, Mapping[Language, StaffTemplate]] = {
    MessageKind.ESCALATION: {
        Language.ZH_CN: StaffTemplate(
            subject="[{reference}] Escalation to level {level}: {reason_ascii}",
            text=(
                "投诉 {reference} 已升级至{level_label}。\n"
                "原因：{reason}\n"
                "时限：{due}\n"
                "团队：{team}；处理人：{assignee}\n"
                "优先级：{priority}；状态：{status}\n"
                "系统编号：{complaint_id}"
            ),
        ),
        Language.EN: StaffTemplate(
            subject="[{reference}] Escalation to level {level}: {reason_ascii}",
            text=(
                "Complaint {reference} is escalated to {level_label}.\n"
                "Why: {reason}\n"
                "Due: {due}\n"
                "Team: {team}; assignee: {assignee}\n"
                "Priority: {priority}; status: {status}\n"
                "Complaint id: {complaint_id}"
            ),
        ),
    },
    MessageKind.AT_RISK: {
        Language.ZH_CN: StaffTemplate(
            subject="[{reference}] At risk: {deadline_ascii} due {due_ascii}",
            text=(
                "【预警】投诉 {reference} 的{deadline}将于{due}到期（已用去80%的时间），请尽快处理。\n"
                "团队：{team}；处理人：{assignee}\n"
                "系统编号：{complaint_id}"
            ),
        ),
        Language.EN: StaffTemplate(
            subject="[{reference}] At risk: {deadline_ascii} due {due_ascii}",
            text=(
                "Warning: the {deadline} of complaint {reference} falls due on {due} (80 % of its time "
                "has gone). Please act now.\n"
                "Team: {team}; assignee: {assignee}\n"
                "Complaint id: {complaint_id}"
            ),
        ),
    },
    MessageKind.PAUSE_HALFWAY: {
        Language.ZH_CN: StaffTemplate(
            subject="[{reference}] Waiting on the customer until {until_ascii}",
            text=(
                "【等待客户】投诉 {reference} 仍在等待客户补充材料，已提醒客户；"
                "暂停将于{until}结束，届时计时自动恢复。\n"
                "团队：{team}；处理人：{assignee}\n"
                "系统编号：{complaint_id}"
            ),
        ),
        Language.EN: StaffTemplate(
            subject="[{reference}] Waiting on the customer until {until_ascii}",
            text=(
                "Complaint {reference} is still waiting on the customer, who has been reminded. The pause "
                "ends on {until}, when its clock runs again by itself.\n"
                "Team: {team}; assignee: {assignee}\n"
                "Complaint id: {complaint_id}"
            ),
        ),
    },
    MessageKind.PAUSE_ENDED: {
        Language.ZH_CN: StaffTemplate(
            subject="[{reference}] Pause ended: clock running, resolution due {due_ascii}",
            text=(
                "【恢复计时】投诉 {reference} 等待客户的暂停已到期，计时已自动恢复，"
                "处理时限为{due}。请继续处理。\n"
                "团队：{team}；处理人：{assignee}\n"
                "系统编号：{complaint_id}"
            ),
        ),
        Language.EN: StaffTemplate(
            subject="[{reference}] Pause ended: clock running, resolution due {due_ascii}",
            text=(
                "The pause of complaint {reference} reached its end: its clock runs again, and its "
                "resolution is due on {due}. Please go on with it.\n"
                "Team: {team}; assignee: {assignee}\n"
                "Complaint id: {complaint_id}"
            ),
        ),
    },
    MessageKind.FOLLOW_UP: {
        Language.ZH_CN: StaffTemplate(
            subject="[{reference}] Follow-up call due {due_ascii} (rating {rating})",
            text=(
                "【回访】客户对投诉 {reference} 的处理结果评分为 {rating} 分，"
                "请团队 {team} 的主管于{due}前回访客户，并记录回访结果。\n"
                "处理人：{assignee}；状态：{status}\n"
                "系统编号：{complaint_id}"
            ),
        ),
        Language.EN: StaffTemplate(
            subject="[{reference}] Follow-up call due {due_ascii} (rating {rating})",
            text=(
                "Follow-up call: the customer rated the handling of complaint {reference} {rating} out "
                "of 5. A supervisor of team {team} calls them back by {due} and records the outcome.\n"
                "Assignee: {assignee}; status: {status}\n"
                "Complaint id: {complaint_id}"
            ),
        ),
    },
    MessageKind.FOLLOW_UP_OVERDUE: {
        Language.ZH_CN: StaffTemplate(
            subject="[{reference}] Follow-up call overdue since {due_ascii}",
            text=(
                "【回访逾期】投诉 {reference} 的回访（客户评分 {rating} 分）应于{due}前完成，"
                "团队 {team} 尚未完成。\n"
                "处理人：{assignee}；状态：{status}\n"
                "系统编号：{complaint_id}"
            ),
        ),
        Language.EN: StaffTemplate(
            subject="[{reference}] Follow-up call overdue since {due_ascii}",
            text=(
                "Overdue follow-up call: team {team} has not called back the customer of complaint "
                "{reference} (rated {rating} out of 5), due by {due}.\n"
                "Assignee: {assignee}; status: {status}\n"
                "Complaint id: {complaint_id}"
            ),
        ),
    },
}

SNS_SUBJECT_MAX = 99


@dataclass(frozen=True)
class StaffContent:
    subject: str
    text: str


def ascii_subject(subject: str) -> str:
    """What SNS accepts as a subject: printable ASCII on one line, under 100 characters."""
    cleaned = "".join(char if " " <= char <= "~" else "?" for char in " ".join(subject.split()))
    return cleaned[:SNS_SUBJECT_MAX]


def render_staff(kind: MessageKind, language: Language, values: Mapping[str, str]) -> StaffContent:
    template = STAFF_TEMPLATES[kind][language]
    return StaffContent(
        subject=ascii_subject(template.subject.format(**values)), text=template.text.format(**values)
    )


# --- the values each message is rendered with -------------------------------------------------------


@dataclass(frozen=True)
class Brand:
    """The bank's name per language (the SMS signature, the e-mail sign-off)."""

    name: str
    name_zh: str | None = None

    def for_language(self, language: Language) -> str:
        return (self.name_zh or self.name) if language is Language.ZH_CN else self.name


def _customer_values(complaint: Complaint, brand: Brand, link: str) -> dict[str, str]:
    language = complaint.customer.language
    zone = policy_zone(complaint.sla_policy)
    return {
        "bank": brand.for_language(language),
        "name": complaint.customer.name,
        "reference": complaint.reference,
        "link": link,
        "zone": zone_name(zone, language),
    }


def receipt(complaint: Complaint, brand: Brand, link: str) -> CustomerContent:
    language = complaint.customer.language
    zone = policy_zone(complaint.sla_policy)
    deadlines = complaint.deadlines
    values = _customer_values(complaint, brand, link) | {
        "received": format_time(complaint.received_at, zone, language),
        "first_response_due": format_time(deadlines.first_response_due_at, zone, language),
        "resolution_due": format_time(deadlines.resolution_due_at, zone, language),
        "first_response_due_short": format_time_short(deadlines.first_response_due_at, zone, language),
        "resolution_due_short": format_time_short(deadlines.resolution_due_at, zone, language),
    }
    return render_customer(MessageKind.RECEIPT, language, values)


def response(complaint: Complaint, brand: Brand, link: str, message: str) -> CustomerContent:
    values = _customer_values(complaint, brand, link) | {"message": message.strip()}
    return render_customer(MessageKind.RESPONSE, complaint.customer.language, values)


def _redress_text(redress: Redress | None, language: Language) -> str:
    if redress is None or (redress.amount == Decimal(0) and not redress.description):
        return ""
    amount = f"{redress.currency} {redress.amount:,.2f}"
    if redress.description:
        separator = "，" if language is Language.ZH_CN else ", "
        return f"{amount}{separator}{redress.description}"
    return amount


def resolution(
    complaint: Complaint,
    brand: Brand,
    link: str,
    outcome: Outcome,
    summary: str,
    redress: Redress | None = None,
) -> CustomerContent:
    language = complaint.customer.language
    values = _customer_values(complaint, brand, link) | {
        "outcome": outcome_label(outcome, language),
        "summary": summary.strip(),
        "redress": _redress_text(redress, language),
        "rights": rights_text(complaint.sla_policy, language),
        "rights_sms": rights_sms(complaint.sla_policy, language),
    }
    return render_customer(MessageKind.RESOLUTION, language, values)


def survey(complaint: Complaint, brand: Brand, link: str) -> CustomerContent:
    values = _customer_values(complaint, brand, link)
    return render_customer(MessageKind.SURVEY, complaint.customer.language, values)


def _resolution_due(complaint: Complaint, due_at: datetime) -> dict[str, str]:
    language = complaint.customer.language
    zone = policy_zone(complaint.sla_policy)
    return {
        "resolution_due": format_time(due_at, zone, language),
        "resolution_due_short": format_time_short(due_at, zone, language),
    }


_REPLY_BY: Mapping[Language, str] = {Language.ZH_CN: "请于{}前回复。", Language.EN: " Please reply by {}."}
_IN_ZONE: Mapping[Language, str] = {Language.ZH_CN: "{}（{}）", Language.EN: "{} ({})"}


def paused(
    complaint: Complaint, brand: Brand, link: str, needed: str | None, until: datetime | date | None
) -> CustomerContent:
    """What we need from the customer and, when the pause has an end, by when (a time in the
    policy's zone, or a day). Without either, the message says what it can."""
    return _waiting(MessageKind.PAUSED, complaint, brand, link, needed, until)


def reminder(
    complaint: Complaint, brand: Brand, link: str, needed: str | None, until: datetime | date | None
) -> CustomerContent:
    """Halfway through the pause: we still need it, and by when."""
    return _waiting(MessageKind.REMINDER, complaint, brand, link, needed, until)


def _waiting(
    kind: MessageKind,
    complaint: Complaint,
    brand: Brand,
    link: str,
    needed: str | None,
    until: datetime | date | None,
) -> CustomerContent:
    language = complaint.customer.language
    zone = policy_zone(complaint.sla_policy)
    values = _customer_values(complaint, brand, link) | {"needed": (needed or "").strip()}
    values["until"] = values["until_sms"] = ""
    if isinstance(until, datetime):
        values["until"] = format_time(until, zone, language)
        short = _IN_ZONE[language].format(format_time_short(until, zone, language), values["zone"])
        values["until_sms"] = _REPLY_BY[language].format(short)
    elif isinstance(until, date):
        values["until"] = format_date(until, language)
        values["until_sms"] = _REPLY_BY[language].format(format_date_short(until, language))
    return render_customer(kind, language, values)


def resumed(complaint: Complaint, brand: Brand, link: str, resolution_due_at: datetime) -> CustomerContent:
    values = _customer_values(complaint, brand, link) | _resolution_due(complaint, resolution_due_at)
    return render_customer(MessageKind.RESUMED, complaint.customer.language, values)


def extended(
    complaint: Complaint, brand: Brand, link: str, resolution_due_at: datetime, reason: str | None
) -> CustomerContent:
    values = _customer_values(complaint, brand, link) | _resolution_due(complaint, resolution_due_at)
    values["reason"] = (reason or "").strip()
    return render_customer(MessageKind.EXTENDED, complaint.customer.language, values)


def solution_plan(
    complaint: Complaint, brand: Brand, link: str, plan: str, resolution_due_at: datetime
) -> CustomerContent:
    """What will be done and by when: the plan a complex complaint is owed."""
    values = _customer_values(complaint, brand, link) | _resolution_due(complaint, resolution_due_at)
    values["plan"] = plan.strip()
    return render_customer(MessageKind.SOLUTION_PLAN, complaint.customer.language, values)


def linked(complaint: Complaint, brand: Brand, link: str, other_reference: str) -> CustomerContent:
    """Two complaints of the customer about one matter are handled together (complaints/triage)."""
    values = _customer_values(complaint, brand, link) | {"other": other_reference}
    return render_customer(MessageKind.LINKED, complaint.customer.language, values)


def closed(complaint: Complaint, brand: Brand, link: str) -> CustomerContent:
    values = _customer_values(complaint, brand, link)
    return render_customer(MessageKind.CLOSED, complaint.customer.language, values)


def withdrawn(complaint: Complaint, brand: Brand, link: str) -> CustomerContent:
    values = _customer_values(complaint, brand, link)
    return render_customer(MessageKind.WITHDRAWN, complaint.customer.language, values)


def _staff_values(
    complaint: Complaint, language: Language, team: str | None, assignee: str | None
) -> dict[str, str]:
    unassigned = _UNASSIGNED[language]
    return {
        "reference": complaint.reference,
        "complaint_id": complaint.id,
        "team": team or complaint.team or unassigned,
        "assignee": assignee or complaint.assignee or unassigned,
        "priority": complaint.priority.value,
        "status": complaint.status.value,
    }


@dataclass(frozen=True)
class EscalationFacts:
    level: int
    due_at: datetime
    step: Step | None = None
    # an escalation that no deadline caused: by hand (with the reason given), or critical at intake
    manual: bool = False
    reason: str | None = None
    team: str | None = None
    assignee: str | None = None
    # triage found it sensitive: the risk flags that put it on the special path
    risk_flags: tuple[str, ...] = ()


def escalation(complaint: Complaint, language: Language, facts: EscalationFacts) -> StaffContent:
    zone = policy_zone(complaint.sla_policy)
    if facts.step is not None:
        if language is Language.ZH_CN:
            reason = f"{step_label(facts.step, language)}已过"
        else:
            reason = f"{step_label(facts.step, language)} missed"
        reason_ascii = f"{step_label(facts.step, Language.EN)} missed"
    elif facts.manual:
        reason = _BY_HAND[language] + (f"{_COLON[language]}{facts.reason}" if facts.reason else "")
        reason_ascii = _BY_HAND[Language.EN]
    elif facts.risk_flags:
        flags = ", ".join(facts.risk_flags)
        reason = f"{_FLAGGED[language]}{_COLON[language]}{flags}"
        reason_ascii = f"{_FLAGGED[Language.EN]}: {flags}"
    else:
        reason = _AT_INTAKE[language]
        reason_ascii = _AT_INTAKE[Language.EN]
    values = _staff_values(complaint, language, facts.team, facts.assignee) | {
        "level": str(facts.level),
        "level_label": level_label(facts.level, language),
        "reason": reason,
        "reason_ascii": reason_ascii,
        "due": format_time(facts.due_at, zone, language),
    }
    return render_staff(MessageKind.ESCALATION, language, values)


def at_risk(
    complaint: Complaint,
    language: Language,
    step: Step,
    due_at: datetime,
    team: str | None = None,
    assignee: str | None = None,
) -> StaffContent:
    zone = policy_zone(complaint.sla_policy)
    values = _staff_values(complaint, language, team, assignee) | {
        "deadline": step_label(step, language),
        "deadline_ascii": step_label(step, Language.EN),
        "due": format_time(due_at, zone, language),
        "due_ascii": format_time_ascii(due_at, zone),
    }
    return render_staff(MessageKind.AT_RISK, language, values)


def pause_notice(
    complaint: Complaint, language: Language, kind: MessageKind, moment: datetime
) -> StaffContent:
    """To the handler: a pause halfway (`PAUSE_HALFWAY`, `moment` its end) or ended by itself
    (`PAUSE_ENDED`, `moment` the resolution deadline now)."""
    zone = policy_zone(complaint.sla_policy)
    name = "until" if kind is MessageKind.PAUSE_HALFWAY else "due"
    values = _staff_values(complaint, language, None, None) | {
        name: format_time(moment, zone, language),
        f"{name}_ascii": format_time_ascii(moment, zone),
    }
    return render_staff(kind, language, values)


def follow_up(
    complaint: Complaint,
    language: Language,
    kind: MessageKind,
    due_at: datetime,
    rating: int,
    team: str,
) -> StaffContent:
    """A follow-up (回访) opened (`FOLLOW_UP`, to the team's supervisors) or overdue
    (`FOLLOW_UP_OVERDUE`, to the managers)."""
    zone = policy_zone(complaint.sla_policy)
    values = _staff_values(complaint, language, team, None) | {
        "rating": str(rating),
        "due": format_time(due_at, zone, language),
        "due_ascii": format_time_ascii(due_at, zone),
    }
    return render_staff(kind, language, values)
