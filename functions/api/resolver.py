"""The resolver's plumbing, shared by every route: JSON-only request validation, the one error shape
and its exception handlers, response documentation helpers, the caller's role, and the OpenAPI document."""

from __future__ import annotations

import importlib
import json
from http import HTTPStatus
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse, OpenAPIResponseHeader
from pydantic import BaseModel, Field, ValidationError
from pydantic.alias_generators import to_camel

from complaints.core.auth import Caller, Permission, caller_from_claims
from complaints.core.errors import DomainError, InvalidInput
from complaints.core.models import (
    ApiModel,
)
from complaints.intake.commands import (
    VersionedRequest,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.types import EventHandlerInstance

    from complaints.tracking import page as tracking_page


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
app = APIGatewayRestResolver(enable_validation=True)
# Powertools keeps its request validation in this private attribute until the first request builds
# each route's middleware stack; replacing it is the one way to read bodies as JSON only. Pinned with
# Powertools' version in pyproject.toml and tested (tests/integration/test_api_handler.py): an upgrade
# that moves it fails that test, not a customer's request. (Its __init__ is unannotated: the ignore.)
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


def responses(
    *statuses: int, success: int = HTTPStatus.OK, headers: dict[str, OpenAPIResponseHeader] | None = None
) -> dict[int, OpenAPIResponse]:
    """The route's answer (its schema is the route's return type) and its errors, all in one shape."""
    described = {
        400: "invalid input",
        401: "no or invalid token",
        403: "your role may not do this, or not on this complaint (staff: another team's)",
        404: "unknown id (to a channel app, also a complaint it did not submit)",
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


def error_response(
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


def public_responses(*statuses: int) -> dict[int, OpenAPIResponse]:
    """The tracking routes: no Cognito token, so no 401; a wrong tracking token is the 403."""
    documented = {status: response for status, response in responses(*statuses).items() if status != 401}
    documented[403] = {
        "description": "the tracking token is wrong or missing (the same answer for every id)",
        "content": {"application/json": {"model": ErrorBody}},
    }
    return documented


HTML_PAGE: dict[int, OpenAPIResponse] = {
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


def page_response(answer: tracking_page.PageAnswer) -> Response[str]:
    """A tracking page (or the answer to one of its forms) as the API's response."""
    from complaints.tracking import page as tracking_page

    return Response(
        answer.status, tracking_page.CONTENT_TYPE, answer.html, headers=dict(tracking_page.HEADERS)
    )


def caller(permission: Permission) -> Caller:
    claims = app.current_event.request_context.authorizer.claims
    return caller_from_claims(claims).require(permission)


class LazyModule(ModuleType):
    """A module of models that only some routes' signatures name, imported when one of its names is
    first read. Powertools evaluates a route's annotations (in its module's globals) when the route
    first serves a request or the OpenAPI document is built, never at registration: a route module
    that names its models as `module.Model` through one of these leaves them out of the cold start
    (docs/decisions.md, "Cold starts load what a route needs")."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


Versioned = TypeVar("Versioned", bound=VersionedRequest)
QueryModel = TypeVar("QueryModel", bound=BaseModel)


def query_model(model: type[QueryModel], values: dict[str, Any]) -> QueryModel:
    """Query parameters checked by a model's own rules (identifiers, zoned times), refused as a 400
    naming each parameter as the caller spelt it."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise RequestValidationError(
            [{**problem, "loc": ("query", to_camel(str(problem["loc"][0])))} for problem in error.errors()]
        ) from error


def with_version(body: Versioned, if_match: str | None) -> Versioned:
    """`If-Match` stands in for `version` when the body does not give one."""
    if body.version is None and if_match:
        digits = if_match.strip().strip('W/"').strip('"')
        if not digits.isdigit() or int(digits) < 1:
            raise InvalidInput.for_field("If-Match", "must be the complaint's version number")
        return body.model_copy(update={"version": int(digits)})
    return body


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
        from complaints.reporting.signed_links import INVALID_LINK

        return error_response(HTTPStatus.NOT_FOUND, "not_found", INVALID_LINK)
    if app.current_event.path.startswith(TRACKING_PAGES):
        from complaints.tracking import page as tracking_page

        return page_response(tracking_page.invalid_link())
    details = []
    for problem in error.errors():
        location, *path = problem.get("loc", ("body",))
        field = ".".join(str(part) for part in path) or str(location)
        message = str(problem.get("msg", "is invalid")).removeprefix("Value error, ")
        details.append({"field": field, "in": str(location), "message": message, "type": problem.get("type")})
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return error_response(HTTPStatus.BAD_REQUEST, "validation_error", summary or "invalid request", details)


@app.exception_handler(RequestUnsupportedContentType)  # type: ignore[untyped-decorator]
def unsupported_content_type(_: RequestUnsupportedContentType) -> Response[Any]:
    message = "send the body as JSON with Content-Type: application/json"
    return error_response(
        HTTPStatus.BAD_REQUEST,
        "validation_error",
        f"Content-Type: {message}",
        [{"field": "Content-Type", "in": "header", "message": message, "type": "content_type"}],
    )


@app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
def domain_error(error: DomainError) -> Response[Any]:
    return error_response(error.status, error.code, error.message, error.details)


@app.not_found
def no_route(_: Exception) -> Response[Any]:
    event = app.current_event
    return error_response(HTTPStatus.NOT_FOUND, "not_found", f"no route {event.http_method} {event.path}")


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def unexpected(error: Exception) -> Response[Any]:
    logger.exception("unhandled error")
    return error_response(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "internal_error",
        "something went wrong on our side; nothing you need to change — retry later",
    )
