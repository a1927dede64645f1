"""Report files in the reports bucket (KMS-encrypted by default), streamed in and linked out."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

# Files larger than this are spooled to /tmp before the upload, so memory stays flat.
_SPOOL_BYTES = 8 * 1024 * 1024


class S3ArtifactStore:
    """Report files in the reports bucket; the bucket's default encryption is its KMS key."""

    def __init__(self, bucket: str, client: S3Client) -> None:
        self._bucket = bucket
        self._client = client

    @contextmanager
    def writer(self, key: str, content_type: str) -> Iterator[TextIO]:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            yield text
            text.flush()
            # Let go of the bytes underneath: the upload closes the file it is given.
            body = text.detach()
            body.seek(0)
            # upload_fileobj streams in parts: a quarter's extract never has to fit in memory.
            self._client.upload_fileobj(
                body,
                self._bucket,
                key,
                ExtraArgs={"ContentType": content_type, "ContentDisposition": _disposition(key)},
            )

    def link(self, key: str, expires_in: timedelta) -> str:
        return str(
            self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=int(expires_in.total_seconds()),
            )
        )


def _disposition(key: str) -> str:
    name = key.rsplit("/", 1)[-1]
    # the HTML opens in the browser; the extracts download under their own names
    return "inline" if name.endswith(".html") else f'attachment; filename="{name}"'
