"""Forced failures and dead-letter redrive for the local runtime, so the failure path can be tried by
hand: `POST /_local/faults/ses` (or `sns`) {"failures": N} makes the next N sends fail as the service
would; `GET /_local/dead-letters` shows what the queues gave up on; `POST
/_local/dead-letters/{queue}/redrive` moves it back to its source queue, as SQS's redrive does."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import boto3

from .emulator import ACCOUNT_ID


class Faults:
    def __init__(self, region: str) -> None:
        self._region = region
        self._left = {"ses": 0, "sns": 0}
        self._lock = threading.Lock()
        self._install()

    def arm(self, service: str, failures: int) -> dict[str, int]:
        if service not in self._left:
            raise KeyError(service)
        with self._lock:
            self._left[service] = max(0, failures)
            return dict(self._left)

    def _take(self, service: str) -> bool:
        with self._lock:
            if self._left[service] > 0:
                self._left[service] -= 1
                return True
            return False

    def _install(self) -> None:
        from moto.ses.exceptions import MessageRejectedError
        from moto.ses.models import ses_backends
        from moto.sns.exceptions import InternalError
        from moto.sns.models import sns_backends

        ses = ses_backends[ACCOUNT_ID][self._region]
        sns = sns_backends[ACCOUNT_ID][self._region]

        def failing(
            original: Callable[..., Any], service: str, error: Callable[[], Exception]
        ) -> Callable[..., Any]:
            def send(*args: Any, **kwargs: Any) -> Any:
                if self._take(service):
                    raise error()
                return original(*args, **kwargs)

            return send

        # Patching the emulator's own backends is the point of a local fault switch.
        rejected, failed = (
            MessageRejectedError("forced by /_local/faults"),
            InternalError("forced by /_local/faults"),
        )
        ses.send_email = failing(ses.send_email, "ses", lambda: rejected)  # type: ignore[method-assign]
        sns.publish = failing(sns.publish, "sns", lambda: failed)  # type: ignore[method-assign]


class DeadLetters:
    def __init__(self, region: str) -> None:
        self._sqs = boto3.client("sqs", region_name=region)

    def _pairs(self) -> dict[str, str]:
        """Dead-letter queue URL → the URL of the queue that sends to it."""
        pairs: dict[str, str] = {}
        urls = self._sqs.list_queues().get("QueueUrls", [])
        arns = {
            self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]: url
            for url in urls
        }
        for url in urls:
            attributes = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
            policy = attributes.get("Attributes", {}).get("RedrivePolicy")
            if policy:
                target = json.loads(policy)["deadLetterTargetArn"]
                if target in arns:
                    pairs[arns[target]] = url
        return pairs

    def summary(self) -> list[dict[str, Any]]:
        result = []
        for dead, source in self._pairs().items():
            count = self._sqs.get_queue_attributes(
                QueueUrl=dead, AttributeNames=["ApproximateNumberOfMessages"]
            )["Attributes"]["ApproximateNumberOfMessages"]
            result.append(
                {
                    "queue": dead.rsplit("/", 1)[1],
                    "messages": int(count),
                    "redrivesTo": source.rsplit("/", 1)[1],
                }
            )
        return result

    def redrive(self, queue_name: str) -> int:
        for dead, source in self._pairs().items():
            if dead.rsplit("/", 1)[1] == queue_name:
                moved = 0
                while True:
                    batch = self._sqs.receive_message(
                        QueueUrl=dead, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
                    )
                    messages = batch.get("Messages", [])
                    if not messages:
                        return moved
                    for message in messages:
                        self._sqs.send_message(QueueUrl=source, MessageBody=message["Body"])
                        self._sqs.delete_message(QueueUrl=dead, ReceiptHandle=message["ReceiptHandle"])
                        moved += 1
        raise KeyError(queue_name)
