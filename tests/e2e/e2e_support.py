"""What the e2e tests share: an HTTP client with a token per role, and a valid complaint body."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

# The test customers' phones, e-mail addresses and names (complaint_body, the tests' own customers and
# scripts/demo.py's):
# no log line may hold one (the runtime's output, scanned at teardown, and the reliability suite's
# in-process handler logs).
PII = re.compile(
    r"\+86139\d{8}|\+8613[0-9]{9}|\b(?!complaints@)[\w.]+@example\.com"
    r"|Zhang Wei|Wang Fang|Chen Jie|Li Lei|Liu Yang|Zhao Min|Sun Li|Zhou Jun"
)


@dataclass
class Api:
    url: str
    tokens: dict[str, str]

    def headers(self, role: str | None, **extra: str) -> dict[str, str]:
        headers = dict(extra)
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return headers

    def request(self, method: str, path: str, role: str | None = "agent", **kwargs: Any) -> requests.Response:
        headers = self.headers(role, **kwargs.pop("headers", {}))
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)


def complaint_body(customer_id: str = "C-E2E-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "counter",
        "customer": {
            "customerId": customer_id,
            "name": "Zhang Wei",
            "phone": "+8613912345678",
            "email": "zhang.wei@example.com",
            "preferredContact": ["sms", "email"],
            "language": "zh-CN",
        },
        "description": "The ATM at the Nanjing Road branch kept my card and the counter could not return it.",
        "category": "service",
        "product": "deposit",
    }
    return body | overrides


def own_customer_body(label: str, **overrides: Any) -> dict[str, Any]:
    """An intake body for a customer of its own (id, phone and e-mail no other test uses), so no other
    complaint is linked to it or counts as its repeat."""
    unique = uuid.uuid4().hex[:8]
    body = complaint_body(f"C-{label.upper()}-{unique}", **overrides)
    body["customer"] = {**body["customer"], "phone": f"+86139{int(unique, 16) % 10**8:08d}"}
    body["customer"]["email"] = f"{label.lower()}.{unique}@example.com"
    return body


def submit_triaged(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    """Submitted by the channel app, then read once triage has read it."""
    response = api.request("POST", "/v1/complaints", role="channel_app", json=body)
    assert response.status_code == 201, response.text
    return triaged(api, response.json()["id"])


def poll(
    read: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool], seconds: float = 30
) -> dict[str, Any]:
    """`read()` again every quarter second until `done` holds of it or `seconds` pass; the last read."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.25)


def triaged(api: Any, complaint_id: str, seconds: float = 120) -> dict[str, Any]:
    """The complaint once triage has read it (it does, seconds after intake, in a change of its own):
    a test that counts versions or audit events waits for it first, so they are the same every run.
    Patient: right after a burst (the demo's sixty complaints) the emulator's triage queue drains for
    a while; how fast one complaint is read is tests/e2e/test_triage_over_http.py's to measure."""
    read = poll(
        lambda: read_complaint(api, complaint_id),
        lambda c: bool(c.get("triage")),
        seconds,
    )
    assert read.get("triage"), f"triage did not read {complaint_id} in {seconds} s"
    return read


def read_complaint(api: Api, complaint_id: str, role: str = "agent") -> dict[str, Any]:
    """The complaint as `role` reads it over the API."""
    answer: dict[str, Any] = api.request("GET", f"/v1/complaints/{complaint_id}", role=role).json()
    return answer
