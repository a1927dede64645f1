"""The console's pages about a complaint's record, on the local runtime in a real browser (Debian's headless
Chromium): a resolved complaint its customer reopens is shown handled again, with a resolution deadline
counted from the reopen, and reopening is offered to nobody the API would refuse (compliance; a closed
complaint); compliance places a legal hold from the audit trail page, an erasure of the customer is
refused while it holds and done once it is lifted, and a manager sees the hold but is offered nothing;
a manager asks for a quarter's report, waits on the page until it is built and opens its files through
the links the API returns. axe-core runs on every state of a page reached."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from console_support import WAIT, actions_shown, ask_erasure, assert_accessible, sign_in, wait_text
from e2e_support import Api, own_customer_body, poll, read_complaint, submit_triaged
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.xdist_group("console")  # a runtime of its own, on the other worker
AGENT = "local-agent"  # the usernames of the local runtime's tokens (infra/local/tokens.py)
COMPLIANCE = "local-compliance"
# The seed policy (cdk.json: sla_policy) owes a normal, simple complaint an outcome in 48 hours
# (docs/architecture.md §3); a reopened one is owed it again, counted from the reopen (§2).
OUTCOME_HOURS = 48
# What a quarter's report is made of (docs/architecture.md §7, README's table of its files).
REPORT_FILES = {
    "report.html",
    "kpis.csv",
    "performance.csv",
    "complaints.csv",
    "regulatory-risk.csv",
    "accountability.csv",
}
REPORT_ZONE = ZoneInfo("Asia/Shanghai")  # cdk.json: report_timezone
LINK = re.compile(r"(http://[^\s\"<>]+/t/[\w-]+\?token=[\w.-]+)")


# --- through the API: what other people did meanwhile ----------------------------------------------


def submit(api: Api, **overrides: Any) -> dict[str, Any]:
    """A complaint of a customer of its own (nothing else is linked to it, erasing it erases no other)."""
    found: dict[str, Any] = submit_triaged(api, own_customer_body("records", **overrides))
    return found


def change(
    api: Api, complaint: dict[str, Any], action: str, role: str = "agent", **body: Any
) -> requests.Response:
    """A change over the API at the version read, as `role`: the API's answer, whatever it is."""
    answer: requests.Response = api.request(
        "POST",
        f"/v1/complaints/{complaint['id']}/{action}",
        role=role,
        json=body,
        headers={"If-Match": str(complaint["version"])},
    )
    return answer


def resolved(api: Api) -> dict[str, Any]:
    """A complaint the agent resolved (the team it is with, the intake queue, is the agent's)."""
    done = change(
        api,
        submit(api),
        "resolve",
        outcome="not_upheld",
        summary="The fee was the one in the account's terms.",
        rootCause="customer misunderstanding",
    )
    assert done.status_code == 200, done.text
    answer: dict[str, Any] = done.json()
    return answer


def tracking_token(api: Api, complaint: dict[str, Any]) -> str:
    """The token of the tracking link the customer was sent (the local outbox holds their SMS)."""
    phone = complaint["customer"]["phone"]

    def sent() -> dict[str, Any]:
        entries: list[dict[str, Any]] = requests.get(f"{api.url}/_local/outbox", timeout=10).json()
        bodies = [
            e["body"] for e in entries if phone in (e["to"] if isinstance(e["to"], list) else [e["to"]])
        ]
        return {"links": LINK.findall(" ".join(bodies))}

    links = poll(sent, lambda found: bool(found["links"]), 90)["links"]
    assert links, f"no tracking link sent to {phone}"
    return str(links[0].split("?token=", 1)[1])


def parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


# --- in the browser ------------------------------------------------------------------------------


def english(browser: webdriver.Chrome, url: str, role: str, path: str) -> None:
    """Signed in as `role`, the console in English, at /console/<path>."""
    sign_in(browser, url, role, path, language="en")


def resolution_deadline(browser: webdriver.Chrome) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, "#deadlines tr[data-deadline='resolution']")


def shown_due(row: WebElement) -> datetime:
    """The due time a deadline's row shows (its <time>'s machine-readable value)."""
    return parse(str(row.find_element(By.TAG_NAME, "time").get_attribute("datetime")))


def open_trail(browser: webdriver.Chrome, complaint: dict[str, Any]) -> None:
    """The audit trail page, the complaint's id typed in as compliance would paste it."""
    field = WebDriverWait(browser, WAIT).until(
        expected_conditions.element_to_be_clickable((By.ID, "trail-id"))
    )
    field.clear()
    field.send_keys(complaint["id"])
    browser.find_element(By.ID, "trail-open").click()
    wait_text(browser, "trail-of", complaint["reference"])
    WebDriverWait(browser, WAIT).until(expected_conditions.presence_of_element_located((By.ID, "legal-hold")))


def trail_actions(browser: webdriver.Chrome) -> list[str]:
    return [
        str(r.get_attribute("data-action")) for r in browser.find_elements(By.CSS_SELECTOR, "#trail tbody tr")
    ]


def erasure_outcome(browser: webdriver.Chrome, url: str, customer_id: str, expected: str) -> str:
    """The erasure page's answer to erasing `customer_id`, once it shows `expected`."""
    ask_erasure(browser, url, customer_id)
    browser.find_element(By.ID, "erase-confirm-button").click()
    wait_text(browser, "erase-outcome", expected)
    return str(browser.find_element(By.ID, "erase-outcome").text)


# --- staff reopen --------------------------------------------------------------------------------


def test_a_complaint_its_customer_reopens_is_shown_handled_again_with_a_deadline_of_its_own(
    api: Api, browser: webdriver.Chrome
) -> None:
    complaint = resolved(api)
    first_due = parse(complaint["deadlines"]["resolutionDueAt"])
    english(browser, api.url, "agent", f"complaints/{complaint['id']}")
    wait_text(browser, "complaint-title", complaint["reference"])
    wait_text(browser, "status", "Resolved")
    assert resolution_deadline(browser).get_attribute("data-state") == "met"
    shown = actions_shown(browser)
    assert "close" in shown and "resolve" not in shown

    # The customer disputes the outcome through their tracking link, within the cooling-off period.
    assert parse(complaint["closesAt"]) > datetime.now(UTC)
    reopened = api.request(
        "POST",
        f"/v1/track/{complaint['id']}/reopen",
        role=None,
        params={"token": tracking_token(api, complaint)},
        json={"reason": "The fee was never in my terms.", "category": "outcome_disputed"},
    )
    assert reopened.status_code == 200, reopened.text
    now = read_complaint(api, complaint["id"])
    assert now["status"] == "in_progress" and now["reopenCount"] == 1

    # Read again, the page shows it worked again: its status, a resolution deadline running again,
    # counted from the reopen (so later than the first), the reopen in the timeline and the work
    # actions offered again, closing no longer.
    browser.refresh()
    wait_text(browser, "status", "In progress")
    row = resolution_deadline(browser)
    assert row.get_attribute("data-state") == "running"
    due = shown_due(row)
    expected = parse(now["reopenedAt"]) + timedelta(hours=OUTCOME_HOURS)
    assert abs(due - expected) < timedelta(seconds=1), (due, expected)
    assert due > first_due
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#timeline li[data-action='reopen']")
    )
    assert "Reopened" in browser.find_element(By.CSS_SELECTOR, "#timeline li[data-action='reopen']").text
    shown = actions_shown(browser)
    assert {"respond", "note", "resolve", "escalate"} <= shown and "close" not in shown
    assert_accessible(browser, "complaint page (reopened)")


def test_no_reopen_is_offered_to_compliance_nor_on_a_closed_complaint(
    api: Api, browser: webdriver.Chrome
) -> None:
    complaint = resolved(api)
    closed = resolved(api)
    accepted = change(api, closed, "close", receivedVia="phone", receivedAt=closed["resolvedAt"])
    assert accepted.status_code == 200, accepted.text
    closed = accepted.json()
    # The API's rules the page follows (docs/architecture.md §1, §2): compliance works no complaint,
    # and a closed complaint is never reopened.
    refused = change(api, complaint, "reopen", role="compliance", reason="Compliance disagrees.")
    assert refused.status_code == 403, refused.text
    refused = change(api, closed, "reopen", reason="The customer disagrees.")
    assert refused.status_code == 409 and refused.json()["error"] == "illegal_transition", refused.text

    english(browser, api.url, "compliance", f"complaints/{complaint['id']}")
    wait_text(browser, "complaint-title", complaint["reference"])
    wait_text(browser, "status", "Resolved")
    assert actions_shown(browser) == {"note"}
    english(browser, api.url, "agent", f"complaints/{closed['id']}")
    wait_text(browser, "complaint-title", closed["reference"])
    wait_text(browser, "status", "Closed")
    assert actions_shown(browser) == set()
    assert_accessible(browser, "complaint page (closed)")


def test_an_agent_reopens_a_resolved_complaint_from_its_page(api: Api, browser: webdriver.Chrome) -> None:
    complaint = resolved(api)
    english(browser, api.url, "agent", f"complaints/{complaint['id']}")
    wait_text(browser, "complaint-title", complaint["reference"])
    wait_text(browser, "status", "Resolved")
    assert {"close", "reopen"} <= actions_shown(browser)

    # The customer disputes the outcome on the phone; the agent records it with the reason.
    details = browser.find_element(By.ID, "action-reopen")
    if details.get_attribute("open") is None:
        browser.find_element(By.ID, "action-reopen-summary").click()
    form = browser.find_element(By.ID, "form-reopen")
    form.find_element(By.ID, "reopen-reason").send_keys("The customer says the fee was never in the terms.")
    assert_accessible(browser, "complaint page (reopen form)")
    browser.find_element(By.ID, "submit-reopen").click()
    wait_text(browser, "status", "In progress")
    WebDriverWait(browser, WAIT).until(lambda b: "reopen" not in actions_shown(b))
    assert resolution_deadline(browser).get_attribute("data-state") == "running"

    now = read_complaint(api, complaint["id"])
    assert now["status"] == "in_progress" and now["reopenCount"] == 1
    expected = parse(now["reopenedAt"]) + timedelta(hours=OUTCOME_HOURS)
    assert abs(shown_due(resolution_deadline(browser)) - expected) < timedelta(seconds=1)
    events = api.request("GET", f"/v1/complaints/{complaint['id']}/events").json()["items"]
    assert (events[-1]["action"], events[-1]["actor"]["id"]) == ("reopen", AGENT)
    assert events[-1]["data"]["reason"] == "The customer says the fee was never in the terms."
    assert_accessible(browser, "complaint page (reopened by staff)")


# --- legal holds ---------------------------------------------------------------------------------


def test_compliance_places_and_lifts_a_legal_hold_and_an_erasure_waits_for_it(
    api: Api, browser: webdriver.Chrome
) -> None:
    # A customer whose only complaint is withdrawn at their request: nothing but a hold keeps their data.
    complaint = submit(api)
    withdrawn = change(
        api, complaint, "withdraw", receivedVia="phone", receivedAt=complaint["receivedAt"], reason="settled"
    )
    assert withdrawn.status_code == 200, withdrawn.text
    customer_id = complaint["customer"]["customerId"]

    english(browser, api.url, "compliance", "oversight/trail")
    open_trail(browser, complaint)
    assert "Not under legal hold" in browser.find_element(By.ID, "hold-state").text
    assert_accessible(browser, "oversight/trail (not held)")

    matter = "Litigation 2026-118 over card fees; Legal asked on 1 December."
    browser.find_element(By.ID, "hold-reason").send_keys(matter)
    assert browser.find_element(By.ID, "hold-submit").text == "Place a legal hold"
    browser.find_element(By.ID, "hold-submit").click()
    wait_text(browser, "hold-notice", f"{complaint['reference']} is under legal hold.")
    wait_text(browser, "hold-state", "Under legal hold")
    state = browser.find_element(By.ID, "hold-state").text
    assert "Under legal hold" in state and f"Placed by {COMPLIANCE}" in state and matter in state
    assert "under legal hold" in browser.find_element(By.CSS_SELECTOR, "#trail-of + p").text
    WebDriverWait(browser, WAIT).until(lambda b: trail_actions(b)[-1:] == ["set_legal_hold"])
    held = read_complaint(api, complaint["id"], role="compliance")["legalHold"]
    assert held["reason"] == matter and held["placedBy"] == COMPLIANCE
    assert_accessible(browser, "oversight/trail (held)")

    # While held, the customer cannot be erased: the page says which complaint keeps them.
    refusal = erasure_outcome(browser, api.url, customer_id, "Refused")
    assert f"under a legal hold: {complaint['reference']}" in refusal
    assert read_complaint(api, complaint["id"], role="compliance")["customer"]["customerId"] == customer_id

    # A manager reads the trail and sees the hold, but is offered no way to place or lift one.
    english(browser, api.url, "manager", f"oversight/trail?complaint={complaint['id']}")
    wait_text(browser, "trail-of", complaint["reference"])
    wait_text(browser, "hold-state", "Under legal hold")
    assert not browser.find_elements(By.ID, "hold-reason") and not browser.find_elements(By.ID, "hold-submit")
    assert_accessible(browser, "oversight/trail (held, manager)")

    # Compliance lifts it, with the reason, at the version the page read: the hold's matter updated
    # meanwhile (by another officer, over the API) is explained, the complaint and its trail read again
    # with it, and the reason kept to send again.
    english(browser, api.url, "compliance", "oversight/trail")
    open_trail(browser, complaint)
    wait_text(browser, "hold-state", "Under legal hold")
    current = read_complaint(api, complaint["id"], role="compliance")
    updated = "Litigation 2026-118 and 2026-131 over card fees; Legal asked on 1 December."
    meanwhile = change(api, current, "legal-hold", role="compliance", hold=True, reason=updated)
    assert meanwhile.status_code == 200, meanwhile.text
    lifting = "Litigation 2026-118 settled; Legal confirmed."
    browser.find_element(By.ID, "hold-reason").send_keys(lifting)
    assert browser.find_element(By.ID, "hold-submit").text == "Lift the legal hold"
    browser.find_element(By.ID, "hold-submit").click()
    wait_text(browser, "legal-hold", "Someone changed it meanwhile")
    wait_text(browser, "hold-state", updated)
    WebDriverWait(browser, WAIT).until(lambda b: trail_actions(b)[-2:] == ["set_legal_hold"] * 2)
    assert browser.find_element(By.ID, "hold-reason").get_attribute("value") == lifting
    assert read_complaint(api, complaint["id"], role="compliance")["legalHold"] is not None
    browser.find_element(By.ID, "hold-submit").click()
    wait_text(browser, "hold-notice", f"{complaint['reference']}: the legal hold is lifted.")
    wait_text(browser, "hold-state", "Not under legal hold")
    WebDriverWait(browser, WAIT).until(lambda b: trail_actions(b)[-3:] == ["set_legal_hold"] * 3)
    assert read_complaint(api, complaint["id"], role="compliance").get("legalHold") is None
    events = api.request("GET", f"/v1/complaints/{complaint['id']}/events", role="compliance").json()["items"]
    holds = [(e["actor"]["id"], e["data"]["hold"]) for e in events if e["action"] == "set_legal_hold"]
    assert holds == [(COMPLIANCE, True), (COMPLIANCE, True), (COMPLIANCE, False)]
    assert_accessible(browser, "oversight/trail (lifted)")

    erasure_outcome(browser, api.url, customer_id, "is erased. Complaints: 1;")
    erased = read_complaint(api, complaint["id"], role="compliance")
    assert erased["customer"]["customerId"] != customer_id and erased["customer"]["erased"] is True


# --- reports -------------------------------------------------------------------------------------


def test_a_manager_opens_the_files_of_a_report_once_it_is_built(api: Api, browser: webdriver.Chrome) -> None:
    complaint = submit(api)  # one complaint of this quarter the report must list
    today = datetime.now(REPORT_ZONE)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"

    english(browser, api.url, "manager", "oversight/reports")
    WebDriverWait(browser, WAIT).until(expected_conditions.element_to_be_clickable((By.ID, "report-request")))
    Select(browser.find_element(By.ID, "report-period")).select_by_value(quarter)
    browser.find_element(By.ID, "report-request").click()
    wait_text(browser, "ov-notice", f"The report of {quarter} is requested")
    first = browser.find_element(By.CSS_SELECTOR, "#reports li[data-report]")
    report_id = str(first.get_attribute("data-report"))
    assert report_id.startswith(f"{quarter}-"), report_id

    # The page reads it again until the local runtime has built it (a report queue and its builder).
    listed = f"#reports li[data-report='{report_id}']"
    WebDriverWait(browser, 180).until(
        lambda b: b.find_element(By.CSS_SELECTOR, listed).get_attribute("data-status") in ("ready", "failed")
    )
    item = browser.find_element(By.CSS_SELECTOR, listed)
    assert item.get_attribute("data-status") == "ready", item.text
    assert "Ready: its files are below." in item.text and "Requested by local-manager" in item.text
    links = {
        str(a.get_attribute("data-file")): a for a in item.find_elements(By.CSS_SELECTOR, "a[data-file]")
    }
    assert set(links) == REPORT_FILES
    for name, link in links.items():
        assert link.text == name
        assert link.get_attribute("target") == "_blank"
        assert set(str(link.get_attribute("rel")).split()) >= {"noopener", "noreferrer"}
        assert str(link.get_attribute("href")).startswith(f"{api.url}/r/{report_id}/{name}?")
    # The links work for 7 days (the page's hint says so): their end is shown.
    expiry = item.find_element(By.XPATH, ".//p[contains(., 'The links work until')]/time")
    until = parse(str(expiry.get_attribute("datetime")))
    assert timedelta(days=6, hours=23) < until - datetime.now(UTC) <= timedelta(days=7)
    assert_accessible(browser, "oversight/reports (ready)")

    # Following a link: a short-lived download of the file, of its type; the extract lists the complaint,
    # without the customer's name or phone.
    opened: dict[str, tuple[str, bytes]] = {}
    for name, link in links.items():
        with urllib.request.urlopen(str(link.get_attribute("href")), timeout=30) as response:
            assert response.status == 200, name
            assert not response.geturl().startswith(f"{api.url}/r/"), "the link did not lead to a download"
            opened[name] = (response.headers.get_content_type(), response.read())
    assert opened["report.html"][0] == "text/html"
    assert opened["report.html"][1].lstrip()[:15].lower() == b"<!doctype html>"
    for name in REPORT_FILES - {"report.html"}:
        assert opened[name][0] == "text/csv", name
    rows = list(csv.DictReader(io.StringIO(opened["complaints.csv"][1].decode("utf-8-sig"))))
    assert complaint["reference"] in {row["reference"] for row in rows}
    extract = opened["complaints.csv"][1].decode("utf-8-sig")
    assert complaint["customer"]["name"] not in extract and complaint["customer"]["phone"] not in extract

    # Clicked, the report opens in a tab of its own: the quarter's page.
    console = browser.current_window_handle
    links["report.html"].click()
    WebDriverWait(browser, WAIT).until(lambda b: len(b.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != console))
    try:
        WebDriverWait(browser, WAIT).until(lambda b: quarter in b.title)
        assert quarter in browser.find_element(By.TAG_NAME, "h1").text
    finally:
        browser.close()
        browser.switch_to.window(console)
