"""The notifier use case: for one domain event, plan the messages, send each through its port and
record every attempt, sent or failed, in the complaint's notification log.

- Idempotent per event: a message whose key is logged as sent for this event id is not sent again, so a
  retry of the queue message (or a second delivery of the same event) repeats only what failed.
- A failed send is recorded, the other messages of the event are still tried, and then the notifier
  raises `NotificationsFailed`: the queue retries the event and, after its retries, dead-letters it.
- A message that must follow another (the survey after the resolution on the same channel) waits
  while that one has not gone out; it is neither sent nor recorded in that attempt.
- A send is recorded after it happened: if the record cannot be written the event is retried and that
  one message may go twice (at least once, never lost).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from complaints.core.clock import Clock, utc_now
from complaints.core.errors import DomainError, ServiceUnavailable
from complaints.core.events import DomainEvent
from complaints.notifications.masking import mask_recipient
from complaints.notifications.messages import DeliveryChannel, OutgoingMessage
from complaints.notifications.planner import NotificationPlanner
from complaints.notifications.ports import (
    ComplaintReader,
    DeliveryFailed,
    DeliveryStatus,
    DeliveryThrottled,
    EmailSender,
    NotificationLog,
    NotificationRecord,
    SmsSender,
    StaffNotifier,
)

Observer = Callable[[NotificationRecord], None]


class NotificationsFailed(ServiceUnavailable):
    """Some messages of an event were not sent (each failure is in the log); retry the event."""

    code = "notifications_failed"


@dataclass
class NotifyReport:
    records: list[NotificationRecord] = field(default_factory=list)
    # keys already sent for this event by an earlier attempt
    skipped: list[str] = field(default_factory=list)
    # keys waiting for a message that failed in this attempt
    deferred: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[NotificationRecord]:
        return [record for record in self.records if record.status is DeliveryStatus.FAILED]


class Notifier:
    def __init__(
        self,
        complaints: ComplaintReader,
        planner: NotificationPlanner,
        email: EmailSender,
        sms: SmsSender,
        staff: StaffNotifier,
        log: NotificationLog,
        clock: Clock = utc_now,
    ) -> None:
        self._complaints = complaints
        self._planner = planner
        self._email = email
        self._sms = sms
        self._staff = staff
        self._log = log
        self._clock = clock

    def notify(self, event: DomainEvent, observe: Observer | None = None) -> NotifyReport:
        """Send what the event calls for. `observe` sees every record as it is written (metrics)."""
        report = NotifyReport()
        if event.complaint_id is None or not self._planner.concerns(event):
            return report
        complaint = self._complaints.get(event.complaint_id)
        messages = self._planner.plan(event, complaint)
        if not messages:
            return report
        sent = {
            entry.message_key
            for entry in self._log.for_complaint(complaint.id)
            if entry.event_id == event.id and entry.status is DeliveryStatus.SENT
        }
        planned = {message.key for message in messages}
        for message in messages:
            if message.key in sent:
                report.skipped.append(message.key)
                continue
            if message.after is not None and message.after not in sent and message.after in planned:
                report.deferred.append(message.key)
                continue
            record = self._send(event, message)
            self._log.record(record)
            report.records.append(record)
            if record.status is DeliveryStatus.SENT:
                sent.add(message.key)
            if observe is not None:
                observe(record)
        if report.failed or report.deferred:
            failed = [f"{record.message_key} ({record.error_code})" for record in report.failed]
            raise NotificationsFailed(
                f"{event.name.value} {event.id}: {len(report.failed)} of {len(messages)} messages failed"
                + (f": {', '.join(failed)}" if failed else "")
                + (f"; waiting: {', '.join(report.deferred)}" if report.deferred else "")
            )
        return report

    def _send(self, event: DomainEvent, message: OutgoingMessage) -> NotificationRecord:
        provider_id: str | None = None
        error_code: str | None = None
        try:
            provider_id = self._deliver(message)
        except (DeliveryFailed, DeliveryThrottled) as error:
            error_code = error.provider_code
        except DomainError as error:
            error_code = error.code
        except Exception as error:  # anything else: recorded too, then the event is retried
            error_code = type(error).__name__
        return NotificationRecord(
            complaint_id=event.complaint_id,
            event_id=event.id,
            event_name=event.name.value,
            message_key=message.key,
            kind=message.kind,
            channel=message.channel,
            recipient=mask_recipient(message.channel, message.recipient),
            status=DeliveryStatus.FAILED if error_code else DeliveryStatus.SENT,
            provider_message_id=provider_id,
            error_code=error_code,
            at=self._clock(),
        )

    def _deliver(self, message: OutgoingMessage) -> str:
        if message.channel is DeliveryChannel.EMAIL:
            return self._email.send(
                message.recipient, message.subject or "", message.text, message.html or message.text
            )
        if message.channel is DeliveryChannel.SMS:
            return self._sms.send(message.recipient, message.text)
        return self._staff.publish(message.recipient, message.subject or "", message.text, message.attributes)
