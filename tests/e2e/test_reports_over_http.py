"""The quarterly report as a manager gets it on the running system: complaints loaded through the API,
the report asked for, the e-mail in the outbox, its link opened in a browser, the figures compared with
figures computed here from the complaints the API lists."""

from __future__ import annotations

import csv
import html
import io
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from e2e_support import Api, complaint_body
from selenium import webdriver
from selenium.webdriver.common.by import By

from complaints.reporting.quarter import Quarter

pytestmark = pytest.mark.xdist_group("e2e")
TIMEZONE = "Asia/Shanghai"  # cdk.json: report_timezone
MANAGEMENT = "complaints-management@example.com"  # cdk.json: report_recipients


def seed(api: Api) -> dict[str, str]:
    """Four complaints of known outcome; returns reference → what happened to it."""
    unique = uuid.uuid4().hex[:6]
    outcomes: dict[str, str] = {}
    for number, (channel, fate) in enumerate(
        [("hotline", "answered"), ("counter", "closed"), ("mobile_app", "open"), ("email", "resolved")]
    ):
        body = complaint_body(customer_id=f"C-RPT-{unique}-{number}", channel=channel)
        if number == 2:
            body["description"] = "银行乱收费，我要找记者曝光。"  # media words: a regulatory-risk complaint
        created = api.request("POST", "/v1/complaints", role="channel_app", json=body).json()
        path = f"/v1/complaints/{created['id']}"
        if fate != "open":
            assert api.request("POST", f"{path}/responses", json={"message": "我们正在处理。"}).ok
        if fate in ("closed", "resolved"):
            resolved = api.request(
                "POST",
                f"{path}/resolve",
                json={"outcome": "upheld", "summary": "已退款。", "rootCause": "fee posted twice"},
            )
            assert resolved.ok, resolved.text
        if fate == "closed":  # the customer accepted the outcome on the phone
            accepted = {"receivedVia": "phone", "receivedAt": resolved.json()["resolvedAt"]}
            assert api.request("POST", f"{path}/close", json=accepted).ok
        outcomes[created["reference"]] = fate
    return outcomes


def listed_in(api: Api, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Every complaint the API lists that was received in [start, end)."""
    found, token = [], None
    while True:
        params: dict[str, Any] = {"limit": 100, **({"nextToken": token} if token else {})}
        page = api.request("GET", "/v1/complaints", role="manager", params=params).json()
        for item in page["items"]:
            received = datetime.fromisoformat(item["receivedAt"].replace("Z", "+00:00"))
            if start <= received < end:
                found.append(item)
        token = page.get("nextToken")
        if not token:
            return found


def wait_until_emailed(api: Api, report_id: str, seconds: float = 120) -> dict[str, Any]:
    """The report once it is built and e-mailed (or has failed)."""
    deadline = time.monotonic() + seconds
    while True:
        report: dict[str, Any] = api.request("GET", f"/v1/reports/{report_id}", role="manager").json()
        if report["emailedAt"] or report["status"] == "failed" or time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def emailed_links(api: Api, report_id: str) -> dict[str, str]:
    """The links in the report's e-mail to management (file name → link), from the outbox."""
    entries = requests.get(f"{api.url}/_local/outbox", timeout=10).json()
    [mail] = [e for e in entries if MANAGEMENT in e["to"] and f"/r/{report_id}/" in str(e["body"])]
    hrefs = re.findall(r'href="([^"]+)"', mail["body"])
    return {urls.split("?")[0].rsplit("/", 1)[-1]: html.unescape(urls) for urls in hrefs}


def shanghai_bounds(quarter: Quarter) -> tuple[datetime, datetime]:
    """The quarter's [start, end) in UTC, written out by hand: Shanghai is UTC+8 all year (no DST), so
    a quarter starting at local midnight on 1 January/April/July/October starts at 16:00 UTC the day
    before."""
    year = quarter.year
    starts = {1: (year - 1, 12, 31), 2: (year, 3, 31), 3: (year, 6, 30), 4: (year, 9, 30)}
    ends = {1: (year, 3, 31), 2: (year, 6, 30), 3: (year, 9, 30), 4: (year, 12, 31)}
    return (
        datetime(*starts[quarter.number], 16, tzinfo=UTC),
        datetime(*ends[quarter.number], 16, tzinfo=UTC),
    )


def test_a_manager_reads_the_quarters_report_and_its_figures_hold(
    api: Api, browser: webdriver.Chrome
) -> None:
    outcomes = seed(api)
    quarter = Quarter.containing(datetime.now(UTC), TIMEZONE)

    asked = api.request("POST", "/v1/reports", role="manager", json={"period": str(quarter)})
    assert asked.status_code == 202, asked.text
    report = wait_until_emailed(api, asked.json()["id"])
    assert report["status"] == "ready", report

    # the e-mail to management carries a link to the HTML and to each extract
    links = emailed_links(api, report["id"])
    assert sorted(links) == [
        "accountability.csv",
        "complaints.csv",
        "kpis.csv",
        "performance.csv",
        "regulatory-risk.csv",
        "report.html",
    ]

    # the extract lists our complaints as they are
    extract = requests.get(links["complaints.csv"], timeout=10)
    assert extract.status_code == 200 and extract.headers["Content-Type"].startswith("text/csv")
    rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(extract.text))}
    expected_status = {
        "answered": "acknowledged",
        "closed": "closed",
        "open": "received",
        "resolved": "resolved",
    }
    for reference, fate in outcomes.items():
        assert rows[reference]["status"] == expected_status[fate], reference
        assert rows[reference]["firstResponseOnTime"] == ("" if fate == "open" else "yes")
    performance = requests.get(links["performance.csv"], timeout=10)
    assert performance.status_code == 200
    assert performance.text.startswith("groupBy,name,teams,handled,withdrawn,firstResponsesOnTime")
    risky = [
        r for r in csv.DictReader(io.StringIO(requests.get(links["regulatory-risk.csv"], timeout=10).text))
    ]
    assert any(r["reference"] in outcomes and r["signal"] == "media" for r in risky)

    # the KPIs against figures computed here from what the API lists for the quarter
    start, end = shanghai_bounds(quarter)
    assert quarter.bounds(TIMEZONE) == (start, end)
    listed = listed_in(api, start, end)
    received = len(listed)
    closed = sum(c["status"] == "closed" for c in listed)
    resolved_or_closed = sum(c["status"] in ("resolved", "closed") for c in listed)
    kpis = {
        row["kpi"]: row[str(quarter)]
        for row in csv.DictReader(io.StringIO(requests.get(links["kpis.csv"], timeout=10).text))
    }
    assert int(kpis["received"]) == received == len(rows)
    assert float(kpis["closureRate"]) == pytest.approx(closed / received)
    assert float(kpis["resolutionRate"]) == pytest.approx(resolved_or_closed / received)

    # the HTML report, as a manager's browser shows it
    browser.get(links["report.html"])
    assert str(quarter) in browser.title
    headline = browser.find_element(By.TAG_NAME, "h1").text
    assert "Quarterly complaints report" in headline and str(quarter) in headline
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert len(cards) == 3
    assert f"{closed / received:.1%}" in cards[2].text  # closure, against its 95 % target
    assert len(browser.find_elements(By.CSS_SELECTOR, ".chart svg")) == 4
    assert browser.find_elements(By.TAG_NAME, "script") == []
    page = browser.page_source
    assert next(r for r, fate in outcomes.items() if fate == "open") in page  # the risk list
    assert "Zhang Wei" not in page and "+8613912345678" not in page

    # a link with a changed signature leads nowhere
    tampered = re.sub(r"signature=[\w-]+", "signature=forged", links["report.html"])
    assert requests.get(tampered, timeout=10, allow_redirects=False).status_code == 404


def test_the_quarterly_schedule_can_be_fired_by_hand(api: Api) -> None:
    fired = requests.post(f"{api.url}/_local/schedules/quarterly-report/run", timeout=120)
    assert fired.status_code == 200, fired.text
    previous = Quarter.containing(datetime.now(UTC), TIMEZONE).previous()
    assert fired.json()["result"] == {
        "reportId": f"{previous}-scheduled",
        "period": str(previous),
        "status": "ready",
    }
    assert emailed_links(api, f"{previous}-scheduled")["report.html"].startswith(api.url)
