"""The console's oversight pages on the local runtime, in a real browser (Debian's headless Chromium):
a supervisor sees an escalated complaint first and reviews another team's accountability record (and is
told why not their own team's); a manager opens the KPIs for a period and sees the charts with their
targets, per team too, and asks for a quarterly report; compliance sees a sensitive complaint, checks its
trail's integrity and has an erasure refused with the reason; an agent sees none of these links and is
told why when it opens one. axe-core runs on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from console_support import WAIT, ask_erasure, assert_accessible, sign_in, wait_text
from e2e_support import Api, own_customer_body, poll, submit_triaged
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.xdist_group("console")  # a runtime of its own, on the other worker
# The local supervisor works the demo's teams and the intake queue (infra/local/tokens.py), not this one:
# a record naming it is one the supervisor may review.
OTHER_TEAM = "collections"
OWN_TEAM = "branch-ops"
LINK = re.compile(r"(http://[^\s\"<>]+/t/[\w-]+\?token=[\w.-]+)")


def submit(api: Api, **overrides: Any) -> dict[str, Any]:
    return submit_triaged(api, own_customer_body("oversight", **overrides))


def give_to(api: Api, complaint: dict[str, Any], team: str) -> dict[str, Any]:
    moved = api.request(
        "PATCH",
        f"/v1/complaints/{complaint['id']}",
        json={"team": team},
        headers={"If-Match": str(complaint["version"])},
    )
    assert moved.status_code == 200, moved.text
    return dict(moved.json())


def open_record(api: Api, complaint: dict[str, Any]) -> dict[str, Any]:
    """An accountability record opened by hand by the manager (who works no team here)."""
    opened = api.request(
        "POST",
        "/v1/accountability",
        role="manager",
        json={
            "complaintId": complaint["id"],
            "findingSought": "the first response was late",
            "evidence": "The customer waited two days for an answer.",
        },
    )
    assert opened.status_code == 200, opened.text
    return dict(opened.json())


def row(browser: webdriver.Chrome, table: str, reference: str) -> WebElement:
    selector = f"#{table} tr[data-reference='{reference}']"
    try:
        WebDriverWait(browser, WAIT).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector))
        )
    except TimeoutException:
        page = browser.find_element(By.TAG_NAME, "main").text
        raise AssertionError(f"{reference} is not in #{table}; the page says:\n{page}") from None
    return browser.find_element(By.CSS_SELECTOR, selector)


def messages_to(api: Api, to: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = requests.get(f"{api.url}/_local/outbox", timeout=10).json()
    return [e for e in entries if to in (e["to"] if isinstance(e["to"], list) else [e["to"]])]


def english(browser: webdriver.Chrome, url: str, role: str, path: str) -> None:
    sign_in(browser, url, role, path, language="en")
    WebDriverWait(browser, WAIT).until(expected_conditions.presence_of_element_located((By.ID, "ov-title")))


def loaded(browser: webdriver.Chrome) -> None:
    """Until no part of the page says it is loading."""
    WebDriverWait(browser, WAIT).until(
        lambda b: not b.find_elements(By.XPATH, "//main//*[@role='status' and normalize-space()='Loading…']")
    )


def area_links(browser: webdriver.Chrome) -> list[str]:
    return [
        str(link.get_attribute("href")).split("/console/", 1)[-1]
        for link in browser.find_elements(By.CSS_SELECTOR, "nav.areas a")
    ]


def test_a_supervisor_sees_escalations_first_and_reviews_another_teams_accountability_record(
    api: Api, browser: webdriver.Chrome
) -> None:
    critical = give_to(api, submit(api, priority="critical"), OWN_TEAM)  # critical: level 1 at intake
    theirs = give_to(api, submit(api), OTHER_TEAM)
    ours = give_to(api, submit(api), OWN_TEAM)
    record = open_record(api, theirs)
    own_record = open_record(api, ours)

    english(browser, api.url, "supervisor", "oversight/escalations")
    links = area_links(browser)
    for page in ("escalations", "accountability", "follow-ups", "roster", "performance", "trail"):
        assert f"oversight/{page}" in links, links
    assert "oversight/kpis" not in links and "oversight/erasure" not in links

    # Escalations: the critical complaint (level 1) is listed, escalated ones before the rest.
    escalated = row(browser, "escalations", critical["reference"])
    assert "Level" in escalated.text and "Critical" in escalated.text
    levels = [
        int(str(r.get_attribute("data-level") or 0))
        for r in browser.find_elements(By.CSS_SELECTOR, "#escalations tbody tr")
    ]
    assert levels == sorted(levels, reverse=True)
    assert_accessible(browser, "oversight/escalations")

    # Accountability: the own team's record is explained, not offered; the other team's is reviewed.
    browser.get(f"{api.url}/console/oversight/accountability")
    mine = row(browser, "accountability", own_record["reference"])
    assert f"Your team {OWN_TEAM}" in mine.text
    assert not mine.find_elements(By.TAG_NAME, "button")
    row(browser, "accountability", record["reference"])
    assert_accessible(browser, "oversight/accountability")
    browser.find_element(By.ID, f"review-{record['reference']}").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "review-panel"))
    )
    assert browser.switch_to.active_element.get_attribute("id") == "review-title"  # focus moved to the form
    browser.find_element(By.ID, "finding-justified").click()
    browser.find_element(By.ID, "review-action").send_keys("Coaching on first responses.")
    assert_accessible(browser, "oversight/accountability (review form)")
    browser.find_element(By.ID, "review-submit").click()
    wait_text(browser, "ov-notice", f"{record['reference']}: the review is recorded.")
    WebDriverWait(browser, WAIT).until(
        lambda b: (
            not b.find_elements(
                By.CSS_SELECTOR, f"#accountability tr[data-reference='{record['reference']}']"
            )
        )
    )
    reviewed = api.request("GET", "/v1/accountability?status=reviewed&limit=100", role="supervisor").json()
    found = next(item for item in reviewed["items"] if item["id"] == record["id"])
    assert found["finding"] == "justified" and found["reviewedBy"] == "local-supervisor"
    assert found["action"] == "Coaching on first responses."

    # The other supervisor pages open and pass axe-core.
    for page, ready in (
        ("follow-ups", "ov-follow-ups"),
        ("performance", "perf-section"),
    ):
        browser.get(f"{api.url}/console/oversight/{page}")
        WebDriverWait(browser, WAIT).until(expected_conditions.presence_of_element_located((By.ID, ready)))
        loaded(browser)
        assert_accessible(browser, f"oversight/{page}")


def test_a_supervisor_takes_and_completes_a_follow_up_call(api: Api, browser: webdriver.Chrome) -> None:
    """A customer rated the resolution 2 of 5 through their tracking link: the follow-up (回访) is the
    team's to make; the supervisor takes it, then completes it with the outcome."""
    rated = submit(api)
    path = f"/v1/complaints/{rated['id']}"
    resolved = api.request(
        "POST",
        f"{path}/resolve",
        json={"outcome": "upheld", "summary": "The card was returned.", "rootCause": "ATM card reader fault"},
    )
    assert resolved.status_code == 200, resolved.text
    phone = rated["customer"]["phone"]
    link = poll(
        lambda: {"found": LINK.findall(" ".join(m["body"] for m in messages_to(api, phone)))},
        lambda found: bool(found["found"]),
        90,
    )["found"]
    assert link, f"no tracking link sent to {phone}"
    token = link[0].split("?token=", 1)[1]
    feedback = api.request(
        "POST",
        f"/v1/track/{rated['id']}/feedback",
        role=None,
        params={"token": token},
        json={"rating": 2, "comment": "Too slow."},
    )
    assert feedback.status_code in (200, 201), feedback.text

    english(browser, api.url, "supervisor", "oversight/follow-ups")
    listed = row(browser, "follow-ups", rated["reference"])
    assert "2 of 5" in listed.text
    assert_accessible(browser, "oversight/follow-ups")
    listed.find_element(By.CSS_SELECTOR, f"button[aria-label='Take {rated['reference']}']").click()
    wait_text(browser, "ov-notice", f"{rated['reference']}: the follow-up is yours.")
    assert "local-supervisor" in row(browser, "follow-ups", rated["reference"]).text
    browser.find_element(By.ID, f"fu-open-{rated['reference']}").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "complete-panel"))
    )
    Select(browser.find_element(By.ID, "fu-outcome")).select_by_value("satisfied")
    browser.find_element(By.ID, "fu-notes").send_keys("Called back; the customer accepts the outcome.")
    assert_accessible(browser, "oversight/follow-ups (complete)")
    browser.find_element(By.ID, "fu-complete").click()
    wait_text(browser, "ov-notice", f"{rated['reference']}: the follow-up is completed.")
    done = api.request("GET", path, role="supervisor").json()["followUp"]
    assert done["status"] == "completed" and done["outcome"] == "satisfied"
    assert done["completedBy"] == "local-supervisor"


def test_a_supervisor_saves_the_roster_and_a_stale_one_is_read_again(
    api: Api, browser: webdriver.Chrome
) -> None:
    """The roster is saved at the version the page read: a change meanwhile is explained and the roster
    read again (the members are saved unchanged, so triage's routing is as before)."""
    english(browser, api.url, "supervisor", "oversight/roster")
    Select(browser.find_element(By.ID, "roster-team")).select_by_value(OWN_TEAM)
    browser.find_element(By.ID, "roster-show").click()
    wait_text(browser, "roster-heading", f"Team {OWN_TEAM}")
    loaded(browser)
    assert_accessible(browser, "oversight/roster")
    current = api.request("GET", f"/v1/teams/{OWN_TEAM}/members", role="supervisor").json()
    meanwhile = api.request(
        "PUT",
        f"/v1/teams/{OWN_TEAM}/members",
        role="supervisor",
        json={"members": current.get("members", []), "version": current.get("version", 0)},
    )
    assert meanwhile.status_code == 200, meanwhile.text
    browser.find_element(By.ID, "roster-save").click()
    wait_text(browser, "ov-notice", "Someone changed it meanwhile")
    browser.find_element(By.ID, "roster-save").click()
    wait_text(browser, "ov-notice", f"The roster of {OWN_TEAM} is saved.")
    saved = api.request("GET", f"/v1/teams/{OWN_TEAM}/members", role="supervisor").json()
    assert saved["version"] == meanwhile.json()["version"] + 1
    assert saved["members"] == current.get("members", [])


def test_a_manager_opens_the_kpis_for_a_period_with_their_targets_and_asks_for_a_report(
    api: Api, browser: webdriver.Chrome
) -> None:
    submit(api)  # at least one complaint in this quarter
    english(browser, api.url, "manager", "oversight/kpis")
    links = area_links(browser)
    assert "oversight/kpis" in links and "oversight/reports" in links
    assert "oversight/erasure" not in links

    WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#chart-targets svg"))
    )
    chart = browser.find_element(By.ID, "chart-targets")
    assert chart.find_element(By.TAG_NAME, "figcaption").text == "The targeted KPIs against their targets"
    svg = chart.find_element(By.TAG_NAME, "svg")
    assert svg.get_attribute("role") == "img"
    description = chart.find_element(By.CSS_SELECTOR, "desc").get_attribute("textContent") or ""
    for text in (
        "First response on time",
        "target ≥ 90 %",
        "Satisfaction",
        "target ≥ 85 %",
        "Closure",
        "target ≥ 95 %",
    ):
        assert text in description, description
    assert len(chart.find_elements(By.CSS_SELECTOR, "line.target")) == 3
    cards = browser.find_element(By.ID, "kpi-targets").text
    assert "≥ 90 %" in cards and "≥ 85 %" in cards and "≥ 95 %" in cards
    # The data table behind the chart, opened from the keyboard's summary.
    chart.find_element(By.TAG_NAME, "summary").click()
    table = browser.find_element(By.ID, "chart-targets-table").text
    assert "Target" in table and "≥ 95 %" in table
    # Per team: a chart and a table for the same period.
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#kpi-groups-table, #kpi-groups-section p")
    )
    assert_accessible(browser, "oversight/kpis")

    # Another period: last quarter, from the picker.
    Select(browser.find_element(By.ID, "kpi-period-preset")).select_by_value("lastQuarter")
    shown = browser.find_element(By.CSS_SELECTOR, "#kpi-period-shown time").get_attribute("datetime")
    browser.find_element(By.ID, "kpi-period-apply").click()

    def other_period(b: webdriver.Chrome) -> bool:
        times = b.find_elements(By.CSS_SELECTOR, "#kpi-period-shown time")
        return bool(times) and times[0].get_attribute("datetime") != shown

    WebDriverWait(browser, WAIT).until(other_period)
    WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#chart-targets svg"))
    )

    # Reports: ask for this quarter's; its status is shown.
    browser.get(f"{api.url}/console/oversight/reports")
    WebDriverWait(browser, WAIT).until(expected_conditions.element_to_be_clickable((By.ID, "report-request")))
    Select(browser.find_element(By.ID, "report-period")).select_by_index(0)
    browser.find_element(By.ID, "report-request").click()
    wait_text(browser, "ov-notice", "is requested")
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#reports li[data-status]:not([data-status=''])")
    )
    assert_accessible(browser, "oversight/reports")


def test_compliance_sees_a_sensitive_complaint_and_checks_its_trail(
    api: Api, browser: webdriver.Chrome
) -> None:
    sensitive = submit(
        api,
        description="No answer for weeks. My lawyer will sue the bank and I will tell the newspaper.",
    )
    risky = {"regulator", "litigation", "media", "fraud"} & set(sensitive["triage"]["riskFlags"])
    assert sensitive["priority"] == "critical" or risky, sensitive["triage"]
    english(browser, api.url, "compliance", "oversight/sensitive")
    links = area_links(browser)
    assert {"oversight/sensitive", "oversight/trail", "oversight/erasure"} <= set(links)
    assert "oversight/accountability" not in links and "oversight/kpis" not in links

    listed = row(browser, "sensitive", sensitive["reference"])
    assert "Critical" in listed.text or "Litigation" in listed.text
    assert_accessible(browser, "oversight/sensitive")

    # Its trail, and the integrity check the API recomputes.
    listed.find_element(By.LINK_TEXT, "Trail").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#trail tbody tr"))
    )
    assert sensitive["reference"] in browser.find_element(By.ID, "trail-of").text
    events = api.request("GET", f"/v1/complaints/{sensitive['id']}/events", role="compliance").json()["items"]
    actions = [
        r.get_attribute("data-action") for r in browser.find_elements(By.CSS_SELECTOR, "#trail tbody tr")
    ]
    assert actions == [event["action"] for event in events]
    browser.find_element(By.ID, "trail-verify").click()
    wait_text(browser, "integrity", "Intact")
    check = api.request("GET", f"/v1/complaints/{sensitive['id']}/integrity", role="compliance").json()
    assert check["valid"] is True
    assert f"chain of {check['events']} events" in browser.find_element(By.ID, "integrity").text
    assert_accessible(browser, "oversight/trail")

    # Erasure: a customer with an open complaint is refused, and told why, after a confirmation step.
    ask_erasure(browser, api.url, sensitive["customer"]["customerId"])
    assert "cannot be undone" in browser.find_element(By.ID, "erase-confirm").text
    assert_accessible(browser, "oversight/erasure (confirmation)")
    browser.find_element(By.ID, "erase-confirm-button").click()
    wait_text(browser, "erase-outcome", "Refused")
    assert "closed or withdrawn" in browser.find_element(By.ID, "erase-outcome").text
    still = api.request("GET", f"/v1/complaints/{sensitive['id']}", role="compliance").json()
    assert still["customer"]["customerId"] == sensitive["customer"]["customerId"]

    # A customer whose only complaint was withdrawn at their request is erased: the counts are shown.
    gone = submit(api)
    withdrawn = api.request(
        "POST",
        f"/v1/complaints/{gone['id']}/withdraw",
        json={"receivedVia": "phone", "receivedAt": gone["receivedAt"], "reason": "resolved at the branch"},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    ask_erasure(browser, api.url, gone["customer"]["customerId"])
    browser.find_element(By.ID, "erase-confirm-button").click()
    wait_text(browser, "erase-outcome", "is erased. Complaints: 1;")
    assert_accessible(browser, "oversight/erasure (done)")
    erased = api.request("GET", f"/v1/complaints/{gone['id']}", role="compliance").json()
    assert erased["customer"]["customerId"] != gone["customer"]["customerId"]


def test_an_agent_sees_no_oversight_link_and_is_told_why_at_such_an_address(
    api: Api, browser: webdriver.Chrome
) -> None:
    english(browser, api.url, "agent", "oversight/accountability")
    assert not [link for link in area_links(browser) if link.startswith("oversight")]
    refusal = browser.find_element(By.ID, "ov-refusal").text
    assert "Supervisor" in refusal and "Manager" in refusal and "Agent" in refusal
    assert not browser.find_elements(By.ID, "accountability")
    assert_accessible(browser, "oversight/accountability (refused)")
    for page in ("kpis", "erasure", "trail"):
        browser.get(f"{api.url}/console/oversight/{page}")
        WebDriverWait(browser, WAIT).until(
            expected_conditions.presence_of_element_located((By.ID, "ov-refusal"))
        )
