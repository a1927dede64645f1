"""What the reliability tests share: the api function's replies, faults injected into the adapters'
botocore clients, what a busy dependency must look like to a caller, and the log scan."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from api_events import Reply
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from botocore.exceptions import ClientError
from e2e_support import PII

CHANNEL_APP = {
    "client_id": "counter-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
AGENT = {
    "cognito:groups": "[agent team:intake team:payments]",
    "username": "agent-9",
    "scope": "complaint-guard/staff",
}


class LogScan:
    """Every record of one Powertools service logger, formatted as Powertools formats it (message and
    extra keys), at DEBUG: what the function would print in Lambda."""

    def __init__(self, service: str) -> None:
        self._logger = logging.getLogger(service)
        self._buffer = io.StringIO()
        self._handler = logging.StreamHandler(self._buffer)
        self._handler.setFormatter(LambdaPowertoolsFormatter())
        self._level = self._logger.level

    def __enter__(self) -> LogScan:
        self._logger.addHandler(self._handler)
        self._logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *_: object) -> None:
        self._logger.removeHandler(self._handler)
        self._logger.setLevel(self._level)

    def text(self) -> str:
        return self._buffer.getvalue()


def leaked(*texts: str) -> list[str]:
    return sorted({found for text in texts for found in PII.findall(text)})


@dataclass
class Fault:
    """Makes the next `times` calls of one operation of one botocore client fail with an AWS error,
    before anything is sent (so botocore's own retries do not hide it), and counts them."""

    client: Any
    operation: str
    code: str
    times: int = 1
    cancellation_reasons: list[dict[str, str]] | None = None
    raised: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        service = self.client.meta.service_model.service_id.hyphenize()
        self._event = f"before-call.{service}.{self.operation}"
        self.client.meta.events.register(self._event, self._fail, unique_id=f"fault-{id(self)}")

    def _fail(self, **_: Any) -> None:
        if self.raised >= self.times:
            return
        self.raised += 1
        response: dict[str, Any] = {
            "Error": {"Code": self.code, "Message": f"injected {self.code}"},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        if self.cancellation_reasons is not None:
            response["CancellationReasons"] = self.cancellation_reasons
        raise ClientError(response, self.operation)

    def clear(self) -> None:
        self.client.meta.events.unregister(self._event, unique_id=f"fault-{id(self)}")


def assert_clear_503(reply: Reply) -> None:
    """What a caller sees when a dependency is busy: 503, the API's one error shape, and when to retry."""
    assert reply.status == 503, reply.body
    assert set(reply.body) == {"error", "message", "details"}
    assert reply.body["error"] == "service_unavailable"
    assert "retry" in reply.body["message"]
    assert reply.headers["content-type"].startswith("application/json")
    assert int(reply.headers["retry-after"]) >= 1


def table_items(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    """Every item of a table (tests only: the adapters never scan)."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table}
    while True:
        page = dynamodb.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
