"""Accountability: a record opened for each occasion, naming the handler and team — by the SLA tracker
at a missed first-response, solution-plan or resolution deadline, by a reopen because the handling was
wrong, or by a supervisor or manager by hand; one from outside that team reviews it once, with a finding
and the action taken. A complaint may have several records: each is keyed by the complaint version whose
change opened it (`record_id`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field, StringConstraints

from complaints.core import access
from complaints.core.auth import Caller
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import IllegalTransition, InvalidInput, VersionConflict
from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    AccountabilityTrigger,
    ApiModel,
    Complaint,
    Finding,
)
from complaints.core.paging import Page
from complaints.intake.commands import Reason, VersionedRequest
from complaints.sla.ports import AccountabilityStore


def record_id(complaint_id: str, version: int) -> str:
    """The id of the record opened by the change that took the complaint to `version`: unique per
    complaint (one change per version), so a complaint may have one record per occasion. The SLA
    tracker builds the same id in its ASL (States.Format('{}.{}', complaintId, version))."""
    return f"{complaint_id}.{version}"


def opened_record(
    current: Complaint,
    updated: Complaint,
    trigger: AccountabilityTrigger,
    *,
    reason: str | None = None,
    evidence: str | None = None,
    attachment_ids: Sequence[str] = (),
    opened_by: str | None = None,
) -> AccountabilityRecord:
    """The record a change of the complaint opens: against its handler and team as they were before
    the change (who handled it; `unassigned` when nobody was, as the tracker writes)."""
    return AccountabilityRecord(
        id=record_id(current.id, updated.version),
        complaint_id=current.id,
        reference=current.reference,
        trigger=trigger,
        reason=reason,
        evidence=evidence,
        attachment_ids=list(attachment_ids),
        opened_by=opened_by,
        assignee=current.assignee or access.UNASSIGNED,
        team=current.team or access.UNASSIGNED,
        status=AccountabilityStatus.OPEN,
        opened_at=updated.updated_at,
    )


class OpenRequest(ApiModel):
    """A record opened by hand by a supervisor or manager, about someone else's handling."""

    complaint_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    finding_sought: Reason = Field(
        description="what the review is to establish about the handling; the bank's record, kept after "
        "a customer's erasure: no customer's personal data"
    )
    evidence: Reason = Field(
        description="what the finding sought rests on (no customer's personal data: refer to the "
        "complaint and its attachments)"
    )
    attachment_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=20, description="attachments of the complaint that back it"
    )
    version: int | None = Field(default=None, ge=1, description="the complaint's version, if known")


def hand_opened_record(
    current: Complaint, updated: Complaint, request: OpenRequest, caller: Caller
) -> AccountabilityRecord:
    """The record of `request`, refused (403) when it is about the caller's own handling or team (the
    no-self-review rule, core/access) and 400 when an attachment is not the complaint's."""
    unknown = sorted(set(request.attachment_ids) - {attachment.id for attachment in current.attachments})
    if unknown:
        listed = ", ".join(unknown)
        raise InvalidInput.for_field("attachmentIds", f"not attachments of this complaint: {listed}")
    record = opened_record(
        current,
        updated,
        AccountabilityTrigger.OPENED_BY_SUPERVISOR,
        reason=request.finding_sought,
        evidence=request.evidence,
        attachment_ids=request.attachment_ids,
        opened_by=caller.id,
    )
    access.require_opening(caller, record)
    return record


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
