"""Attachment files in the attachments bucket: presigned POSTs in, presigned GETs out.

The bucket encrypts every object with the stack's key by default and its policy refuses any other
encryption (constructs/attachments.py); a presigned POST lets the client add no field the policy does
not name, so neither the key, the type, the size nor the encryption is the client's to choose.
AWS errors become domain errors by code (adapters/aws.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.attachments.ports import SignedUpload
from complaints.core.errors import ServiceUnavailable

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


class S3AttachmentStore:
    def __init__(self, bucket: str, client: S3Client) -> None:
        self._bucket = bucket
        self._client = client

    def upload_form(self, key: str, content_type: str, size: int, expires_in: timedelta) -> SignedUpload:
        # boto3 adds the bucket and the exact key to the policy's conditions itself.
        form = self._client.generate_presigned_post(
            self._bucket,
            key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=int(expires_in.total_seconds()),
        )
        return SignedUpload(url=str(form["url"]), fields={k: str(v) for k, v in form["fields"].items()})

    def download_link(
        self, key: str, *, version: str | None, file_name: str, content_type: str, expires_in: timedelta
    ) -> str:
        params = {
            "Bucket": self._bucket,
            "Key": key,
            # Always a download, never rendered in the browser, under the name it was attached with.
            "ResponseContentDisposition": content_disposition(file_name),
            "ResponseContentType": content_type,
        }
        if version:
            params["VersionId"] = version
        return str(
            self._client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=int(expires_in.total_seconds())
            )
        )

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error_code(error) in _MISSING:
                return False
            if is_busy(error):
                raise ServiceUnavailable("the file store is busy; nothing was changed, retry") from error
            raise
        return True


def content_disposition(file_name: str) -> str:
    """`attachment` with an ASCII fallback name and the real one in RFC 6266/5987 form (UTF-8)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in file_name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
