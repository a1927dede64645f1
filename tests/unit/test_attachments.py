"""Attachments without AWS: what may be attached (types, size, names), who may attach and download, the
malware scanner's verdict, and what is announced. The store is a fake that records what it was asked
to sign; the complaints live in the in-memory repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fakes import T0, FakeClock, FakeTracker, InMemoryComplaintRepository, SequentialIds
from pydantic import ValidationError

from complaints.adapters.guardduty import scan_result
from complaints.attachments.models import AttachmentFile, AttachmentRequest, ScanResult
from complaints.attachments.ports import SignedUpload
from complaints.attachments.rules import (
    MAX_ATTACHMENTS,
    MAX_NAME_LENGTH,
    MAX_SIZE,
    object_key,
    parse_object_key,
)
from complaints.attachments.service import (
    AttachmentService,
    NotScannable,
    ScanPending,
    ThreatsFound,
    TooManyAttachments,
)
from complaints.core.auth import caller_from_claims
from complaints.core.errors import Forbidden, IllegalTransition, NotFound, VersionConflict
from complaints.core.models import Complaint, ReceivedVia, ScanStatus, Status
from complaints.intake.commands import CloseRequest, IntakeRequest, ResolveRequest, WithdrawRequest
from complaints.intake.outbox import domain_events_for
from complaints.intake.service import ComplaintService

SUBMITTER = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
OTHER_APP = caller_from_claims({"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims(
    {"cognito:groups": ["agent", "team:intake"], "username": "agent-7", "scope": "complaint-guard/staff"}
)
COMPLIANCE = caller_from_claims(
    {"cognito:groups": ["compliance"], "username": "audit-1", "scope": "complaint-guard/staff"}
)
GOOD_LINK = "valid-token"
BUCKET = "attachments-bucket"


@dataclass
class FakeStore:
    """Signs nothing: answers with what it was asked, so a test sees the key, type and size it got."""

    stored: set[str] = field(default_factory=set)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)

    def upload_form(self, key: str, content_type: str, size: int, expires_in: timedelta) -> SignedUpload:
        self.uploads.append({"key": key, "type": content_type, "size": size, "expires": expires_in})
        return SignedUpload(
            url="https://store.example/upload", fields={"key": key, "Content-Type": content_type}
        )

    def download_link(
        self, key: str, *, version: str | None, file_name: str, content_type: str, expires_in: timedelta
    ) -> str:
        self.links.append({"key": key, "version": version, "name": file_name, "expires": expires_in})
        return f"https://store.example/{key}?version={version}"

    def exists(self, key: str) -> bool:
        return key in self.stored


def link_check(complaint_id: str, token: str | None) -> None:
    if token != GOOD_LINK:
        raise Forbidden("this tracking link is not valid")


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def complaints(repo: InMemoryComplaintRepository, clock: FakeClock) -> ComplaintService:
    return ComplaintService(repo, FakeTracker(), clock=clock, ids=SequentialIds())


def attachments_on(
    complaints: ComplaintService, store: FakeStore, clock: FakeClock, *, scanned: bool
) -> AttachmentService:
    return AttachmentService(
        complaints, store, scanned=scanned, link_check=link_check, clock=clock, ids=SequentialIds("att")
    )


@pytest.fixture
def scanned(complaints: ComplaintService, store: FakeStore, clock: FakeClock) -> AttachmentService:
    """Where GuardDuty scans the bucket."""
    return attachments_on(complaints, store, clock, scanned=True)


@pytest.fixture
def unscanned(complaints: ComplaintService, store: FakeStore, clock: FakeClock) -> AttachmentService:
    """Where nothing scans it (the local runtime)."""
    return attachments_on(complaints, store, clock, scanned=False)


def submitted(complaints: ComplaintService) -> Complaint:
    request = IntakeRequest.model_validate(
        {
            "channel": "counter",
            "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
            "description": "Charged twice for one transfer.",
        }
    )
    return complaints.intake(request, SUBMITTER)


def pdf(**overrides: Any) -> AttachmentRequest:
    body = {"fileName": "statement.pdf", "contentType": "application/pdf", "size": 48_213} | overrides
    return AttachmentRequest.model_validate(body)


def problems(body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        AttachmentFile.model_validate(body)
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in caught.value.errors()}


# --- what may be attached ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "name"),
    [
        ("application/pdf", "statement.pdf"),
        ("image/jpeg", "receipt.JPG"),
        ("image/jpeg", "receipt.jpeg"),
        ("image/png", "screenshot.png"),
        ("image/heic", "IMG_0042.HEIC"),
        ("text/plain", "chat.txt"),
    ],
)
def test_the_allowed_types_are_taken_with_a_name_of_their_kind(content_type: str, name: str) -> None:
    file = AttachmentFile.model_validate({"fileName": name, "contentType": content_type, "size": 1})
    assert file.content_type.value == content_type
    assert file.file_name == name


@pytest.mark.parametrize(
    "content_type", ["application/x-msdownload", "text/html", "image/svg+xml", "application/zip", ""]
)
def test_any_other_type_is_refused_naming_the_allowed_ones(content_type: str) -> None:
    found = problems({"fileName": "x.pdf", "contentType": content_type, "size": 10})
    assert "'application/pdf'" in found["contentType"] and "'image/heic'" in found["contentType"]


def test_a_type_is_read_without_its_parameters_and_case() -> None:
    file = AttachmentFile.model_validate({"fileName": "a.png", "contentType": "Image/PNG; q=1", "size": 1})
    assert file.content_type.value == "image/png"


def test_a_name_must_end_in_an_extension_of_its_type() -> None:
    found = problems({"fileName": "statement.exe", "contentType": "application/pdf", "size": 10})
    assert found == {"fileName": "Value error, must end in .pdf for application/pdf (e.g. evidence.pdf)"}
    found = problems({"fileName": "photo.png", "contentType": "image/jpeg", "size": 10})
    assert "must end in .jpg or .jpeg for image/jpeg" in found["fileName"]


def test_size_is_at_least_one_byte_and_at_most_20_mb() -> None:
    assert (
        AttachmentFile.model_validate(
            {"fileName": "a.pdf", "contentType": "application/pdf", "size": MAX_SIZE}
        ).size
        == 20 * 1024 * 1024
    )
    assert set(problems({"fileName": "a.pdf", "contentType": "application/pdf", "size": MAX_SIZE + 1})) == {
        "size"
    }
    assert set(problems({"fileName": "a.pdf", "contentType": "application/pdf", "size": 0})) == {"size"}


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\li\\Desktop\\statement.pdf", "statement.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("bank\u202egpj.pdf", "bankgpj.pdf"),  # a right-to-left override would show it as "bankfdp.jpg"
        ("a\x00b\nc.pdf", "abc.pdf"),
        ('my "best" <statement>?.pdf', "my _best_ _statement__.pdf"),
        ("  ..hidden  statement .pdf", "hidden statement .pdf"),
        ("工资流水 2026年3月.pdf", "工资流水 2026年3月.pdf"),
    ],
)
def test_names_are_sanitised(sent: str, kept: str) -> None:
    file = AttachmentFile.model_validate({"fileName": sent, "contentType": "application/pdf", "size": 1})
    assert file.file_name == kept


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    file = AttachmentFile.model_validate(
        {"fileName": "x" * 250 + ".pdf", "contentType": "application/pdf", "size": 1}
    )
    assert len(file.file_name) == MAX_NAME_LENGTH and file.file_name.endswith("x.pdf")


@pytest.mark.parametrize("sent", ["...", "/", "\u200b\u200b"])
def test_a_name_with_nothing_left_is_refused(sent: str) -> None:
    found = problems({"fileName": sent, "contentType": "application/pdf", "size": 1})
    assert found["fileName"] == "Value error, must be a file name such as statement.pdf"


def test_the_key_is_the_servers_and_read_back_only_for_attachments() -> None:
    assert object_key("c-1", "a-1") == "attachments/c-1/a-1"
    assert parse_object_key("attachments/c-1/a-1") == ("c-1", "a-1")
    for other in ("malware-protection-resource-validation-object", "attachments/c-1", "attachments/c/a/b"):
        assert parse_object_key(other) is None


# --- attaching ----------------------------------------------------------------------------------------


def test_staff_attach_a_file_audited_versioned_and_the_status_unchanged(
    complaints: ComplaintService,
    scanned: AttachmentService,
    store: FakeStore,
    repo: InMemoryComplaintRepository,
) -> None:
    complaint = submitted(complaints)
    granted = scanned.attach(complaint.id, pdf(version=1), AGENT)
    stored = complaints.get(complaint.id)
    assert stored.status is Status.RECEIVED and stored.version == 2 == granted.complaint_version
    (attachment,) = stored.attachments
    assert attachment == granted.attachment
    assert attachment.file_name == "statement.pdf" and attachment.size == 48_213
    assert (attachment.added_by, attachment.added_at) == ("agent-7", T0)
    assert attachment.scan_status is ScanStatus.PENDING
    assert store.uploads == [
        {
            "key": f"attachments/{complaint.id}/{attachment.id}",
            "type": "application/pdf",
            "size": 48_213,
            "expires": timedelta(minutes=10),
        }
    ]
    assert granted.upload.url == "https://store.example/upload"
    assert granted.upload.expires_at == T0 + timedelta(minutes=10)
    event = repo.events_by_complaint[complaint.id][-1]
    assert (event.action, event.actor.id, event.version) == ("attach_file", "agent-7", 2)
    assert set(event.changes) == {"attachments"}
    assert event.data == {
        "kind": "attachment",
        "attachmentId": attachment.id,
        "contentType": "application/pdf",
        "size": 48_213,
    }


def test_where_nothing_scans_an_attachment_reads_not_scanned(
    complaints: ComplaintService, unscanned: AttachmentService
) -> None:
    complaint = submitted(complaints)
    assert unscanned.attach(complaint.id, pdf(), AGENT).attachment.scan_status is ScanStatus.NOT_SCANNED


def test_the_channel_app_that_submitted_it_may_attach_no_other_app(
    complaints: ComplaintService, scanned: AttachmentService, store: FakeStore
) -> None:
    complaint = submitted(complaints)
    assert scanned.attach(complaint.id, pdf(), SUBMITTER).attachment.added_by == "counter-app"
    with pytest.raises((Forbidden, NotFound)):
        scanned.attach(complaint.id, pdf(), OTHER_APP)
    assert len(complaints.get(complaint.id).attachments) == 1
    assert len(store.uploads) == 1


def test_compliance_works_no_complaint_and_may_not_attach(
    complaints: ComplaintService, scanned: AttachmentService
) -> None:
    complaint = submitted(complaints)
    with pytest.raises(Forbidden):
        scanned.attach(complaint.id, pdf(), COMPLIANCE)
    assert complaints.get(complaint.id).attachments == []


def test_the_customer_attaches_with_a_valid_tracking_link_only(
    complaints: ComplaintService, scanned: AttachmentService, store: FakeStore
) -> None:
    complaint = submitted(complaints)
    with pytest.raises(Forbidden):
        scanned.attach_as_customer(complaint.id, "forged", pdf())
    assert complaints.get(complaint.id).version == 1 and store.uploads == []
    granted = scanned.attach_as_customer(complaint.id, GOOD_LINK, pdf())
    assert granted.attachment.added_by == "customer"


def test_a_resolved_complaint_takes_evidence_a_closed_one_does_not(
    complaints: ComplaintService, scanned: AttachmentService, store: FakeStore
) -> None:
    complaint = submitted(complaints)
    complaints.resolve(
        complaint.id,
        ResolveRequest.model_validate({"outcome": "upheld", "summary": "Refunded.", "rootCause": "bug"}),
        AGENT,
    )
    assert scanned.attach(complaint.id, pdf(), AGENT).attachment
    assert complaints.get(complaint.id).status is Status.RESOLVED
    complaints.close(complaint.id, CloseRequest(received_via=ReceivedVia.EMAIL, received_at=T0), AGENT)
    with pytest.raises(IllegalTransition):
        scanned.attach(complaint.id, pdf(), AGENT)
    assert len(complaints.get(complaint.id).attachments) == 1 and len(store.uploads) == 1


def test_a_stale_version_attaches_nothing(complaints: ComplaintService, scanned: AttachmentService) -> None:
    complaint = submitted(complaints)
    scanned.attach(complaint.id, pdf(), AGENT)
    with pytest.raises(VersionConflict, match="version 2, not 1"):
        scanned.attach(complaint.id, pdf(version=1), AGENT)
    assert len(complaints.get(complaint.id).attachments) == 1


def test_at_most_20_attachments(complaints: ComplaintService, scanned: AttachmentService) -> None:
    complaint = submitted(complaints)
    for _ in range(MAX_ATTACHMENTS):
        scanned.attach(complaint.id, pdf(), AGENT)
    with pytest.raises(TooManyAttachments) as caught:
        scanned.attach(complaint.id, pdf(), AGENT)
    assert caught.value.status == 409 and caught.value.code == "attachment_limit_reached"
    assert len(complaints.get(complaint.id).attachments) == MAX_ATTACHMENTS


def test_an_attachment_is_announced_as_complaint_updated_without_its_name(
    complaints: ComplaintService, scanned: AttachmentService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submitted(complaints)
    scanned.attach(complaint.id, pdf(fileName="Li Wei salary.pdf"), AGENT)
    (announced,) = domain_events_for(repo.events_by_complaint[complaint.id][-1])
    assert announced.name.value == "ComplaintUpdated"
    assert announced.data["kind"] == "attachment" and announced.data["fields"] == ["attachments"]
    assert "Li Wei" not in str(announced.data)


# --- the scanner's verdict ----------------------------------------------------------------------------


def verdict(complaint: Complaint, status: ScanStatus, minutes: int = 1, version: str = "v1") -> ScanResult:
    (attachment,) = complaint.attachments
    return ScanResult(
        key=object_key(complaint.id, attachment.id),
        version=version,
        status=status,
        at=T0 + timedelta(minutes=minutes),
    )


def test_a_verdict_is_recorded_by_malware_scan_without_moving_the_status(
    complaints: ComplaintService, scanned: AttachmentService, repo: InMemoryComplaintRepository
) -> None:
    complaint = submitted(complaints)
    scanned.attach(complaint.id, pdf(), AGENT)
    # the scan ends after the customer withdrew the complaint by phone
    complaints.withdraw(complaint.id, WithdrawRequest(received_via=ReceivedVia.PHONE, received_at=T0), AGENT)
    assert scanned.record_scan(verdict(complaints.get(complaint.id), ScanStatus.CLEAN)) is True
    stored = complaints.get(complaint.id)
    assert stored.status is Status.WITHDRAWN
    (attachment,) = stored.attachments
    assert (attachment.scan_status, attachment.scanned_version) == (ScanStatus.CLEAN, "v1")
    assert attachment.scanned_at == T0 + timedelta(minutes=1)
    event = repo.events_by_complaint[complaint.id][-1]
    assert (event.action, event.actor.id, event.actor.roles) == (
        "record_scan_result",
        "malware-scan",
        ["system"],
    )
    assert event.data["scanStatus"] == "clean"


def test_a_repeated_or_older_verdict_changes_nothing(
    complaints: ComplaintService, scanned: AttachmentService
) -> None:
    complaint = submitted(complaints)
    scanned.attach(complaint.id, pdf(), AGENT)
    current = complaints.get(complaint.id)
    assert scanned.record_scan(verdict(current, ScanStatus.THREATS_FOUND, minutes=5, version="v2"))
    version = complaints.get(complaint.id).version
    assert scanned.record_scan(verdict(current, ScanStatus.THREATS_FOUND, minutes=5, version="v2")) is False
    assert scanned.record_scan(verdict(current, ScanStatus.CLEAN, minutes=2, version="v1")) is False
    stored = complaints.get(complaint.id)
    assert stored.version == version
    assert stored.attachments[0].scan_status is ScanStatus.THREATS_FOUND


def test_a_verdict_on_anything_else_is_ignored(
    complaints: ComplaintService, scanned: AttachmentService
) -> None:
    complaint = submitted(complaints)
    scanned.attach(complaint.id, pdf(), AGENT)
    for key in (
        "malware-protection-resource-validation-object",
        "attachments/no-such-complaint/att-1",
        f"attachments/{complaint.id}/no-such-attachment",
    ):
        result = ScanResult(key=key, version=None, status=ScanStatus.CLEAN, at=T0)
        assert scanned.record_scan(result) is False
    assert complaints.get(complaint.id).version == 2


# --- downloads ----------------------------------------------------------------------------------------


def with_verdict(
    complaints: ComplaintService, service: AttachmentService, status: ScanStatus | None
) -> tuple[Complaint, str]:
    complaint = submitted(complaints)
    attachment = service.attach(complaint.id, pdf(), AGENT).attachment
    if status is not None:
        service.record_scan(verdict(complaints.get(complaint.id), status))
    return complaint, attachment.id


def test_staff_download_exactly_the_version_found_clean(
    complaints: ComplaintService, scanned: AttachmentService, store: FakeStore
) -> None:
    complaint, attachment_id = with_verdict(complaints, scanned, ScanStatus.CLEAN)
    download = scanned.download(complaint.id, attachment_id, COMPLIANCE)
    assert download.attachment.scan_status is ScanStatus.CLEAN
    assert store.links == [
        {
            "key": f"attachments/{complaint.id}/{attachment_id}",
            "version": "v1",
            "name": "statement.pdf",
            "expires": timedelta(minutes=5),
        }
    ]
    assert download.url.endswith("?version=v1")
    assert download.expires_at == T0 + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("status", "refusal", "code"),
    [
        (ScanStatus.THREATS_FOUND, ThreatsFound, "attachment_threats_found"),
        (None, ScanPending, "attachment_scan_pending"),
        (ScanStatus.UNSUPPORTED, NotScannable, "attachment_not_scannable"),
        (ScanStatus.FAILED, NotScannable, "attachment_not_scannable"),
    ],
)
def test_anything_not_found_clean_is_refused_with_409(
    complaints: ComplaintService,
    scanned: AttachmentService,
    store: FakeStore,
    status: ScanStatus | None,
    refusal: type[Exception],
    code: str,
) -> None:
    complaint, attachment_id = with_verdict(complaints, scanned, status)
    with pytest.raises(refusal) as caught:
        scanned.download(complaint.id, attachment_id, AGENT)
    assert (getattr(caught.value, "status", None), getattr(caught.value, "code", None)) == (409, code)
    assert store.links == []


def test_where_nothing_scans_a_stored_file_is_handed_out_saying_so(
    complaints: ComplaintService, unscanned: AttachmentService, store: FakeStore
) -> None:
    complaint, attachment_id = with_verdict(complaints, unscanned, None)
    with pytest.raises(NotFound, match="never uploaded"):
        unscanned.download(complaint.id, attachment_id, AGENT)
    store.stored.add(f"attachments/{complaint.id}/{attachment_id}")
    download = unscanned.download(complaint.id, attachment_id, AGENT)
    assert download.attachment.scan_status is ScanStatus.NOT_SCANNED
    assert store.links[0]["version"] is None


def test_only_staff_download(complaints: ComplaintService, scanned: AttachmentService) -> None:
    complaint, attachment_id = with_verdict(complaints, scanned, ScanStatus.CLEAN)
    reader = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.read"})
    with pytest.raises(Forbidden, match="only staff may download"):
        scanned.download(complaint.id, attachment_id, reader)


def test_an_unknown_attachment_is_404(complaints: ComplaintService, scanned: AttachmentService) -> None:
    complaint = submitted(complaints)
    with pytest.raises(NotFound, match="has no attachment nope"):
        scanned.download(complaint.id, "nope", AGENT)


# --- GuardDuty's event ----------------------------------------------------------------------------------


def guardduty_event(status: str, *, bucket: str = BUCKET, scan: str = "COMPLETED") -> dict[str, Any]:
    """Shaped like the samples of AWS's guide (monitor-with-eventbridge-s3-malware-protection)."""
    return {
        "version": "0",
        "id": "72c7d362-737a-6dce-fc78-9e27a0171419",
        "detail-type": "GuardDuty Malware Protection Object Scan Result",
        "source": "aws.guardduty",
        "account": "111122223333",
        "time": "2026-03-02T01:04:05Z",
        "region": "eu-west-2",
        "resources": [
            "arn:aws:guardduty:eu-west-2:111122223333:malware-protection-plan/b4c7f464ab3a4EXAMPLE"
        ],
        "detail": {
            "schemaVersion": "1.0",
            "scanStatus": scan,
            "resourceType": "S3_OBJECT",
            "s3ObjectDetails": {
                "bucketName": bucket,
                "objectKey": "attachments/c-1/a-1",
                "eTag": "ASIAI44QH8DHBEXAMPLE",
                "versionId": "d41d8cd98f00b204e9800998ecEXAMPLE",
                "s3Throttled": False,
            },
            "scanResultDetails": {"scanResultStatus": status, "threats": None},
        },
    }


@pytest.mark.parametrize(
    ("reported", "read"),
    [
        ("NO_THREATS_FOUND", ScanStatus.CLEAN),
        ("THREATS_FOUND", ScanStatus.THREATS_FOUND),
        ("UNSUPPORTED", ScanStatus.UNSUPPORTED),
        ("ACCESS_DENIED", ScanStatus.FAILED),
        ("FAILED", ScanStatus.FAILED),
        ("SOMETHING_NEW", ScanStatus.FAILED),  # an unknown verdict never lets a file out
    ],
)
def test_guardduty_verdicts_map_to_scan_statuses(reported: str, read: ScanStatus) -> None:
    result = scan_result(guardduty_event(reported), BUCKET)
    assert result is not None
    assert (result.key, result.status) == ("attachments/c-1/a-1", read)
    assert result.version == "d41d8cd98f00b204e9800998ecEXAMPLE"
    assert result.at.isoformat() == "2026-03-02T01:04:05+00:00"


def test_events_about_another_bucket_or_of_another_kind_are_not_verdicts() -> None:
    assert scan_result(guardduty_event("THREATS_FOUND", bucket="someone-elses"), BUCKET) is None
    assert scan_result(guardduty_event("THREATS_FOUND") | {"detail-type": "Object Created"}, BUCKET) is None
