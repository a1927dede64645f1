"""The quarterly report's builder. Two callers: EventBridge Scheduler on the first day of each quarter
(01:00 in the bank's time zone; the event is `{"run": "scheduled"}`) builds the quarter that has just
ended; the report queue delivers the builds managers ask for through `POST /v1/reports`. A failed build
is recorded on the report and raised, so the queue (or the schedule's retry policy) tries again and
finally dead-letters it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.composition import report_builder

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# Fails the cold start, naming the variable, when the environment lacks a setting.
report_builder.settings()
# A batch is one request: its failure is answered as that record's failure (the queue retries it, then
# dead-letters it, which alarms) rather than as an error of the whole invocation.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def build_requested(record: SQSRecord) -> None:
    report_id = str(json.loads(record.body)["reportId"])
    view = report_builder.quarterly_reports().build(report_id)
    logger.info("report built", extra={"reportId": view.id, "period": view.period})
    metrics.add_metric(name="ReportsPublished", unit="Count", value=1)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> Mapping[str, Any]:
    if "Records" in event:
        return process_partial_response(
            event=event, record_handler=build_requested, processor=processor, context=context
        )
    view = report_builder.quarterly_reports().scheduled()
    logger.info("scheduled report built", extra={"reportId": view.id, "period": view.period})
    metrics.add_metric(name="ReportsPublished", unit="Count", value=1)
    return {"reportId": view.id, "period": view.period, "status": view.status.value}
