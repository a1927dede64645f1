"""How long each kind of record is kept: the retention schedule (docs/architecture.md, "Retention").

| record           | kept                                  | how it goes                                |
|------------------|---------------------------------------|--------------------------------------------|
| complaint        | `complaint_days` after it ended       | DynamoDB TTL on the item (`expiresAt`)       |
| audit trail      | `trail_days` after each event         | archive under Object Lock that long; the     |
|                  |                                       | table is append-only, never pruned by the    |
|                  |                                       | application (an operator procedure does)     |
| notification log | `notification_log_days` after sending | DynamoDB TTL on the entry                    |
| quarterly report | `report_days` after building          | S3 lifecycle expiration                      |
| attachment       | `attachment_days` after upload        | S3 lifecycle expiration                      |

A complaint ends when it is closed or withdrawn; one reopened is kept again until it ends again. One
under a legal hold is kept, whatever its age, until the hold is lifted. The defaults are at least the
longest of the minimums of the regulators this product serves (docs/architecture.md lists them); a bank
sets its own in the stack's settings (`retention` in cdk.json).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from complaints.core.models import Complaint, Status

_ENDED = frozenset({Status.CLOSED, Status.WITHDRAWN})


class RetentionSchedule(BaseModel):
    # Built when first used: it is imported by the complaint service, on every cold start.
    model_config = ConfigDict(frozen=True, defer_build=True)

    complaint_days: int = Field(default=5 * 365, ge=3 * 365)
    trail_days: int = Field(default=7 * 365, ge=3 * 365)
    notification_log_days: int = Field(default=5 * 365, ge=3 * 365)
    report_days: int = Field(default=7 * 365, ge=365)
    attachment_days: int = Field(default=5 * 365, ge=3 * 365)


def ended_at(complaint: Complaint) -> datetime | None:
    if complaint.status not in _ENDED:
        return None
    return complaint.closed_at or complaint.withdrawn_at or complaint.updated_at


def retain_until(complaint: Complaint, schedule: RetentionSchedule) -> datetime | None:
    """When the complaint's record may go: None while it is open or under a legal hold."""
    ended = ended_at(complaint)
    if ended is None or complaint.legal_hold is not None:
        return None
    return ended + timedelta(days=schedule.complaint_days)
