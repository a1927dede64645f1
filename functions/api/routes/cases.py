"""The case library: a complaint's most similar past cases, and the cases supervisors marked with a
lesson (complaints/cases). Past cases are shown without the customer's personal data."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from resolver import ComplaintId, LazyModule, caller, query_model, responses

from complaints.composition import api as composition
from complaints.core.auth import Permission
from complaints.core.models import Category, Product

# Named by the signatures only, read when a route first serves (resolver.LazyModule): not at cold start.
if TYPE_CHECKING:
    from complaints.cases import models as cases
else:
    cases = LazyModule("complaints.cases.models")

router = Router()  # type: ignore[no-untyped-call]


@router.get(
    "/v1/complaints/<complaint_id>/similar",
    summary="The resolved complaints most like this one (staff who may read it)",
    description="Past cases of the same product line resolved in the last three years, most similar "
    "first (the texts' signatures; at least 0.1): outcome, summary, root cause, redress, how long it "
    "took, the customer's rating and, for a library case, its lesson. Any team's cases: no customer, "
    "contact detail, description, attachment or note is shown.",
    tags=["cases"],
    responses=responses(404),
)
def similar_cases(
    complaint_id: ComplaintId, limit: Annotated[int, Query(ge=1, le=20)] = 5
) -> cases.SimilarCases:
    return composition.case_library().similar(complaint_id, caller(Permission.LIST), limit)


@router.post(
    "/v1/cases",
    summary="Make a resolved complaint a library case (supervisors of its team, managers)",
    description="`complaintId`, `title`, `lesson`, `tags`, `version` (optional: a stale one is a 409). "
    "The complaint must be resolved or closed (409 naming its status otherwise); recorded on its trail; "
    "once per complaint (409 `already_a_case`). The library keeps the case as it is when marked.",
    tags=["cases"],
    responses=responses(404, 409, success=HTTPStatus.CREATED),
)
def mark_case(body: Annotated[cases.CaseRequest, Body()]) -> Response[cases.LibraryCase]:
    marked = composition.case_library().mark(body, caller(Permission.REVIEW))
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, marked)


@router.get(
    "/v1/cases",
    summary="Search the case library (staff)",
    description="`q`: words to look for in a case's title, lesson, summary, root cause and tags (the "
    "most relevant first; without it, the most recently marked first); `product`, `category`; "
    "`markedFrom` / `markedTo`: when marked, [from, to). `total` counts every match.",
    tags=["cases"],
    responses=responses(),
)
def search_cases(
    q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    product: Annotated[Product | None, Query()] = None,
    category: Annotated[Category | None, Query()] = None,
    marked_from: Annotated[
        str | None, Query(alias="markedFrom", max_length=64, description="ISO 8601, with a zone")
    ] = None,
    marked_to: Annotated[
        str | None, Query(alias="markedTo", max_length=64, description="ISO 8601, with a zone")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> cases.LibraryCases:
    staff = caller(Permission.LIST)
    query = query_model(
        cases.CaseSearch,
        {
            "q": q,
            "product": product,
            "category": category,
            "marked_from": marked_from,
            "marked_to": marked_to,
            "limit": limit,
        },
    )
    return composition.case_library().search(query, staff)
