"""The one publisher of domain events: DynamoDB Streams → this function → the EventBridge bus.

Each new audit event of the trail table becomes its domain events (complaints/intake/outbox.py): one
for most, two for an SLA tracker's step that raises the level or a complaint critical at intake. The
batch's events go to the bus in PutEvents calls of up to 10. The record of an event the bus refuses is
reported as this batch's first failure, so the stream retries from it (events are at least once; their
ids let consumers drop a repeat) and, after its retries, sends it to the dead-letter queue.

Here every business fact becomes public, so here it is counted (complaints/metrics/measures.py): intake,
first responses on time or late, breaches, escalations, resolutions, ratings. Only the records the
stream will not hand over again are counted, so a retried batch does not count twice.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecordEventName
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.composition import publisher

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# Fails the cold start, naming the variable, when the environment lacks a setting.
publisher.settings()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from complaints.adapters.dynamodb.stream import audit_event_from_stream_image
    from complaints.adapters.emf import emit
    from complaints.adapters.eventbridge import EventPublishFailed
    from complaints.intake.outbox import domain_events_for
    from complaints.metrics.measures import measures_of

    records = list(DynamoDBStreamEvent(event).records)
    audited = []
    for position, record in enumerate(records):
        if record.event_name is not DynamoDBRecordEventName.INSERT:
            continue  # the stream's filter passes inserts only; this keeps the function honest alone
        image = record.dynamodb.new_image if record.dynamodb else None
        audit = audit_event_from_stream_image(image or {})
        if audit is not None:
            audited.append((position, audit, domain_events_for(audit)))
    announced = [domain_event for _, _, domain_events in audited for domain_event in domain_events]
    try:
        publisher.event_publisher().publish(announced)
    except EventPublishFailed as error:
        refused = [
            position
            for position, _, domain_events in audited
            if any(domain_event.id in error.failed_ids for domain_event in domain_events)
        ]
        logger.error(
            "events refused by the bus",
            extra={"refused": len(error.failed_ids), "records": len(refused), "error": error.message},
        )
        metrics.add_metric(name="EventsRefused", unit="Count", value=len(error.failed_ids))
        retry_from = refused[0] if refused else 0
        emit(
            measure
            for position, audit, _ in audited
            if position < retry_from
            for measure in measures_of(audit)
        )
        first = records[retry_from].dynamodb
        return {"batchItemFailures": [{"itemIdentifier": first.sequence_number if first else None}]}
    metrics.add_metric(name="EventsPublished", unit="Count", value=len(announced))
    emit(measure for _, audit, _ in audited for measure in measures_of(audit))
    return {"batchItemFailures": []}
