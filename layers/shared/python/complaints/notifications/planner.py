"""Who is told what: a domain event and the complaint (read fresh) → the messages to send.

- ComplaintReceived → the receipt, to the customer;
- ComplaintAcknowledged (the first response) → a response with data.message, to the customer;
- ComplaintUpdated with data.kind == "response" and data.public → a response with data.message;
- ComplaintResolved → the resolution, then the survey, to the customer (the survey on a channel waits
  for the resolution on that channel);
- ComplaintUpdated with data.action pause → what we need (data.needed, else data.reason) and by when
  (data.pausedUntil, when it has one), to the customer, unless the complaint is no longer waiting for
  them; remind_customer (the sweep, halfway through the pause) → the same, as a reminder; resume → that
  we are on it again, with the resolution date; extend (or a triage that took an extension and moved
  the resolution deadline) → the new resolution date (data.resolutionDueAt) and why (data.reason);
  withdraw → that it is withdrawn (the reasons staff gave for a withdrawal are not told, as on the
  tracking page);
- ComplaintClosed → that it is closed, to the customer;
- ComplaintEscalated → the escalation, to the staff topic of data.level (1 supervisor, 2 manager,
  3 compliance) and to every other audience data.notify names (critical at intake: compliance too);
- SlaAtRisk → the at-risk warning, to the at-risk topic (attributes team and assignee for the team's
  subscription filter), unless the deadline was met meanwhile;
- FollowUpOpened (a low rating) → the follow-up (回访) to call, to the supervisor topic with the `team`
  that owes it as an attribute (a supervisor subscribes filtered on their teams); FollowUpOverdue (the
  sweep, when it falls due still open) → to the manager topic; either unless the follow-up was
  completed meanwhile;
- SlaBreached and the rest → nothing (the escalation that follows a breach carries it).

A customer message goes through each channel of `customer.preferredContact`, in order (sms → the
customer's phone, email → their address), in the customer's language; a customer who prefers none
is told by SMS if a phone is known, else by e-mail. Staff messages are in the deployment's staff
language. The tracking link is made by the injected `link_for(complaint)`, only when a customer
message needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from complaints.core.access import INTAKE_TEAM
from complaints.core.auth import SLA_SWEEP
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import (
    Complaint,
    ContactMethod,
    FollowUpStatus,
    Language,
    Outcome,
    Redress,
    Resolution,
    Status,
)
from complaints.intake.lifecycle import Action
from complaints.notifications import templates
from complaints.notifications.messages import (
    LEVEL_TOPICS,
    DeliveryChannel,
    MessageKind,
    OutgoingMessage,
    StaffTopic,
)
from complaints.notifications.templates import Brand, CustomerContent, EscalationFacts, StaffContent
from complaints.sla.escalation import Step, next_due_at, step_due_at

LinkFor = Callable[[Complaint], str]

_AUDIENCES = {
    topic.value: topic for topic in (StaffTopic.SUPERVISOR, StaffTopic.MANAGER, StaffTopic.COMPLIANCE)
}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _step(value: Any) -> Step | None:
    try:
        return Step(value)
    except ValueError:
        return None


def _level(value: Any) -> int | None:
    """An escalation level as the tracker (a number) or a JSON round trip (maybe "2", 2.0) gives it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _assigned(value: Any) -> str | None:
    """The SLA tracker names a missing owner `unassigned`; that is no one."""
    text = _text(value)
    return None if text in (None, "unassigned") else text


class NotificationPlanner:
    def __init__(self, brand: Brand, link_for: LinkFor, staff_language: Language = Language.ZH_CN) -> None:
        self._brand = brand
        self._link_for = link_for
        self._staff_language = staff_language

    @staticmethod
    def concerns(event: DomainEvent) -> bool:
        """Whether the event can lead to a message at all (the others need no complaint read)."""
        if event.name is EventName.COMPLAINT_UPDATED:
            return _is_public_response(event) or _is_change_of_course(event)
        return event.name in NOTIFIED_EVENTS

    def plan(self, event: DomainEvent, complaint: Complaint) -> list[OutgoingMessage]:
        data = event.data
        if event.name is EventName.COMPLAINT_RECEIVED:
            return self._customer(
                MessageKind.RECEIPT, complaint, lambda link: templates.receipt(complaint, self._brand, link)
            )
        if event.name is EventName.COMPLAINT_ACKNOWLEDGED or _is_public_response(event):
            message = _text(data.get("message"))
            if message is None or data.get("public") is False:
                return []
            return self._customer(
                MessageKind.RESPONSE,
                complaint,
                lambda link: templates.response(complaint, self._brand, link, message),
            )
        if event.name is EventName.COMPLAINT_RESOLVED:
            return self._resolution(event, complaint)
        if event.name is EventName.COMPLAINT_UPDATED and data.get("action") == Action.ASSIGN_FOLLOW_UP:
            # The supervisor named for a follow-up (回访) is told: the supervisor topic, their name as the
            # `assignee` attribute (subscribers filter on it); nobody when it went back to the team.
            if not _assigned(data.get("assignee")):
                return []
            return self._follow_up(event, complaint, (MessageKind.FOLLOW_UP, StaffTopic.SUPERVISOR))
        if event.name is EventName.COMPLAINT_UPDATED:
            return self._update(event, complaint)
        if event.name is EventName.COMPLAINT_CLOSED:
            return self._customer(
                MessageKind.CLOSED, complaint, lambda link: templates.closed(complaint, self._brand, link)
            )
        if event.name is EventName.COMPLAINT_ESCALATED:
            return self._escalation(event, complaint)
        if event.name is EventName.SLA_AT_RISK:
            return self._at_risk(event, complaint)
        if event.name in _FOLLOW_UP_TOPICS:
            return self._follow_up(event, complaint)
        return []

    # --- to the customer --------------------------------------------------------------------------

    def _customer(
        self,
        kind: MessageKind,
        complaint: Complaint,
        render: Callable[[str], CustomerContent],
        link: str | None = None,
        after: MessageKind | None = None,
    ) -> list[OutgoingMessage]:
        content = render(link if link is not None else self._link_for(complaint))
        customer = complaint.customer
        messages = []
        for method in _channels(complaint):
            if method is ContactMethod.SMS and customer.phone:
                messages.append(
                    OutgoingMessage(
                        key=f"{kind.value}:sms",
                        kind=kind,
                        channel=DeliveryChannel.SMS,
                        language=customer.language,
                        recipient=customer.phone,
                        text=content.sms,
                        after=f"{after.value}:sms" if after else None,
                    )
                )
            elif method is ContactMethod.EMAIL and customer.email:
                messages.append(
                    OutgoingMessage(
                        key=f"{kind.value}:email",
                        kind=kind,
                        channel=DeliveryChannel.EMAIL,
                        language=customer.language,
                        recipient=str(customer.email),
                        subject=content.subject,
                        text=content.text,
                        html=content.html,
                        after=f"{after.value}:email" if after else None,
                    )
                )
        return messages

    def _resolution(self, event: DomainEvent, complaint: Complaint) -> list[OutgoingMessage]:
        resolution = _resolution_of(event.data.get("resolution")) or complaint.resolution
        if resolution is None:
            return []
        outcome: Outcome = resolution.outcome
        summary: str = resolution.summary
        redress: Redress | None = resolution.redress
        link = self._link_for(complaint)
        return [
            *self._customer(
                MessageKind.RESOLUTION,
                complaint,
                lambda link: templates.resolution(complaint, self._brand, link, outcome, summary, redress),
                link,
            ),
            *self._customer(
                MessageKind.SURVEY,
                complaint,
                lambda link: templates.survey(complaint, self._brand, link),
                link,
                after=MessageKind.RESOLUTION,
            ),
        ]

    def _update(self, event: DomainEvent, complaint: Complaint) -> list[OutgoingMessage]:
        """A change of the complaint's course the customer is told of (pause and its reminder, resume,
        an extension by `extend` or by a triage that took one, a solution plan, withdraw); other updates
        tell no one."""
        action, data = event.data.get("action"), event.data
        if action in (Action.PAUSE, Action.REMIND):
            if complaint.status is not Status.AWAITING_CUSTOMER:
                return []  # resumed, resolved or withdrawn since: we no longer wait for them
            needed = _text(data.get(_PAUSE_NEEDED)) or _text(data.get("reason"))
            until = _moment(data.get(_PAUSE_ENDS))
            kind, render = (
                (MessageKind.PAUSED, templates.paused)
                if action == Action.PAUSE
                else (MessageKind.REMINDER, templates.reminder)
            )
            told = self._customer(
                kind, complaint, lambda link: render(complaint, self._brand, link, needed, until)
            )
            if action == Action.REMIND and isinstance(until, datetime):
                # Paused complaints stay watched: the handler hears halfway, with the pause's end.
                told.append(self._handler(MessageKind.PAUSE_HALFWAY, complaint, until))
            return told
        if action == Action.RESUME:
            due = _resolution_due_at(data, complaint)
            told = self._customer(
                MessageKind.RESUMED,
                complaint,
                lambda link: templates.resumed(complaint, self._brand, link, due),
            )
            if event.correlation_id == SLA_SWEEP.id:
                # The pause reached its end and the sweep resumed it: the handler is told the clock runs.
                told.append(self._handler(MessageKind.PAUSE_ENDED, complaint, due))
            return told
        if action == Action.EXTEND or _is_triage_extension(event):
            due, reason = _resolution_due_at(data, complaint), _text(data.get("reason"))
            return self._customer(
                MessageKind.EXTENDED,
                complaint,
                lambda link: templates.extended(complaint, self._brand, link, due, reason),
            )
        if action == Action.TRIAGE:
            # Told once, from the new complaint's reading: the earlier one's back-link tells no one.
            linked = data.get("linked")
            first = linked[0] if isinstance(linked, list) and linked and isinstance(linked[0], dict) else None
            other = _text(first.get("reference")) if first else None
            if other is None:
                return []
            return self._customer(
                MessageKind.LINKED,
                complaint,
                lambda link: templates.linked(complaint, self._brand, link, other),
            )
        if action == Action.SOLUTION_PLAN:
            plan, resolve_by = _text(data.get("plan")) or "", _moment(data.get("resolveBy"))
            when = resolve_by if isinstance(resolve_by, datetime) else complaint.deadlines.resolution_due_at
            return self._customer(
                MessageKind.SOLUTION_PLAN,
                complaint,
                lambda link: templates.solution_plan(complaint, self._brand, link, plan, when),
            )
        if action == Action.WITHDRAW:
            return self._customer(
                MessageKind.WITHDRAWN,
                complaint,
                lambda link: templates.withdrawn(complaint, self._brand, link),
            )
        return []

    # --- to staff ---------------------------------------------------------------------------------

    def _escalation(self, event: DomainEvent, complaint: Complaint) -> list[OutgoingMessage]:
        data = event.data
        level = _level(data.get("level"))
        if level is None or level not in LEVEL_TOPICS:
            return []
        step = _step(data.get("step"))
        if step is not None:
            due_at = step_due_at(complaint, step)
        else:
            due_at = next_due_at(complaint) or complaint.deadlines.resolution_due_at
        flags = data.get("riskFlags")
        facts = EscalationFacts(
            level=level,
            due_at=due_at,
            step=step,
            risk_flags=tuple(str(flag) for flag in flags) if isinstance(flags, list) else (),
            manual=bool(data.get("manual")),
            reason=_text(data.get("reason")),
            team=_assigned(data.get("team")),
            assignee=_assigned(data.get("assignee")),
        )
        content = templates.escalation(complaint, self._staff_language, facts)
        topics = [LEVEL_TOPICS[level]]
        notify = data.get("notify")
        for name in notify if isinstance(notify, list) else []:
            topic = _AUDIENCES.get(name) if isinstance(name, str) else None
            if topic is not None and topic not in topics:
                topics.append(topic)
        attributes = {
            "kind": MessageKind.ESCALATION.value,
            "level": str(level),
            "reference": complaint.reference,
            "priority": complaint.priority.value,
            "team": facts.team or complaint.team,
            "assignee": facts.assignee or complaint.assignee,
            "step": step.value if step else None,
        }
        return [self._staff(MessageKind.ESCALATION, topic, content, attributes) for topic in topics]

    def _at_risk(self, event: DomainEvent, complaint: Complaint) -> list[OutgoingMessage]:
        step = _step(event.data.get("deadline"))
        if step is None or not _still_at_risk(complaint, step):
            return []
        due_at = step_due_at(complaint, step)
        team = _assigned(event.data.get("team")) or complaint.team
        assignee = _assigned(event.data.get("assignee")) or complaint.assignee
        content = templates.at_risk(complaint, self._staff_language, step, due_at, team, assignee)
        attributes = {
            "kind": MessageKind.AT_RISK.value,
            "deadline": step.value,
            "reference": complaint.reference,
            "priority": complaint.priority.value,
            "team": team,
            "assignee": assignee,
        }
        return [self._staff(MessageKind.AT_RISK, StaffTopic.AT_RISK, content, attributes)]

    def _follow_up(
        self,
        event: DomainEvent,
        complaint: Complaint,
        audience: tuple[MessageKind, StaffTopic] | None = None,
    ) -> list[OutgoingMessage]:
        follow_up = complaint.follow_up
        if follow_up is None or follow_up.status is not FollowUpStatus.OPEN:
            return []  # completed since: nobody needs to call
        kind, topic = audience or _FOLLOW_UP_TOPICS[event.name]
        team = _text(event.data.get("team")) or follow_up.team or complaint.team or INTAKE_TEAM
        content = templates.follow_up(
            complaint, self._staff_language, kind, follow_up.due_at, follow_up.rating, team
        )
        attributes = {
            "kind": kind.value,
            "reference": complaint.reference,
            "team": team,
            "rating": str(follow_up.rating),
            "assignee": follow_up.assignee,
        }
        return [self._staff(kind, topic, content, attributes)]

    def _handler(self, kind: MessageKind, complaint: Complaint, moment: datetime) -> OutgoingMessage:
        """A notice to the complaint's handler: the at-risk topic, which their subscription filters on
        `assignee` (and their team's on `team`)."""
        content = templates.pause_notice(complaint, self._staff_language, kind, moment)
        attributes = {
            "kind": kind.value,
            "reference": complaint.reference,
            "team": complaint.team,
            "assignee": complaint.assignee,
        }
        return self._staff(kind, StaffTopic.AT_RISK, content, attributes)

    def _staff(
        self,
        kind: MessageKind,
        topic: StaffTopic,
        content: StaffContent,
        attributes: Mapping[str, str | None],
    ) -> OutgoingMessage:
        return OutgoingMessage(
            key=f"{kind.value}:{topic.value}",
            kind=kind,
            channel=DeliveryChannel.STAFF,
            language=self._staff_language,
            recipient=topic.value,
            subject=content.subject,
            text=content.text,
            attributes={name: value for name, value in attributes.items() if value},
        )


# The events that may tell someone something: the notifications queue's bus rule passes these
# (infra/complaint_guard/constructs/notifications.py), the rest never reach the notifier.
NOTIFIED_EVENTS = frozenset(
    {
        EventName.COMPLAINT_RECEIVED,
        EventName.COMPLAINT_ACKNOWLEDGED,
        EventName.COMPLAINT_UPDATED,
        EventName.COMPLAINT_RESOLVED,
        EventName.COMPLAINT_CLOSED,
        EventName.COMPLAINT_ESCALATED,
        EventName.SLA_AT_RISK,
        EventName.FOLLOW_UP_OPENED,
        EventName.FOLLOW_UP_OVERDUE,
    }
)
# A follow-up (回访) to call: the team's supervisors when it opens, the managers when it is overdue.
_FOLLOW_UP_TOPICS = {
    EventName.FOLLOW_UP_OPENED: (MessageKind.FOLLOW_UP, StaffTopic.SUPERVISOR),
    EventName.FOLLOW_UP_OVERDUE: (MessageKind.FOLLOW_UP_OVERDUE, StaffTopic.MANAGER),
}
# The updates the customer is told of, by their audit action.
_TOLD_UPDATES = frozenset(
    {Action.PAUSE, Action.REMIND, Action.RESUME, Action.EXTEND, Action.SOLUTION_PLAN, Action.WITHDRAW}
)
# What a pause's event says besides its reason (complaints/intake/outbox.py): what the customer is
# asked for, and when the pause ends (a time, or a day). Either may be absent: the message then says
# what it can (the reason stands for what is needed).
_PAUSE_NEEDED = "needed"
_PAUSE_ENDS = "pausedUntil"


def _is_triage_extension(event: DomainEvent) -> bool:
    """A triage (PATCH) that took an extension and moved the resolution deadline later."""
    fields = event.data.get("fields")
    return (
        event.data.get("action") == Action.UPDATE
        and isinstance(fields, list)
        and "extensions" in fields
        and _moment(event.data.get("resolutionDueAt")) is not None
    )


def _is_change_of_course(event: DomainEvent) -> bool:
    action = event.data.get("action")
    told = action in _TOLD_UPDATES or action == Action.ASSIGN_FOLLOW_UP
    linked = action == Action.TRIAGE and bool(event.data.get("linked"))
    return told or linked or _is_triage_extension(event)


def _is_public_response(event: DomainEvent) -> bool:
    return (
        event.name is EventName.COMPLAINT_UPDATED
        and event.data.get("kind") == "response"
        and event.data.get("public") is True
    )


def _channels(complaint: Complaint) -> Iterable[ContactMethod]:
    customer = complaint.customer
    preferred = list(dict.fromkeys(customer.preferred_contact))
    if preferred:
        return preferred
    return [ContactMethod.SMS] if customer.phone else [ContactMethod.EMAIL]


def _moment(value: Any) -> datetime | date | None:
    """A time (ISO-8601 with a zone) or a day (YYYY-MM-DD) as an event carries it; None otherwise."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == len("YYYY-MM-DD"):
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _resolution_due_at(data: Mapping[str, Any], complaint: Complaint) -> datetime:
    """The resolution deadline the change set (the event names it), else the complaint's own."""
    moment = _moment(data.get("resolutionDueAt"))
    return moment if isinstance(moment, datetime) else complaint.deadlines.resolution_due_at


def _resolution_of(value: Any) -> Resolution | None:
    """The resolution the event announces (a later one may have replaced it on the complaint)."""
    if not isinstance(value, dict):
        return None
    try:
        return Resolution.model_validate(value)
    except ValidationError:
        return None


def _still_at_risk(complaint: Complaint, step: Step) -> bool:
    """A warning about a deadline that was met since (answered, resolved, withdrawn) is moot."""
    if complaint.status in (Status.RESOLVED, Status.CLOSED, Status.WITHDRAWN):
        return False
    if step is Step.FIRST_RESPONSE and complaint.first_responded_at is not None:
        return False
    return step.value not in complaint.sla_steps
