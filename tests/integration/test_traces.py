"""No personal data in traces: the api function run in-process on moto with the X-Ray recorder really
recording (every request sampled, segments kept in memory instead of sent to the daemon). What the
tracer would send to X-Ray is read back and must hold none of the customer's data, for a complaint
submitted, read back, and a request that fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import aws_xray_sdk
import pytest
from api_events import Call, intake_body
from aws_xray_sdk.core import xray_recorder

from complaints.composition import api as composition_api

STAFF = {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": "complaint-guard/staff"}
CHANNEL_APP = {
    "client_id": "mobile-app",
    "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read",
}
CUSTOMER: dict[str, Any] = {
    "customerId": "C-7301",
    "name": "Zhang Xiaoming",
    "phone": "+8613912345678",
    "email": "zhang.xiaoming@trace-test.example",
    "preferredContact": ["sms", "email"],
    "language": "zh-CN",
    "segment": "retail",
}
DESCRIPTION = "Trace canary: my card ending 4242 was charged twice by Golden Dragon Restaurant."
PERSONAL: tuple[str, ...] = (
    str(CUSTOMER["name"]),
    str(CUSTOMER["phone"]),
    str(CUSTOMER["email"]),
    DESCRIPTION,
    "4242",
    "Golden Dragon",
)


def _texts(node: Any) -> Iterator[str]:
    """Every string of a trace entity, keys included: where the customer's data could be. Numbers are
    left out: a timestamp's digits (1796158580.3054242) are not a card's last four."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def assert_no_personal_data(sent: list[str]) -> None:
    for entity in sent:
        texts = list(_texts(json.loads(entity)))
        for value in PERSONAL:
            assert not any(value in text for text in texts), f"{value!r} is in a trace entity: {entity[:500]}"


EVERYTHING = {"version": 2, "default": {"fixed_target": 1, "rate": 1.0}, "rules": []}

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


class MemoryEmitter:
    """Stands in for the UDP emitter: keeps every entity the recorder would send, serialized."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_entity(self, entity: Any) -> None:
        self.sent.append(entity.serialize())

    def set_daemon_address(self, address: str | None) -> None:
        pass

    @property
    def ip(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return 2000


@pytest.fixture
def recorded(app_module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryEmitter]:
    """The recorder enabled and recording into memory, put back as it was afterwards."""
    monkeypatch.delenv("POWERTOOLS_TRACE_DISABLED", raising=False)
    monkeypatch.delenv("AWS_XRAY_SDK_ENABLED", raising=False)
    emitter = MemoryEmitter()
    saved = (
        xray_recorder._emitter,
        xray_recorder._sampler,
        xray_recorder._sampling,
        xray_recorder.context.context_missing,
        xray_recorder.streaming_threshold,
        aws_xray_sdk.global_sdk_config.sdk_enabled(),
    )
    xray_recorder.configure(
        emitter=emitter,
        sampling=True,
        sampling_rules=EVERYTHING,
        context_missing="LOG_ERROR",
        streaming_threshold=1,  # subsegments are sent as they close, so each is read
    )
    aws_xray_sdk.global_sdk_config.set_sdk_enabled(True)
    try:
        yield emitter
    finally:
        (
            xray_recorder._emitter,
            xray_recorder._sampler,
            xray_recorder._sampling,
            xray_recorder.context.context_missing,
            xray_recorder.streaming_threshold,
            enabled,
        ) = saved
        xray_recorder.clear_trace_entities()
        aws_xray_sdk.global_sdk_config.set_sdk_enabled(enabled)


def traced(call: Call, *args: Any, **kwargs: Any) -> Any:
    """One request inside a sampled segment, as Lambda's facade segment would hold it."""
    xray_recorder.begin_segment("complaint-guard-api", sampling=1)
    try:
        return call(*args, **kwargs)
    finally:
        xray_recorder.end_segment()


def test_no_customer_data_reaches_a_trace_segment(call: Call, recorded: MemoryEmitter) -> None:
    created = traced(
        call,
        "POST",
        "/v1/complaints",
        intake_body(customer=CUSTOMER, description=DESCRIPTION),
        claims=CHANNEL_APP,
    )
    assert created.status == 201, created.body
    complaint_id = created.body["id"]
    read = traced(call, "GET", f"/v1/complaints/{complaint_id}", claims=STAFF)
    assert read.status == 200 and read.body["customer"]["name"] == CUSTOMER["name"]
    # A failing request that repeats the personal data in what it sends.
    failed = traced(
        call,
        "POST",
        "/v1/complaints",
        intake_body(
            customer={**CUSTOMER, "email": f"not-an-email {CUSTOMER['email']}"}, description=DESCRIPTION
        ),
        claims=CHANNEL_APP,
    )
    assert failed.status == 400

    # The test can fail: the handler's own subsegment was recorded for each request.
    assert len(recorded.sent) >= 3
    handler_subsegments = [entity for entity in recorded.sent if "## handler" in entity]
    assert len(handler_subsegments) >= 3, recorded.sent
    assert_no_personal_data(recorded.sent)


def test_an_unexpected_error_puts_nothing_of_it_in_the_trace(
    call: Call, recorded: MemoryEmitter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception in a route whose message names the customer: answered 500, logged by our own
    logger, and neither its message nor the response reaches the trace."""

    class Failing:
        def get(self, complaint_id: str) -> Any:
            raise RuntimeError(f"could not read {CUSTOMER['name']} {CUSTOMER['phone']} {DESCRIPTION}")

    monkeypatch.setattr(composition_api, "complaint_service", Failing)
    failed = traced(call, "GET", "/v1/complaints/01JDX0000000000000000000AB", claims=STAFF)
    assert failed.status == 500
    assert any("## handler" in entity for entity in recorded.sent), recorded.sent
    assert_no_personal_data(recorded.sent)
