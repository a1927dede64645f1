"""The audit trail's hash chain: sealing, linking and checking, on events as the trail stores them."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from complaints.trail.chain import (
    GENESIS,
    ChainHead,
    StoredEvent,
    is_pseudonym,
    pseudonymised,
    seal,
    verify,
)

SALT = "a-salt-of-this-complaint"


def receipt() -> dict[str, Any]:
    return {
        "id": "ev-1",
        "complaintId": "c-1",
        "version": 1,
        "action": "receive",
        "actor": {"id": "counter-app", "roles": ["channel_app"]},
        "at": "2026-03-02T01:00:00Z",
        "changes": {
            "customer": {
                "before": None,
                "after": {
                    "customerId": "C-1",
                    "name": "Li Wei",
                    "phone": "+8613800138000",
                    "segment": "retail",
                },
            },
            "description": {"before": None, "after": "Debited twice for one transfer."},
            "status": {"before": None, "after": "received"},
        },
        "data": {},
    }


def response(version: int) -> dict[str, Any]:
    return {
        "id": f"ev-{version}",
        "complaintId": "c-1",
        "version": version,
        "action": "respond",
        "actor": {"id": "li.na", "roles": ["agent"]},
        "at": "2026-03-02T02:00:00Z",
        "changes": {"status": {"before": "received", "after": "acknowledged"}},
        "data": {"message": "Dear Li Wei, we are on it.", "public": True},
    }


def chain(*contents: dict[str, Any]) -> tuple[list[StoredEvent], ChainHead]:
    previous, stored = GENESIS, []
    for content in contents:
        sealed = seal(content, previous, SALT)
        stored.append(StoredEvent(content, sealed.sealed, sealed.previous_hash, sealed.hash))
        previous = sealed.hash
    return stored, ChainHead(version=len(stored), hash=previous, salt=SALT)


def test_an_intact_trail_is_valid() -> None:
    events, head = chain(receipt(), response(2), response(3))
    assert verify("c-1", events, head).__dict__ == {"valid": True, "events": 3, "first_broken_at": None}


def test_the_hash_is_sha256_of_the_previous_hash_and_the_sealed_text() -> None:
    (first, second), _ = chain(receipt(), response(2))
    assert first.previous_hash == "0" * 64
    assert first.hash == hashlib.sha256(f"{'0' * 64}|{first.sealed}".encode()).hexdigest()
    assert second.previous_hash == first.hash


def test_the_sealed_text_holds_no_personal_value_but_every_other_field() -> None:
    (first, second), _ = chain(receipt(), response(2))
    for personal in ("Li Wei", "+8613800138000", "C-1", "Debited twice", "we are on it"):
        assert personal not in first.sealed + second.sealed
    sealed = json.loads(first.sealed)
    assert sealed["changes"]["status"]["after"] == "received"
    assert sealed["changes"]["customer"]["after"]["segment"] == "retail"
    assert is_pseudonym(sealed["changes"]["customer"]["after"]["name"])
    assert json.loads(second.sealed)["data"]["public"] is True


def test_what_the_bank_asks_of_the_customer_is_sealed_as_personal() -> None:
    """A pause (and its halfway reminder) names what the customer is asked for, which may quote their
    account; it is pseudonymised like a message. The reason, staff's own text, is kept."""
    asked = "Li Wei's statement of account 6222 0012"
    pause = {
        "id": "ev-2",
        "complaintId": "c-1",
        "version": 2,
        "action": "pause",
        "actor": {"id": "li.na", "roles": ["agent"]},
        "at": "2026-03-02T02:00:00Z",
        "changes": {"pauseNeeded": {"before": None, "after": asked}},
        "data": {"reason": "second debit unclear", "needed": asked, "until": "2026-03-12T02:00:00Z"},
    }
    (_, sealed_pause), _ = chain(receipt(), pause)
    assert "6222" not in sealed_pause.sealed
    sealed = json.loads(sealed_pause.sealed)
    assert is_pseudonym(sealed["data"]["needed"]) and is_pseudonym(sealed["changes"]["pauseNeeded"]["after"])
    assert sealed["data"]["reason"] == "second debit unclear"
    assert sealed["data"]["until"] == "2026-03-12T02:00:00Z"


@pytest.mark.parametrize(
    ("tamper", "broken_at"),
    [
        # a field of the second event changed in the table (its sealed text left alone)
        (lambda events: events[1].content["changes"]["status"].update(after="resolved"), 2),
        # the customer's name rewritten in the receipt
        (lambda events: events[0].content["changes"]["customer"]["after"].update(name="Wang Fang"), 1),
        # the third event's actor changed
        (lambda events: events[2].content["actor"].update(id="someone-else"), 3),
    ],
)
def test_an_event_changed_in_place_is_found_at_its_version(tamper: Any, broken_at: int) -> None:
    events, head = chain(receipt(), response(2), response(3))
    tamper(events)
    assert verify("c-1", events, head).__dict__ == {
        "valid": False,
        "events": broken_at,
        "first_broken_at": broken_at,
    }


def test_an_event_rewritten_with_a_new_sealed_text_and_hash_breaks_the_next_link() -> None:
    events, head = chain(receipt(), response(2), response(3))
    forged = response(2) | {"data": {"message": "We refuse.", "public": True}}
    resealed = seal(forged, events[0].hash, SALT)
    events[1] = StoredEvent(forged, resealed.sealed, resealed.previous_hash, resealed.hash)
    assert verify("c-1", events, head).first_broken_at == 3


def test_a_removed_event_is_found_where_it_is_missing() -> None:
    events, head = chain(receipt(), response(2), response(3))
    assert verify("c-1", [events[0], events[2]], head).first_broken_at == 2
    assert verify("c-1", events[:2], head).first_broken_at == 3  # the newest removed


def test_an_event_added_beyond_the_head_is_found() -> None:
    _, head = chain(receipt(), response(2), response(3))
    extra, _ = chain(receipt(), response(2), response(3), response(4))
    assert verify("c-1", extra, head).first_broken_at == 4


def test_an_event_of_another_complaint_does_not_pass() -> None:
    events, head = chain(receipt(), response(2))
    moved = [
        events[0],
        StoredEvent(
            events[1].content | {"complaintId": "c-2"},
            events[1].sealed,
            events[1].previous_hash,
            events[1].hash,
        ),
    ]
    assert verify("c-1", moved, head).first_broken_at == 2


def test_a_pseudonymised_trail_without_its_salt_still_verifies() -> None:
    """What an erasure leaves: personal values replaced by the pseudonyms the chain covers, no salt."""
    events, head = chain(receipt(), response(2))
    erased = [StoredEvent(pseudonymised(e.content, SALT), e.sealed, e.previous_hash, e.hash) for e in events]
    assert "Li Wei" not in json.dumps([e.content for e in erased])
    without_salt = ChainHead(head.version, head.hash, None)
    assert verify("c-1", erased, without_salt).valid
    # ... while a value left in clear once the salt is gone cannot be checked: broken
    assert verify("c-1", events, without_salt).first_broken_at == 1


def test_the_customers_own_reason_is_personal_the_banks_is_not() -> None:
    reopened = response(2) | {
        "action": "reopen",
        "actor": {"id": "customer", "roles": ["customer"]},
        "data": {"reason": "Li Wei here: the refund never arrived"},
    }
    extended = response(3) | {"action": "extend", "data": {"reason": "waiting on the card network"}}
    attached = response(4) | {
        "action": "attach_file",
        "changes": {
            "attachments": {"before": [], "after": [{"id": "a-1", "fileName": "li_wei.pdf", "size": 9}]}
        },
        "data": {},
    }
    _, second, third, fourth = chain(receipt(), reopened, extended, attached)[0]
    assert "Li Wei" not in second.sealed and "waiting on the card network" in third.sealed
    assert "li_wei.pdf" not in fourth.sealed and '"size":9' in fourth.sealed
