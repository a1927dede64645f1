"""Triage over HTTP on the local runtime: the bus rule, the triage queue and function as `make run` runs
them. Each new complaint is read within seconds; a sensitive one goes on the special path, the same
matter from two channels is linked both ways, and the preview answers the same."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from e2e_support import Api, complaint_body, poll

pytestmark = pytest.mark.xdist_group("e2e")

LAWSUIT = (
    "I was charged a late fee on my credit card although I paid on time. I have complained to the CFPB "
    "and my attorney is preparing a lawsuit if the fee is not refunded."
)


def customer() -> dict[str, Any]:
    unique = uuid.uuid4().hex[:8]
    return {
        "customerId": f"C-TRI-{unique}",
        "name": "Grace Ho",
        "email": f"grace.{unique}@example.com",
        "preferredContact": ["email"],
        "language": "en",
    }


def submit(api: Api, **fields: Any) -> dict[str, Any]:
    body = complaint_body(**fields)
    for given in ("category", "product"):
        if given not in fields:
            body.pop(given, None)  # left out by the channel: triage fills it in
    response = api.request("POST", "/v1/complaints", role="channel_app", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_a_new_complaint_is_read_within_seconds_and_a_sensitive_one_takes_the_special_path(api: Api) -> None:
    started = time.monotonic()
    created = submit(api, customer=customer(), description=LAWSUIT)
    assert created.get("triage") is None and created["priority"] == "normal"  # intake does not wait
    path = f"/v1/complaints/{created['id']}"
    read = poll(lambda: api.request("GET", path).json(), lambda c: c.get("triage") is not None)
    assert read["triage"] is not None, "no triage within 30 s"
    assert time.monotonic() - started < 30
    assert {"regulator", "litigation"} <= set(read["triage"]["riskFlags"])
    assert read["triage"]["sensitive"] is True and read["priority"] == "critical"
    assert read["escalationLevel"] >= 1
    assert read["product"] == read["triage"]["product"] == "credit_card"
    trail = api.request("GET", f"{path}/events").json()["items"]
    assert [event["actor"]["id"] for event in trail if event["action"] == "triage"] == ["triage"]


def test_the_same_matter_from_two_channels_is_linked_both_ways(api: Api) -> None:
    person = customer()
    text = "The ATM at Harbour Road took my debit card and did not give back the 2,000 I tried to withdraw."
    counter = submit(api, customer=person, channel="counter", description=text, product="deposit")
    poll(
        lambda: api.request("GET", f"/v1/complaints/{counter['id']}").json(),
        lambda c: c.get("triage") is not None,
    )
    hotline = submit(
        api,
        customer=person,
        channel="phone_banking",
        description=text + " Nobody called me back.",
        product="deposit",
    )
    linked = poll(
        lambda: api.request("GET", f"/v1/complaints/{hotline['id']}").json(), lambda c: bool(c.get("links"))
    )
    assert [link["complaintId"] for link in linked["links"]] == [counter["id"]]
    earlier = poll(
        lambda: api.request("GET", f"/v1/complaints/{counter['id']}").json(), lambda c: bool(c.get("links"))
    )
    assert [link["complaintId"] for link in earlier["links"]] == [hotline["id"]]
    # never merged: each keeps its own clock
    assert linked["deadlines"] != earlier["deadlines"] and linked["status"] == earlier["status"] == "received"


def test_the_preview_gives_the_same_reading_and_stores_nothing(api: Api) -> None:
    preview = api.request("POST", "/v1/triage/preview", json={"description": LAWSUIT})
    assert preview.status_code == 200, preview.text
    reading = preview.json()
    assert {"regulator", "litigation"} <= set(reading["riskFlags"]) and reading["sensitive"] is True
    refused = api.request("POST", "/v1/triage/preview", role="channel_app", json={"description": LAWSUIT})
    assert refused.status_code == 403
