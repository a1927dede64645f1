"""Bursts over real HTTP against the local runtime: a burst of retries of one submission stores one
complaint, and a burst of updates of one version applies one of them. The runtime's api serves one
request at a time (its instances would share the resolver's request state: infra/local/functions.py),
so these check what the caller sees of a burst; the races themselves — two writers of one version,
two intakes of one key — are decided by DynamoDB's conditions, tested on moto in tests/integration."""

from __future__ import annotations

import concurrent.futures
import uuid
from collections import Counter

import pytest
import requests
from e2e_support import Api, complaint_body, triaged

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.reliability]


def test_fifty_concurrent_retries_with_one_key_store_one_complaint(api: Api) -> None:
    key = str(uuid.uuid4())
    body = complaint_body(customer_id="C-REL-BURST")

    def submit(_: int) -> requests.Response:
        return api.request(
            "POST", "/v1/complaints", role="channel_app", json=body, headers={"Idempotency-Key": key}
        )

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(submit, range(50)))

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] >= 1
    # every retry that is refused is refused because the first is still running, and says so
    assert {r.json()["error"] for r in responses if r.status_code == 409} <= {"request_in_progress"}
    created = [r.json() for r in responses if r.status_code == 201]
    assert len({(c["id"], c["reference"]) for c in created}) == 1
    (complaint_id,) = {c["id"] for c in created}

    stored = api.request("GET", "/v1/complaints", params={"customerId": "C-REL-BURST"}).json()["items"]
    assert [c["id"] for c in stored] == [complaint_id]
    triaged(api, complaint_id)  # one complaint received is read once
    trail = api.request("GET", f"/v1/complaints/{complaint_id}/events").json()["items"]
    assert [(e["action"], e["version"]) for e in trail] == [("receive", 1), ("triage", 2)]
    # once the burst is over, the key is settled: one more retry is answered from the record
    again = submit(0)
    assert again.status_code == 201 and again.json()["id"] == complaint_id


def test_twenty_concurrent_updates_of_one_version_apply_once(api: Api) -> None:
    created = api.request(
        "POST", "/v1/complaints", role="channel_app", json=complaint_body(customer_id="C-REL-RACE")
    ).json()
    path = f"/v1/complaints/{created['id']}"
    before = triaged(api, created["id"])  # triage's change first: the race is the agents'
    read = before["version"]

    def assign(n: int) -> requests.Response:
        # The assignee, not the team: a request that read the complaint after the winner moved it to
        # another team would rightly be refused (403, core/access) rather than found stale.
        return api.request("PATCH", path, json={"version": read, "assignee": f"agent-{n}"})

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(assign, range(20)))

    assert sorted(r.status_code for r in responses) == [200] + [409] * 19
    assert {r.json()["error"] for r in responses if r.status_code == 409} == {"version_conflict"}
    winner = next(r.json() for r in responses if r.status_code == 200)
    assert winner["version"] == read + 1
    current = api.request("GET", path).json()
    assert (current["version"], current["assignee"]) == (read + 1, winner["assignee"])
    trail = api.request("GET", f"{path}/events").json()["items"]
    assert [(e["action"], e["version"]) for e in trail] == [("receive", 1), ("triage", 2), ("update", 3)]
    # triage may have given it to whoever handles the same customer's same matter (a link): from there
    assert trail[2]["changes"]["assignee"] == {"before": before["assignee"], "after": winner["assignee"]}
