"""The audit trail's hash chain: how an event is sealed, linked to the one before it, and checked.

Each event of a complaint is stored with
- `sealed`: the event as the chain covers it, a JSON text: every field, but the customer's personal
  values (`PERSONAL_VALUES`) replaced by pseudonyms, keyed digests under the complaint's own salt;
- `previousHash`: the `hash` of the complaint's event before it (`GENESIS` for the first);
- `hash`: SHA-256 of `previousHash|sealed`.
The complaint item keeps the `hash` of its newest event (the chain's head) and the salt.

Why pseudonyms: a customer's erasure (privacy/erasure.py) replaces their personal values in the stored
events by the very pseudonyms the chain already covers and forgets the salt, so an erased trail still
verifies, and the archive (which holds `sealed`, never the values) holds nothing to erase.

Why the sealed text is stored rather than recomputed: the SLA tracker's state machine writes events
too, and can hash a text it builds (States.Hash) but cannot reproduce this module's canonical JSON.
Checking compares the stored event with its sealed text as JSON values, so any change to either
shows.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
PSEUDONYM_PREFIX = "pii:"
_PSEUDONYM_LENGTH = len(PSEUDONYM_PREFIX) + 64

# The personal values of an event: in `changes.<field>.before/after`, the whole value (description)
# or the listed keys of it (customer), or of each element of a list (feedback); in `data`, by key.
PERSONAL_VALUES: Mapping[str, tuple[str, ...] | None] = {
    "customer": ("customerId", "name", "phone", "email"),
    "description": None,
    "feedback": ("comment",),
    "followUp": ("notes",),
    # what the bank asked the customer for while it waits on them (it may quote their account)
    "pauseNeeded": None,
    # the names of files the customer's evidence came in ("statement_li_wei.pdf")
    "attachments": ("fileName",),
}
# `evidence`: what a supervisor opening an accountability record rests it on (it may quote the customer).
PERSONAL_DATA = ("message", "comment", "needed", "evidence")
# What the customer wrote in their own actions (a reopen's or a withdrawal's reason): the bank's own
# reasons (an extension's, an escalation's) are its record and stay in clear.
CUSTOMER_DATA = ("reason",)
CUSTOMER_ROLE = "customer"


class MissingSalt(ValueError):
    """A personal value to seal, and no salt: the complaint's salt was forgotten (erasure) but this
    event still holds a value in clear."""


def pseudonym(value: str, salt: str) -> str:
    digest = hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{PSEUDONYM_PREFIX}{digest}"


def is_pseudonym(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PSEUDONYM_PREFIX) and len(value) == _PSEUDONYM_LENGTH


def _sealed_value(value: Any, salt: str | None) -> Any:
    if not isinstance(value, str) or is_pseudonym(value):
        return value
    if salt is None:
        raise MissingSalt("a personal value is held in clear and the complaint has no salt")
    return pseudonym(value, salt)


def _seal_keys(value: Any, keys: tuple[str, ...] | None, salt: str | None) -> Any:
    if keys is None:
        return _sealed_value(value, salt)
    if isinstance(value, list):
        return [_seal_keys(element, keys, salt) for element in value]
    if isinstance(value, dict):
        return {key: _sealed_value(item, salt) if key in keys else item for key, item in value.items()}
    return value


def sealed_form(event: Mapping[str, Any], salt: str | None) -> dict[str, Any]:
    """The event as the chain covers it: personal values replaced by pseudonyms (those already
    pseudonymised are kept). `event` is the stored event's JSON form, without its chain fields."""
    sealed = copy.deepcopy(dict(event))
    for field, change in (sealed.get("changes") or {}).items():
        keys = PERSONAL_VALUES.get(field, ())
        if keys == () or not isinstance(change, dict):
            continue
        for side in ("before", "after"):
            if change.get(side) is not None:
                change[side] = _seal_keys(change[side], keys, salt)
    data = sealed.get("data") or {}
    by_customer = CUSTOMER_ROLE in ((sealed.get("actor") or {}).get("roles") or [])
    for key in PERSONAL_DATA + (CUSTOMER_DATA if by_customer else ()):
        if data.get(key) is not None:
            data[key] = _sealed_value(data[key], salt)
    return sealed


def pseudonymised(event: Mapping[str, Any], salt: str) -> dict[str, Any]:
    """The event with its personal values replaced by their pseudonyms: what erasure stores."""
    return sealed_form(event, salt)


def sealed_text(event: Mapping[str, Any], salt: str | None) -> str:
    return json.dumps(sealed_form(event, salt), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link(previous_hash: str, sealed: str) -> str:
    """The hash of an event: SHA-256 over the previous event's hash and this event's sealed text
    (the SLA tracker's state machine computes the same with States.Hash)."""
    return hashlib.sha256(f"{previous_hash}|{sealed}".encode()).hexdigest()


@dataclass(frozen=True)
class Seal:
    """The chain fields of a new event."""

    sealed: str
    previous_hash: str
    hash: str


def seal(event: Mapping[str, Any], previous_hash: str, salt: str | None) -> Seal:
    text = sealed_text(event, salt)
    return Seal(sealed=text, previous_hash=previous_hash, hash=link(previous_hash, text))


@dataclass(frozen=True)
class StoredEvent:
    """An event as the trail holds it: its JSON form and its chain fields."""

    content: dict[str, Any]
    sealed: str
    previous_hash: str
    hash: str

    @property
    def version(self) -> Any:
        return self.content.get("version")


@dataclass(frozen=True)
class ChainHead:
    """What the complaint item says of its trail: its version (= its number of events), the hash of
    its newest event and the salt of its pseudonyms (None once erased)."""

    version: int
    hash: str | None
    salt: str | None


@dataclass(frozen=True)
class Integrity:
    valid: bool
    events: int
    first_broken_at: int | None


def _intact(
    event: StoredEvent, expected_version: int, complaint_id: str, previous: str, salt: str | None
) -> bool:
    if event.version != expected_version or event.content.get("complaintId") != complaint_id:
        return False
    if event.previous_hash != previous or link(previous, event.sealed) != event.hash:
        return False
    try:
        return bool(json.loads(event.sealed) == sealed_form(event.content, salt))
    except (ValueError, MissingSalt):
        return False


def verify(complaint_id: str, events: Iterable[StoredEvent], head: ChainHead) -> Integrity:
    """Recompute the chain of a complaint's events, oldest first: each must be the next version, link
    to the one before, hash to what it says and match its sealed text; the newest must be the head
    the complaint item names. `firstBrokenAt` is the first version found changed or missing."""
    previous, count = GENESIS, 0
    for expected, event in enumerate(events, start=1):
        count += 1
        if not _intact(event, expected, complaint_id, previous, head.salt):
            return Integrity(valid=False, events=count, first_broken_at=expected)
        previous = event.hash
    if count != head.version:
        # An event missing at the end (or one more than the complaint knows of).
        return Integrity(valid=False, events=count, first_broken_at=min(count, head.version) + 1)
    if count and previous != head.hash:
        return Integrity(valid=False, events=count, first_broken_at=count)
    return Integrity(valid=True, events=count, first_broken_at=None)
