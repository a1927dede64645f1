"""Every resource name and setting a function needs, read once from its environment.

The CDK stack sets these variables on each function; the local runtime reads them back from the
deployed stack, so the two never disagree.
"""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from .models import SlaPolicyName


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    table_name: str = Field(alias="TABLE_NAME")
    idempotency_table_name: str | None = Field(default=None, alias="IDEMPOTENCY_TABLE_NAME")
    # The SLA tracker state machine and the event bus; unset only in tests of the API alone.
    sla_tracker_arn: str | None = Field(default=None, alias="SLA_TRACKER_ARN")
    event_bus_name: str | None = Field(default=None, alias="EVENT_BUS_NAME")
    sla_policy: SlaPolicyName = Field(default=SlaPolicyName.SEED, alias="SLA_POLICY")
    # Seconds a retried intake with the same Idempotency-Key returns the first answer.
    idempotency_ttl_seconds: int = Field(default=24 * 3600, alias="IDEMPOTENCY_TTL_SECONDS")


@cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
