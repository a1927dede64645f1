"""Triage: the preview of what triage would read in a complaint, on the same code as the triage step
(complaints/triage). The model loads on the first preview an instance serves, never at its cold start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from resolver import LazyModule, caller, responses

from complaints.composition import api as composition
from complaints.core.auth import Permission
from complaints.core.models import Triage

# Named by the signature only, read when the route first serves (resolver.LazyModule): not at cold start.
if TYPE_CHECKING:
    from complaints.triage import requests as triage_requests
else:
    triage_requests = LazyModule("complaints.triage.requests")

router = Router()  # type: ignore[no-untyped-call]


@router.post(
    "/v1/triage/preview",
    summary="What triage would read in a complaint (staff)",
    description="The `triage` object the triage step would record — category, product, sentiment, churn "
    "risk, risk flags, whether it is sensitive, the suggested team, the model — for a description that "
    "is not stored: nothing is written. With `customer.customerId`, their recent complaints count "
    "(`repeat`); a category or product given is kept, as a channel app's would be.",
    tags=["triage"],
    responses=responses(),
)
def triage_preview(body: Annotated[triage_requests.TriagePreviewRequest, Body()]) -> Triage:
    caller(Permission.LIST)  # any staff member
    return composition.triage_service().preview(body)
