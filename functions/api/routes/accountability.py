"""Accountability records (missed deadlines, reopens because the handling was wrong, opened by hand):
the list, the opening by hand and the review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from complaints.composition import api as composition
from complaints.core.auth import Permission
from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityStatus,
)
from complaints.core.paging import MAX_PAGE_SIZE, Page
from complaints.sla.accountability import OpenRequest, ReviewRequest

if TYPE_CHECKING:
    pass


from resolver import caller, responses

router = Router()  # type: ignore[no-untyped-call]


@router.get(
    "/v1/accountability",
    summary="Breaches awaiting (or after) review",
    description="Supervisors and managers see every team's records: each is reviewed by someone "
    "outside the team it names.",
    tags=["accountability"],
    responses=responses(),
)
def list_accountability(
    status: Annotated[AccountabilityStatus, Query()] = AccountabilityStatus.OPEN,
    team: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[AccountabilityRecord]:
    caller(Permission.REVIEW)
    return composition.accountability_reviews().list(status, team, limit, next_token)


@router.post(
    "/v1/accountability",
    summary="Open a record by hand",
    description="Supervisors and managers, about a complaint's handling: the finding sought and the "
    "evidence (text, and attachments of the complaint), written with an audit event on the complaint's "
    "trail. Never about their own handling nor their own team's (`unassigned`: the intake queue): 403.",
    tags=["accountability"],
    responses=responses(404, 409),
)
def open_accountability(body: Annotated[OpenRequest, Body()]) -> AccountabilityRecord:
    return composition.complaint_service().open_accountability(body, caller(Permission.REVIEW))


@router.post(
    "/v1/accountability/<record_id>/review",
    summary="Record the finding and the action",
    description="Supervisors and managers, once per record; never the handler it names nor a member "
    "of its team (`unassigned`: the intake queue): 403.",
    tags=["accountability"],
    responses=responses(404, 409),
)
def review_accountability(
    record_id: Annotated[str, Path(min_length=1, max_length=64)], body: Annotated[ReviewRequest, Body()]
) -> AccountabilityRecord:
    return composition.accountability_reviews().review(record_id, body, caller(Permission.REVIEW))
