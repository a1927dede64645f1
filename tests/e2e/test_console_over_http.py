"""The staff console on the local runtime, in a real browser (Debian's headless Chromium): an agent
signs in with the local runtime's token, and the queues show the complaints a channel app submitted
over the API: the one assigned to them in "My queue", the ones nobody took in "Unassigned", the next
deadline first; the viewer's language is kept across a reload. The page runs under the content policy
the runtime sends (no inline script or style), so a page that renders at all obeys it."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from console_support import assert_accessible, sign_in
from e2e_support import Api, own_customer_body, submit_triaged
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.xdist_group("console")  # a runtime of its own, on the other worker
AGENT = "local-agent"  # the username of the local runtime's agent token (infra/local/tokens.py)
WAIT = 60  # a loaded machine runs the whole suite beside this test


def submit(api: Api, **overrides: Any) -> dict[str, Any]:
    return submit_triaged(api, own_customer_body("console", **overrides))


def rows(browser: webdriver.Chrome) -> list[str]:
    """The references listed, once the queue holds still (it redraws when it reads the API again, and a
    row found just before a redraw is gone)."""
    for _ in range(20):
        try:
            return [
                str(row.get_attribute("data-reference"))
                for row in browser.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
            ]
        except StaleElementReferenceException:
            time.sleep(0.25)
    raise AssertionError("the queue kept redrawing")


def wait_for_rows(browser: webdriver.Chrome, *references: str) -> list[str]:
    WebDriverWait(browser, WAIT).until(lambda b: set(references) <= set(rows(b)))
    return rows(browser)


def test_the_console_is_served_with_its_content_policy_and_local_config(api: Api) -> None:
    page = requests.get(f"{api.url}/console/queue/mine", timeout=10)  # an app path: index.html
    assert page.status_code == 200
    assert '<script type="module" src="/console/assets/' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # the API on the same origin, and the emulator's S3, where the browser posts an attachment
    emulator = requests.get(f"{api.url}/_local/health", timeout=10).json()["emulator"]
    assert f"connect-src 'self' {emulator};" in f"{policy};"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    config = requests.get(f"{api.url}/console/config.json", timeout=10).json()
    assert config == {"mode": "local", "tokensUrl": "/_local/tokens", "apiBase": ""}
    assert requests.get(f"{api.url}/console/assets/missing.js", timeout=10).status_code == 404


def test_an_agent_signs_in_and_sees_their_queue_and_the_unassigned_one_next_deadline_first(
    api: Api, browser: webdriver.Chrome
) -> None:
    mine = submit(api)
    # Answered, then assigned to the agent: its next deadline is the resolution.
    path = f"/v1/complaints/{mine['id']}"
    answered = api.request("POST", f"{path}/responses", json={"message": "您好，我们已收到您的投诉。"})
    assert answered.status_code in (200, 201), answered.text
    assigned = api.request(
        "PATCH",
        path,
        json={"assignee": AGENT, "team": "branch-ops"},
        headers={"If-Match": str(answered.json()["version"])},
    )
    assert assigned.status_code == 200, assigned.text
    normal = submit(api)
    critical = submit(api, priority="critical")  # 4 hours to a first response, not 24

    browser.get(f"{api.url}/console/signin")
    WebDriverWait(browser, WAIT).until(expected_conditions.element_to_be_clickable((By.ID, "sign-in-agent")))
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    assert_accessible(browser, "sign-in")
    browser.find_element(By.ID, "sign-in-agent").click()

    # My queue: the complaint assigned to the agent, with its deadline and time left.
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "queue-title"), "My queue")
    )
    assert browser.find_element(By.ID, "who").text.startswith(AGENT)
    assert mine["reference"] in wait_for_rows(browser, mine["reference"])
    assert normal["reference"] not in rows(browser)
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-reference='{mine['reference']}']")
    assert "Resolution" in row.text and "left" in row.text
    assert_accessible(browser, "my queue")
    assert "Branch counter" in row.text and "Normal" in row.text

    # Unassigned: both new complaints, the critical one (the sooner deadline) first.
    browser.find_element(By.ID, "tab-unassigned").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "queue-title"), "Unassigned")
    )
    listed = wait_for_rows(browser, normal["reference"], critical["reference"])
    assert listed.index(critical["reference"]) < listed.index(normal["reference"])
    assert mine["reference"] not in listed
    first_row = browser.find_element(By.CSS_SELECTOR, f"tr[data-reference='{critical['reference']}']")
    assert "First response" in first_row.text and "Critical" in first_row.text
    assert_accessible(browser, "unassigned queue")

    # The API's priority filter, applied from the form.
    Select(browser.find_element(By.ID, "filter-priority")).select_by_value("critical")
    browser.find_element(By.ID, "filter-apply").click()
    WebDriverWait(browser, WAIT).until(lambda b: normal["reference"] not in rows(b))
    assert critical["reference"] in rows(browser)

    # Take the critical one: it is the agent's now (at the version the page read), and leaves the queue.
    browser.find_element(By.ID, f"take-{critical['reference']}").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "notice"), critical["reference"])
    )
    WebDriverWait(browser, WAIT).until(lambda b: critical["reference"] not in rows(b))
    taken = api.request("GET", f"/v1/complaints/{critical['id']}").json()
    assert taken["assignee"] == AGENT
    assert taken["version"] > critical["version"]
    browser.find_element(By.ID, "tab-mine").click()
    assert set(wait_for_rows(browser, critical["reference"], mine["reference"])) >= {
        critical["reference"],
        mine["reference"],
    }
    browser.find_element(By.ID, "tab-unassigned").click()
    wait_for_rows(browser, normal["reference"])

    # Chinese, remembered across a reload.
    Select(browser.find_element(By.ID, "language")).select_by_value("zh-CN")
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "queue-title"), "待分配")
    )
    browser.refresh()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "queue-title"), "待分配")
    )
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    wait_for_rows(browser, normal["reference"])
    assert_accessible(browser, "unassigned queue, zh-CN")

    # Signing out ends the session: the queues need a sign-in again.
    browser.find_element(By.ID, "sign-out").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.ID, "sign-in-agent"))
    )
    browser.get(f"{api.url}/console/queue/mine")
    WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.ID, "sign-in-agent"))
    )
    Select(browser.find_element(By.ID, "language")).select_by_value("en")


def test_a_reference_the_customer_quotes_opens_its_complaint(api: Api, browser: webdriver.Chrome) -> None:
    complaint = submit(api)
    submit(api)  # newer: the search must find the one named, not the latest
    sign_in(browser, api.url, "agent", "queue/unassigned")
    search = WebDriverWait(browser, WAIT).until(
        expected_conditions.element_to_be_clickable((By.ID, "search-reference"))
    )
    search.send_keys("CG-0000")
    browser.find_element(By.ID, "search-go").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "search-problem"))
    )
    assert "CG-261201-ABC123" in browser.find_element(By.ID, "search-problem").text  # what one looks like
    search.clear()
    search.send_keys(complaint["reference"].lower())  # as read out on the phone
    browser.find_element(By.ID, "search-go").click()
    WebDriverWait(browser, WAIT).until(lambda b: f"/console/complaints/{complaint['id']}" in b.current_url)
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), complaint["reference"])
    )
