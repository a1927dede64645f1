"""Who hears of which event, through which channel, in which language (complaints.notifications.planner)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from notification_samples import EMAIL, LINK, PHONE, T0, complaint, customer

from complaints.core.events import DomainEvent, EventName
from complaints.core.models import Complaint, Language, Outcome, Priority, Resolution, Status
from complaints.notifications.messages import DeliveryChannel, MessageKind, OutgoingMessage
from complaints.notifications.planner import NotificationPlanner
from complaints.notifications.templates import Brand


def event(name: EventName, **data: Any) -> DomainEvent:
    return DomainEvent(name=name, id="e-1", complaint_id="c-1", version=2, data=data)


class Links:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, c: Complaint) -> str:
        self.asked.append(c.id)
        return LINK


@pytest.fixture
def links() -> Links:
    return Links()


@pytest.fixture
def planner(links: Links) -> NotificationPlanner:
    return NotificationPlanner(Brand("Example Bank", "示例银行"), links, staff_language=Language.ZH_CN)


def routes(messages: list[OutgoingMessage]) -> list[tuple[str, str, str]]:
    return [(m.kind.value, m.channel.value, m.recipient) for m in messages]


# --- to the customer ------------------------------------------------------------------------------


def test_a_received_complaint_gets_a_receipt_through_each_preferred_channel(
    planner: NotificationPlanner, links: Links
) -> None:
    messages = planner.plan(event(EventName.COMPLAINT_RECEIVED, reference="CG-260302-7K3Q9X"), complaint())
    assert routes(messages) == [("receipt", "sms", PHONE), ("receipt", "email", EMAIL)]
    sms, email = messages
    assert sms.key == "receipt:sms" and email.key == "receipt:email"
    assert sms.subject is None and sms.html is None
    assert sms.text.startswith("【示例银行】您的投诉已受理") and LINK in sms.text
    assert email.subject == "您的投诉已受理（编号 CG-260302-7K3Q9X）"
    assert email.html is not None and LINK in email.html and LINK in email.text
    assert {m.language for m in messages} == {Language.ZH_CN}
    assert links.asked == ["c-1"]  # one link for every channel


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [
        (["sms"], [("receipt", "sms", PHONE)]),
        (["email"], [("receipt", "email", EMAIL)]),
        (["email", "sms"], [("receipt", "email", EMAIL), ("receipt", "sms", PHONE)]),
        (["sms", "sms"], [("receipt", "sms", PHONE)]),
    ],
)
def test_preferred_channels_are_respected_in_their_order(
    planner: NotificationPlanner, preferred: list[str], expected: list[tuple[str, str, str]]
) -> None:
    c = complaint(customer=customer(preferred_contact=preferred))
    assert routes(planner.plan(event(EventName.COMPLAINT_RECEIVED), c)) == expected


def test_a_customer_who_prefers_no_channel_is_told_by_sms_or_else_by_email(
    planner: NotificationPlanner,
) -> None:
    by_phone = complaint(customer=customer(preferred_contact=[]))
    assert routes(planner.plan(event(EventName.COMPLAINT_RECEIVED), by_phone)) == [("receipt", "sms", PHONE)]
    by_email = complaint(customer=customer(preferred_contact=[], phone=None))
    assert routes(planner.plan(event(EventName.COMPLAINT_RECEIVED), by_email)) == [
        ("receipt", "email", EMAIL)
    ]


def test_messages_are_in_the_customers_language(planner: NotificationPlanner) -> None:
    c = complaint(customer=customer(language=Language.EN))
    sms, email = planner.plan(event(EventName.COMPLAINT_RECEIVED), c)
    assert sms.language is Language.EN and sms.text.startswith("Example Bank: we have your complaint")
    assert email.subject == "We have received your complaint (reference CG-260302-7K3Q9X)"


def test_the_first_response_goes_to_the_customer(planner: NotificationPlanner) -> None:
    acknowledged = event(
        EventName.COMPLAINT_ACKNOWLEDGED,
        action="respond",
        kind="response",
        public=True,
        message="您好，已收到。",
    )
    messages = planner.plan(acknowledged, complaint(status=Status.ACKNOWLEDGED))
    assert routes(messages) == [("response", "sms", PHONE), ("response", "email", EMAIL)]
    assert "有新回复：您好，已收到。详见" in messages[0].text
    assert "您好，已收到。" in messages[1].text


def test_each_later_public_response_goes_to_the_customer(planner: NotificationPlanner) -> None:
    update = event(
        EventName.COMPLAINT_UPDATED, action="respond", kind="response", public=True, message="卡已找到"
    )
    assert NotificationPlanner.concerns(update)
    messages = planner.plan(update, complaint(status=Status.IN_PROGRESS))
    assert [m.key for m in messages] == ["response:sms", "response:email"]
    assert all("卡已找到" in m.text for m in messages)


@pytest.mark.parametrize(
    "data",
    [
        {"action": "note", "kind": "note", "public": False},  # an internal note
        {"action": "respond", "kind": "response", "public": False, "message": "内部"},
        {"action": "update", "fields": ["assignee", "team"]},  # triage
        {"action": "respond", "kind": "response", "public": True, "message": "  "},  # nothing to say
    ],
)
def test_notes_triage_and_empty_messages_tell_no_one(
    planner: NotificationPlanner, data: dict[str, Any]
) -> None:
    assert planner.plan(event(EventName.COMPLAINT_UPDATED, **data), complaint()) == []


def test_updates_other_than_public_responses_and_changes_of_course_need_no_complaint_read() -> None:
    assert not NotificationPlanner.concerns(event(EventName.COMPLAINT_UPDATED, action="update"))
    assert not NotificationPlanner.concerns(event(EventName.COMPLAINT_UPDATED, action="note", kind="note"))
    assert not NotificationPlanner.concerns(event(EventName.SLA_BREACHED, deadline="firstResponse"))
    assert not NotificationPlanner.concerns(event(EventName.COMPLAINT_REOPENED))
    assert NotificationPlanner.concerns(event(EventName.COMPLAINT_RECEIVED))
    assert NotificationPlanner.concerns(event(EventName.COMPLAINT_CLOSED))
    for action in ("pause", "remind_customer", "resume", "extend", "withdraw"):
        assert NotificationPlanner.concerns(event(EventName.COMPLAINT_UPDATED, action=action)), action


def test_a_resolution_then_a_survey_each_through_each_channel(
    planner: NotificationPlanner, links: Links
) -> None:
    resolution = Resolution(outcome=Outcome.UPHELD, summary="卡片已归还并退还手续费", root_cause="ATM 故障")
    resolved = event(EventName.COMPLAINT_RESOLVED, action="resolve", resolution=resolution.to_json())
    messages = planner.plan(resolved, complaint(status=Status.RESOLVED, resolution=resolution))
    assert routes(messages) == [
        ("resolution", "sms", PHONE),
        ("resolution", "email", EMAIL),
        ("survey", "sms", PHONE),
        ("survey", "email", EMAIL),
    ]
    assert [m.after for m in messages] == [None, None, "resolution:sms", "resolution:email"]
    assert "处理结论：投诉成立" in messages[1].text and "12378" in messages[1].text
    assert "打分" in messages[2].text
    assert links.asked == ["c-1"]


def test_the_resolution_told_is_the_one_the_event_announces(planner: NotificationPlanner) -> None:
    announced = Resolution(outcome=Outcome.NOT_UPHELD, summary="第一次的结论", root_cause="x")
    later = Resolution(outcome=Outcome.UPHELD, summary="重新处理后的结论", root_cause="y")
    resolved = event(EventName.COMPLAINT_RESOLVED, resolution=announced.to_json())
    email = planner.plan(resolved, complaint(status=Status.RESOLVED, resolution=later))[1]
    assert "第一次的结论" in email.text and "投诉不成立" in email.text
    # An event without the resolution falls back to the complaint's.
    fallback = planner.plan(
        event(EventName.COMPLAINT_RESOLVED), complaint(status=Status.RESOLVED, resolution=later)
    )
    assert "重新处理后的结论" in fallback[1].text
    assert planner.plan(event(EventName.COMPLAINT_RESOLVED), complaint(status=Status.RESOLVED)) == []


# --- changes of course: pause, resume, extension, closure, withdrawal ------------------------------
# The complaint is received on 2 March 2026 at 09:00 Beijing time (seed policy: resolution due 48 h
# later, 4 March 09:00); times below are worked out by hand in Beijing time (UTC+8).

PAUSED = complaint(status=Status.AWAITING_CUSTOMER, paused_at=T0 + timedelta(hours=2))
ENGLISH = customer(language="en")


def texts(messages: list[OutgoingMessage]) -> tuple[str, OutgoingMessage]:
    """The SMS text and the e-mail of a customer message planned for both channels."""
    assert routes(messages) == [
        (messages[0].kind.value, "sms", PHONE),
        (messages[0].kind.value, "email", EMAIL),
    ]
    return messages[0].text, messages[1]


def test_a_pause_tells_the_customer_what_is_needed_and_by_when(planner: NotificationPlanner) -> None:
    pause = event(
        EventName.COMPLAINT_UPDATED,
        action="pause",
        reason="请提供3月的银行流水",
        pausedUntil="2026-03-09T01:00:00Z",
        fields=["pausedAt", "status"],
    )
    sms, email = texts(planner.plan(pause, PAUSED))

    assert {m.kind for m in planner.plan(pause, PAUSED)} == {MessageKind.PAUSED}
    assert sms == (
        f"【示例银行】您的投诉CG-260302-7K3Q9X需要您补充信息：请提供3月的银行流水。"
        f"请于3月9日09:00（北京时间）前回复。详见：{LINK}"
    )
    assert email.subject == "您的投诉（编号 CG-260302-7K3Q9X）需要您补充信息"
    assert "请提供3月的银行流水" in email.text
    assert "请于2026年3月9日 09:00（北京时间）前回复我们。" in email.text
    assert "处理时限暂停计算" in email.text  # the clock stops while we wait
    assert email.html is not None and "请提供3月的银行流水" in email.html


def test_a_pause_in_english_with_a_day_or_without_an_end(planner: NotificationPlanner) -> None:
    english = PAUSED.model_copy(update={"customer": ENGLISH})
    by_day = event(
        EventName.COMPLAINT_UPDATED,
        action="pause",
        reason="A copy of your March statement",
        pausedUntil="2026-03-09",
    )
    sms, email = texts(planner.plan(by_day, english))
    assert sms == (
        "Example Bank: we need information from you for complaint CG-260302-7K3Q9X. "
        f"A copy of your March statement. Please reply by 9 Mar. Details: {LINK}"
    )
    assert email.subject == "We need information from you (complaint reference CG-260302-7K3Q9X)"
    assert "Please let us have it by 9 March 2026." in email.text
    assert email.language is Language.EN

    open_ended = event(EventName.COMPLAINT_UPDATED, action="pause", reason="A copy of your March statement")
    sms, email = texts(planner.plan(open_ended, english))
    assert sms == (
        "Example Bank: we need information from you for complaint CG-260302-7K3Q9X. "
        f"A copy of your March statement. Details: {LINK}"
    )
    assert "A copy of your March statement" in email.text
    assert "Please let us have it by" not in email.text


def test_a_pause_says_what_it_can_when_its_event_says_little(planner: NotificationPlanner) -> None:
    """No reason, an end that is no date: the customer still hears that we wait for them."""
    bare = event(EventName.COMPLAINT_UPDATED, action="pause", pausedUntil="next week")
    sms, email = texts(planner.plan(bare, PAUSED))
    assert sms == f"【示例银行】您的投诉CG-260302-7K3Q9X需要您补充信息。详见：{LINK}"
    assert "next week" not in email.text and "请于" not in email.text
    assert "为继续处理您的投诉（编号 CG-260302-7K3Q9X），我们需要您提供以下信息：" in email.text


def test_what_is_needed_may_be_named_apart_from_the_reason(planner: NotificationPlanner) -> None:
    pause = event(
        EventName.COMPLAINT_UPDATED, action="pause", reason="missing evidence", needed="身份证复印件"
    )
    sms, _ = texts(planner.plan(pause, PAUSED))
    assert "补充信息：身份证复印件。" in sms and "missing evidence" not in sms


def test_halfway_through_the_pause_the_customer_is_reminded(planner: NotificationPlanner) -> None:
    """The sweep records the reminder with what is needed and until when; the publisher announces
    them as `needed` and `pausedUntil` (complaints/intake/outbox.py)."""
    remind = event(
        EventName.COMPLAINT_UPDATED,
        action="remind_customer",
        needed="请提供3月的银行流水",
        until="2026-03-09T01:00:00Z",
        pausedUntil="2026-03-09T01:00:00Z",
        fields=["pauseRemindedAt"],
    )
    *to_customer, to_handler = planner.plan(remind, PAUSED)
    sms, email = texts(to_customer)
    assert email.kind is MessageKind.REMINDER
    assert sms == (
        f"【示例银行】提醒：您的投诉CG-260302-7K3Q9X仍需要您补充信息：请提供3月的银行流水。"
        f"请于3月9日09:00（北京时间）前回复。详见：{LINK}"
    )
    assert email.subject == "提醒：您的投诉（编号 CG-260302-7K3Q9X）仍需要您补充信息"
    assert "请于2026年3月9日 09:00（北京时间）前回复我们；逾期我们将根据现有信息继续处理。" in email.text

    # the handler hears too (the at-risk topic, filtered on their name): the clock restarts then
    assert (to_handler.kind, to_handler.recipient) == (MessageKind.PAUSE_HALFWAY, "at_risk")
    assert (
        to_handler.subject == "[CG-260302-7K3Q9X] Waiting on the customer until 2026-03-09 09:00 Beijing time"
    )
    assert "暂停将于2026年3月9日 09:00（北京时间）结束" in to_handler.text

    english = PAUSED.model_copy(update={"customer": ENGLISH})
    *to_customer, _ = planner.plan(
        remind.model_copy(update={"data": {**remind.data, "needed": "A statement"}}), english
    )
    sms, email = texts(to_customer)
    assert sms == (
        "Example Bank: a reminder, we still need information from you for complaint CG-260302-7K3Q9X. "
        f"A statement. Please reply by 9 Mar 09:00 (Beijing time). Details: {LINK}"
    )
    assert (
        email.subject == "Reminder: we still need information from you (complaint reference CG-260302-7K3Q9X)"
    )
    # resumed before the reminder went: nothing
    assert planner.plan(remind, complaint(status=Status.IN_PROGRESS)) == []


def test_a_pause_that_ends_by_itself_tells_the_customer_and_the_handler(planner: NotificationPlanner) -> None:
    resume = event(
        EventName.COMPLAINT_UPDATED,
        action="resume",
        reason="pause limit reached",
        resolutionDueAt="2026-03-05T03:00:00Z",
    ).model_copy(update={"correlation_id": "sla-sweep"})
    handled = complaint(status=Status.IN_PROGRESS, team="cards", assignee="li.na")
    *to_customer, to_handler = planner.plan(resume, handled)
    assert {message.kind for message in to_customer} == {MessageKind.RESUMED}
    assert (to_handler.kind, to_handler.recipient) == (MessageKind.PAUSE_ENDED, "at_risk")
    assert to_handler.attributes == {
        "kind": "pause_ended",
        "reference": "CG-260302-7K3Q9X",
        "team": "cards",
        "assignee": "li.na",
    }
    assert "计时已自动恢复，处理时限为2026年3月5日 11:00（北京时间）" in to_handler.text
    # resumed by staff or by the customer's answer: the handler knows already
    by_staff = resume.model_copy(update={"correlation_id": "li.na"})
    assert {message.kind for message in planner.plan(by_staff, handled)} == {MessageKind.RESUMED}


def test_a_pause_no_longer_waited_on_tells_no_one(planner: NotificationPlanner) -> None:
    """Resumed (or resolved, withdrawn) before the message went: asking now would be wrong."""
    pause = event(EventName.COMPLAINT_UPDATED, action="pause", reason="请提供流水")
    for status in (Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN):
        assert planner.plan(pause, complaint(status=status)) == [], status


def test_a_resume_tells_the_customer_the_resolution_date_it_set(planner: NotificationPlanner) -> None:
    resume = event(EventName.COMPLAINT_UPDATED, action="resume", resolutionDueAt="2026-03-05T03:00:00Z")
    in_progress = complaint(status=Status.IN_PROGRESS)
    sms, email = texts(planner.plan(resume, in_progress))
    assert sms == (
        f"【示例银行】您的投诉CG-260302-7K3Q9X已恢复处理，处理结果不晚于3月5日11:00（北京时间）。进度：{LINK}"
    )
    assert email.subject == "您的投诉（编号 CG-260302-7K3Q9X）已恢复处理"
    assert "我们将在2026年3月5日 11:00（北京时间）前给出处理结果。" in email.text

    english = in_progress.model_copy(update={"customer": ENGLISH})
    sms, email = texts(planner.plan(resume, english))
    assert sms == (
        "Example Bank: we are working on complaint CG-260302-7K3Q9X again. Decision by 5 Mar 11:00 "
        f"(Beijing time). Track it: {LINK}"
    )
    assert "We will give you our decision by 5 March 2026, 11:00 (Beijing time)." in email.text
    # an event that does not name the date: the complaint's own (4 March 09:00)
    sms, _ = texts(planner.plan(event(EventName.COMPLAINT_UPDATED, action="resume"), english))
    assert "Decision by 4 Mar 09:00 (Beijing time)" in sms


def test_an_extension_tells_the_new_resolution_date_and_why(planner: NotificationPlanner) -> None:
    extend = event(
        EventName.COMPLAINT_UPDATED,
        action="extend",
        reason="需等待卡组织回复",
        resolutionDueAt="2026-03-17T15:59:59Z",
    )
    sms, email = texts(planner.plan(extend, complaint(status=Status.IN_PROGRESS)))
    assert sms == (
        f"【示例银行】您的投诉CG-260302-7K3Q9X处理时限延长至3月17日23:59（北京时间），原因：需等待卡组织回复。详见：{LINK}"
    )
    assert email.subject == "您的投诉（编号 CG-260302-7K3Q9X）处理时限延长"
    assert "我们将在2026年3月17日 23:59（北京时间）前给出处理结果。" in email.text
    assert "延期原因：需等待卡组织回复" in email.text

    english = complaint(status=Status.IN_PROGRESS, customer=ENGLISH)
    extend_en = event(
        EventName.COMPLAINT_UPDATED,
        action="extend",
        reason="We are waiting for the card scheme's answer",
        resolutionDueAt="2026-03-17T15:59:59Z",
    )
    sms, email = texts(planner.plan(extend_en, english))
    assert sms == (
        "Example Bank: we need more time for complaint CG-260302-7K3Q9X; decision now by 17 Mar 23:59 "
        f"(Beijing time). Why: We are waiting for the card scheme's answer. Details: {LINK}"
    )
    assert email.subject == "We need more time for your complaint (reference CG-260302-7K3Q9X)"
    assert "We will now give you our decision by 17 March 2026, 23:59 (Beijing time)." in email.text
    assert "Why: We are waiting for the card scheme's answer" in email.text


def test_a_solution_plan_tells_the_customer_what_will_be_done_and_by_when(
    planner: NotificationPlanner,
) -> None:
    given = event(
        EventName.COMPLAINT_UPDATED,
        action="give_solution_plan",
        plan="向商户收单行发起退单，并临时冻结争议款项。",
        resolveBy="2026-03-12T08:00:00Z",
        resolutionDueAt="2026-03-12T08:00:00Z",
    )
    assert NotificationPlanner.concerns(given)
    sms, email = texts(planner.plan(given, complaint(status=Status.ACKNOWLEDGED)))
    assert email.kind is MessageKind.SOLUTION_PLAN
    assert sms == (
        "【示例银行】您的投诉CG-260302-7K3Q9X解决方案已制定：向商户收单行发起退单，并临时冻结争议款项。"
        f"办结时间不晚于3月12日16:00（北京时间）。详见：{LINK}"
    )
    assert email.subject == "您的投诉（编号 CG-260302-7K3Q9X）解决方案"
    assert "向商户收单行发起退单，并临时冻结争议款项。" in email.text
    assert "我们将在2026年3月12日 16:00（北京时间）前办结并告知您处理结果。" in email.text

    sms, email = texts(planner.plan(given, complaint(status=Status.ACKNOWLEDGED, customer=ENGLISH)))
    assert email.subject == "Our plan for your complaint (reference CG-260302-7K3Q9X)"
    assert "We will give you our decision by 12 March 2026, 16:00 (Beijing time)." in email.text


def test_a_triage_that_took_an_extension_is_told_as_one(planner: NotificationPlanner) -> None:
    triage = event(
        EventName.COMPLAINT_UPDATED,
        action="update",
        reason="转入支付争议处理",
        fields=["deadlines", "extensions", "product"],
        resolutionDueAt="2026-03-17T15:59:59Z",
    )
    sms, email = texts(planner.plan(triage, complaint(status=Status.IN_PROGRESS)))
    assert email.kind is MessageKind.EXTENDED
    assert "处理时限延长至3月17日23:59（北京时间），原因：转入支付争议处理。" in sms
    # a triage that took no extension (the deadline moved earlier, or nothing moved) tells no one
    earlier = event(EventName.COMPLAINT_UPDATED, action="update", fields=["deadlines", "priority"])
    assert not NotificationPlanner.concerns(earlier)
    assert planner.plan(earlier, complaint()) == []


@pytest.mark.parametrize(
    ("name", "data", "kind", "zh_sms", "en_subject"),
    [
        (
            EventName.COMPLAINT_CLOSED,
            {"action": "close"},
            MessageKind.CLOSED,
            "【示例银行】您的投诉CG-260302-7K3Q9X已结案，感谢您的理解与支持。记录：{link}",
            "Your complaint is closed (reference CG-260302-7K3Q9X)",
        ),
        (
            EventName.COMPLAINT_UPDATED,
            {"action": "withdraw", "fields": ["status", "withdrawnAt"]},
            MessageKind.WITHDRAWN,
            "【示例银行】您的投诉CG-260302-7K3Q9X已撤回，我们将不再处理。如非您本人意愿，请联系我们。记录：{link}",
            "Your complaint has been withdrawn (reference CG-260302-7K3Q9X)",
        ),
    ],
)
def test_closure_and_withdrawal_are_told_in_the_customers_language(
    planner: NotificationPlanner,
    name: EventName,
    data: dict[str, Any],
    kind: MessageKind,
    zh_sms: str,
    en_subject: str,
) -> None:
    sms, email = texts(planner.plan(event(name, **data), complaint(status=Status.CLOSED)))
    assert email.kind is kind
    assert sms == zh_sms.format(link=LINK)
    assert email.text.startswith("尊敬的张伟：") and LINK in email.text

    english = complaint(status=Status.CLOSED, customer=ENGLISH)
    sms, email = texts(planner.plan(event(name, **data), english))
    assert email.subject == en_subject
    assert email.text.startswith("Dear 张伟,") and sms.startswith("Example Bank: complaint CG-260302-7K3Q9X")
    assert sms.endswith(LINK)


def test_the_reasons_staff_give_for_closing_or_withdrawing_are_not_told(planner: NotificationPlanner) -> None:
    """As on the tracking page, only milestones: a reason written for colleagues stays with them."""
    for name, action in ((EventName.COMPLAINT_CLOSED, "close"), (EventName.COMPLAINT_UPDATED, "withdraw")):
        messages = planner.plan(event(name, action=action, reason="客户系重复投诉，内部备注"), complaint())
        assert messages
        for message in messages:
            assert "内部备注" not in message.text and "内部备注" not in (message.html or "")


# --- to staff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "topic"), [(1, "supervisor"), (2, "manager"), (3, "compliance")])
def test_an_escalation_goes_to_the_topic_of_its_level(
    planner: NotificationPlanner, links: Links, level: int, topic: str
) -> None:
    step = {1: "firstResponse", 2: "resolution", 3: "stillOpen"}[level]
    escalated = event(
        EventName.COMPLAINT_ESCALATED,
        level=level,
        previousLevel=level - 1,
        step=step,
        reference="CG-260302-7K3Q9X",
        team="branch-ops",
        assignee="li.na",
    )
    messages = planner.plan(escalated, complaint())
    assert routes(messages) == [("escalation", "staff", topic)]
    message = messages[0]
    assert message.key == f"escalation:{topic}"
    assert message.language is Language.ZH_CN
    assert message.subject is not None and message.subject.isascii()
    assert message.attributes == {
        "kind": "escalation",
        "level": str(level),
        "reference": "CG-260302-7K3Q9X",
        "priority": "normal",
        "team": "branch-ops",
        "assignee": "li.na",
        "step": step,
    }
    assert "branch-ops" in message.text and "li.na" in message.text
    assert links.asked == []  # staff need no customer link


def test_the_due_time_of_an_escalation_is_its_steps_deadline(planner: NotificationPlanner) -> None:
    first = planner.plan(event(EventName.COMPLAINT_ESCALATED, level=1, step="firstResponse"), complaint())[0]
    assert "时限：2026年3月3日 09:00（北京时间）" in first.text  # T0 + 24 h
    still_open = planner.plan(event(EventName.COMPLAINT_ESCALATED, level=3, step="stillOpen"), complaint())[0]
    assert "时限：2026年3月5日 09:00（北京时间）" in still_open.text  # resolution (T0 + 48 h) + 24 h


def test_a_critical_complaint_at_intake_tells_the_supervisor_and_compliance(
    planner: NotificationPlanner,
) -> None:
    critical = complaint(priority=Priority.CRITICAL, escalation_level=1)
    at_intake = event(
        EventName.COMPLAINT_ESCALATED,
        level=1,
        previousLevel=0,
        reason="critical at intake",
        notify=["supervisor", "compliance"],
        reference="CG-260302-7K3Q9X",
    )
    messages = planner.plan(at_intake, critical)
    assert routes(messages) == [("escalation", "staff", "supervisor"), ("escalation", "staff", "compliance")]
    assert [m.key for m in messages] == ["escalation:supervisor", "escalation:compliance"]
    assert "时限：2026年3月2日 13:00（北京时间）" in messages[0].text  # critical: first response in 4 h
    assert "team" not in messages[0].attributes  # unassigned: no attribute to filter on


def test_a_manual_escalation_says_why(planner: NotificationPlanner) -> None:
    by_hand = event(EventName.COMPLAINT_ESCALATED, level=2, previousLevel=1, manual=True, reason="媒体关注")
    (message,) = planner.plan(by_hand, complaint(assignee="li.na", team="branch-ops"))
    assert message.recipient == "manager"
    assert "原因：人工升级：媒体关注" in message.text
    assert message.attributes["team"] == "branch-ops"


def test_a_complaint_triage_found_sensitive_tells_its_supervisor_and_compliance_why(
    planner: NotificationPlanner,
) -> None:
    flagged = event(
        EventName.COMPLAINT_ESCALATED,
        level=1,
        previousLevel=0,
        reason="sensitive complaint (triage)",
        riskFlags=["regulator", "media"],
        notify=["supervisor", "compliance"],
    )
    messages = planner.plan(flagged, complaint(priority=Priority.CRITICAL, escalation_level=1))
    assert routes(messages) == [("escalation", "staff", "supervisor"), ("escalation", "staff", "compliance")]
    assert "原因：敏感投诉（智能分拣识别），转入特别处理通道：regulator, media" in messages[0].text


def test_the_customer_is_told_once_that_two_complaints_are_handled_together(
    planner: NotificationPlanner,
) -> None:
    read = event(
        EventName.COMPLAINT_UPDATED,
        action="triage",
        linked=[{"complaintId": "c-0", "reference": "CG-260228-AB12CD"}],
        fields=["links", "triage"],
    )
    assert NotificationPlanner.concerns(read)
    sms, email = texts(planner.plan(read, complaint()))
    assert email.kind is MessageKind.LINKED
    assert sms == (
        f"【示例银行】您的投诉CG-260302-7K3Q9X与此前的投诉CG-260228-AB12CD为同一事项，将一并处理，无需重复提交。进度：{LINK}"
    )
    # a reading that linked nothing tells the customer nothing
    plain = event(EventName.COMPLAINT_UPDATED, action="triage", fields=["triage"])
    assert not NotificationPlanner.concerns(plain) and planner.plan(plain, complaint()) == []


@pytest.mark.parametrize("level", ["2", 2.0])
def test_a_level_that_went_through_json_as_text_still_counts(
    planner: NotificationPlanner, level: Any
) -> None:
    (message,) = planner.plan(event(EventName.COMPLAINT_ESCALATED, level=level), complaint())
    assert message.recipient == "manager" and message.attributes["level"] == "2"


@pytest.mark.parametrize("level", [None, 0, 4, "two", 2.5, True])
def test_an_escalation_without_a_level_to_announce_tells_no_one(
    planner: NotificationPlanner, level: Any
) -> None:
    assert planner.plan(event(EventName.COMPLAINT_ESCALATED, level=level), complaint()) == []


def test_an_at_risk_warning_goes_to_the_at_risk_topic_for_the_assignees_team(
    planner: NotificationPlanner,
) -> None:
    c = complaint(assignee="li.na", team="branch-ops")
    warning = event(
        EventName.SLA_AT_RISK,
        deadline="firstResponse",
        dueAt=c.deadlines.first_response_due_at.isoformat(),
        reference=c.reference,
        assignee="li.na",
        team="branch-ops",
    )
    (message,) = planner.plan(warning, c)
    assert (message.kind, message.channel, message.recipient) == (
        MessageKind.AT_RISK,
        DeliveryChannel.STAFF,
        "at_risk",
    )
    assert message.key == "at_risk:at_risk"
    assert message.attributes == {
        "kind": "at_risk",
        "deadline": "firstResponse",
        "reference": "CG-260302-7K3Q9X",
        "priority": "normal",
        "team": "branch-ops",
        "assignee": "li.na",
    }
    assert "首次答复时限将于2026年3月3日 09:00（北京时间）到期" in message.text


def test_an_at_risk_warning_for_a_deadline_met_meanwhile_is_moot(planner: NotificationPlanner) -> None:
    answered = complaint(status=Status.ACKNOWLEDGED, first_responded_at=T0 + timedelta(hours=20))
    assert planner.plan(event(EventName.SLA_AT_RISK, deadline="firstResponse"), answered) == []
    assert len(planner.plan(event(EventName.SLA_AT_RISK, deadline="resolution"), answered)) == 1
    resolved = complaint(status=Status.RESOLVED)
    assert planner.plan(event(EventName.SLA_AT_RISK, deadline="resolution"), resolved) == []
    assert planner.plan(event(EventName.SLA_AT_RISK, deadline="nonsense"), complaint()) == []


# --- the follow-up (回访) a low rating opens ---------------------------------------------------------

OPEN_FOLLOW_UP = {
    "status": "open",
    "rating": 2,
    "openedAt": T0 + timedelta(days=2),
    "dueAt": T0 + timedelta(days=4, hours=1),  # 6 March 02:00 UTC, 10:00 in Shanghai
    "team": "cards",
}


def test_an_opened_follow_up_goes_to_the_supervisor_topic_for_the_team_that_owes_it(
    planner: NotificationPlanner,
) -> None:
    c = complaint(status=Status.RESOLVED, team="cards", assignee="li.na", follow_up=OPEN_FOLLOW_UP)
    (message,) = planner.plan(event(EventName.FOLLOW_UP_OPENED, team="cards", rating=2), c)
    assert (message.kind, message.channel, message.recipient, message.key) == (
        MessageKind.FOLLOW_UP,
        DeliveryChannel.STAFF,
        "supervisor",
        "follow_up:supervisor",
    )
    assert message.attributes == {
        "kind": "follow_up",
        "reference": "CG-260302-7K3Q9X",
        "team": "cards",
        "rating": "2",
    }
    assert message.subject == "[CG-260302-7K3Q9X] Follow-up call due 2026-03-06 10:00 Beijing time (rating 2)"
    assert "评分为 2 分，请团队 cards 的主管于2026年3月6日 10:00（北京时间）前回访客户" in message.text


def test_the_supervisor_named_for_a_follow_up_is_told_by_name(planner: NotificationPlanner) -> None:
    c = complaint(status=Status.RESOLVED, team="cards", follow_up=OPEN_FOLLOW_UP | {"assignee": "sup-2"})
    assigned = event(EventName.COMPLAINT_UPDATED, action="assign_follow_up", assignee="sup-2", team="cards")
    assert NotificationPlanner.concerns(assigned)
    (message,) = planner.plan(assigned, c)
    assert (message.kind, message.recipient) == (MessageKind.FOLLOW_UP, "supervisor")
    assert message.attributes["assignee"] == "sup-2" and message.attributes["team"] == "cards"
    # given back to the team: nobody in particular to tell
    back = event(EventName.COMPLAINT_UPDATED, action="assign_follow_up", assignee=None, team="cards")
    assert planner.plan(back, complaint(status=Status.RESOLVED, team="cards", follow_up=OPEN_FOLLOW_UP)) == []


def test_an_overdue_follow_up_goes_to_the_manager_topic(planner: NotificationPlanner) -> None:
    c = complaint(status=Status.CLOSED, team="cards", follow_up=OPEN_FOLLOW_UP | {"escalatedAt": T0})
    (message,) = planner.plan(
        event(EventName.FOLLOW_UP_OVERDUE, action="escalate_follow_up", team="cards"), c
    )
    assert (message.kind, message.recipient, message.key) == (
        MessageKind.FOLLOW_UP_OVERDUE,
        "manager",
        "follow_up_overdue:manager",
    )
    assert message.attributes["team"] == "cards"
    assert message.subject == "[CG-260302-7K3Q9X] Follow-up call overdue since 2026-03-06 10:00 Beijing time"
    assert "应于2026年3月6日 10:00（北京时间）前完成，团队 cards 尚未完成" in message.text


@pytest.mark.parametrize("name", [EventName.FOLLOW_UP_OPENED, EventName.FOLLOW_UP_OVERDUE])
def test_a_follow_up_completed_meanwhile_tells_no_one(planner: NotificationPlanner, name: EventName) -> None:
    done = OPEN_FOLLOW_UP | {"status": "completed", "outcome": "satisfied", "notes": "fine"}
    assert planner.plan(event(name, team="cards"), complaint(status=Status.CLOSED, follow_up=done)) == []
    assert planner.plan(event(name, team="cards"), complaint(status=Status.CLOSED)) == []


@pytest.mark.parametrize(
    "name",
    [
        EventName.SLA_BREACHED,
        EventName.COMPLAINT_REOPENED,
        EventName.FEEDBACK_RECEIVED,
        EventName.REPORT_PUBLISHED,
    ],
)
def test_other_events_tell_no_one(planner: NotificationPlanner, name: EventName) -> None:
    assert planner.plan(event(name, deadline="resolution", level=2), complaint()) == []


def test_staff_messages_follow_the_staff_language(links: Links) -> None:
    english = NotificationPlanner(Brand("Example Bank"), links, staff_language=Language.EN)
    (message,) = english.plan(event(EventName.COMPLAINT_ESCALATED, level=2, step="resolution"), complaint())
    assert message.language is Language.EN
    assert message.text.startswith("Complaint CG-260302-7K3Q9X is escalated to level 2 (complaints manager).")


def test_a_message_never_shows_its_recipient_or_content_in_repr(planner: NotificationPlanner) -> None:
    for message in planner.plan(event(EventName.COMPLAINT_RECEIVED), complaint()):
        shown = repr(message)
        assert PHONE not in shown and EMAIL not in shown and "张伟" not in shown and LINK not in shown
