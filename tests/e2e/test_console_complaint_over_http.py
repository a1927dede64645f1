"""The console's complaint page on the local runtime, in a real browser (Debian's headless Chromium): an
agent takes an unassigned complaint from the queue, opens it, answers the customer with a template in
the customer's language and resolves it (the API's 400 shown on the field it names first), and the API
holds what the page sent; a change made by someone else meanwhile is explained and the page reads the
complaint again, the viewer's draft kept; an agent sees no action only a supervisor may take (extend,
add to the case library) while a supervisor does and compliance only notes; linked complaints lead to
their pages; an agent attaches a file, which the browser posts straight to the attachments bucket and
which then downloads as it was sent; axe-core finds nothing serious on the page in either language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from console_support import WAIT, actions_shown, assert_accessible, sign_in, wait_text
from e2e_support import Api, own_customer_body, read_complaint, submit_triaged, triaged
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.xdist_group("console")  # a runtime of its own, on the other worker
AGENT = "local-agent"  # the username of the local runtime's agent token (infra/local/tokens.py)
BODIES: dict[str, dict[str, Any]] = {}  # the intake body of each complaint submitted here, by id


def submit(api: Api, **overrides: Any) -> dict[str, Any]:
    """A complaint of a customer of its own (no other test's complaint is linked to it), once triaged."""
    body = own_customer_body("page", **overrides)
    found = submit_triaged(api, body)
    BODIES[found["id"]] = body
    return found


def change(api: Api, complaint: dict[str, Any], method: str, path: str, **body: Any) -> dict[str, Any]:
    """A change over the API at the version read: the complaint it answers."""
    response = api.request(
        method,
        f"/v1/complaints/{complaint['id']}{path}",
        json=body,
        headers={"If-Match": str(complaint["version"])},
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def open_page(browser: webdriver.Chrome, complaint: dict[str, Any]) -> None:
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "complaint-title"), complaint["reference"])
    )


def action(browser: webdriver.Chrome, name: str) -> WebElement:
    """The action's form, opened (a disclosure: its summary is clicked as a keyboard user presses it)."""
    details = browser.find_element(By.ID, f"action-{name}")
    if details.get_attribute("open") is None:
        browser.find_element(By.ID, f"action-{name}-summary").click()
    return browser.find_element(By.ID, f"form-{name}")


def test_an_agent_takes_a_complaint_answers_with_a_template_and_resolves_it(
    api: Api, browser: webdriver.Chrome
) -> None:
    complaint = submit(api)
    reference = complaint["reference"]
    sign_in(browser, api.url, "agent", "queue/unassigned")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")

    # Take it from the unassigned queue, then open it from "My queue": the reference is the link.
    WebDriverWait(browser, WAIT).until(
        expected_conditions.element_to_be_clickable((By.ID, f"take-{reference}"))
    )
    browser.find_element(By.ID, f"take-{reference}").click()
    wait_text(browser, "notice", reference)
    browser.find_element(By.ID, "tab-mine").click()
    WebDriverWait(browser, WAIT).until(
        expected_conditions.element_to_be_clickable((By.ID, f"open-{reference}"))
    )
    browser.find_element(By.ID, f"open-{reference}").click()
    open_page(browser, complaint)
    assert browser.current_url.endswith(f"/console/complaints/{complaint['id']}")
    wait_text(browser, "assignee", AGENT)
    assert "Zhang Wei" in browser.find_element(By.ID, "customer").text
    assert complaint["description"] in browser.find_element(By.ID, "description").text
    # Deadlines in the viewer's zone (the browser's UTC) and the seed policy's (Asia/Shanghai).
    deadlines = browser.find_element(By.ID, "deadlines").text
    assert "Asia/Shanghai" in deadlines and "left" in deadlines
    assert "Triage" in browser.find_element(By.ID, "cp-triage").text
    try:
        WebDriverWait(browser, WAIT).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, "#timeline li[data-action='receive']")
        )
    except TimeoutException as timeout:
        shown = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='cp-timeline']").text
        raise AssertionError(f"no receipt in the timeline after {WAIT} s; it shows: {shown!r}") from timeout

    # Respond with the acknowledgement template, in the customer's language (zh-CN), edited a little.
    Select(browser.find_element(By.ID, "respond-template")).select_by_value("acknowledge")
    message = browser.find_element(By.ID, "respond-message")
    drafted = str(message.get_attribute("value"))
    assert reference in drafted and "您好" in drafted
    message.send_keys(" 祝好。")
    browser.find_element(By.ID, "submit-respond").click()
    wait_text(browser, "action-notice", "Respond to the customer")
    wait_text(browser, "status", "Acknowledged")

    # Resolve: without a root cause the API's 400 is shown beside the form, on the field it names.
    form = action(browser, "resolve")
    Select(form.find_element(By.ID, "resolve-outcome")).select_by_value("partially_upheld")
    form.find_element(By.ID, "resolve-summary").send_keys(
        "The ATM's card reader jammed; the card was returned."
    )
    browser.find_element(By.ID, "submit-resolve").click()
    wait_text(browser, "form-resolve-error", "rootCause")
    root_cause = browser.find_element(By.ID, "resolve-rootCause")
    assert root_cause.get_attribute("aria-invalid") == "true"
    root_cause.send_keys("ATM card reader fault")
    browser.find_element(By.ID, "submit-resolve").click()
    wait_text(browser, "status", "Resolved")
    WebDriverWait(browser, WAIT).until(lambda b: b.find_elements(By.ID, "resolution"))

    # The API holds what the page sent, at the versions it read.
    done = read_complaint(api, complaint["id"])
    assert done["status"] == "resolved" and done["assignee"] == AGENT
    assert done["resolution"]["outcome"] == "partially_upheld"
    assert done["resolution"]["rootCause"] == "ATM card reader fault"
    assert done["resolution"]["summary"].startswith("The ATM's card reader jammed")
    events = api.request("GET", f"/v1/complaints/{complaint['id']}/events").json()["items"]
    responses = [e for e in events if e["action"] == "respond"]
    assert len(responses) == 1 and responses[0]["data"]["message"] == drafted + " 祝好。"
    assert [e["action"] for e in events][-1] == "resolve"
    assert str(done["version"]) == browser.find_element(By.ID, "version").text

    # The timeline shows the message sent; the page passes axe-core in both languages.
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#timeline li[data-action='respond']")
    )
    assert_accessible(browser, "complaint page (en)")
    # Usable on a laptop and on a tablet: nothing wider than the window.
    size = browser.get_window_size()
    try:
        for width, height in ((1366, 768), (1024, 768), (768, 1024)):
            browser.set_window_size(width, height)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{overflow} px too wide at {width} px"
    finally:
        browser.set_window_size(size["width"], size["height"])
    Select(browser.find_element(By.ID, "language")).select_by_value("zh-CN")
    wait_text(browser, "complaint-title", "投诉")
    wait_text(browser, "status", "已解决")
    assert_accessible(browser, "complaint page (zh-CN)")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")


def test_a_stale_version_is_explained_and_the_complaint_read_again(
    api: Api, browser: webdriver.Chrome
) -> None:
    complaint = change(api, submit(api), "PATCH", "", assignee=AGENT)
    sign_in(browser, api.url, "agent", f"complaints/{complaint['id']}")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    open_page(browser, complaint)
    wait_text(browser, "version", str(complaint["version"]))

    # Someone else notes it meanwhile; the page still holds the version it read.
    meanwhile = change(api, complaint, "POST", "/responses", message="Called the branch.", internal=True)
    form = action(browser, "note")
    form.find_element(By.ID, "note-message").send_keys("Customer called again.")
    browser.find_element(By.ID, "submit-note").click()

    # Explained, nothing written, the latest version shown, the draft kept to send again.
    wait_text(browser, "conflict", "Someone changed this complaint")
    assert f"version {complaint['version']}" in browser.find_element(By.ID, "conflict").text
    wait_text(browser, "version", str(meanwhile["version"]))
    WebDriverWait(browser, WAIT).until(
        lambda b: "Called the branch." in b.find_element(By.ID, "timeline").text
    )
    assert read_complaint(api, complaint["id"])["version"] == meanwhile["version"]
    assert browser.find_element(By.ID, "note-message").get_attribute("value") == "Customer called again."
    browser.find_element(By.ID, "submit-note").click()
    wait_text(browser, "action-notice", "Internal note")
    assert browser.find_element(By.ID, "conflict").text == ""
    events = api.request("GET", f"/v1/complaints/{complaint['id']}/events").json()["items"]
    notes = [e["data"]["message"] for e in events if e["action"] == "note"]
    assert notes == ["Called the branch.", "Customer called again."]


def test_an_agent_sees_no_supervisor_action_a_supervisor_does_and_compliance_only_notes(
    api: Api, browser: webdriver.Chrome
) -> None:
    open_one = change(api, submit(api), "PATCH", "", assignee=AGENT)
    resolved = change(
        api,
        submit(api),
        "POST",
        "/resolve",
        outcome="upheld",
        summary="Card returned at the counter.",
        rootCause="ATM card reader fault",
    )

    sign_in(browser, api.url, "agent", f"complaints/{open_one['id']}")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    open_page(browser, open_one)
    shown = actions_shown(browser)
    assert {"respond", "note", "assign", "escalate", "resolve", "withdraw"} <= shown
    assert "extend" not in shown and "library" not in shown
    browser.get(f"{api.url}/console/complaints/{resolved['id']}")
    open_page(browser, resolved)
    assert actions_shown(browser) == {"note", "close", "reopen", "attach"}

    sign_in(browser, api.url, "supervisor", f"complaints/{open_one['id']}")
    open_page(browser, open_one)
    assert "extend" in actions_shown(browser)
    browser.get(f"{api.url}/console/complaints/{resolved['id']}")
    open_page(browser, resolved)
    assert actions_shown(browser) == {"note", "close", "reopen", "attach", "library"}
    form = action(browser, "library")
    form.find_element(By.ID, "library-title").send_keys("Card kept by the ATM")
    form.find_element(By.ID, "library-lesson").send_keys(
        "Check the ATM's reader log before calling the customer."
    )
    browser.find_element(By.ID, "submit-library").click()
    wait_text(browser, "action-notice", "Add to case library")
    WebDriverWait(browser, WAIT).until(lambda b: "library" not in actions_shown(b))
    marked = read_complaint(api, resolved["id"])["libraryCase"]
    assert marked["title"] == "Card kept by the ATM" and marked["markedBy"] == "local-supervisor"
    assert_accessible(browser, "complaint page (supervisor)")

    sign_in(browser, api.url, "compliance", f"complaints/{open_one['id']}")
    open_page(browser, open_one)
    assert actions_shown(browser) == {"note"}
    action(browser, "note").find_element(By.ID, "note-message").send_keys("Reviewed for conduct risk.")
    browser.find_element(By.ID, "submit-note").click()
    wait_text(browser, "action-notice", "Internal note")
    events = api.request("GET", f"/v1/complaints/{open_one['id']}/events").json()["items"]
    assert [(e["actor"]["id"], e["data"]["message"]) for e in events if e["action"] == "note"] == [
        ("local-compliance", "Reviewed for conduct risk.")
    ]


def test_linked_complaints_lead_to_their_pages_with_attachments_and_similar_cases_shown(
    api: Api, browser: webdriver.Chrome
) -> None:
    first = submit(api)
    change(
        api,
        first,
        "POST",
        "/resolve",
        outcome="upheld",
        summary="Card returned at the counter.",
        rootCause="ATM card reader fault",
    )
    # The same customer about the same matter on another channel: triage links the two.
    again = api.request(
        "POST", "/v1/complaints", role="channel_app", json={**BODIES[first["id"]], "channel": "hotline"}
    )
    assert again.status_code == 201, again.text
    attached = api.request(
        "POST",
        f"/v1/complaints/{again.json()['id']}/attachments",
        role="channel_app",
        json={"fileName": "statement.pdf", "contentType": "application/pdf", "size": 1234},
    )
    assert attached.status_code == 201, attached.text
    second = triaged(api, again.json()["id"])
    assert [link["complaintId"] for link in second["links"]] == [first["id"]]

    sign_in(browser, api.url, "agent", f"complaints/{second['id']}")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    open_page(browser, second)
    assert "statement.pdf" in browser.find_element(By.ID, "attachments").text
    WebDriverWait(browser, WAIT).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#similar li"))
    assert "Root cause" in browser.find_element(By.ID, "similar").text
    browser.find_element(By.LINK_TEXT, first["reference"]).click()
    open_page(browser, first)
    assert browser.current_url.endswith(f"/console/complaints/{first['id']}")
    wait_text(browser, "status", "Resolved")
    assert "ATM card reader fault" in browser.find_element(By.ID, "resolution").text


def test_an_agent_attaches_a_file_which_the_browser_uploads_and_which_downloads_as_sent(
    api: Api, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    complaint = change(api, submit(api), "PATCH", "", assignee=AGENT)
    statement = tmp_path / "card statement.pdf"
    content = b"%PDF-1.4\n% a statement with the disputed charge\n%%EOF\n"
    statement.write_bytes(content)
    refused = tmp_path / "macro.docx"
    refused.write_bytes(b"not a type the bank accepts")

    sign_in(browser, api.url, "agent", f"complaints/{complaint['id']}")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    open_page(browser, complaint)
    form = action(browser, "attach")
    # A type the API refuses is refused on the field before anything is listed or sent.
    form.find_element(By.ID, "attach-file").send_keys(str(refused))
    browser.find_element(By.ID, "submit-attach").click()
    wait_text(browser, "attach-file-error", "macro.docx is not a PDF, JPEG, PNG, HEIC or text file")
    assert read_complaint(api, complaint["id"])["attachments"] == []

    form.find_element(By.ID, "attach-file").send_keys(str(statement))
    browser.find_element(By.ID, "submit-attach").click()
    wait_text(browser, "action-notice", "Attach a file")
    WebDriverWait(browser, WAIT).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "attachments"), "card statement.pdf")
    )
    (listed,) = read_complaint(api, complaint["id"])["attachments"]
    assert (listed["fileName"], listed["contentType"], listed["size"], listed["addedBy"]) == (
        "card statement.pdf",
        "application/pdf",
        len(content),
        AGENT,
    )
    # The browser stored the file itself: the download link the API signs serves what was chosen.
    download = api.request("GET", f"/v1/complaints/{complaint['id']}/attachments/{listed['id']}")
    assert download.status_code == 200, download.text
    assert requests.get(download.json()["url"], timeout=10).content == content
    assert_accessible(browser, "complaint page (attach a file)")
