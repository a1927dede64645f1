"""The notifier: the notification queue (bus rule → SQS) → this function → SES and SNS.

Each record is one domain event as EventBridge put it on the queue. The notifier sends what the event
calls for and records every send in the complaint's notification log (complaints/notifications). A
record whose messages cannot all be sent fails alone (partial batch response): the queue retries it,
messages already sent are not sent again, and after its retries it lands in the dead-letter queue.
Every send counts in NotificationsSent / NotificationsFailed, in total, by channel and by kind, the
same way for both (complaints/metrics/measures.py), added up over the batch. Logs carry ids, kinds, channels
and masked recipients: never a phone, an address or a name.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.adapters.emf import emit
from complaints.composition import notifier as composition
from complaints.metrics.measures import NOTIFICATIONS_FAILED, NOTIFICATIONS_SENT, Measure, counted
from complaints.notifications.ports import DeliveryStatus, NotificationRecord

logger = Logger()
tracer = Tracer()
# An all-failed batch is reported like any other (every message id listed), not raised.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
# The sends of the batch being handled, emitted once at its end.
sends: list[Measure] = []
# Fails the cold start, naming the variable, when the environment lacks a setting.
composition.settings()


def count(record: NotificationRecord) -> None:
    sent = record.status is DeliveryStatus.SENT
    name = NOTIFICATIONS_SENT if sent else NOTIFICATIONS_FAILED
    sends.extend(counted(name, channel=record.channel.value, kind=record.kind.value))
    logger.info(
        "notification sent" if sent else "notification failed",
        extra={
            "messageKey": record.message_key,
            "channel": record.channel.value,
            "kind": record.kind.value,
            "recipient": record.recipient,
            "status": record.status.value,
            "providerMessageId": record.provider_message_id,
            "errorCode": record.error_code,
        },
    )


@tracer.capture_method(capture_response=False, capture_error=False)
def notify_record(record: SQSRecord) -> None:
    from complaints.notifications.inbound import domain_event_from_bus

    event = domain_event_from_bus(record.json_body)
    if event is None:
        logger.info("not an event anyone is told about", extra={"messageId": record.message_id})
        return
    keys = {"eventId": event.id, "eventName": event.name.value, "complaintId": event.complaint_id}
    logger.append_keys(**keys)
    logger.set_correlation_id(event.correlation_id)
    try:
        report = composition.notifier().notify(event, observe=count)
        if report.skipped:
            logger.info("already sent for this event", extra={"messageKeys": report.skipped})
    except Exception:
        logger.exception("notifications of this event failed; the queue will retry it")
        raise
    finally:
        logger.remove_keys(list(keys))
        logger.set_correlation_id(None)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    try:
        return process_partial_response(
            event=event, record_handler=notify_record, processor=processor, context=context
        )
    finally:
        emit(sends)
        sends.clear()
