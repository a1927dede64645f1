"""The case library over HTTP on the local runtime: a resolved complaint becomes a past case the next
similar complaint's handler sees (through the emulator's sparse index), a supervisor makes it a
library case with its lesson, and any staff member finds it by its words."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from e2e_support import Api, complaint_body, triaged

pytestmark = pytest.mark.xdist_group("e2e")


def word() -> str:
    """A word no other test's complaint uses (letters only: the signature's English terms)."""
    return "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex[:10])


def submit(api: Api, description: str) -> dict[str, Any]:
    body = complaint_body(
        customer_id=f"C-CASE-{uuid.uuid4().hex[:8]}",
        description=description,
        category="product",
        product="credit_card",
    )
    response = api.request("POST", "/v1/complaints", role="channel_app", json=body)
    assert response.status_code == 201, response.text
    return triaged(api, response.json()["id"])


def test_a_resolved_complaint_becomes_the_past_case_and_lesson_of_the_next(api: Api) -> None:
    merchant, place = word(), word()
    past = submit(
        api,
        f"My card was charged twice by the {merchant} store in {place}; the duplicate charge of 880 is "
        "still on my statement and the bank has not reversed it.",
    )
    resolved = api.request(
        "POST",
        f"/v1/complaints/{past['id']}/resolve",
        json={
            "outcome": "upheld",
            "summary": f"Reversed the duplicate {merchant} charge.",
            "rootCause": "acquirer retry",
            "version": past["version"],
        },
    )
    assert resolved.status_code == 200, resolved.text
    lesson = {
        "complaintId": past["id"],
        "title": f"Duplicate {merchant} charges",
        "lesson": "Look for the acquirer's retry before asking the customer for a receipt.",
        "version": resolved.json()["version"],
    }
    assert api.request("POST", "/v1/cases", role="agent", json=lesson).status_code == 403
    marked = api.request("POST", "/v1/cases", role="supervisor", json=lesson)
    assert marked.status_code == 201, marked.text

    new = submit(
        api, f"Duplicate charge: the {merchant} store in {place} debited my card twice for the same purchase."
    )
    similar = api.request("GET", f"/v1/complaints/{new['id']}/similar")
    assert similar.status_code == 200, similar.text
    first = similar.json()["items"][0]
    assert first["complaintId"] == past["id"] and first["rootCause"] == "acquirer retry"
    assert first["libraryCase"]["title"] == f"Duplicate {merchant} charges"
    assert "Zhang Wei" not in similar.text and "+8613912345678" not in similar.text

    found = api.request("GET", "/v1/cases", params={"q": merchant}, role="agent_other_team")
    assert found.status_code == 200, found.text
    assert [case["complaintId"] for case in found.json()["items"]] == [past["id"]]
