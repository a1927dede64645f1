"""Request body sizes over real HTTP against the local runtime (docs/architecture.md §5, "Sizes"): a
50,000-character Chinese complaint is taken in and read back intact; a body over its path's limit is
refused as the WAF refuses it, before any function sees it."""

from __future__ import annotations

import json

import pytest
import requests
from e2e_support import Api, complaint_body

from complaint_guard.limits import TRACKING

pytestmark = pytest.mark.xdist_group("e2e")

JSON = {"Content-Type": "application/json"}
_ACCOUNT = (
    "本人在贵行网点办理跨行转账五百元，手机银行显示扣款两次，至今未退还重复扣款，也没有任何书面答复。\n"
)
DESCRIPTION = (_ACCOUNT * (50_000 // len(_ACCOUNT) + 1))[:49_999] + "。"


def _padded(body: dict[str, object], size: int) -> bytes:
    """`body` as JSON, white space after it up to exactly `size` bytes (still the same JSON)."""
    text = json.dumps(body).encode()
    return text + b" " * (size - len(text))


def test_a_50000_character_chinese_complaint_is_taken_in_and_read_back_intact(api: Api) -> None:
    # escaped as a channel app's JSON library may send it: about 300 KB
    sent = json.dumps(complaint_body(customer_id="C-E2E-LONG", description=DESCRIPTION)).encode()
    assert len(sent) > 290_000
    created = api.request("POST", "/v1/complaints", role="channel_app", data=sent, headers=JSON)
    assert created.status_code == 201, created.text[:500]
    assert created.json()["description"] == DESCRIPTION
    read = api.request("GET", f"/v1/complaints/{created.json()['id']}", role="channel_app")
    assert read.status_code == 200, read.text[:500]
    assert read.json()["description"] == DESCRIPTION


def test_one_byte_over_the_tracking_limit_is_the_wafs_403_at_the_limit_the_handler_answers(api: Api) -> None:
    url = f"{api.url}/v1/track/00000000-0000-0000-0000-000000000000/feedback?token=not-a-token"
    at_limit = requests.post(url, data=_padded({"rating": 5}, TRACKING.max_bytes), headers=JSON, timeout=30)
    # it reached the handler: a wrong tracking link
    assert at_limit.status_code == 403, at_limit.text[:500]
    assert at_limit.json()["error"] == "forbidden"

    over = requests.post(url, data=_padded({"rating": 5}, TRACKING.max_bytes + 1), headers=JSON, timeout=30)
    assert over.status_code == 403, over.text[:500]
    assert over.headers["Content-Type"] == "application/json"
    assert over.json() == json.loads(TRACKING.response_body())
    assert over.json()["error"] == "body_too_large"
