"""Triage: the triage queue (bus rule on `ComplaintReceived` → SQS) → this function.

Each record is one `ComplaintReceived` as EventBridge put it on the queue; the complaint is read and
what triage found recorded on it (complaints/triage/service.py). A record that fails, fails alone
(partial batch response): the queue retries it, and after its retries it lands in the dead-letter
queue, whose alarm operations watch. The model loads on the first record of an instance, not at
import. Logs carry ids, flags and the team, never the complaint's text.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.composition import triage as composition
from complaints.core.events import EventName

logger = Logger()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
# Fails the cold start, naming the variable, when the environment lacks a setting.
composition.settings()


@tracer.capture_method(capture_response=False, capture_error=False)
def triage_record(record: SQSRecord) -> None:
    from complaints.notifications.inbound import domain_event_from_bus

    event = domain_event_from_bus(record.json_body)
    if event is None or event.name is not EventName.COMPLAINT_RECEIVED or event.complaint_id is None:
        logger.warning("not a complaint's receipt; dropped", extra={"messageId": record.message_id})
        return
    try:
        complaint = composition.triage_service().triage(event.complaint_id)
    except Exception:
        logger.exception("triage failed; the queue will retry it", extra={"complaintId": event.complaint_id})
        raise
    reading = complaint.triage
    logger.info(
        "complaint triaged",
        extra={
            "complaintId": complaint.id,
            "riskFlags": [flag.value for flag in reading.risk_flags] if reading else None,
            "sensitive": reading.sensitive if reading else None,
            "team": complaint.team,
            "links": [link.complaint_id for link in complaint.links],
        },
    )


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=triage_record, processor=processor, context=context
    )
