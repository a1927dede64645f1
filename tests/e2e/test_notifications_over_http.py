"""The customer's side on the local runtime: the receipt, responses and resolution arrive by SMS and
e-mail (the outbox), the tracking link opens in a real browser (Debian's headless Chromium), a low
rating opens a follow-up, and a send that keeps failing ends in the dead-letter queue and is redriven."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from e2e_support import Api, complaint_body
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.xdist_group("e2e")
LINK = re.compile(r"(http://[^\s\"<>]+/t/[\w-]+\?token=[\w.-]+)")


def outbox(api: Api, to: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = requests.get(f"{api.url}/_local/outbox", timeout=10).json()
    return [e for e in entries if to in (e["to"] if isinstance(e["to"], list) else [e["to"]])]


def wait_for_messages(api: Api, to: str, count: int, seconds: float = 90) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while True:
        found = outbox(api, to)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def customer(**overrides: Any) -> dict[str, Any]:
    unique = uuid.uuid4().hex[:8]
    phone = "+86139" + str(int(unique, 16) % 10**8).zfill(8)
    return {
        "customerId": f"C-{unique}",
        "name": "Wang Fang",
        "phone": phone,
        "email": f"wang.{unique}@example.com",
        "preferredContact": ["sms", "email"],
        "language": "zh-CN",
        **overrides,
    }


def test_receipt_response_and_resolution_reach_the_customer_and_a_low_rating_opens_a_follow_up(
    api: Api, browser: webdriver.Chrome
) -> None:
    person = customer()
    created = api.request(
        "POST", "/v1/complaints", role="channel_app", json=complaint_body(customer=person)
    ).json()
    receipt = wait_for_messages(api, person["phone"], 1) + wait_for_messages(api, person["email"], 1)
    assert {m["channel"] for m in receipt} == {"sms", "email"}
    for message in receipt:
        assert created["reference"] in message["body"]
    link = LINK.search(receipt[0]["body"])
    assert link, receipt[0]["body"]

    path = f"/v1/complaints/{created['id']}"
    api.request("POST", f"{path}/responses", json={"message": "我们已联系网点，卡片将于明日退还。"})
    responses = wait_for_messages(api, person["email"], 2)
    assert any("卡片将于明日退还" in m["body"] for m in responses[1:])

    resolved = api.request(
        "POST",
        f"{path}/resolve",
        json={
            "outcome": "upheld",
            "summary": "卡片已退还并补偿手续费。",
            "rootCause": "ATM card reader fault",
        },
    ).json()
    assert resolved["status"] == "resolved"
    after = wait_for_messages(api, person["email"], 4)  # receipt, response, resolution, survey
    texts = " ".join(m["body"] for m in after[2:])
    assert "卡片已退还并补偿手续费" in texts
    assert "调解" in texts  # the seed policy's mediation rights

    # The customer opens the link from the message in a browser, reads the status and rates 2 of 5.
    browser.get(link.group(1))
    status = browser.find_element(By.ID, "status").text
    assert status  # the page shows the complaint's status
    assert created["reference"] in browser.find_element(By.ID, "reference").text
    browser.find_element(By.CSS_SELECTOR, "input[name=rating][value='2']").click()
    browser.find_element(By.ID, "comment").send_keys("处理太慢")
    browser.find_element(By.ID, "feedback-submit").click()
    WebDriverWait(browser, 15).until(
        expected_conditions.presence_of_element_located((By.ID, "feedback-thanks"))
    )

    rated = api.request("GET", path, role="supervisor").json()
    assert rated["feedback"][-1]["rating"] == 2
    follow_up = rated["followUp"]
    assert follow_up["status"] == "open"
    opened = datetime.fromisoformat(follow_up["openedAt"])
    assert datetime.fromisoformat(follow_up["dueAt"]) == opened + timedelta(hours=48)
    assert opened <= datetime.now(UTC)


def test_a_wrong_token_reveals_nothing(api: Api) -> None:
    person = customer()
    created = api.request(
        "POST", "/v1/complaints", role="channel_app", json=complaint_body(customer=person)
    ).json()
    wrong = requests.get(f"{api.url}/v1/track/{created['id']}", params={"token": "x" * 43}, timeout=10)
    unknown = requests.get(f"{api.url}/v1/track/{uuid.uuid4()}", params={"token": "x" * 43}, timeout=10)
    assert wrong.status_code == unknown.status_code == 403
    assert wrong.json() == unknown.json()
    assert person["name"] not in wrong.text and created["reference"] not in wrong.text


def test_a_send_that_keeps_failing_is_dead_lettered_and_a_redrive_delivers_it(api: Api) -> None:
    person = customer(preferredContact=["email"])

    def dead_letters() -> dict[str, int]:
        queues = requests.get(f"{api.url}/_local/dead-letters", timeout=10).json()
        return {q["queue"]: q["messages"] for q in queues if "Notifications" in q["queue"]}

    before = dead_letters()
    (queue,) = before
    armed = requests.post(f"{api.url}/_local/faults/ses", json={"failures": 1000}, timeout=10)
    assert armed.status_code == 200
    try:
        created = api.request(
            "POST", "/v1/complaints", role="channel_app", json=complaint_body(customer=person)
        ).json()
        failures: list[dict[str, Any]] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            trail = api.request("GET", f"/v1/complaints/{created['id']}/events").json()
            failures = [n for n in trail.get("notifications", []) if n["status"] == "failed"]
            if failures and dead_letters()[queue] > before[queue]:
                break
            time.sleep(0.5)
        # this complaint's receipt failed, was recorded as failed, and its message was dead-lettered
        assert failures, "no failed send recorded"
        assert dead_letters()[queue] >= before[queue] + 1
        assert outbox(api, person["email"]) == []
    finally:
        requests.post(f"{api.url}/_local/faults/ses", json={"failures": 0}, timeout=10)

    moved = requests.post(f"{api.url}/_local/dead-letters/{queue}/redrive", timeout=30).json()
    assert moved["moved"] >= 1
    delivered = wait_for_messages(api, person["email"], 1)
    assert len(delivered) == 1 and created["reference"] in delivered[0]["body"]
