"""Accountability: a record opened (by the SLA tracker) for each missed resolution deadline, naming
the handler and team; a supervisor or manager from outside that team reviews it once, with a finding
and the action taken."""

from __future__ import annotations

from pydantic import Field

from complaints.core import access
from complaints.core.auth import Caller
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import IllegalTransition, VersionConflict
from complaints.core.models import AccountabilityRecord, AccountabilityStatus, Finding
from complaints.core.paging import Page
from complaints.intake.commands import Reason, VersionedRequest
from complaints.sla.ports import AccountabilityStore


class ReviewRequest(VersionedRequest):
    finding: Finding = Field(description="justified: the breach was the handler's or team's doing")
    action: Reason = Field(description="what follows, e.g. coaching, process change, none")


class AccountabilityReviews:
    def __init__(self, store: AccountabilityStore, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    def list(
        self, status: AccountabilityStatus, team: str | None, limit: int, next_token: str | None
    ) -> Page[AccountabilityRecord]:
        return self._store.list_accountability(status, team, limit, next_token)

    def review(self, record_id: str, request: ReviewRequest, caller: Caller) -> AccountabilityRecord:
        record = self._store.get_accountability(record_id)
        # Nobody reviews their own handling or their own team's (core/access): refused before the
        # record's state is told.
        access.require_review(caller, record)
        if request.version is not None and request.version != record.version:
            raise VersionConflict(
                f"the record is at version {record.version}, not {request.version}",
                [{"field": "version", "message": f"current version is {record.version}"}],
            )
        if record.status is AccountabilityStatus.REVIEWED:
            raise IllegalTransition(
                f"accountability record {record_id} was already reviewed by {record.reviewed_by}",
                [{"field": "status", "message": "is reviewed"}],
            )
        reviewed = record.model_copy(
            update={
                "status": AccountabilityStatus.REVIEWED,
                "finding": request.finding,
                "action": request.action,
                "reviewed_by": caller.id,
                "reviewed_at": self._clock(),
                "version": record.version + 1,
            }
        )
        self._store.save_review(reviewed, expected_version=record.version)
        return reviewed
