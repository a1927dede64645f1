"""Measuring the service: the KPIs of a period, the quarterly reports and their signed links."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from resolver import PUBLIC, ErrorBody, LazyModule, caller, responses

from complaints.composition import api as composition
from complaints.core.auth import Permission
from complaints.core.models import (
    UtcDatetime,
)

# Named by the signatures only, read when a route first serves (resolver.LazyModule): not at cold start.
if TYPE_CHECKING:
    from complaints.reporting import kpis as kpi_models
    from complaints.reporting import models as report_models
    from complaints.reporting import performance
else:
    kpi_models = LazyModule("complaints.reporting.kpis")
    report_models = LazyModule("complaints.reporting.models")
    performance = LazyModule("complaints.reporting.performance")

router = Router()  # type: ignore[no-untyped-call]


@router.get(
    "/v1/kpis",
    summary="KPIs of the complaints received in [from, to) against the policy's targets; "
    "with groupBy, per handler or team",
    description="Without `groupBy` (managers): the bank-wide KPIs (`KpiReport`). With `groupBy=assignee` "
    "or `groupBy=team` (managers bank-wide, supervisors for their own teams): the figures per handler "
    "or team (`PerformanceReport`).",
    tags=["reports"],
    responses=responses(),
)
def kpis(
    period_from: Annotated[UtcDatetime, Query(alias="from", description="start, inclusive (ISO-8601)")],
    period_to: Annotated[UtcDatetime, Query(alias="to", description="end, exclusive (ISO-8601)")],
    group_by: Annotated[
        performance.GroupBy | None,
        Query(
            alias="groupBy",
            description="`assignee` or `team`: the figures per handler or per team (a complaint counts "
            "for the handler and team that resolved it, or hold it while open)",
        ),
    ] = None,
) -> kpi_models.KpiReport | performance.PerformanceReport:
    if group_by is None:
        caller(Permission.READ_REPORTS)
        return composition.kpi_service().kpis(period_from, period_to)
    reader = caller(Permission.READ_PERFORMANCE)
    return composition.kpi_service().performance(period_from, period_to, group_by, reader)


ReportId = Annotated[str, Path(description="the report's id", min_length=1, max_length=64)]


@router.post(
    "/v1/reports",
    summary="Build a quarter's report (asynchronously): 202 with its id; poll GET /v1/reports/{id}",
    tags=["reports"],
    responses=responses(
        success=HTTPStatus.ACCEPTED,
        headers={"Location": {"description": "the report, to poll", "schema": {"type": "string"}}},
    ),
)
def request_report(
    body: Annotated[report_models.ReportRequest, Body()],
) -> Response[report_models.ReportView]:
    manager = caller(Permission.READ_REPORTS)
    view = composition.quarterly_reports().request(body, manager.id)
    return Response(
        HTTPStatus.ACCEPTED,
        content_types.APPLICATION_JSON,
        view,
        headers={"Location": f"/v1/reports/{view.id}"},
    )


@router.get(
    "/v1/reports/<report_id>",
    summary="A report's status and, when ready, time-limited links to its files",
    tags=["reports"],
    responses=responses(404),
)
def get_report(report_id: ReportId) -> report_models.ReportView:
    caller(Permission.READ_REPORTS)
    return composition.quarterly_reports().get(report_id)


@router.get(
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
    target = composition.quarterly_reports().download(report_id, file_name, expires, signature)
    return Response(
        HTTPStatus.FOUND,
        content_types.TEXT_PLAIN,
        "",
        headers={"Location": target, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
