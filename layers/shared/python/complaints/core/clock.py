"""Time and identity sources, injectable so the domain is deterministic under test."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]
IdGenerator = Callable[[], str]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


# Crockford's base32 without I, L, O and U: no letter a customer can mistake for a digit on the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(received_on: date) -> str:
    """`CG-YYMMDD-XXXXXX`: the local receipt date a customer recognises and 30 random bits (about a
    billion per day). Uniqueness is still enforced by the repository, which refuses a duplicate."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"CG-{received_on:%y%m%d}-{suffix}"
