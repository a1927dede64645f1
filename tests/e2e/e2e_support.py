"""What the e2e tests share: an HTTP client with a token per role, and a valid complaint body."""

from __future__ import annotations

import re
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
