"""The triage function's composition root: the triage use case over the complaints table, the model
loaded on first use (complaints/triage/analysis.py)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from complaints.adapters.aws import client
from complaints.composition import parts
from complaints.composition.settings import TriageSettings

if TYPE_CHECKING:
    from complaints.triage.service import TriageService


@cache
def settings() -> TriageSettings:
    return TriageSettings.from_environment()


@cache
def triage_service() -> TriageService:
    from complaints.adapters.dynamodb.rosters import DynamoDbRosterStore
    from complaints.triage.service import TriageService

    config = settings()
    dynamodb = client("dynamodb")
    repository = parts.complaint_repository(config, dynamodb)
    return TriageService(
        parts.complaint_service(config, dynamodb, repository=repository),
        repository,
        config.triage_rules,
        workloads=DynamoDbRosterStore(config.table_name, dynamodb),
    )
