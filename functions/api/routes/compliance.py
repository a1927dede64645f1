"""Compliance: a complaint's audit trail verified, legal holds, and a customer's personal data erased."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from resolver import ComplaintId, IfMatch, LazyModule, caller, responses, with_version

from complaints.composition import api as composition
from complaints.core.auth import Permission
from complaints.core.models import Complaint
from complaints.intake.commands import LegalHoldRequest

# Named by the signatures only, read when a route first serves (resolver.LazyModule): not at cold start.
if TYPE_CHECKING:
    from complaints.privacy import erasure
    from complaints.trail import integrity
else:
    erasure = LazyModule("complaints.privacy.erasure")
    integrity = LazyModule("complaints.trail.integrity")

router = Router()  # type: ignore[no-untyped-call]


@router.get(
    "/v1/complaints/<complaint_id>/integrity",
    summary="Verify the audit trail",
    description="Compliance, supervisors (their teams' complaints) and managers. Recomputes the hash "
    "chain of the complaint's events: each must be the next version, link to the one before, hash to "
    "what it says and match its sealed form; the newest must be the one the complaint names. An event "
    "changed, removed or added directly in the table is found: `firstBrokenAt` is its version.",
    tags=["compliance"],
    responses=responses(404),
)
def trail_integrity(complaint_id: ComplaintId) -> integrity.IntegrityReport:
    return composition.trail_integrity().check(complaint_id, caller(Permission.VERIFY_TRAIL))


@router.post(
    "/v1/complaints/<complaint_id>/legal-hold",
    summary="Place or lift a legal hold",
    description="Compliance only. A held complaint is kept whatever its age (its retention is suspended) "
    "and its customer's personal data cannot be erased until the hold is lifted. Audited with the reason.",
    tags=["compliance"],
    responses=responses(404, 409),
)
def legal_hold(
    complaint_id: ComplaintId,
    body: Annotated[LegalHoldRequest, Body()],
    if_match: IfMatch = None,
) -> Complaint:
    request = with_version(body, if_match)
    return composition.complaint_service().legal_hold(complaint_id, request, caller(Permission.LEGAL_HOLD))


@router.post(
    "/v1/customers/<customer_id>/erasure",
    summary="Erase a customer's personal data",
    description="Compliance only, with the reason. Pseudonymises the customer's personal data in every "
    "complaint, audit event and notification log entry that holds it; each complaint's trail still "
    "verifies (its hash chain covers the pseudonymised form) and records the erasure as an event. "
    "Refused with 409 `erasure_refused` while any of the customer's complaints is not closed or "
    "withdrawn, or is under a legal hold. Repeating it erases nothing more.",
    tags=["compliance"],
    responses=responses(404, 409),
)
def erase_customer(
    customer_id: Annotated[str, Path(min_length=1, max_length=64)],
    body: Annotated[erasure.ErasureRequest, Body()],
) -> erasure.ErasureResult:
    return composition.erasure().erase(customer_id, body, caller(Permission.ERASE))
