"""Evidence attached to a complaint: a presigned upload for staff, the submitting channel app and the
customer (through the tracking link), and a short-lived download link for staff."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from resolver import (
    PUBLIC,
    ComplaintId,
    IfMatch,
    LazyModule,
    TrackingToken,
    app,
    caller,
    public_responses,
    responses,
    with_version,
)

from complaints.composition import api as composition
from complaints.core.auth import Caller, Permission, caller_from_claims

# Named by the signatures only, read when a route first serves (resolver.LazyModule): not at cold start.
if TYPE_CHECKING:
    from complaints.attachments import models as attachment_models
else:
    attachment_models = LazyModule("complaints.attachments.models")

router = Router()  # type: ignore[no-untyped-call]
attachments = composition.attachment_service
AttachmentId = Annotated[str, Path(description="the attachment's id", min_length=1, max_length=64)]
UPLOAD_DESCRIPTION = (
    "Lists the attachment on the complaint (audited, a new version, its status unchanged) and answers "
    "with a presigned S3 POST valid for 10 minutes: send `upload.fields` as form fields and the file "
    "last as `file` (multipart/form-data) to `upload.url`. S3 takes exactly that file: its size and "
    "Content-Type as declared, under the key the server chose. Types: application/pdf, image/jpeg, "
    "image/png, image/heic, text/plain, up to 20 MB, 20 files per complaint; `fileName` must end in an "
    "extension of its type. A malware scan follows; `scanStatus` reads `pending` until it ends."
)


def _created(documented: dict[int, OpenAPIResponse]) -> dict[int, OpenAPIResponse]:
    """The same errors, with 201 Created for the answer."""
    errors = {status: response for status, response in documented.items() if status != HTTPStatus.OK}
    return {HTTPStatus.CREATED: {"description": HTTPStatus.CREATED.phrase}, **errors}


def _signed_in() -> Caller:
    """Whoever the token names; the change path decides whether they may attach (core/access)."""
    return caller_from_claims(app.current_event.request_context.authorizer.claims)


@router.post(
    "/v1/complaints/<complaint_id>/attachments",
    summary="Attach a file (staff who work it, the channel app that submitted it)",
    description=UPLOAD_DESCRIPTION,
    tags=["attachments"],
    responses=responses(404, 409, success=HTTPStatus.CREATED),
)
def attach(
    complaint_id: ComplaintId,
    body: Annotated[attachment_models.AttachmentRequest, Body()],
    if_match: IfMatch = None,
) -> Response[attachment_models.AttachmentUpload]:
    granted = attachments().attach(complaint_id, with_version(body, if_match), _signed_in())
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, granted)


@router.post(
    "/v1/track/<complaint_id>/attachments",
    summary="The customer attaches a file through the tracking link",
    description=UPLOAD_DESCRIPTION,
    tags=["tracking"],
    responses=_created(public_responses(404, 409)),
    security=PUBLIC,
)
def customer_attach(
    complaint_id: ComplaintId,
    body: Annotated[attachment_models.AttachmentFile, Body()],
    token: TrackingToken = None,
) -> Response[attachment_models.AttachmentUpload]:
    granted = attachments().attach_as_customer(complaint_id, token, body)
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, granted)


@router.get(
    "/v1/complaints/<complaint_id>/attachments/<attachment_id>",
    summary="A 5-minute link to download an attachment (staff)",
    description="Only a file the malware scan found clean (or, where no scanner runs, `not_scanned`); "
    "409 `attachment_threats_found`, `attachment_scan_pending` or `attachment_not_scannable` otherwise.",
    tags=["attachments"],
    responses=responses(404, 409),
)
def download(complaint_id: ComplaintId, attachment_id: AttachmentId) -> attachment_models.AttachmentDownload:
    return attachments().download(complaint_id, attachment_id, caller(Permission.READ))
