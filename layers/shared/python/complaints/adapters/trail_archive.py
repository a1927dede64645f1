"""The trail's archive in an S3 bucket under Object Lock (compliance mode, the bucket's default
retention): each event one object, written once (`If-None-Match: *`), never replaced."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.core.errors import ServiceUnavailable
from complaints.trail.archive import PREFIX, ArchivedEvent, archive_key

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

# S3 answers a conditional write whose object exists with 412; one in flight at the same key with 409.
_ALREADY_THERE = frozenset({"PreconditionFailed", "412"})


class S3TrailArchive:
    def __init__(self, bucket: str, client: S3Client) -> None:
        self._bucket = bucket
        self._client = client

    def put(self, event: ArchivedEvent) -> None:
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=archive_key(event.complaint_id, event.version),
                Body=event.to_json().encode(),
                ContentType="application/json",
                # Object Lock takes a write only with an integrity checksum.
                ChecksumAlgorithm="SHA256",
                IfNoneMatch="*",
            )
        except ClientError as error:
            if error_code(error) in _ALREADY_THERE:
                return  # archived by an earlier attempt of this batch: the object is what it was
            if is_busy(error) or error_code(error) == "ConditionalRequestConflict":
                raise ServiceUnavailable("the archive is busy; retry") from error
            raise

    def events(self, complaint_id: str) -> Iterator[ArchivedEvent]:
        """The archived events of a complaint, oldest first."""
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=f"{PREFIX}{complaint_id}/"):
            for entry in page.get("Contents", []):
                body = self._client.get_object(Bucket=self._bucket, Key=entry["Key"])["Body"].read()
                yield ArchivedEvent.from_json(body.decode())

    def complaint_ids(self) -> Iterator[str]:
        """Every complaint with archived events."""
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=PREFIX, Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                yield common["Prefix"][len(PREFIX) :].rstrip("/")
