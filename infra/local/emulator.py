"""The AWS emulator: moto server in this process, on a free loopback port."""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from moto.server import ThreadedMotoServer

from .post_policy import enforce_post_policies

ACCOUNT_ID = "123456789012"  # moto's account


_WRITES = threading.RLock()


def _serialize_dynamodb_writes() -> None:
    """DynamoDB applies each conditional write and transaction atomically; the emulator checks the
    condition and writes in separate steps and serves requests on many threads, so two writers could
    both pass one version check. One lock around its write operations restores DynamoDB's guarantee."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_serialized", False):
            continue

        def locked(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with _WRITES:
                return _original(*args, **kwargs)

        locked._serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, locked)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Emulator:
    region: str = "us-east-1"
    port: int = field(default_factory=free_port)
    _server: ThreadedMotoServer | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # moto's Step Functions Wait compares a UTC deadline with the local clock: run this process in UTC.
        os.environ["TZ"] = "UTC"
        time.tzset()
        # Everything in this process — deployer, handlers, Step Functions executions moto runs —
        # reaches AWS through the emulator, never a real account.
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": "testing",
                "AWS_DEFAULT_REGION": self.region,
                "AWS_REGION": self.region,
                "MOTO_PORT": str(self.port),
            }
        )
        _serialize_dynamodb_writes()
        # S3 checks a presigned POST upload against its policy (type, size, key, expiry); moto does not.
        enforce_post_policies()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        # moto runs state machines' ASL for real only when asked to.
        requests.post(
            f"{self.endpoint}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": True}},
            timeout=10,
        ).raise_for_status()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
