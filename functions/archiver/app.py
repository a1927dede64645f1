"""The trail's archiver: DynamoDB Streams (the trail table) → this function → the archive bucket.

Each new audit event is written, as the hash chain seals it (no personal values), to the bucket under
Object Lock (complaints/trail/archive.py). A record that cannot be archived is reported as the batch's
first failure, so the stream retries from it and, after its retries, sends it to the dead-letter queue;
records already archived are skipped by the conditional write.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecordEventName
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.composition import archiver

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# Fails the cold start, naming the variable, when the environment lacks a setting.
archiver.settings()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from complaints.adapters.dynamodb.stream import stored_event_from_stream_image
    from complaints.core.errors import ServiceUnavailable
    from complaints.trail.archive import ArchivedEvent

    archive = archiver.trail_archive()
    archived = 0
    for record in DynamoDBStreamEvent(event).records:
        if record.event_name is not DynamoDBRecordEventName.INSERT:
            continue
        stored = stored_event_from_stream_image(
            (record.dynamodb.new_image if record.dynamodb else None) or {}
        )
        if stored is None:
            continue
        try:
            archive.put(ArchivedEvent.of(stored))
        except ServiceUnavailable as error:
            logger.warning("archive busy", extra={"error": error.message})
            metrics.add_metric(name="TrailEventsArchived", unit="Count", value=archived)
            sequence = record.dynamodb.sequence_number if record.dynamodb else None
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
        archived += 1
    metrics.add_metric(name="TrailEventsArchived", unit="Count", value=archived)
    return {"batchItemFailures": []}
