"""Lifecycle actions on a complaint: respond, pause and resume, extend, give a solution plan, escalate,
resolve, close, reopen, withdraw. Each takes the version the caller read (in the body or as If-Match).
Each is for the staff who work the complaint's team (core/access), checked by the service on the
complaint it changes; a withdrawal is also recorded by the channel app that submitted the complaint, for
the customer who asked."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from resolver import ComplaintId, IfMatch, app, caller, responses, with_version

from complaints.composition import api as composition
from complaints.core.auth import Caller, Permission, caller_from_claims
from complaints.core.models import (
    Complaint,
)
from complaints.intake.commands import (
    CloseRequest,
    OptionalReasonRequest,
    PauseRequest,
    ReasonRequest,
    ReopenRequest,
    ResolveRequest,
    ResponseRequest,
    SolutionPlanRequest,
    WithdrawRequest,
)

router = Router()  # type: ignore[no-untyped-call]
complaints = composition.complaint_service


@router.post(
    "/v1/complaints/<complaint_id>/responses",
    summary="Send a response to the customer",
    description="A response: staff who work the complaint's team. An internal note (`internal: true`): "
    "they, and compliance on any complaint.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def respond(
    complaint_id: ComplaintId, body: Annotated[ResponseRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    staff = caller(Permission.NOTE if body.internal else Permission.WORK)
    return complaints().respond(complaint_id, with_version(body, if_match), staff)


@router.post(
    "/v1/complaints/<complaint_id>/pause",
    summary="Wait for the customer (stops the clock, for a bounded time)",
    description="`reason` and `needed` (what the customer is asked for; they are told it and by when). "
    "The pause ends at `pausedUntil`: `until` if given, at most (and by default) what is left of the "
    "policy's limit (seed: 10 days in all; cbirc-2020, fca-disp and cfpb stop no clock: 409). The "
    "clock restarts when the customer answers through their tracking link, staff resume, or the pause "
    "ends (the SLA sweep); the customer is reminded halfway.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def pause(
    complaint_id: ComplaintId, body: Annotated[PauseRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().pause(complaint_id, with_version(body, if_match), caller(Permission.WORK))


@router.post(
    "/v1/complaints/<complaint_id>/resume",
    summary="Restart the clock",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def resume(
    complaint_id: ComplaintId, body: Annotated[OptionalReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().resume(complaint_id, with_version(body, if_match), caller(Permission.WORK))


@router.post(
    "/v1/complaints/<complaint_id>/extend",
    summary="Extend the resolution deadline (supervisor)",
    description="Supervisors and managers, on the complaints of their teams.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def extend(
    complaint_id: ComplaintId, body: Annotated[ReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().extend(complaint_id, with_version(body, if_match), caller(Permission.EXTEND))


@router.post(
    "/v1/complaints/<complaint_id>/solution-plan",
    summary="Give the customer a solution plan (complex complaints, seed policy)",
    description="What will be done (`plan`, sent to the customer) and by when (`resolveBy`, which becomes "
    "the resolution deadline): owed within 48 hours of receipt by a complex complaint under the seed "
    "policy (24 for a critical one), at most 15 days from receipt (30 once a supervisor extends it); "
    "409 for a complaint that owes none. Given again, it revises the plan: a later date is an extension "
    "(supervisors, with a `reason`). Staff who work the complaint's team.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def give_solution_plan(
    complaint_id: ComplaintId, body: Annotated[SolutionPlanRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    staff = caller(Permission.WORK)
    return complaints().give_solution_plan(complaint_id, with_version(body, if_match), staff)


@router.post(
    "/v1/complaints/<complaint_id>/escalate",
    summary="Escalate one level",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def escalate(
    complaint_id: ComplaintId, body: Annotated[ReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().escalate(complaint_id, with_version(body, if_match), caller(Permission.WORK))


@router.post(
    "/v1/complaints/<complaint_id>/resolve",
    summary="Resolve",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def resolve(
    complaint_id: ComplaintId, body: Annotated[ResolveRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().resolve(complaint_id, with_version(body, if_match), caller(Permission.WORK))


@router.post(
    "/v1/complaints/<complaint_id>/close",
    summary="Close a resolved complaint the customer accepted",
    description="A resolved complaint closes by itself when the policy's cooling-off period ends "
    "(`closesAt`) unless the customer disputes it. Closing it earlier needs the customer's acceptance: "
    "given through their tracking link, or recorded here with `receivedVia` and `receivedAt` (how and "
    "when it reached the bank); otherwise 409 `customer_acceptance_required`.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def close(
    complaint_id: ComplaintId, body: Annotated[CloseRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().close(complaint_id, with_version(body, if_match), caller(Permission.WORK))


@router.post(
    "/v1/complaints/<complaint_id>/reopen",
    summary="Reopen a resolved complaint",
    description="`handlingWrong: true` when it was handled wrongly: an accountability record opens "
    "against the handler and team who resolved it, in the same write.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def reopen(
    complaint_id: ComplaintId, body: Annotated[ReopenRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().reopen(complaint_id, with_version(body, if_match), caller(Permission.WORK))


@router.post(
    "/v1/complaints/<complaint_id>/withdraw",
    summary="Record the customer's request to withdraw the complaint",
    description="Only at the customer's request: `receivedVia` (phone, letter, branch, email, "
    "online_banking, mobile_app) and `receivedAt` (when it reached the bank; the complaint ends then) "
    "are required. Staff who work the complaint's team, or the channel app that submitted it. The "
    "customer withdraws by themselves through their tracking link.",
    tags=["lifecycle"],
    responses=responses(404, 409),
)
def withdraw(
    complaint_id: ComplaintId, body: Annotated[WithdrawRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaints().withdraw(complaint_id, with_version(body, if_match), _signed_in())


def _signed_in() -> Caller:
    """Whoever the token names; the change path decides whether they may (core/access)."""
    return caller_from_claims(app.current_event.request_context.authorizer.claims)
