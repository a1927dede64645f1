"""What the notifier sends: one message per (kind, channel, recipient), planned from a domain event.

A message's `key` is unique among the messages of one event (`receipt:sms`, `escalation:compliance`);
with the event id it makes a send idempotent across retries of the queue message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from complaints.core.models import Language


class MessageKind(StrEnum):
    # to the customer
    RECEIPT = "receipt"
    RESPONSE = "response"
    RESOLUTION = "resolution"
    SURVEY = "survey"
    PAUSED = "paused"  # waiting for the customer: what we need, by when
    REMINDER = "reminder"  # halfway through the pause, once: still waiting, by when
    RESUMED = "resumed"
    EXTENDED = "extended"  # the resolution deadline moved: the new date and why
    SOLUTION_PLAN = "solution_plan"  # a complex complaint's plan: what will be done, by when
    LINKED = "linked"  # the same matter from two channels: handled together, no need to repeat it
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    # to staff
    ESCALATION = "escalation"
    AT_RISK = "at_risk"
    # A pause halfway (the customer reminded) and a pause that ended by itself: to the handler.
    PAUSE_HALFWAY = "pause_halfway"
    PAUSE_ENDED = "pause_ended"
    FOLLOW_UP = "follow_up"  # a low rating opened a follow-up (回访): to the team's supervisors
    FOLLOW_UP_OVERDUE = "follow_up_overdue"  # still open when due: to the managers


class DeliveryChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    STAFF = "staff"  # an SNS topic per staff audience


class StaffTopic(StrEnum):
    """The staff audiences, one SNS topic each: the escalation ladder's three levels and the
    at-risk warnings (subscribers filter on the `team` / `assignee` message attributes)."""

    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    COMPLIANCE = "compliance"
    AT_RISK = "at_risk"


LEVEL_TOPICS: Mapping[int, StaffTopic] = {
    1: StaffTopic.SUPERVISOR,
    2: StaffTopic.MANAGER,
    3: StaffTopic.COMPLIANCE,
}


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one recipient. The recipient and the content stay out of `repr`, so a message
    that ends up in a log line or a traceback never shows a phone number, an address or a name."""

    key: str
    kind: MessageKind
    channel: DeliveryChannel
    language: Language
    # the customer's phone (E.164) or e-mail address, or the staff topic's name
    recipient: str = field(repr=False)
    text: str = field(repr=False)
    subject: str | None = field(default=None, repr=False)
    html: str | None = field(default=None, repr=False)
    # SNS message attributes of a staff message (what subscription filter policies match on)
    attributes: Mapping[str, str] = field(default_factory=dict)
    # the key of a message of the same event that must have gone first (a survey follows its
    # resolution on the same channel)
    after: str | None = None
