"""The attachments' S3 adapter on moto: a presigned POST takes exactly the file it was signed for and
nothing else, and a presigned GET serves the version asked for, as a download.

moto stores whatever a POST upload sends; S3 checks it against the upload's policy. The local runtime
adds that check to its emulator (infra/local/post_policy.py), and these tests put it on the in-process
moto as well, so what they assert is what S3 answers: 204 for the signed file, 400 EntityTooLarge for a
larger one, 403 for another Content-Type, key or an extra field."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from local.post_policy import enforce_post_policies, refusal
from moto.s3.responses import S3Response
from moto_tables import REGION

from complaints.adapters.aws import client
from complaints.adapters.s3_attachments import S3AttachmentStore, content_disposition

BUCKET = "complaint-guard-test-attachment-store"
KEY = "attachments/c-1/a-1"
PDF = b"%PDF-1.7\n" + b"statement of account " * 100
WINDOW = timedelta(minutes=10)


@pytest.fixture
def store(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3AttachmentStore]:
    # S3's policy check on moto's POST handler, undone after the test.
    monkeypatch.setattr(S3Response, "_bucket_response_post", S3Response._bucket_response_post)
    enforce_post_policies()
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    # As the api composes it (complaints/composition/parts.py): SigV4, regional virtual-hosted URLs.
    yield S3AttachmentStore(
        BUCKET, client("s3", signature_version="s3v4", s3={"addressing_style": "virtual"})
    )


def post(form: Any, content: bytes, **changed: str) -> requests.Response:
    fields = {**form.fields, **changed}
    return requests.post(form.url, data=fields, files={"file": ("statement.pdf", content)}, timeout=10)


def stored(key: str = KEY) -> dict[str, Any] | None:
    try:
        return dict(boto3.client("s3", region_name=REGION).head_object(Bucket=BUCKET, Key=key))
    except ClientError:
        return None


def test_the_signed_file_is_taken_with_its_type(store: S3AttachmentStore) -> None:
    form = store.upload_form(KEY, "application/pdf", len(PDF), WINDOW)
    assert form.url == f"https://{BUCKET}.s3.{REGION}.amazonaws.com/"
    assert form.fields["key"] == KEY and form.fields["Content-Type"] == "application/pdf"
    answer = post(form, PDF)
    assert answer.status_code == 204, answer.text
    head = stored()
    assert head is not None
    assert (head["ContentType"], head["ContentLength"]) == ("application/pdf", len(PDF))
    assert store.exists(KEY) is True


def test_a_larger_file_is_refused_and_nothing_is_stored(store: S3AttachmentStore) -> None:
    form = store.upload_form(KEY, "application/pdf", len(PDF), WINDOW)
    answer = post(form, PDF + b"!")
    assert answer.status_code == 400
    assert "<Code>EntityTooLarge</Code>" in answer.text
    assert stored() is None and store.exists(KEY) is False


def test_a_smaller_file_is_refused_too_the_size_is_the_declared_one(store: S3AttachmentStore) -> None:
    form = store.upload_form(KEY, "application/pdf", len(PDF), WINDOW)
    answer = post(form, PDF[:-1])
    assert answer.status_code == 400 and "<Code>EntityTooSmall</Code>" in answer.text
    assert stored() is None


def test_another_content_type_is_refused(store: S3AttachmentStore) -> None:
    form = store.upload_form(KEY, "application/pdf", len(PDF), WINDOW)
    answer = post(form, PDF, **{"Content-Type": "text/html"})
    assert answer.status_code == 403
    assert "Policy Condition failed" in answer.text and "Content-Type" in answer.text
    assert stored() is None


def test_another_key_or_an_extra_field_is_refused(store: S3AttachmentStore) -> None:
    form = store.upload_form(KEY, "application/pdf", len(PDF), WINDOW)
    assert post(form, PDF, key="attachments/c-1/someone-elses").status_code == 403
    extra = post(form, PDF, **{"x-amz-server-side-encryption": "AES256"})
    assert extra.status_code == 403 and "Extra input fields: x-amz-server-side-encryption" in extra.text
    assert stored() is None and stored("attachments/c-1/someone-elses") is None


def test_an_expired_policy_is_refused() -> None:
    # The check itself, at a moment past the policy's expiration (no waiting on the wall clock).
    policy = {"expiration": "2026-03-02T01:10:00Z", "conditions": [{"bucket": BUCKET}, {"key": KEY}]}
    form = {"policy": base64.b64encode(json.dumps(policy).encode()).decode(), "key": KEY}
    assert refusal(BUCKET, form, 10, datetime(2026, 3, 2, 1, 9, 59, tzinfo=UTC)) is None
    after = refusal(BUCKET, form, 10, datetime(2026, 3, 2, 1, 10, tzinfo=UTC))
    assert after is not None and after[0] == 403 and "Policy expired" in after[2]


def test_a_download_link_serves_the_version_asked_for_as_a_download(store: S3AttachmentStore) -> None:
    first = store.upload_form(KEY, "application/pdf", len(PDF), WINDOW)
    assert post(first, PDF).status_code == 204
    s3 = boto3.client("s3", region_name=REGION)
    first_version = s3.head_object(Bucket=BUCKET, Key=KEY)["VersionId"]
    # The same form used again: a second version of the key (S3 versioning keeps the first).
    again = PDF.replace(b"statement", b"STATEMENT")
    assert post(first, again).status_code == 204
    link = store.download_link(
        KEY,
        version=first_version,
        file_name="工资流水 3月.pdf",
        content_type="application/pdf",
        expires_in=timedelta(minutes=5),
    )
    assert link.startswith(f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}?")
    assert "X-Amz-Expires=300" in link
    answer = requests.get(link, timeout=10)
    assert answer.status_code == 200
    assert answer.content == PDF
    assert answer.headers["Content-Disposition"] == content_disposition("工资流水 3月.pdf")
    assert answer.headers["Content-Type"] == "application/pdf"
    latest = requests.get(
        store.download_link(
            KEY,
            version=None,
            file_name="a.pdf",
            content_type="application/pdf",
            expires_in=timedelta(minutes=5),
        ),
        timeout=10,
    )
    assert latest.content == again


def test_the_download_name_is_safe_ascii_with_the_real_name_in_utf8() -> None:
    assert content_disposition('工资 "3月".pdf') == (
        "attachment; filename=\"__ _3__.pdf\"; filename*=UTF-8''%E5%B7%A5%E8%B5%84%20%223%E6%9C%88%22.pdf"
    )


def test_exists_answers_false_for_a_file_never_uploaded(store: S3AttachmentStore) -> None:
    assert store.exists("attachments/c-1/never") is False
