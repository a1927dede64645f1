"""The SLA sweep, run by EventBridge Scheduler every 15 minutes: sends each 80 % warning once and
restarts any SLA tracker that is missing or failed; reminds a customer the bank waits on halfway through
the pause and resumes the pause at its end; closes a resolution nobody disputed when its cooling-off
period ends. It reads only the complaints due soon.

It also measures the backlog (open complaints per status, the `OpenComplaints` gauge): a level has no
event to count it from, and every 15 minutes is often enough for a dashboard of a day's work."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.composition import sla_sweep

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# Fails the cold start, naming the variable, when the environment lacks a setting.
sla_sweep.settings()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from complaints.adapters.emf import emit

    report = sla_sweep.sla_sweep().run()
    for name, value in report.counts().items():
        metrics.add_metric(name=f"Sweep{name}", unit="Count", value=value)
    emit(sla_sweep.backlog().measure())
    logger.info("sla sweep done", extra=report.counts())
    return report.counts()
