"""The one publisher of domain events: DynamoDB Streams → this function → the EventBridge bus.

Each new audit event of the complaints table becomes its domain event (complaints/outbox.py); they are
put on the bus in batches of 10, and a record whose event is refused fails alone (partial batch
response), so the stream retries it and, in the end, sends it to the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def publish_record(record: DynamoDBRecord) -> None:
    from complaints.adapters.outbox_stream import domain_event_from_stream_image
    from complaints.adapters.runtime import publisher

    image = record.dynamodb.new_image if record.dynamodb else None
    event = domain_event_from_stream_image(image or {})
    if event is None:
        return
    publisher().publish([event])
    metrics.add_metric(name="EventsPublished", unit="Count", value=1)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=publish_record, processor=processor, context=context
    )
