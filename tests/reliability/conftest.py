"""In-process fixtures of the reliability suite: a moto backend per test, the api function's handler,
faults injected into the adapters' own botocore clients, and a scan of every log line a handler
wrote during the test for the test customers' phone, e-mail and name.

The HTTP tests use the local runtime of tests/conftest.py (one per session, shared with tests/e2e);
its output is scanned there when the session ends."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from api_events import Call, api_caller, handler_module
from moto_tables import ENVIRONMENT, moto_backend
from reliability_support import CHANNEL_APP, LogScan, leaked


@pytest.fixture(autouse=True)
def no_customer_data_in_logs(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """Fails the test when any log line of it holds a test customer's phone, e-mail or name: the
    handlers' Powertools loggers at DEBUG (a handler module imported during the test logs at that
    level too) and whatever propagated to the root logger (caplog)."""
    if "local_runtime" in request.fixturenames:
        yield  # the runtime's own output is scanned when the session ends (tests/conftest.py)
        return
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")
    caplog.set_level(logging.INFO)  # botocore's DEBUG lines echo whole requests; Lambda keeps them off
    with LogScan(ENVIRONMENT["POWERTOOLS_SERVICE_NAME"]) as scan:
        yield
    found = leaked(scan.text(), caplog.text)
    assert not found, f"customer data in the logs: {found}"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A fresh moto backend with both tables; a client on it for looking behind the adapters."""
    yield from moto_backend(monkeypatch)


@pytest.fixture
def api_module(dynamodb: Any) -> ModuleType:
    return handler_module("api.app")


@pytest.fixture
def call(api_module: ModuleType) -> Call:
    """One request through the api function as API Gateway hands it over (channel app by default)."""
    return api_caller(api_module, CHANNEL_APP)
