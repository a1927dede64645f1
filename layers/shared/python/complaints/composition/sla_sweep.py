"""The SLA sweep's composition root: the sweep over the byWatch index and the backlog gauge."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from complaints.adapters.aws import client
from complaints.composition import parts
from complaints.composition.settings import SweepSettings

if TYPE_CHECKING:
    from complaints.metrics.backlog import Backlog
    from complaints.sla.sweep import SlaSweep


@cache
def settings() -> SweepSettings:
    return SweepSettings.from_environment()


@cache
def dynamodb() -> Any:
    return client("dynamodb")


@cache
def sla_sweep() -> SlaSweep:
    from complaints.adapters.dynamodb.watch import DynamoDbWatchStore
    from complaints.adapters.stepfunctions import StepFunctionsTracker
    from complaints.sla.sweep import SlaSweep

    config = settings()
    return SlaSweep(
        parts.complaint_service(config, dynamodb()),
        DynamoDbWatchStore(config.table_name, dynamodb()),
        StepFunctionsTracker(config.sla_tracker_arn, client("stepfunctions")),
    )


@cache
def backlog() -> Backlog:
    from complaints.adapters.dynamodb.history import DynamoDbComplaintHistory
    from complaints.metrics.backlog import Backlog

    return Backlog(DynamoDbComplaintHistory(settings().table_name, dynamodb()))
