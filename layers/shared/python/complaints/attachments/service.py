"""Attaching evidence to a complaint, recording the malware scanner's verdict on it, and handing it to
staff.

Attaching is a change like any other (`ComplaintService.change`, action `attach_file`): the attachment
is listed on the complaint with the version bumped and an audit event written, announced as
ComplaintUpdated (`kind: attachment`, no file name: it may name the customer). Only then is the upload
signed: a presigned POST for exactly that file (type, size) under a key the server chose, valid for
UPLOAD_WINDOW. The attachment is listed from the moment its upload is granted: until the scanner's
verdict arrives it reads `pending` (or `not_scanned` where no scanner runs), and a file never uploaded
never gets a verdict.

The verdict (`record_scan_result`, by `malware-scan`) is recorded once per scan: a repeated delivery,
or a verdict older than the one recorded, changes nothing. It names the stored version it is about, and
a download serves exactly that version, so a file uploaded again over a clean one is never handed out
on the first one's verdict.

Staff download only a file found clean, or one stored where no scanner runs (the local runtime: the
answer says `not_scanned`). Threats found, a scan still pending, and a file the scanner could not check
(unsupported, failed) are refused with 409 and a code that says which."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from complaints.attachments.models import (
    AttachmentDownload,
    AttachmentFile,
    AttachmentRequest,
    AttachmentUpload,
    ScanResult,
    UploadForm,
)
from complaints.attachments.ports import AttachmentStore, LinkCheck
from complaints.attachments.rules import (
    DOWNLOAD_WINDOW,
    MAX_ATTACHMENTS,
    UPLOAD_WINDOW,
    object_key,
    parse_object_key,
    require_may_download,
)
from complaints.core import access
from complaints.core.auth import Caller, Role
from complaints.core.clock import Clock, IdGenerator, new_id, utc_now
from complaints.core.errors import Conflict, NotFound
from complaints.core.models import Attachment, Complaint, ScanStatus
from complaints.intake.lifecycle import Action
from complaints.tracking.service import CUSTOMER

if TYPE_CHECKING:
    from complaints.intake.service import ComplaintService

log = logging.getLogger(__name__)

MALWARE_SCAN = Caller(id="malware-scan", roles=frozenset({Role.SYSTEM}), permissions=frozenset())
"""The scanner's verdicts are recorded in the audit trail under this actor."""


class TooManyAttachments(Conflict):
    code = "attachment_limit_reached"


class ThreatsFound(Conflict):
    code = "attachment_threats_found"


class ScanPending(Conflict):
    code = "attachment_scan_pending"


class NotScannable(Conflict):
    code = "attachment_not_scannable"


class _NotNews(Exception):
    """The verdict is already recorded (or a newer one is): nothing to write."""


class AttachmentService:
    def __init__(
        self,
        complaints: ComplaintService,
        store: AttachmentStore,
        *,
        scanned: bool,
        link_check: LinkCheck,
        clock: Clock = utc_now,
        ids: IdGenerator = new_id,
    ) -> None:
        """`scanned`: whether a malware scanner watches the store (GuardDuty in AWS; nothing locally)."""
        self._complaints = complaints
        self._store = store
        self._scanned = scanned
        self._link_check = link_check
        self._clock = clock
        self._ids = ids

    # --- attaching ----------------------------------------------------------------------------------

    def attach(self, complaint_id: str, request: AttachmentRequest, caller: Caller) -> AttachmentUpload:
        """Staff who may work the complaint, or the channel app that submitted it: the change path
        applies core/access's rule of `attach_file` before anything is written."""
        return self._attach(complaint_id, request, caller, request.version)

    def attach_as_customer(
        self, complaint_id: str, token: str | None, request: AttachmentFile
    ) -> AttachmentUpload:
        """The customer, through the tracking link (its token is the credential; no version: a
        concurrent change by staff is not a conflict for the customer)."""
        self._link_check(complaint_id, token)
        return self._attach(complaint_id, request, CUSTOMER, None)

    def _attach(
        self, complaint_id: str, file: AttachmentFile, caller: Caller, version: int | None
    ) -> AttachmentUpload:
        attachment_id = self._ids()
        status = ScanStatus.PENDING if self._scanned else ScanStatus.NOT_SCANNED

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if len(current.attachments) >= MAX_ATTACHMENTS:
                raise TooManyAttachments(
                    f"a complaint holds at most {MAX_ATTACHMENTS} attachments; this one has "
                    f"{len(current.attachments)}: combine pages into one PDF",
                    [{"field": "attachments", "message": f"at most {MAX_ATTACHMENTS}"}],
                )
            attachment = Attachment(
                id=attachment_id,
                file_name=file.file_name,
                content_type=file.content_type.value,
                size=file.size,
                added_by=caller.id,
                added_at=now,
                scan_status=status,
            )
            return {"attachments": [*current.attachments, attachment]}

        updated = self._complaints.change(
            complaint_id,
            Action.ATTACH,
            caller,
            version,
            mutate,
            data={
                "kind": "attachment",
                "attachmentId": attachment_id,
                "contentType": file.content_type.value,
                "size": file.size,
            },
        )
        attachment = _find(updated, attachment_id)
        signed = self._store.upload_form(
            object_key(complaint_id, attachment_id), attachment.content_type, attachment.size, UPLOAD_WINDOW
        )
        return AttachmentUpload(
            attachment=attachment,
            upload=UploadForm(url=signed.url, fields=signed.fields, expires_at=self._clock() + UPLOAD_WINDOW),
            complaint_version=updated.version,
        )

    # --- the scanner's verdict ----------------------------------------------------------------------

    def record_scan(self, result: ScanResult) -> bool:
        """Record the verdict on the attachment its key names. False, and nothing written, when the key
        is no attachment's, the complaint or attachment is unknown, or the verdict is not news (the same
        delivered again, or older than the one recorded)."""
        ids = parse_object_key(result.key)
        if ids is None:
            log.warning("scan result for a key that is no attachment's", extra={"key": result.key})
            return False
        complaint_id, attachment_id = ids
        try:
            current = self._complaints.get(complaint_id)
        except NotFound:
            log.warning("scan result for an unknown complaint", extra={"complaintId": complaint_id})
            return False
        if not _is_news(current, attachment_id, result):
            return False

        def mutate(latest: Complaint, now: datetime) -> dict[str, Any]:
            if not _is_news(latest, attachment_id, result):
                raise _NotNews
            verdict = {
                "scan_status": result.status,
                "scanned_at": result.at,
                "scanned_version": result.version,
            }
            return {
                "attachments": [
                    a.model_copy(update=verdict) if a.id == attachment_id else a for a in latest.attachments
                ]
            }

        try:
            self._complaints.change(
                complaint_id,
                Action.RECORD_SCAN,
                MALWARE_SCAN,
                None,
                mutate,
                data={"kind": "attachment", "attachmentId": attachment_id, "scanStatus": result.status.value},
            )
        except _NotNews:
            return False
        if result.status is ScanStatus.THREATS_FOUND:
            log.warning(
                "malware found in an attachment",
                extra={"complaintId": complaint_id, "attachmentId": attachment_id},
            )
        return True

    # --- downloads ----------------------------------------------------------------------------------

    def download(self, complaint_id: str, attachment_id: str, caller: Caller) -> AttachmentDownload:
        require_may_download(caller)
        complaint = access.require_read(caller, self._complaints.get(complaint_id))
        attachment = _find(complaint, attachment_id)
        status = attachment.scan_status
        problem = [{"field": "scanStatus", "message": f"is {status.value}"}]
        if status is ScanStatus.THREATS_FOUND:
            raise ThreatsFound(
                "the malware scan found threats in this file: it is kept for investigation and never "
                "handed out; ask the customer for a clean copy",
                problem,
            )
        if status is ScanStatus.PENDING:
            raise ScanPending(
                "the malware scan of this file has not finished (or the file has not been uploaded yet); "
                "try again in a minute",
                problem,
            )
        if status in (ScanStatus.UNSUPPORTED, ScanStatus.FAILED) or (
            status is ScanStatus.NOT_SCANNED and self._scanned
        ):
            raise NotScannable(
                "the malware scanner could not check this file, and an unchecked file is not handed out: "
                "ask the customer for another copy (a PDF without a password, or an image)",
                problem,
            )
        key = object_key(complaint.id, attachment.id)
        if status is ScanStatus.NOT_SCANNED and not self._store.exists(key):
            raise NotFound(f"the file of attachment {attachment.id} was never uploaded")
        url = self._store.download_link(
            key,
            version=attachment.scanned_version if status is ScanStatus.CLEAN else None,
            file_name=attachment.file_name,
            content_type=attachment.content_type,
            expires_in=DOWNLOAD_WINDOW,
        )
        log.info(
            "attachment download link issued",
            extra={"complaintId": complaint.id, "attachmentId": attachment.id, "by": caller.id},
        )
        return AttachmentDownload(attachment=attachment, url=url, expires_at=self._clock() + DOWNLOAD_WINDOW)


def _find(complaint: Complaint, attachment_id: str) -> Attachment:
    found = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if found is None:
        raise NotFound(f"complaint {complaint.id} has no attachment {attachment_id}")
    return found


def _is_news(complaint: Complaint, attachment_id: str, result: ScanResult) -> bool:
    attachment = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if attachment is None:
        log.warning(
            "scan result for an unknown attachment",
            extra={"complaintId": complaint.id, "attachmentId": attachment_id},
        )
        return False
    return attachment.scanned_at is None or result.at > attachment.scanned_at
