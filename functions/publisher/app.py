"""The one publisher of domain events: DynamoDB Streams → this function → the EventBridge bus.

Each new audit event of the complaints table becomes its domain event (complaints/outbox.py); the
batch's events go to the bus in PutEvents calls of up to 10. An event the bus refuses is reported as
this batch's first failure, so the stream retries from it (events are at least once; their ids let
consumers drop a repeat) and, after its retries, sends it to the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecordEventName
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from complaints.adapters.eventbridge import EventPublishFailed
    from complaints.adapters.outbox_stream import domain_event_from_stream_image
    from complaints.adapters.runtime import publisher

    records = list(DynamoDBStreamEvent(event).records)
    announced = []
    for record in records:
        if record.event_name is not DynamoDBRecordEventName.INSERT:
            continue  # the stream's filter passes inserts only; this keeps the function honest alone
        image = record.dynamodb.new_image if record.dynamodb else None
        domain_event = domain_event_from_stream_image(image or {})
        if domain_event is not None:
            announced.append((record, domain_event))
    try:
        publisher().publish([domain_event for _, domain_event in announced])
    except EventPublishFailed as error:
        refused = [record for record, domain_event in announced if domain_event.id in error.failed_ids]
        logger.error("events refused by the bus", extra={"refused": len(refused), "error": error.message})
        metrics.add_metric(name="EventsRefused", unit="Count", value=len(refused))
        first = refused[0] if refused else records[0]
        sequence = first.dynamodb.sequence_number if first.dynamodb else None
        return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    metrics.add_metric(name="EventsPublished", unit="Count", value=len(announced))
    return {"batchItemFailures": []}
