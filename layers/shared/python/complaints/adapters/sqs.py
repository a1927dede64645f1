"""The queue of report builds that managers ask for."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from complaints.core.errors import ServiceUnavailable

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient


class SqsReportQueue:
    def __init__(self, queue_url: str, client: SQSClient) -> None:
        self._queue_url = queue_url
        self._client = client

    def submit(self, report_id: str) -> None:
        try:
            self._client.send_message(
                QueueUrl=self._queue_url, MessageBody=json.dumps({"reportId": report_id})
            )
        except ClientError as error:
            raise ServiceUnavailable("the report could not be queued; retry") from error
