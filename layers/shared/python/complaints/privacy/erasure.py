"""A customer's right to erasure: `POST /v1/customers/{customerId}/erasure` (compliance only).

The customer's personal data is pseudonymised everywhere the system holds it, and the trail stays
verifiable:
- each complaint's audit events: every personal value is replaced by the pseudonym the hash chain
  already covers (trail/chain.py), so the chain verifies after the erasure as before; the archive
  holds only that sealed form and needs no change;
- each complaint: the customer becomes a random pseudonym (the same for all their complaints, so
  counts of repeat complainants stay right), no name, phone or e-mail; the description, feedback
  comments, follow-up notes, what a pause asked of them and attachment names are replaced; the
  complaint's salt is forgotten, so no pseudonym can be tested against a guess any more;
- the notification log: the masked recipients are replaced.
The erasure itself is an event of each complaint's trail (`erase_personal_data`, with the reason).

It is refused while any of the customer's complaints is not ended (closed or withdrawn: a resolved
complaint may still be disputed) or is under a legal hold, naming them. The bank's own texts (the
resolution's summary and root cause, a solution plan, an accountability record's finding sought and
evidence) are its record of what it did and are kept; they must not
quote the customer's personal data (docs/architecture.md, "Retention and erasure"). Files attached
as evidence are deleted with their record by the attachments' retention, not by this path.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Protocol

from pydantic import Field, StringConstraints

from complaints.core.auth import Caller, Permission
from complaints.core.clock import Clock, IdGenerator, new_id, utc_now
from complaints.core.errors import Conflict, NotFound
from complaints.core.models import Actor, ApiModel, AuditEvent, CleanText, Complaint, Customer, Status
from complaints.trail.chain import ChainHead, StoredEvent, pseudonymised

ERASED = "erased"
ERASED_TEXT = "[erased]"
ACTION = "erase_personal_data"
_ENDED = frozenset({Status.CLOSED, Status.WITHDRAWN})


class ErasureRequest(ApiModel):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), CleanText
    ] = Field(description="why, e.g. the customer's request of 2026-11-30 received by letter")


class ErasureResult(ApiModel):
    customer_id: str = Field(description="the pseudonym the customer's complaints now carry")
    complaints: int = Field(description="complaints erased by this request")
    events: int = Field(description="audit events whose personal values were pseudonymised")
    notifications: int = Field(description="notification log entries whose recipient was removed")
    erased_at: datetime


class ErasureRefused(Conflict):
    code = "erasure_refused"


class ErasureStore(Protocol):
    def customer_complaint_ids(self, customer_id: str) -> list[str]:
        """Every complaint the customer id names (all statuses), newest first."""
        ...

    def get(self, complaint_id: str) -> Complaint: ...

    def chain_head(self, complaint_id: str) -> ChainHead: ...

    def stored_events(self, complaint_id: str) -> list[StoredEvent]: ...

    def rewrite_event(self, event: StoredEvent, content: dict[str, Any]) -> None:
        """Replace the event's content, on the condition that its hash is still `event.hash`."""
        ...

    def erase(
        self, complaint: Complaint, event: AuditEvent, expected_version: int, *, before: Complaint
    ) -> None:
        """Write the erased complaint and its erasure event, forgetting the complaint's salt and what
        the store keeps of the customer's contact details as they were `before` (their phone and
        e-mail, by which triage finds the same customer across channels)."""
        ...


class RecipientEraser(Protocol):
    def erase_recipients(self, complaint_id: str) -> int:
        """Replace the recipient of every notification log entry of the complaint; how many."""
        ...


class Erasure:
    def __init__(
        self,
        store: ErasureStore,
        notifications: RecipientEraser,
        clock: Clock = utc_now,
        ids: IdGenerator = new_id,
        pseudonyms: Callable[[], str] = lambda: f"{ERASED}-{secrets.token_hex(8)}",
    ) -> None:
        self._store = store
        self._notifications = notifications
        self._clock = clock
        self._ids = ids
        self._pseudonyms = pseudonyms

    def erase(self, customer_id: str, request: ErasureRequest, caller: Caller) -> ErasureResult:
        caller.require(Permission.ERASE)
        complaints = [
            self._store.get(complaint_id) for complaint_id in self._store.customer_complaint_ids(customer_id)
        ]
        if not complaints:
            raise NotFound(f"no complaint names customer {customer_id}")
        _refuse_if_kept(complaints)
        pseudonym = self._pseudonyms()
        now = self._clock()
        events = notifications = 0
        for complaint in complaints:
            events += self._pseudonymise_trail(complaint.id)
            erased = _erased(complaint, pseudonym, now)
            event = AuditEvent(
                id=self._ids(),
                complaint_id=complaint.id,
                version=erased.version,
                action=ACTION,
                actor=Actor(id=caller.id, roles=sorted(caller.roles)),
                at=now,
                data={"reason": request.reason, "customerId": pseudonym},
            )
            self._store.erase(erased, event, complaint.version, before=complaint)
            notifications += self._notifications.erase_recipients(complaint.id)
        return ErasureResult(
            customer_id=pseudonym,
            complaints=len(complaints),
            events=events,
            notifications=notifications,
            erased_at=now,
        )

    def _pseudonymise_trail(self, complaint_id: str) -> int:
        head = self._store.chain_head(complaint_id)
        if head.salt is None:
            return 0  # erased before: its events hold pseudonyms only
        rewritten = 0
        for event in self._store.stored_events(complaint_id):
            content = pseudonymised(event.content, head.salt)
            if content != event.content:
                self._store.rewrite_event(event, content)
                rewritten += 1
        return rewritten


def _refuse_if_kept(complaints: list[Complaint]) -> None:
    not_ended = [c.reference for c in complaints if c.status not in _ENDED]
    held = [c.reference for c in complaints if c.legal_hold is not None]
    problems = []
    if not_ended:
        problems.append(f"not yet closed or withdrawn: {', '.join(not_ended)}")
    if held:
        problems.append(f"under a legal hold: {', '.join(held)}")
    if problems:
        raise ErasureRefused(
            "the customer's data cannot be erased while a complaint is " + "; ".join(problems),
            [{"field": "customerId", "message": problem} for problem in problems],
        )


def _erased(complaint: Complaint, pseudonym: str, now: datetime) -> Complaint:
    customer = Customer(
        customer_id=pseudonym,
        name=ERASED,
        preferred_contact=[],
        language=complaint.customer.language,
        segment=complaint.customer.segment,
        erased=True,
    )
    feedback = [item.model_copy(update={"comment": None}) for item in complaint.feedback]
    follow_up = complaint.follow_up.model_copy(update={"notes": None}) if complaint.follow_up else None
    attachments = [
        attachment.model_copy(update={"file_name": ERASED})
        for attachment in getattr(complaint, "attachments", [])
    ]
    return complaint.model_copy(
        update={
            "customer": customer,
            "description": ERASED_TEXT,
            "feedback": feedback,
            "follow_up": follow_up,
            "attachments": attachments,
            "pause_needed": None if complaint.pause_needed is None else ERASED_TEXT,
            "erased_at": now,
            "updated_at": now,
            "version": complaint.version + 1,
        }
    )
