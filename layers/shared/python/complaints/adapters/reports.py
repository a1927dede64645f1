"""Where quarterly reports live: their records on the complaint table, their files in the reports
bucket (KMS), their build requests on an SQS queue, and the e-mail to management through SES.

| item   | pk                 | sk     |
|--------|--------------------|--------|
| report | REPORT#<report id> | REPORT |

A record carries no index keys, so no GSI sees it; every change is conditional on its version. The
record itself is one JSON attribute (its rates are floats, which DynamoDB's typed numbers would turn
into decimals); the version sits beside it for the condition.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TextIO

from botocore.exceptions import ClientError

from ..errors import Conflict, NotFound, ServiceUnavailable, VersionConflict
from ..report import ReportRecord
from .dynamodb import THROTTLING_CODES, marshal, unmarshal
from .ses import SesEmailSender

REPORT_SK = "REPORT"
ENTITY = "report"
# Files larger than this are spooled to /tmp before the upload, so memory stays flat.
_SPOOL_BYTES = 8 * 1024 * 1024


def report_pk(report_id: str) -> str:
    return f"REPORT#{report_id}"


def _busy(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code", "") in THROTTLING_CODES


class DynamoDbReportRecords:
    def __init__(self, table_name: str, client: Any) -> None:
        self._table = table_name
        self._client = client

    def _item(self, record: ReportRecord) -> dict[str, Any]:
        return marshal(
            {
                "pk": report_pk(record.id),
                "sk": REPORT_SK,
                "entity": ENTITY,
                "version": record.version,
                "record": record.model_dump_json(by_alias=True),
            }
        )

    def create(self, record: ReportRecord) -> None:
        try:
            self._client.put_item(
                TableName=self._table, Item=self._item(record), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise Conflict(f"report {record.id} exists") from None
            if _busy(error):
                raise ServiceUnavailable("the database is busy; retry") from None
            raise

    def get(self, report_id: str) -> ReportRecord:
        try:
            response = self._client.get_item(
                TableName=self._table,
                Key=marshal({"pk": report_pk(report_id), "sk": REPORT_SK}),
                ConsistentRead=True,
            )
        except ClientError as error:
            if _busy(error):
                raise ServiceUnavailable("the database is busy; retry") from None
            raise
        if "Item" not in response:
            raise NotFound(f"no report {report_id}")
        return ReportRecord.model_validate_json(unmarshal(response["Item"])["record"])

    def replace(self, record: ReportRecord) -> ReportRecord:
        stored = record.model_copy(update={"version": record.version + 1})
        try:
            self._client.put_item(
                TableName=self._table,
                Item=self._item(stored),
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#version": "version"},
                ExpressionAttributeValues=marshal({":expected": record.version}),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise VersionConflict(f"report {record.id} changed meanwhile; read it again") from None
            if _busy(error):
                raise ServiceUnavailable("the database is busy; retry") from None
            raise
        return stored


class S3ArtifactStore:
    """Report files in the reports bucket; the bucket's default encryption is its KMS key."""

    def __init__(self, bucket: str, client: Any) -> None:
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


class SqsReportQueue:
    def __init__(self, queue_url: str, client: Any) -> None:
        self._queue_url = queue_url
        self._client = client

    def submit(self, report_id: str) -> None:
        try:
            self._client.send_message(
                QueueUrl=self._queue_url, MessageBody=json.dumps({"reportId": report_id})
            )
        except ClientError as error:
            raise ServiceUnavailable("the report could not be queued; retry") from error


class SesReportMailer:
    """One message per address of the management distribution list."""

    def __init__(self, sender: SesEmailSender) -> None:
        self._sender = sender

    def send(self, to: list[str], subject: str, text: str, html: str) -> None:
        for address in to:
            self._sender.send(address, subject, text, html)
