"""What the console's browser tests share: signing in as one of the local runtime's roles, and axe-core
(the console's own pinned copy, console/node_modules/axe-core) run on the page as it is shown."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 60  # a loaded machine runs the whole suite beside these tests
AXE = Path(__file__).resolve().parents[2] / "console" / "node_modules" / "axe-core" / "axe.min.js"
# What a page may not have: axe-core's serious and critical violations of WCAG 2.1 A and AA.
FORBIDDEN_IMPACTS = frozenset({"serious", "critical"})
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def sign_in(
    browser: webdriver.Chrome, url: str, role: str, path: str = "queue/mine", language: str | None = None
) -> None:
    """A fresh session as `role` (a token of the local runtime: agent, supervisor, manager, compliance,
    agent_other_team), in `language` when given (the viewer's choice, kept for the session), then the
    console page at /console/<path>."""
    browser.get(f"{url}/console/signin")
    browser.execute_script("localStorage.clear(); sessionStorage.clear();")
    browser.get(f"{url}/console/signin")
    WebDriverWait(browser, WAIT).until(
        expected_conditions.element_to_be_clickable((By.ID, f"sign-in-{role}"))
    )
    browser.find_element(By.ID, f"sign-in-{role}").click()
    WebDriverWait(browser, WAIT).until(lambda b: "/console/signin" not in b.current_url)
    if language:
        Select(browser.find_element(By.ID, "language")).select_by_value(language)
    if path:
        browser.get(f"{url}/console/{path}")
    WebDriverWait(browser, WAIT).until(expected_conditions.presence_of_element_located((By.TAG_NAME, "main")))


def wait_text(browser: webdriver.Chrome, element_id: str, text: str) -> None:
    """Until the element `element_id` shows `text` (a page answers the API's reply by redrawing)."""
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, element_id), text)
    )


def actions_shown(browser: webdriver.Chrome) -> set[str]:
    """The actions the complaint page offers (its `details.cp-action` disclosures, by name), as the page
    shows them once it holds still (it redraws when the complaint is read again, and an element found
    just before a redraw is gone)."""
    for _ in range(20):
        try:
            return {
                str(d.get_attribute("id")).removeprefix("action-")
                for d in browser.find_elements(By.CSS_SELECTOR, "details.cp-action")
            }
        except StaleElementReferenceException:
            time.sleep(0.25)
    raise AssertionError("the complaint page kept redrawing")


def accessibility_violations(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: `make console` installs the console's packages")
    # Injected through the driver, not a <script> tag: the console's content policy allows no other script.
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(WAIT)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));",
        WCAG_TAGS,
    )
    return [violation for violation in result if violation.get("impact") in FORBIDDEN_IMPACTS]


def assert_accessible(browser: webdriver.Chrome, page: str) -> None:
    found = accessibility_violations(browser)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v.get("help"),
            "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
        }
        for v in found
    ]
    assert not found, f"{page}: axe-core found {json.dumps(summary, ensure_ascii=False)}"


def ask_erasure(browser: webdriver.Chrome, url: str, customer_id: str) -> None:
    """The erasure page, the customer and the reason given, up to its confirmation step."""
    browser.get(f"{url}/console/oversight/erasure")
    WebDriverWait(browser, WAIT).until(expected_conditions.element_to_be_clickable((By.ID, "erase-customer")))
    browser.find_element(By.ID, "erase-customer").send_keys(customer_id)
    browser.find_element(By.ID, "erase-reason").send_keys("The customer asked for erasure on 1 December.")
    browser.find_element(By.ID, "erase-next").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "erase-confirm"))
    )
    WebDriverWait(browser, WAIT).until(
        expected_conditions.element_to_be_clickable((By.ID, "erase-confirm-button"))
    )
