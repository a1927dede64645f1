"""Team rosters over the api function on moto: kept by the team's supervisors, read by its members."""

from __future__ import annotations

from typing import Any

import pytest
from api_events import Call

STAFF = "complaint-guard/staff"
CARDS_SUPERVISOR = {"cognito:groups": "[supervisor team:cards]", "username": "sup-c", "scope": STAFF}
CARDS_AGENT = {"cognito:groups": "[agent team:cards]", "username": "li.na", "scope": STAFF}
LOANS_SUPERVISOR = {"cognito:groups": "[supervisor team:loans]", "username": "sup-l", "scope": STAFF}
PATH = "/v1/teams/cards/members"
MEMBERS = [{"id": "li.na", "onDuty": True}, {"id": "wang.fang", "onDuty": False}]


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    return CARDS_AGENT


def test_the_teams_supervisor_keeps_the_roster_its_members_read_it_and_a_stale_write_is_refused(
    call: Call,
) -> None:
    empty = call("GET", PATH)
    assert empty.status == 200 and empty.body == {
        "team": "cards",
        "members": [],
        "updatedAt": None,
        "updatedBy": None,
        "version": 0,
    }
    kept = call("PUT", PATH, {"members": MEMBERS, "version": 0}, claims=CARDS_SUPERVISOR)
    assert kept.status == 200, kept.body
    assert (kept.body["version"], kept.body["updatedBy"]) == (1, "sup-c")
    assert call("GET", PATH).body["members"] == MEMBERS
    stale = call("PUT", PATH, {"members": [], "version": 0}, claims=CARDS_SUPERVISOR)
    assert stale.status == 409 and stale.body["error"] == "version_conflict"
    assert call("PUT", PATH, {"members": []}, claims=CARDS_AGENT).status == 403
    other = call("PUT", PATH, {"members": []}, claims=LOANS_SUPERVISOR)
    assert other.status == 403 and "not team cards" in other.body["message"]
    twice = call("PUT", PATH, {"members": [MEMBERS[0], MEMBERS[0]]}, claims=CARDS_SUPERVISOR)
    assert twice.status == 400 and "li.na" in twice.body["message"]
    assert call("GET", PATH).body["version"] == 1  # nothing refused was written
