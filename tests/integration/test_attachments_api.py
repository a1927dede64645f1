"""Attachments through the api function in-process, on moto: what the submitting channel app, the
customer (tracking link) and staff see, the upload through the presigned POST it hands out, and the
malware scanner's verdict arriving through the malware-scan function.

The backend's ATTACHMENT_SCANNER is `none` (attachments read not_scanned, as on the local runtime);
the tests of the scanner set `guardduty`, as the stack does."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
import requests
from api_events import Call, LambdaContext, handler_module, intake_body
from local.post_policy import enforce_post_policies
from moto.s3.responses import S3Response
from moto_tables import ENVIRONMENT, REGION, TRACKING_KEY, clear_caches

from complaints.tracking.links import SigningKey, tracking_token

BUCKET = ENVIRONMENT["ATTACHMENT_BUCKET"]
STAFF = "complaint-guard/staff"
AGENT = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": STAFF}
MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": STAFF}
OTHER_APP = {
    "client_id": "kiosk",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
PUBLIC: dict[str, Any] = {}  # the tracking routes: no Cognito token
PDF = b"%PDF-1.7\n" + b"account statement, March " * 40
KEY_ID, SECRET = TRACKING_KEY.split(":", 1)

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


@pytest.fixture(autouse=True)
def s3_checks_post_policies(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """What S3 does with a presigned POST and moto does not (infra/local/post_policy.py)."""
    monkeypatch.setattr(S3Response, "_bucket_response_post", S3Response._bucket_response_post)
    enforce_post_policies()


@pytest.fixture
def guardduty(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The deployment as the stack makes it: GuardDuty scans the bucket; its verdicts reach the
    malware-scan function (returned)."""
    monkeypatch.setenv("ATTACHMENT_SCANNER", "guardduty")
    clear_caches()
    yield handler_module("malware_scan.app")


def submit(call: Call) -> dict[str, Any]:
    reply = call("POST", "/v1/complaints", intake_body())
    assert reply.status == 201, reply.body
    return dict(reply.body)


def file(**overrides: Any) -> dict[str, Any]:
    return {"fileName": "statement.pdf", "contentType": "application/pdf", "size": len(PDF)} | overrides


def upload(granted: dict[str, Any], content: bytes = PDF) -> requests.Response:
    form = granted["upload"]
    return requests.post(
        form["url"], data=form["fields"], files={"file": ("statement.pdf", content)}, timeout=10
    )


def attached(call: Call, complaint_id: str, claims: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = call("POST", f"/v1/complaints/{complaint_id}/attachments", file(), claims)
    assert reply.status == 201, reply.body
    return dict(reply.body)


def scan_event(key: str, verdict: str, version: str, time: str = "2026-03-02T01:04:05Z") -> dict[str, Any]:
    return {
        "version": "0",
        "id": "72c7d362-737a-6dce-fc78-9e27a0171419",
        "detail-type": "GuardDuty Malware Protection Object Scan Result",
        "source": "aws.guardduty",
        "account": "123456789012",
        "time": time,
        "region": REGION,
        "resources": [],
        "detail": {
            "schemaVersion": "1.0",
            "scanStatus": "COMPLETED" if verdict.endswith("THREATS_FOUND") else "FAILED",
            "resourceType": "S3_OBJECT",
            "s3ObjectDetails": {"bucketName": BUCKET, "objectKey": key, "versionId": version},
            "scanResultDetails": {"scanResultStatus": verdict, "threats": None},
        },
    }


def stored_version(complaint_id: str, attachment_id: str) -> str:
    head = boto3.client("s3", region_name=REGION).head_object(
        Bucket=BUCKET, Key=f"attachments/{complaint_id}/{attachment_id}"
    )
    return str(head["VersionId"])


# --- attaching and downloading -------------------------------------------------------------------------


def test_the_submitting_app_attaches_uploads_and_staff_download_the_file(call: Call) -> None:
    created = submit(call)
    granted = attached(call, created["id"])
    attachment = granted["attachment"]
    assert attachment["fileName"] == "statement.pdf"
    assert (attachment["contentType"], attachment["size"]) == ("application/pdf", len(PDF))
    assert (attachment["addedBy"], attachment["scanStatus"]) == ("mobile-app", "not_scanned")
    assert granted["complaintVersion"] == 2
    assert granted["upload"]["method"] == "POST"
    assert granted["upload"]["url"] == f"https://{BUCKET}.s3.{REGION}.amazonaws.com/"
    key = f"attachments/{created['id']}/{attachment['id']}"
    assert granted["upload"]["fields"]["key"] == key

    assert upload(granted).status_code == 204

    complaint = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    assert complaint["attachments"] == [attachment]
    assert (complaint["status"], complaint["version"]) == ("received", 2)
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert [(e["action"], e["actor"]["id"]) for e in trail][-1] == ("attach_file", "mobile-app")

    reply = call("GET", f"/v1/complaints/{created['id']}/attachments/{attachment['id']}", claims=AGENT)
    assert reply.status == 200, reply.body
    assert reply.body["attachment"]["scanStatus"] == "not_scanned"
    fetched = requests.get(reply.body["url"], timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith('attachment; filename="statement.pdf"')


def test_a_file_never_uploaded_is_listed_but_not_downloadable(call: Call) -> None:
    created = submit(call)
    attachment = attached(call, created["id"])["attachment"]
    reply = call("GET", f"/v1/complaints/{created['id']}/attachments/{attachment['id']}", claims=AGENT)
    assert reply.status == 404
    assert reply.body["message"] == f"the file of attachment {attachment['id']} was never uploaded"


def test_the_upload_takes_exactly_the_declared_file(call: Call) -> None:
    created = submit(call)
    granted = attached(call, created["id"])
    too_large = upload(granted, PDF + b"%%EOF")
    assert too_large.status_code == 400 and "EntityTooLarge" in too_large.text
    form = granted["upload"]
    other_type = requests.post(
        form["url"],
        data={**form["fields"], "Content-Type": "text/html"},
        files={"file": ("statement.pdf", PDF)},
        timeout=10,
    )
    assert other_type.status_code == 403
    key = f"attachments/{created['id']}/{granted['attachment']['id']}"
    listed = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket=BUCKET, Prefix=key)
    assert listed.get("KeyCount") == 0


def test_wrong_files_are_400_naming_the_field(call: Call) -> None:
    created = submit(call)
    for body, field in (
        (file(contentType="application/x-msdownload"), "contentType"),
        (file(size=20 * 1024 * 1024 + 1), "size"),
        (file(fileName="statement.exe"), "fileName"),
        ({"fileName": "a.pdf", "contentType": "application/pdf"}, "size"),
        (file(key="attachments/mine"), "key"),  # the client never names the key
    ):
        reply = call("POST", f"/v1/complaints/{created['id']}/attachments", body)
        assert reply.status == 400, (body, reply.body)
        assert reply.body["error"] == "validation_error"
        assert [d["field"] for d in reply.body["details"]] == [field]
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["attachments"] == []


def test_another_channel_app_learns_nothing_and_attaches_nothing(call: Call) -> None:
    created = submit(call)
    reply = call("POST", f"/v1/complaints/{created['id']}/attachments", file(), OTHER_APP)
    assert reply.status == 404
    unknown = call("POST", "/v1/complaints/no-such-complaint/attachments", file(), OTHER_APP)
    assert reply.body == unknown.body | {"message": reply.body["message"]}
    assert call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["version"] == 1


def test_staff_attach_with_if_match_and_a_stale_version_is_409(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}/attachments"
    assert call("POST", path, file(), AGENT, headers={"If-Match": "1"}).status == 201
    stale = call("POST", path, file(), AGENT, headers={"If-Match": "1"})
    assert stale.status == 409 and stale.body["error"] == "version_conflict"


def test_a_closed_complaint_takes_no_attachment(call: Call) -> None:
    created = submit(call)
    path = f"/v1/complaints/{created['id']}"
    resolution = {"outcome": "upheld", "summary": "Refunded.", "rootCause": "duplicate batch"}
    resolved = call("POST", f"{path}/resolve", resolution, AGENT)
    assert resolved.status == 200
    accepted = {"receivedVia": "phone", "receivedAt": resolved.body["resolvedAt"]}  # the customer agreed
    assert call("POST", f"{path}/close", accepted, AGENT).status == 200
    reply = call("POST", f"{path}/attachments", file(), AGENT)
    assert reply.status == 409 and reply.body["error"] == "illegal_transition"


def test_channel_apps_do_not_download(call: Call) -> None:
    created = submit(call)
    attachment = attached(call, created["id"])["attachment"]
    # even the app that submitted it, with the read scope
    submitter = {
        "client_id": "mobile-app",
        "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
    }
    reply = call("GET", f"/v1/complaints/{created['id']}/attachments/{attachment['id']}", claims=submitter)
    assert reply.status == 403 and reply.body["message"] == "only staff may download attachments"


# --- the customer, through the tracking link -------------------------------------------------------


def test_the_customer_attaches_through_the_tracking_link(call: Call) -> None:
    created = submit(call)
    path = f"/v1/track/{created['id']}/attachments"
    token = tracking_token(created["id"], SigningKey(KEY_ID, SECRET))
    reply = call(
        "POST", path, file(fileName="screenshot.png", contentType="image/png"), PUBLIC, {"token": token}
    )
    assert reply.status == 201, reply.body
    assert reply.body["attachment"]["addedBy"] == "customer"
    assert upload(reply.body).status_code == 204
    for wrong in ("nope", tracking_token("another-complaint", SigningKey(KEY_ID, SECRET))):
        refused = call("POST", path, file(), PUBLIC, {"token": wrong})
        assert refused.status == 403 and refused.body["error"] == "forbidden"
    assert call("POST", path, file(), PUBLIC).status == 403  # no token at all
    listed = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body["attachments"]
    assert [a["addedBy"] for a in listed] == ["customer"]


# --- the malware scanner --------------------------------------------------------------------------


def test_with_the_scanner_a_file_is_handed_out_once_found_clean_in_that_version(
    call: Call, guardduty: ModuleType
) -> None:
    created = submit(call)
    granted = attached(call, created["id"])
    attachment = granted["attachment"]
    assert attachment["scanStatus"] == "pending"
    download = f"/v1/complaints/{created['id']}/attachments/{attachment['id']}"
    pending = call("GET", download, claims=AGENT)
    assert pending.status == 409 and pending.body["error"] == "attachment_scan_pending"

    # the file, then GuardDuty's verdict on the version stored
    assert upload(granted).status_code == 204
    key = f"attachments/{created['id']}/{attachment['id']}"
    version = stored_version(created["id"], attachment["id"])
    answer = guardduty.handler(scan_event(key, "NO_THREATS_FOUND", version), LambdaContext("malware-scan"))
    assert answer == {"recorded": True}
    # delivered again: nothing new
    assert guardduty.handler(scan_event(key, "NO_THREATS_FOUND", version), LambdaContext()) == {
        "recorded": False
    }
    # the same upload form used again: the key now holds another file, not yet scanned
    assert upload(granted, PDF.replace(b"March", b"MARCH")).status_code == 204

    complaint = call("GET", f"/v1/complaints/{created['id']}", claims=AGENT).body
    (scanned,) = complaint["attachments"]
    assert (scanned["scanStatus"], scanned["scannedVersion"]) == ("clean", version)
    assert scanned["scannedAt"] == "2026-03-02T01:04:05Z"
    assert complaint["status"] == "received" and complaint["version"] == 3
    trail = call("GET", f"/v1/complaints/{created['id']}/events", claims=AGENT).body["items"]
    assert (trail[-1]["action"], trail[-1]["actor"]["id"]) == ("record_scan_result", "malware-scan")

    reply = call("GET", download, claims=MANAGER)
    assert reply.status == 200, reply.body
    assert f"versionId={version}" in reply.body["url"]
    assert requests.get(reply.body["url"], timeout=10).content == PDF  # the version found clean


@pytest.mark.parametrize(
    ("verdict", "code"),
    [
        ("THREATS_FOUND", "attachment_threats_found"),
        ("UNSUPPORTED", "attachment_not_scannable"),
        ("ACCESS_DENIED", "attachment_not_scannable"),
    ],
)
def test_with_the_scanner_anything_not_clean_is_refused(
    call: Call, guardduty: ModuleType, verdict: str, code: str
) -> None:
    created = submit(call)
    granted = attached(call, created["id"])
    assert upload(granted).status_code == 204
    attachment = granted["attachment"]
    key = f"attachments/{created['id']}/{attachment['id']}"
    version = stored_version(created["id"], attachment["id"])
    assert guardduty.handler(scan_event(key, verdict, version), LambdaContext()) == {"recorded": True}
    reply = call("GET", f"/v1/complaints/{created['id']}/attachments/{attachment['id']}", claims=MANAGER)
    assert reply.status == 409 and reply.body["error"] == code
    assert "url" not in reply.body


def test_the_scanner_ignores_verdicts_on_other_buckets_and_keys(guardduty: ModuleType) -> None:
    other_bucket = scan_event("attachments/c/a", "THREATS_FOUND", "v1")
    other_bucket["detail"]["s3ObjectDetails"]["bucketName"] = "someone-elses"
    assert guardduty.handler(other_bucket, LambdaContext()) == {"recorded": False}
    not_ours = scan_event("malware-protection-resource-validation-object", "NO_THREATS_FOUND", "v1")
    assert guardduty.handler(not_ours, LambdaContext()) == {"recorded": False}
