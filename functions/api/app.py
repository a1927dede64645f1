"""The v1 HTTP API (DESIGN section 5): route → input model → one call into the domain → output model.

Authentication is API Gateway's (Cognito authorizer); authorisation happens here, from the claims it
passes on, so the same checks run in AWS, on the local runtime and in tests.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse, OpenAPIResponseHeader
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Field

from complaints.adapters.runtime import (
    complaint_service,
    idempotent_intake,
    notification_log,
    reporting,
    reports,
    tracking,
)
from complaints.audit import AuditTrail
from complaints.auth import Caller, Permission, caller_from_claims
from complaints.commands import (
    IntakeRequest,
    OptionalReasonRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    ReviewRequest,
    SlaPreviewRequest,
    UpdateRequest,
    VersionedRequest,
)
from complaints.errors import DomainError, InvalidInput
from complaints.kpis import KpiReport
from complaints.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    ApiModel,
    Category,
    Channel,
    Complaint,
    Deadlines,
    Status,
    UtcDatetime,
)
from complaints.report import INVALID_LINK as INVALID_REPORT_LINK
from complaints.report import ReportRequest, ReportView
from complaints.repository import MAX_PAGE_SIZE, ComplaintQuery, Page
from complaints.tracking import (
    CustomerReopenRequest,
    FeedbackRequest,
    FollowUpRequest,
    TrackingView,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.types import EventHandlerInstance

    from complaints import tracking_page


class JsonBodies(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, reading a route's body as JSON only. Powertools' own also
    reads form and multipart bodies into the route's model, and a multipart type without a boundary
    is a ValueError there (a 500); every body of this API is JSON. (The tracking page's form posts
    declare no body and read theirs themselves.)"""

    def _get_body(self, app: EventHandlerInstance) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "").strip().lower()
        if content_type and not content_type.startswith(content_types.APPLICATION_JSON):
            raise RequestUnsupportedContentType("the body must be JSON", errors=[])
        try:
            return super()._get_body(app)
        except UnicodeDecodeError as error:  # a binary body: not JSON either
            problem = {"type": "json_invalid", "loc": ("body",), "msg": "must be JSON text in UTF-8"}
            raise RequestValidationError([problem]) from error


logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver(enable_validation=True)
# Powertools keeps its request validation here until the first request builds each route's stack
# (its __init__ is unannotated, hence the ignore).
app._request_validation_middleware = JsonBodies()  # type: ignore[no-untyped-call]

API_TITLE = "complaint-guard API"
API_VERSION = "1.0.0"
ComplaintId = Annotated[str, Path(description="the complaint's id", min_length=1, max_length=64)]
# The links in messages (the tracking page, a report's files): their parts are not checked as input;
# any wrong link gets the answer of an unknown one (invalid_request below).
TRACKING_PAGES, REPORT_LINKS = "/t/", "/r/"
LinkedComplaintId = Annotated[str, Path(description="the complaint's id")]
TrackingToken = Annotated[
    str | None, Query(description="the token of the tracking link; a wrong or missing one is a 403")
]
PageLanguage = Annotated[str | None, Query(description="`en` or `zh-CN`; defaults to the customer's")]
# The tracking routes need no Cognito token: the token of the link is the credential.
PUBLIC: list[dict[str, list[str]]] = [{}]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="the version you read (alternative to `version` in the body)"),
]


RETRY_AFTER_SECONDS = 2
RETRY_AFTER_HEADER: OpenAPIResponseHeader = {
    "description": "seconds to wait before retrying",
    "schema": {"type": "integer", "minimum": 1},
}


class ErrorBody(ApiModel):
    error: str = Field(description="a stable, machine-readable code")
    message: str = Field(description="what went wrong and what to do about it")
    details: list[dict[str, Any]] = Field(default_factory=list, description="per-field problems")


def _responses(
    *statuses: int, success: int = HTTPStatus.OK, headers: dict[str, OpenAPIResponseHeader] | None = None
) -> dict[int, OpenAPIResponse]:
    """The route's answer (its schema is the route's return type) and its errors, all in one shape."""
    described = {
        400: "invalid input",
        401: "no or invalid token",
        403: "your role may not do this",
        404: "unknown id",
        409: "stale version, illegal transition or reused key",
        503: "a dependency is busy; nothing changed, retry",
    }
    responses: dict[int, OpenAPIResponse] = {
        status: {"description": described[status], "content": {"application/json": {"model": ErrorBody}}}
        for status in (400, 401, 403, 503, *statuses)
    }
    responses[503]["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
    answer: OpenAPIResponse = {"description": HTTPStatus(success).phrase}
    if headers:
        answer["headers"] = headers
    return {success: answer, **responses}


def _error(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=ErrorBody(error=code, message=message, details=details or []).to_json(),
        # A busy dependency (503) changed nothing: say when a retry is worth it.
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        if status == HTTPStatus.SERVICE_UNAVAILABLE
        else None,
    )


def _public_responses(*statuses: int) -> dict[int, OpenAPIResponse]:
    """The tracking routes: no Cognito token, so no 401; a wrong tracking token is the 403."""
    responses = {status: response for status, response in _responses(*statuses).items() if status != 401}
    responses[403] = {
        "description": "the tracking token is wrong or missing (the same answer for every id)",
        "content": {"application/json": {"model": ErrorBody}},
    }
    return responses


_HTML_PAGE: dict[int, OpenAPIResponse] = {
    200: {"description": "the tracking page", "content": {"text/html": {"schema": {"type": "string"}}}},
    **{
        status: {"description": described, "content": {"text/html": {"schema": {"type": "string"}}}}
        for status, described in (
            (400, "the page again, saying what to fix"),
            (403, "a page saying the link is not valid (the same for every id)"),
            (404, "the same page, for a valid link whose complaint is not there"),
            (409, "the page again: already rated, or not resolved"),
            (503, "busy, try again"),
        )
    },
}


def caller(permission: Permission) -> Caller:
    claims = app.current_event.request_context.authorizer.claims
    return caller_from_claims(claims).require(permission)


Versioned = TypeVar("Versioned", bound=VersionedRequest)


def _version(body: Versioned, if_match: str | None) -> Versioned:
    """`If-Match` stands in for `version` when the body does not give one."""
    if body.version is None and if_match:
        digits = if_match.strip().strip('W/"').strip('"')
        if not digits.isdigit() or int(digits) < 1:
            raise InvalidInput.for_field("If-Match", "must be the complaint's version number")
        return body.model_copy(update={"version": int(digits)})
    return body


# --- complaints -----------------------------------------------------------------------------------


@app.post(
    "/v1/complaints",
    summary="Submit a complaint",
    tags=["complaints"],
    responses=_responses(409, success=HTTPStatus.CREATED),
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
        return complaint_service().intake(IntakeRequest.model_validate(request), submitter).to_json()

    if idempotency_key:
        stored = idempotent_intake().run(
            intake, submitter.id, idempotency_key, body.to_json(), app.lambda_context
        )
    else:
        stored = intake(body.to_json())
    # Counted where it becomes public, once per complaint (not per idempotent replay): the publisher.
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, Complaint.model_validate(stored))


@app.get("/v1/complaints", summary="List complaints", tags=["complaints"], responses=_responses())
def list_complaints(
    status: Annotated[Status | None, Query()] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    category: Annotated[Category | None, Query()] = None,
    channel: Annotated[Channel | None, Query()] = None,
    customer_id: Annotated[str | None, Query(alias="customerId", min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[Complaint]:
    caller(Permission.LIST)
    query = ComplaintQuery(
        status=status,
        assignee=assignee,
        category=category,
        channel=channel,
        customer_id=customer_id,
        limit=limit,
        next_token=next_token,
    )
    return complaint_service().list(query)


@app.get(
    "/v1/complaints/<complaint_id>",
    summary="Read a complaint",
    tags=["complaints"],
    responses=_responses(404),
)
def get_complaint(complaint_id: ComplaintId) -> Complaint:
    caller(Permission.READ)
    return complaint_service().get(complaint_id)


@app.patch(
    "/v1/complaints/<complaint_id>",
    summary="Triage or assign",
    tags=["complaints"],
    responses=_responses(404, 409),
)
def update_complaint(
    complaint_id: ComplaintId, body: Annotated[UpdateRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    staff = caller(Permission.WORK)
    request = _version(body, if_match)
    if request.version is None:
        raise InvalidInput.for_field("version", "is required (in the body or as If-Match)")
    return complaint_service().update(complaint_id, request, staff)


@app.post(
    "/v1/complaints/<complaint_id>/responses",
    summary="Send a response to the customer",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def respond(
    complaint_id: ComplaintId, body: Annotated[ResponseRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().respond(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/pause",
    summary="Wait for the customer (stops the clock)",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def pause(
    complaint_id: ComplaintId, body: Annotated[ReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().pause(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/resume",
    summary="Restart the clock",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def resume(
    complaint_id: ComplaintId, body: Annotated[OptionalReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().resume(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/extend",
    summary="Extend the resolution deadline (supervisor)",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def extend(
    complaint_id: ComplaintId, body: Annotated[ReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().extend(complaint_id, _version(body, if_match), caller(Permission.EXTEND))


@app.post(
    "/v1/complaints/<complaint_id>/escalate",
    summary="Escalate one level",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def escalate(
    complaint_id: ComplaintId, body: Annotated[ReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().escalate(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/resolve",
    summary="Resolve",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def resolve(
    complaint_id: ComplaintId, body: Annotated[ResolveRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().resolve(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/close",
    summary="Close a resolved complaint",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def close(
    complaint_id: ComplaintId, body: Annotated[OptionalReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().close(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/reopen",
    summary="Reopen a resolved complaint",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def reopen(
    complaint_id: ComplaintId, body: Annotated[ReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().reopen(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.post(
    "/v1/complaints/<complaint_id>/withdraw",
    summary="The customer withdraws the complaint",
    tags=["lifecycle"],
    responses=_responses(404, 409),
)
def withdraw(
    complaint_id: ComplaintId, body: Annotated[OptionalReasonRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return complaint_service().withdraw(complaint_id, _version(body, if_match), caller(Permission.WORK))


@app.get(
    "/v1/complaints/<complaint_id>/events",
    summary="The audit trail",
    tags=["complaints"],
    responses=_responses(404),
)
def audit_trail(
    complaint_id: ComplaintId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> AuditTrail:
    caller(Permission.READ_AUDIT)
    page = complaint_service().events(complaint_id, limit, next_token)
    notifications = [] if next_token else notification_log().for_complaint(complaint_id)
    return AuditTrail(items=page.items, next_token=page.next_token, notifications=notifications)


@app.post(
    "/v1/complaints/<complaint_id>/follow-up",
    summary="Complete the follow-up (回访) of a low rating (supervisor, manager)",
    tags=["satisfaction"],
    responses=_responses(404, 409),
)
def complete_follow_up(
    complaint_id: ComplaintId, body: Annotated[FollowUpRequest, Body()], if_match: IfMatch = None
) -> Complaint:
    return tracking().complete_follow_up(complaint_id, _version(body, if_match), caller(Permission.REVIEW))


# --- the customer's tracking link -----------------------------------------------------------------


@app.get(
    "/v1/track/<complaint_id>",
    summary="The complaint as its customer sees it",
    tags=["tracking"],
    responses=_public_responses(404),
    security=PUBLIC,
)
def track(complaint_id: ComplaintId, token: TrackingToken = None) -> TrackingView:
    return tracking().view(complaint_id, token)


@app.post(
    "/v1/track/<complaint_id>/feedback",
    summary="Rate the resolution (once per resolution); 3 or less opens a follow-up",
    tags=["tracking"],
    responses=_public_responses(404, 409),
    security=PUBLIC,
)
def give_feedback(
    complaint_id: ComplaintId, body: Annotated[FeedbackRequest, Body()], token: TrackingToken = None
) -> TrackingView:
    return tracking().feedback(complaint_id, token, body)


@app.post(
    "/v1/track/<complaint_id>/reopen",
    summary="The customer disputes the resolution and reopens the complaint",
    tags=["tracking"],
    responses=_public_responses(404, 409),
    security=PUBLIC,
)
def customer_reopen(
    complaint_id: ComplaintId, body: Annotated[CustomerReopenRequest, Body()], token: TrackingToken = None
) -> TrackingView:
    return tracking().reopen(complaint_id, token, body)


@app.get(
    "/t/<complaint_id>",
    summary="The tracking page behind the link in every message (HTML, zh-CN or en)",
    tags=["tracking"],
    responses=_HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_view(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang)


@app.post(
    "/t/<complaint_id>/feedback",
    summary="The page's rating form (form post: rating, comment); answers with the page",
    tags=["tracking"],
    responses=_HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_feedback(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="feedback")


@app.post(
    "/t/<complaint_id>/reopen",
    summary="The page's reopen form (form post: reason); answers with the page",
    tags=["tracking"],
    responses=_HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_reopen(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="reopen")


# The tracking page's module is imported by the page routes only: the API's other routes never pay for it.


def _tracking_page(
    complaint_id: str, token: str | None, lang: str | None, form: str | None = None
) -> Response[str]:
    """The page (`form` None) or the answer to one of its form posts (`feedback`, `reopen`)."""
    from complaints import tracking_page

    posted = tracking_page.Form(form) if form else None
    body = app.current_event.decoded_body if posted else None
    return _page(tracking_page.answer(tracking(), complaint_id, token, lang, posted, body))


def _page(answer: tracking_page.PageAnswer) -> Response[str]:
    from complaints import tracking_page

    return Response(
        answer.status, tracking_page.CONTENT_TYPE, answer.html, headers=dict(tracking_page.HEADERS)
    )


# --- accountability -------------------------------------------------------------------------------


@app.get(
    "/v1/accountability",
    summary="Breaches awaiting (or after) review",
    tags=["accountability"],
    responses=_responses(),
)
def list_accountability(
    status: Annotated[AccountabilityStatus, Query()] = AccountabilityStatus.OPEN,
    team: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[AccountabilityRecord]:
    caller(Permission.REVIEW)
    return complaint_service().list_accountability(status, team, limit, next_token)


@app.post(
    "/v1/accountability/<record_id>/review",
    summary="Record the finding and the action",
    tags=["accountability"],
    responses=_responses(404, 409),
)
def review_accountability(
    record_id: Annotated[str, Path(min_length=1, max_length=64)], body: Annotated[ReviewRequest, Body()]
) -> AccountabilityRecord:
    return complaint_service().review_accountability(record_id, body, caller(Permission.REVIEW))


# --- measuring the service -------------------------------------------------------------------------


@app.get(
    "/v1/kpis",
    summary="KPIs of the complaints received in [from, to) against the policy's targets",
    tags=["reports"],
    responses=_responses(),
)
def kpis(
    period_from: Annotated[UtcDatetime, Query(alias="from", description="start, inclusive (ISO-8601)")],
    period_to: Annotated[UtcDatetime, Query(alias="to", description="end, exclusive (ISO-8601)")],
) -> KpiReport:
    caller(Permission.READ_REPORTS)
    return reporting().kpis(period_from, period_to)


ReportId = Annotated[str, Path(description="the report's id", min_length=1, max_length=64)]


@app.post(
    "/v1/reports",
    summary="Build a quarter's report (asynchronously): 202 with its id; poll GET /v1/reports/{id}",
    tags=["reports"],
    responses=_responses(
        success=HTTPStatus.ACCEPTED,
        headers={"Location": {"description": "the report, to poll", "schema": {"type": "string"}}},
    ),
)
def request_report(body: Annotated[ReportRequest, Body()]) -> Response[ReportView]:
    manager = caller(Permission.READ_REPORTS)
    view = reports().request(body, manager.id)
    return Response(
        HTTPStatus.ACCEPTED,
        content_types.APPLICATION_JSON,
        view,
        headers={"Location": f"/v1/reports/{view.id}"},
    )


@app.get(
    "/v1/reports/<report_id>",
    summary="A report's status and, when ready, time-limited links to its files",
    tags=["reports"],
    responses=_responses(404),
)
def get_report(report_id: ReportId) -> ReportView:
    caller(Permission.READ_REPORTS)
    return reports().get(report_id)


@app.get(
    "/r/<report_id>/<file_name>",
    summary="The signed link in the report e-mail: redirects to the file for a few minutes",
    tags=["reports"],
    responses={
        302: {
            "description": "to a short-lived download of the file",
            "headers": {"Location": {"description": "the download", "schema": {"type": "string"}}},
            "content": {"text/plain": {"schema": {"type": "string", "maxLength": 0}}},
        },
        404: {
            "description": "unknown report, wrong or expired link (the same answer for each)",
            "content": {"application/json": {"model": ErrorBody}},
        },
    },
    security=PUBLIC,
)
def open_report_link(
    report_id: Annotated[str, Path(description="the report's id")],
    file_name: Annotated[str, Path(description="report.html or one of the CSV extracts")],
    expires: Annotated[str | None, Query(description="when the link expires (Unix seconds)")] = None,
    signature: Annotated[str | None, Query(description="the link's signature")] = None,
) -> Response[str]:
    target = reports().download(report_id, file_name, expires, signature)
    return Response(
        HTTPStatus.FOUND,
        content_types.TEXT_PLAIN,
        "",
        headers={"Location": target, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


# --- deadlines and the contract itself ------------------------------------------------------------


@app.post(
    "/v1/sla/preview", summary="The deadlines a complaint would get", tags=["sla"], responses=_responses()
)
def sla_preview(body: Annotated[SlaPreviewRequest, Body()]) -> Deadlines:
    caller(Permission.PREVIEW_SLA)
    return complaint_service().preview(body)


@app.get("/v1/openapi.json", summary="This document", tags=["meta"], include_in_schema=False)
def openapi_document() -> Response[str]:
    return Response(HTTPStatus.OK, content_types.APPLICATION_JSON, openapi_json())


def openapi_json() -> str:
    # Powertools' OpenAPI models take a third of this module's import time; only this route needs them.
    from aws_lambda_powertools.event_handler.openapi.models import (
        OAuth2,
        OAuthFlowClientCredentials,
        OAuthFlows,
        Server,
    )

    document = json.loads(
        app.get_openapi_json_schema(
            title=API_TITLE,
            version=API_VERSION,
            description="Customer-complaint handling: intake, lifecycle, deadlines. "
            "Errors are {error, message, details[]}; times are UTC ISO-8601.",
            servers=[Server(url="/")],
            security_schemes={
                "cognito": OAuth2(
                    flows=OAuthFlows(
                        clientCredentials=OAuthFlowClientCredentials(
                            tokenUrl="https://{your-cognito-domain}/oauth2/token",
                            scopes={
                                "complaint-guard/complaints.submit": "submit complaints (channel apps)",
                                "complaint-guard/complaints.read": "read complaints (channel apps)",
                                "complaint-guard/staff": "staff; rights come from the user's groups",
                            },
                        )
                    )
                )
            },
            security=[{"cognito": []}],
        )
    )
    # Powertools documents a 422 for invalid input on every route; this API answers 400 in its one
    # error shape (invalid_request below), so the 422 and its schemas would promise what never comes.
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        document["components"]["schemas"].pop(unused, None)
    return json.dumps(document, indent=2)


# --- one error model for the whole API ------------------------------------------------------------


# Powertools' exception_handler is unannotated (an untyped decorator), hence the ignores below.
@app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
def invalid_request(error: RequestValidationError) -> Response[Any]:
    # A link's parts are a credential, not input to correct: a malformed link (a repeated parameter,
    # say) gets the answer of any wrong link.
    if app.current_event.path.startswith(REPORT_LINKS):
        return _error(HTTPStatus.NOT_FOUND, "not_found", INVALID_REPORT_LINK)
    if app.current_event.path.startswith(TRACKING_PAGES):
        from complaints import tracking_page

        return _page(tracking_page.invalid_link())
    details = []
    for problem in error.errors():
        location, *path = problem.get("loc", ("body",))
        field = ".".join(str(part) for part in path) or str(location)
        message = str(problem.get("msg", "is invalid")).removeprefix("Value error, ")
        details.append({"field": field, "in": str(location), "message": message, "type": problem.get("type")})
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return _error(HTTPStatus.BAD_REQUEST, "validation_error", summary or "invalid request", details)


@app.exception_handler(RequestUnsupportedContentType)  # type: ignore[untyped-decorator]
def unsupported_content_type(_: RequestUnsupportedContentType) -> Response[Any]:
    message = "send the body as JSON with Content-Type: application/json"
    return _error(
        HTTPStatus.BAD_REQUEST,
        "validation_error",
        f"Content-Type: {message}",
        [{"field": "Content-Type", "in": "header", "message": message, "type": "content_type"}],
    )


@app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
def domain_error(error: DomainError) -> Response[Any]:
    return _error(error.status, error.code, error.message, error.details)


@app.not_found
def no_route(_: Exception) -> Response[Any]:
    event = app.current_event
    return _error(HTTPStatus.NOT_FOUND, "not_found", f"no route {event.http_method} {event.path}")


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def unexpected(error: Exception) -> Response[Any]:
    logger.exception("unhandled error")
    return _error(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "internal_error",
        "something went wrong on our side; nothing you need to change — retry later",
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
