"""Complaints: intake, listing, reading, triage and assignment, the audit trail, the deadlines preview."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from resolver import ComplaintId, IfMatch, LazyModule, caller, query_model, responses, with_version

from complaints.composition import api as composition
from complaints.core import access
from complaints.core.auth import Permission
from complaints.core.errors import Forbidden, InvalidInput
from complaints.core.models import (
    Category,
    Channel,
    Complaint,
    Deadlines,
    Priority,
    Status,
)
from complaints.core.paging import MAX_PAGE_SIZE, Page
from complaints.intake.commands import (
    IntakeRequest,
    SlaPreviewRequest,
    UpdateRequest,
)
from complaints.intake.customer_lookup import CustomerLookupRequest, OpenComplaints
from complaints.intake.ports import ComplaintQuery
from complaints.sla.policies import PolicyClocks, policy_clocks

# Named by the audit trail's route only, read when it first serves (resolver.LazyModule): not at cold
# start.
if TYPE_CHECKING:
    from complaints.intake import audit_trail as trail_models
else:
    trail_models = LazyModule("complaints.intake.audit_trail")

router = Router()  # type: ignore[no-untyped-call]
CustomerId = Annotated[
    str, Path(description="the customer's id, as intake gave it", min_length=1, max_length=64)
]


@router.post(
    "/v1/complaints",
    summary="Submit a complaint",
    tags=["complaints"],
    responses=responses(409, success=HTTPStatus.CREATED),
)
def submit_complaint(
    body: Annotated[IntakeRequest, Body()],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=128,
            description="retries with the same key and body return the same complaint",
        ),
    ] = None,
) -> Response[Complaint]:
    submitter = caller(Permission.SUBMIT)

    def intake(request: dict[str, Any]) -> dict[str, Any]:
        return (
            composition.complaint_service().intake(IntakeRequest.model_validate(request), submitter).to_json()
        )

    # What the channel app sent, without the defaults filled in: triage fills what it left out.
    given = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if idempotency_key:
        stored = composition.idempotent_intake().run(
            intake, submitter.id, idempotency_key, given, router.lambda_context
        )
    else:
        stored = intake(given)
    # Counted where it becomes public, once per complaint (not per idempotent replay): the publisher.
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, Complaint.model_validate(stored))


@router.get(
    "/v1/complaints",
    summary="List complaints",
    description="Staff. Managers and compliance list every complaint; agents and supervisors only "
    "those of their teams (their `team:<name>` groups; `intake` holds the complaints with no team yet), "
    "so a page may hold fewer than `limit` items and still have a `nextToken`. Filters combine (all "
    "must hold), newest received first: `team` (`intake`: no team yet; another team than yours is a "
    "403 for agents and supervisors), `priority`, `flag` (a risk flag triage found; several, comma-"
    "separated: any of them), `dueBefore` (open "
    "complaints whose next unmet deadline is before it: the first response while unanswered, else "
    "the solution plan while owed, else the resolution), `unassigned=true` (open complaints nobody "
    "is assigned). `reference` (as the customer quotes it, any case) finds at most the one complaint, if "
    "the other filters and the caller's scope admit it. A `nextToken` works only with the filters that "
    "produced it.",
    tags=["complaints"],
    responses=responses(),
)
def list_complaints(
    reference: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    status: Annotated[Status | None, Query()] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    category: Annotated[Category | None, Query()] = None,
    channel: Annotated[Channel | None, Query()] = None,
    customer_id: Annotated[str | None, Query(alias="customerId", min_length=1, max_length=64)] = None,
    team: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    priority: Annotated[Priority | None, Query()] = None,
    flag: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="a risk flag triage found; several, separated by commas: any of them",
        ),
    ] = None,
    due_before: Annotated[
        str | None, Query(alias="dueBefore", min_length=1, max_length=64, description="ISO 8601, with a zone")
    ] = None,
    unassigned: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[Complaint]:
    staff = caller(Permission.LIST)
    if unassigned and assignee is not None:
        raise InvalidInput.for_field(
            "unassigned", "lists the complaints nobody is assigned: leave out assignee"
        )
    # The identifiers' own rules (NFKC, then letters, digits and . @ : -) are the query model's.
    query = query_model(
        ComplaintQuery,
        {
            "reference": reference,
            "status": status,
            "assignee": assignee,
            "category": category,
            "channel": channel,
            "customer_id": customer_id,
            "team": team,
            "priority": priority,
            "flag": flag,
            "due_before": due_before,
            "unassigned": unassigned,
            "limit": limit,
            "next_token": next_token,
        },
    )
    scope = access.list_scope(staff)
    if query.team is not None and scope and query.team not in scope:
        # As the follow-ups list answers (tracking/follow_ups.py): another team's list is refused by name.
        raise Forbidden(
            "agents and supervisors list the complaints of their own teams "
            f"(yours: {', '.join(sorted(scope))}), not team {query.team}'s"
        )
    return composition.complaint_service().list(query, staff)


@router.post(
    "/v1/customers/<customer_id>/open-complaints",
    summary="A customer's open complaints, for the channel app serving them",
    description="For a channel app about to submit a complaint: does the customer in front of it "
    "already have one open? Name the customer and give a contact detail the bank holds for them "
    "(`phone` or `email`: exactly one, in the body). Only the open complaints recorded with that "
    "contact are listed, and of each only reference, status, channel, category and receivedAt; a "
    "wrong contact, an unknown customer and nothing open all answer `items: []`.",
    tags=["complaints"],
    responses=responses(),
)
def customer_open_complaints(
    customer_id: CustomerId, body: Annotated[CustomerLookupRequest, Body()]
) -> OpenComplaints:
    caller(Permission.FIND_OPEN)
    return composition.complaint_service().open_for_customer(customer_id, body)


@router.get(
    "/v1/complaints/<complaint_id>",
    summary="Read a complaint",
    description="A channel app reads only the complaints it submitted: any other id is a 404, the "
    "answer to an unknown id. Agents and supervisors read their teams' complaints (else a 403 naming "
    "the rule); managers and compliance read every complaint.",
    tags=["complaints"],
    responses=responses(404),
)
def get_complaint(complaint_id: ComplaintId) -> Complaint:
    return composition.complaint_service().read(complaint_id, caller(Permission.READ))


@router.patch(
    "/v1/complaints/<complaint_id>",
    summary="Triage or assign",
    description="Staff who work the complaint's team (`intake` while it has none); the `team` given "
    "may be any, handing the complaint on to that team.",
    tags=["complaints"],
    responses=responses(404, 409),
)
def update_complaint(
    complaint_id: ComplaintId, body: Annotated[UpdateRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    staff = caller(Permission.WORK)
    request = with_version(body, if_match)
    if request.version is None:
        raise InvalidInput.for_field("version", "is required (in the body or as If-Match)")
    return composition.complaint_service().update(complaint_id, request, staff)


@router.get(
    "/v1/complaints/<complaint_id>/events",
    summary="The audit trail",
    description="Staff, where they may read the complaint (agents and supervisors: their teams').",
    tags=["complaints"],
    responses=responses(404),
)
def audit_trail(
    complaint_id: ComplaintId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> trail_models.AuditTrail:
    staff = caller(Permission.READ_AUDIT)
    page = composition.complaint_service().read_events(complaint_id, staff, limit, next_token)
    notifications = [] if next_token else composition.notification_log().for_complaint(complaint_id)
    return trail_models.AuditTrail(items=page.items, next_token=page.next_token, notifications=notifications)


@router.post(
    "/v1/sla/preview", summary="The deadlines a complaint would get", tags=["sla"], responses=responses()
)
def sla_preview(body: Annotated[SlaPreviewRequest, Body()]) -> Deadlines:
    caller(Permission.PREVIEW_SLA)
    return composition.complaint_service().preview(body)


@router.get(
    "/v1/sla/policies",
    summary="Where each SLA policy's clock runs (its time zone and holiday calendar)",
    tags=["sla"],
    responses=responses(),
)
def sla_policies() -> PolicyClocks:
    caller(Permission.PREVIEW_SLA)
    return policy_clocks()
