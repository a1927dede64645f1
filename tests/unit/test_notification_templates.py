"""Every message's text: each kind in each language, the rights text of each policy regime, SMS that
fit in three segments, and deadlines shown where the policy's clock runs.

Times are worked out by hand. The complaint is received on Monday 2 March 2026 at 01:00 UTC, which is
09:00 in Shanghai, 01:00 in London (GMT) and 20:00 on Sunday 1 March in New York (EST):
- seed (hours): first response 3 March 09:00, resolution 4 March 09:00 Beijing time;
- cbirc-2020: first response 24 h → 3 March 09:00; resolution 15 calendar days from the day after
  receipt → 17 March 23:59 Beijing time;
- fca-disp: 3 business days → Thursday 5 March 23:59; 56 calendar days → 27 April 23:59 UK time, which
  is British Summer Time by then (22:59 UTC);
- cfpb: the receipt date in New York is 1 March, so 15 days → 16 March 23:59 and 60 days → 30 April
  23:59 US Eastern time (daylight time from 8 March: 03:59 UTC the next day).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from complaints.core.models import (
    Category,
    Channel,
    Complaint,
    Complexity,
    Customer,
    Language,
    Outcome,
    Priority,
    Product,
    Redress,
    SlaPolicyName,
    Status,
)
from complaints.notifications import templates
from complaints.notifications.messages import MessageKind
from complaints.notifications.templates import Brand, EscalationFacts, format_time, sms_segments, sms_units
from complaints.sla.escalation import Step
from complaints.sla.policies import compute_deadlines
from complaints.tracking.links import tracking_link

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BRAND = Brand(name="Example Bank", name_zh="示例银行")
COMPLAINT_ID = "0b9c7c1e-5f6a-4d7e-9a51-2b8f3c4d5e6f"
# A link as long as the real one: base URL, the complaint id and a 43-character HMAC token.
LINK = tracking_link(COMPLAINT_ID, "k" * 32, "https://complaints.example.com")
LONG_MESSAGE_ZH = (
    "您好，我们已调取ATM监控并联系设备厂商，吞卡原因正在核实中，预计两个工作日内给您明确答复。" * 4
)
LONG_MESSAGE_EN = (
    "Hello, we have retrieved the ATM logs and contacted the manufacturer; we will give you a full "
    "answer within two working days. "
) * 4


def complaint(
    language: Language = Language.ZH_CN, policy: SlaPolicyName = SlaPolicyName.SEED, **overrides: Any
) -> Complaint:
    fields: dict[str, Any] = {
        "id": COMPLAINT_ID,
        "reference": "CG-260302-7K3Q9X",
        "status": Status.RECEIVED,
        "channel": Channel.COUNTER,
        "category": Category.SERVICE,
        "product": Product.DEPOSIT,
        "priority": Priority.NORMAL,
        "complexity": Complexity.SIMPLE,
        "customer": Customer(
            customer_id="C-10086",
            name="张伟",
            phone="+8613912345678",
            email="zhang.wei@example.com",
            preferred_contact=["sms", "email"],
            language=language,
        ),
        "description": "ATM 吞卡",
        "received_at": T0,
        "created_at": T0,
        "updated_at": T0,
        "sla_policy": policy,
        "deadlines": compute_deadlines(policy, T0, Priority.NORMAL, Complexity.SIMPLE, Product.DEPOSIT),
        "submitted_by": "counter-app",
    }
    return Complaint.model_validate(fields | overrides)


# A pause until 9 March 09:00 Beijing time; an extension to 17 March 23:59 (cbirc-2020's 15 days).
PAUSED_UNTIL = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
EXTENDED_TO = datetime(2026, 3, 17, 15, 59, 59, tzinfo=UTC)


def render_all(c: Complaint, message: str = "您好", summary: str = "已处理") -> dict[MessageKind, Any]:
    """Every customer message; the free texts (a response, a summary, what a pause needs, why an
    extension) are `message` and `summary`."""
    return {
        MessageKind.RECEIPT: templates.receipt(c, BRAND, LINK),
        MessageKind.RESPONSE: templates.response(c, BRAND, LINK, message),
        MessageKind.RESOLUTION: templates.resolution(c, BRAND, LINK, Outcome.UPHELD, summary),
        MessageKind.SURVEY: templates.survey(c, BRAND, LINK),
        MessageKind.PAUSED: templates.paused(c, BRAND, LINK, message, PAUSED_UNTIL),
        MessageKind.REMINDER: templates.reminder(c, BRAND, LINK, message, PAUSED_UNTIL),
        MessageKind.RESUMED: templates.resumed(c, BRAND, LINK, c.deadlines.resolution_due_at),
        MessageKind.EXTENDED: templates.extended(c, BRAND, LINK, EXTENDED_TO, summary),
        MessageKind.SOLUTION_PLAN: templates.solution_plan(c, BRAND, LINK, summary, EXTENDED_TO),
        MessageKind.LINKED: templates.linked(c, BRAND, LINK, "CG-260228-AB12CD"),
        MessageKind.CLOSED: templates.closed(c, BRAND, LINK),
        MessageKind.WITHDRAWN: templates.withdrawn(c, BRAND, LINK),
    }


CUSTOMER_KINDS = [
    MessageKind.RECEIPT,
    MessageKind.RESPONSE,
    MessageKind.RESOLUTION,
    MessageKind.SURVEY,
    MessageKind.PAUSED,
    MessageKind.REMINDER,
    MessageKind.RESUMED,
    MessageKind.EXTENDED,
    MessageKind.SOLUTION_PLAN,
    MessageKind.LINKED,
    MessageKind.CLOSED,
    MessageKind.WITHDRAWN,
]


# --- every kind in every language ---------------------------------------------------------------------


def test_every_customer_template_is_rendered_here_in_both_languages() -> None:
    assert set(templates.CUSTOMER_TEMPLATES) == set(CUSTOMER_KINDS) == set(render_all(complaint()))
    for kind, by_language in templates.CUSTOMER_TEMPLATES.items():
        assert set(by_language) == set(Language), kind


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("kind", CUSTOMER_KINDS)
def test_each_customer_kind_renders_in_each_language_for_every_channel(
    kind: MessageKind, language: Language
) -> None:
    content = render_all(complaint(language))[kind]
    for part in (content.subject, content.text, content.html, content.sms):
        assert "CG-260302-7K3Q9X" in part
    for part in (content.text, content.html, content.sms):
        assert LINK in part.replace("&amp;", "&")
    assert f'<html lang="{language.value}">' in content.html
    assert f'<a href="{LINK}">' in content.html
    assert "\n" not in content.subject
    if language is Language.ZH_CN:
        assert content.text.startswith("尊敬的张伟：")
        assert content.sms.startswith("【示例银行】")
        assert "投诉" in content.subject
    else:
        assert content.text.startswith("Dear 张伟,")
        assert content.sms.startswith("Example Bank: ")
        assert "complaint" in content.subject.lower()


def test_the_sms_never_names_the_customer() -> None:
    for language in Language:
        for content in render_all(complaint(language)).values():
            assert "张伟" not in content.sms


def test_text_and_html_are_built_from_the_same_paragraphs() -> None:
    content = templates.resolution(
        complaint(),
        BRAND,
        LINK,
        Outcome.PARTIALLY_UPHELD,
        "第一行\n第二行 <b>&",
        Redress(amount=Decimal(200)),
    )
    assert "处理说明：第一行\n第二行 <b>&" in content.text
    assert "<p>处理说明：第一行<br>\n第二行 &lt;b&gt;&amp;</p>" in content.html
    assert content.text.count("\n\n") + 1 == content.html.count("<p")  # every paragraph, the footer too


def test_a_paragraph_without_its_value_is_left_out() -> None:
    without = templates.resolution(complaint(), BRAND, LINK, Outcome.NOT_UPHELD, "无误")
    assert "补偿" not in without.text and "补偿" not in without.html
    with_redress = templates.resolution(
        complaint(),
        BRAND,
        LINK,
        Outcome.UPHELD,
        "退还手续费",
        Redress(amount=Decimal("1200.5"), currency="CNY", description="退还跨行取款手续费"),
    )
    assert "补偿或解决方案：CNY 1,200.50，退还跨行取款手续费" in with_redress.text
    english = templates.resolution(
        complaint(Language.EN),
        BRAND,
        LINK,
        Outcome.UPHELD,
        "Fee refunded",
        Redress(amount=Decimal(25), currency="GBP"),
    )
    assert "What we will do to put things right: GBP 25.00" in english.text


def test_the_outcome_is_named_in_the_customers_language() -> None:
    zh = templates.resolution(complaint(), BRAND, LINK, Outcome.PARTIALLY_UPHELD, "说明")
    en = templates.resolution(complaint(Language.EN), BRAND, LINK, Outcome.NOT_UPHELD, "Explained")
    assert "处理结论：投诉部分成立" in zh.text and "结论：投诉部分成立" in zh.sms
    assert "Our decision: your complaint is not upheld." in en.text and "not upheld" in en.sms


def test_the_survey_asks_for_a_rating_from_1_to_5() -> None:
    zh, en = (templates.survey(complaint(language), BRAND, LINK) for language in Language)
    assert "1–5分" in zh.text and "1-5分" in zh.sms
    assert "from 1 (very dissatisfied) to 5 (very satisfied)" in en.text and "Rate us 1-5" in en.sms


def test_the_bank_name_is_a_setting_with_a_chinese_name_for_chinese_messages() -> None:
    brand = Brand(name="Bank of Example")
    zh = templates.receipt(complaint(), brand, LINK)
    assert zh.sms.startswith("【Bank of Example】")
    assert "\n\nBank of Example 投诉处理中心\n\n本邮件由系统自动发送。" in zh.text
    assert templates.receipt(complaint(), Brand("Bank of Example", "示例银行"), LINK).sms.startswith(
        "【示例银行】"
    )
    assert "Complaints team, Bank of Example" in templates.receipt(complaint(Language.EN), brand, LINK).text


# --- rights after the final answer, per regime -------------------------------------------------------

CN_RIGHTS_ZH = ("核查", "金融纠纷调解组织", "国家金融监督管理总局", "12378", "人民法院")
CN_RIGHTS_EN = ("review", "mediation", "National Financial Regulatory Administration", "12378", "courts")
FOS_ZH = ("Financial Ombudsman Service", "六个月", "免费", "0800 023 4567")
FOS_EN = (
    "Financial Ombudsman Service",
    "within six months",
    "free of charge",
    "final response",
    "0800 023 4567",
)
CFPB_ZH = ("消费者金融保护局", "consumerfinance.gov")
CFPB_EN = ("Consumer Financial Protection Bureau", "consumerfinance.gov")
EXPECTED_RIGHTS = {
    (SlaPolicyName.SEED, Language.ZH_CN): CN_RIGHTS_ZH,
    (SlaPolicyName.SEED, Language.EN): CN_RIGHTS_EN,
    (SlaPolicyName.CBIRC_2020, Language.ZH_CN): CN_RIGHTS_ZH,
    (SlaPolicyName.CBIRC_2020, Language.EN): CN_RIGHTS_EN,
    (SlaPolicyName.FCA_DISP, Language.ZH_CN): FOS_ZH,
    (SlaPolicyName.FCA_DISP, Language.EN): FOS_EN,
    (SlaPolicyName.CFPB, Language.ZH_CN): CFPB_ZH,
    (SlaPolicyName.CFPB, Language.EN): CFPB_EN,
}
# What one regime's text must never say: another regime's body.
FOREIGN = {
    SlaPolicyName.SEED: ("Ombudsman", "CFPB", "consumerfinance"),
    SlaPolicyName.CBIRC_2020: ("Ombudsman", "CFPB", "consumerfinance"),
    SlaPolicyName.FCA_DISP: ("12378", "国家金融监督管理总局", "CFPB"),
    SlaPolicyName.CFPB: ("12378", "国家金融监督管理总局", "Ombudsman"),
}
SMS_RIGHTS = {
    SlaPolicyName.SEED: {
        Language.ZH_CN: ("核查", "金融纠纷调解", "12378", "起诉"),
        Language.EN: ("review", "12378"),
    },
    SlaPolicyName.CBIRC_2020: {
        Language.ZH_CN: ("核查", "金融纠纷调解", "12378"),
        Language.EN: ("mediation", "12378"),
    },
    SlaPolicyName.FCA_DISP: {
        Language.ZH_CN: ("6个月", "免费", "金融申诉专员"),
        Language.EN: ("Financial Ombudsman Service", "free of charge", "6 months"),
    },
    SlaPolicyName.CFPB: {
        Language.ZH_CN: ("consumerfinance.gov",),
        Language.EN: ("CFPB", "consumerfinance.gov"),
    },
}


@pytest.mark.parametrize(("policy", "language"), list(EXPECTED_RIGHTS))
def test_the_resolution_carries_the_rights_of_the_complaints_regime(
    policy: SlaPolicyName, language: Language
) -> None:
    content = templates.resolution(
        complaint(language, policy), BRAND, LINK, Outcome.NOT_UPHELD, "说明 / summary"
    )
    for phrase in EXPECTED_RIGHTS[(policy, language)]:
        assert phrase in content.text, phrase
        assert phrase in content.html, phrase
    for phrase in FOREIGN[policy]:
        assert phrase not in content.text, phrase
        assert phrase not in content.sms, phrase
    for phrase in SMS_RIGHTS[policy][language]:
        assert phrase in content.sms, phrase


def test_only_the_resolution_carries_rights() -> None:
    contents = render_all(complaint())
    for kind in CUSTOMER_KINDS:
        if kind is not MessageKind.RESOLUTION:
            assert "12378" not in contents[kind].text, kind


# --- SMS length ---------------------------------------------------------------------------------------


def test_segments_are_counted_as_carriers_count_them() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2  # 153 a segment once concatenated
    assert sms_segments("a" * 459) == 3
    assert sms_segments("a" * 460) == 4
    assert sms_units("[€]") == 6  # extension characters take two septets each
    assert sms_segments("€" * 80) == 1 and sms_segments("€" * 81) == 2
    assert sms_segments("投" * 70) == 1  # one non-GSM character makes it UCS-2: 70, then 67 a segment
    assert sms_segments("投" * 71) == 2
    assert sms_segments("投" * 201) == 3
    assert sms_segments("投" * 202) == 4
    assert sms_segments("a" * 150 + "’") == 3  # a curly quote turns a 151-character text into UCS-2
    assert sms_units("😀") == 2  # outside the BMP: a surrogate pair


@pytest.mark.parametrize("policy", list(SlaPolicyName))
@pytest.mark.parametrize("language", list(Language))
def test_every_sms_fits_in_three_segments_even_with_a_long_text(
    language: Language, policy: SlaPolicyName
) -> None:
    long_text = LONG_MESSAGE_ZH if language is Language.ZH_CN else LONG_MESSAGE_EN
    contents = render_all(complaint(language, policy), long_text, long_text)
    for kind, content in contents.items():
        assert sms_segments(content.sms) <= 3, (kind, sms_units(content.sms), content.sms)
        assert content.sms.endswith(LINK), kind  # the link is never cut


def test_a_long_response_is_shortened_in_the_sms_and_whole_in_the_email() -> None:
    content = templates.response(complaint(), BRAND, LINK, LONG_MESSAGE_ZH)
    assert LONG_MESSAGE_ZH in content.text
    assert "有新回复：您好，我们已调取ATM监控" in content.sms
    assert "…。详见：" in content.sms  # the ellipsis, then the sentence ends
    assert sms_segments(content.sms) == 3

    english = templates.response(complaint(Language.EN), BRAND, LINK, LONG_MESSAGE_EN)
    assert "... Read it all: " in english.sms
    assert sms_segments(english.sms) == 3


def test_a_short_response_goes_whole_in_the_sms() -> None:
    content = templates.response(complaint(), BRAND, LINK, "您好，\n卡片已找到，请到网点领取。")
    assert (
        content.sms
        == f"【示例银行】您的投诉CG-260302-7K3Q9X有新回复：您好， 卡片已找到，请到网点领取。详见：{LINK}"
    )
    unended = templates.response(complaint(), BRAND, LINK, "卡片已找到")
    assert "有新回复：卡片已找到。详见：" in unended.sms
    english = templates.response(complaint(Language.EN), BRAND, LINK, "Your card is at the branch.")
    assert english.sms == (
        f"Example Bank: new message on your complaint CG-260302-7K3Q9X. Your card is at the branch. "
        f"Read it all: {LINK}"
    )
    assert sms_segments(english.sms) == 2  # GSM-7: 207 septets


def test_with_no_room_left_the_sms_leaves_the_text_to_the_link() -> None:
    # A Chinese message in an English SMS makes it UCS-2 (201 units in 3 segments): no room.
    content = templates.response(complaint(Language.EN), BRAND, LINK, LONG_MESSAGE_ZH)
    assert content.sms == f"Example Bank: new message on your complaint CG-260302-7K3Q9X. Read it all: {LINK}"
    assert sms_segments(content.sms) <= 3


def test_a_long_pause_request_is_shortened_in_the_sms_but_keeps_its_date_and_link() -> None:
    content = templates.paused(complaint(), BRAND, LINK, LONG_MESSAGE_ZH, PAUSED_UNTIL)
    assert LONG_MESSAGE_ZH in content.text  # the e-mail says it all
    assert "需要您补充信息：您好，我们已调取ATM监控" in content.sms
    assert "…。请于3月9日09:00（北京时间）前回复。详见：" in content.sms
    assert content.sms.endswith(LINK) and sms_segments(content.sms) == 3

    # English with a Chinese request: UCS-2, no room for the text, the date and link stay
    english = templates.paused(complaint(Language.EN), BRAND, LINK, LONG_MESSAGE_ZH, PAUSED_UNTIL)
    assert english.sms == (
        "Example Bank: we need information from you for complaint CG-260302-7K3Q9X. "
        f"Please reply by 9 Mar 09:00 (Beijing time). Details: {LINK}"
    )


def test_a_long_extension_reason_is_shortened_in_the_sms_but_keeps_the_new_date() -> None:
    content = templates.extended(complaint(), BRAND, LINK, EXTENDED_TO, LONG_MESSAGE_ZH)
    assert "处理时限延长至3月17日23:59（北京时间），原因：您好" in content.sms
    assert "…。详见：" in content.sms and sms_segments(content.sms) <= 3
    assert "延期原因：" + LONG_MESSAGE_ZH in content.text


def test_an_extension_without_a_reason_still_names_the_new_date() -> None:
    content = templates.extended(complaint(Language.EN), BRAND, LINK, EXTENDED_TO, None)
    assert content.sms == (
        "Example Bank: we need more time for complaint CG-260302-7K3Q9X; decision now by 17 Mar 23:59 "
        f"(Beijing time). Details: {LINK}"
    )
    assert "Why:" not in content.text


def test_a_pause_ends_in_the_policys_zone() -> None:
    """fca-disp: the same instant is 01:00 in London on 9 March (GMT)."""
    content = templates.paused(
        complaint(Language.EN, SlaPolicyName.FCA_DISP), BRAND, LINK, "A statement", PAUSED_UNTIL
    )
    assert "Please let us have it by 9 March 2026, 01:00 (UK time)." in content.text
    assert "Please reply by 9 Mar 01:00 (UK time)." in content.sms


HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'


@pytest.mark.parametrize("language", list(Language))
def test_what_staff_typed_is_escaped_in_the_pause_extension_and_plan_emails(language: Language) -> None:
    for content in (
        templates.paused(complaint(language), BRAND, LINK, HOSTILE, PAUSED_UNTIL),
        templates.extended(complaint(language), BRAND, LINK, EXTENDED_TO, HOSTILE),
        templates.solution_plan(complaint(language), BRAND, LINK, HOSTILE, EXTENDED_TO),
    ):
        assert "<img" not in content.html and "<script" not in content.html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content.html
        assert HOSTILE in content.text  # the plain text says exactly what was typed


# --- deadlines in the policy's zone ------------------------------------------------------------------


def test_receipt_deadlines_in_beijing_time_for_seed() -> None:
    content = templates.receipt(complaint(), BRAND, LINK)
    assert "我们已于2026年3月2日 09:00（北京时间）收到您的投诉" in content.text
    assert (
        "我们将在2026年3月3日 09:00（北京时间）前首次答复您，并在2026年3月4日 09:00（北京时间）前给出处理结果"
        in content.text
    )
    assert content.sms == (
        "【示例银行】您的投诉已受理，编号CG-260302-7K3Q9X，首次答复不晚于3月3日09:00，"
        f"处理结果不晚于3月4日09:00（北京时间）。进度：{LINK}"
    )
    assert sms_segments(content.sms) == 3


def test_receipt_deadlines_for_cbirc_end_at_the_end_of_the_day_in_beijing() -> None:
    content = templates.receipt(complaint(policy=SlaPolicyName.CBIRC_2020), BRAND, LINK)
    assert "2026年3月3日 09:00（北京时间）前首次答复您" in content.text
    assert "2026年3月17日 23:59（北京时间）前给出处理结果" in content.text
    assert "处理结果不晚于3月17日23:59（北京时间）" in content.sms


def test_receipt_deadlines_for_fca_in_uk_time_across_the_clock_change() -> None:
    c = complaint(Language.EN, SlaPolicyName.FCA_DISP)
    assert c.deadlines.resolution_due_at == datetime(2026, 4, 27, 22, 59, 59, tzinfo=UTC)  # 23:59 BST
    content = templates.receipt(c, BRAND, LINK)
    assert "We received your complaint on 2 March 2026, 01:00 (UK time)." in content.text
    assert (
        "first response by 5 March 2026, 23:59 (UK time) and our decision by 27 April 2026, 23:59 (UK time)"
        in content.text
    )
    assert "First response by 5 Mar 23:59, decision by 27 Apr 23:59 (UK time)." in content.sms


def test_receipt_deadlines_for_cfpb_in_new_york_where_it_was_still_the_day_before() -> None:
    content = templates.receipt(complaint(Language.EN, SlaPolicyName.CFPB), BRAND, LINK)
    assert "We received your complaint on 1 March 2026, 20:00 (US Eastern time)." in content.text
    assert "first response by 16 March 2026, 23:59 (US Eastern time)" in content.text
    assert "our decision by 30 April 2026, 23:59 (US Eastern time)" in content.text
    zh = templates.receipt(complaint(Language.ZH_CN, SlaPolicyName.CFPB), BRAND, LINK)
    assert "2026年3月16日 23:59（美国东部时间）前首次答复您" in zh.text


def test_format_time_names_the_zone_in_the_language() -> None:
    moment = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    assert format_time(moment, "Asia/Shanghai", Language.ZH_CN) == "2026年7月1日 20:30（北京时间）"
    assert format_time(moment, "Europe/London", Language.EN) == "1 July 2026, 13:30 (UK time)"
    assert format_time(moment, "America/New_York", Language.EN) == "1 July 2026, 08:30 (US Eastern time)"


# --- staff messages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize(
    ("level", "step"), [(1, Step.FIRST_RESPONSE), (2, Step.RESOLUTION), (3, Step.STILL_OPEN)]
)
def test_escalation_per_level_names_reference_level_step_due_time_and_owner(
    language: Language, level: int, step: Step
) -> None:
    c = complaint(assignee="li.na", team="branch-ops")
    content = templates.escalation(
        c, language, EscalationFacts(level=level, due_at=c.deadlines.resolution_due_at, step=step)
    )
    assert content.subject.isascii() and len(content.subject) < 100
    assert content.subject.startswith(f"[CG-260302-7K3Q9X] Escalation to level {level}: ")
    assert templates.step_label(step, Language.EN) in content.subject
    assert templates.level_label(level, language) in content.text
    assert templates.step_label(step, language) in content.text
    assert format_time(c.deadlines.resolution_due_at, "Asia/Shanghai", language) in content.text
    assert "branch-ops" in content.text and "li.na" in content.text
    assert c.id in content.text
    assert "张伟" not in content.text and "+8613912345678" not in content.text  # no customer data for staff


def test_escalation_levels_name_their_audience() -> None:
    assert templates.level_label(1, Language.ZH_CN) == "一级（团队主管）"
    assert templates.level_label(2, Language.EN) == "level 2 (complaints manager)"
    assert templates.level_label(3, Language.ZH_CN) == "三级（合规/法务）"


def test_escalation_at_intake_and_by_hand_say_why() -> None:
    c = complaint(priority=Priority.CRITICAL)
    at_intake = templates.escalation(
        c, Language.ZH_CN, EscalationFacts(level=1, due_at=c.deadlines.first_response_due_at)
    )
    assert "原因：重大/敏感投诉，受理即升级" in at_intake.text
    assert (
        at_intake.subject
        == "[CG-260302-7K3Q9X] Escalation to level 1: critical complaint, escalated at intake"
    )
    assert "团队：未分配；处理人：未分配" in at_intake.text
    by_hand = templates.escalation(
        c,
        Language.EN,
        EscalationFacts(level=2, due_at=c.deadlines.resolution_due_at, manual=True, reason="media"),
    )
    assert "Why: escalated by hand: media" in by_hand.text


@pytest.mark.parametrize("language", list(Language))
def test_at_risk_names_the_deadline_and_when_it_falls_due(language: Language) -> None:
    c = complaint(assignee="li.na", team="branch-ops")
    content = templates.at_risk(c, language, Step.FIRST_RESPONSE, c.deadlines.first_response_due_at)
    assert (
        content.subject
        == "[CG-260302-7K3Q9X] At risk: first-response deadline due 2026-03-03 09:00 Beijing time"
    )
    due = (
        "2026年3月3日 09:00（北京时间）"
        if language is Language.ZH_CN
        else "3 March 2026, 09:00 (Beijing time)"
    )
    assert due in content.text
    assert templates.step_label(Step.FIRST_RESPONSE, language) in content.text
    assert "branch-ops" in content.text and "li.na" in content.text


def test_sns_subjects_are_ascii_and_short_whatever_goes_in() -> None:
    subject = templates.ascii_subject("[CG-1] 升级\nlevel 2 " + "x" * 200)
    assert subject.isascii() and len(subject) == 99 and "\n" not in subject
