"""`GET /v1/complaints/{id}/integrity`: the complaint's trail recomputed, link by link."""

from __future__ import annotations

from pydantic import Field

from complaints.core import access
from complaints.core.auth import Caller, Permission
from complaints.core.models import ApiModel
from complaints.trail.chain import verify
from complaints.trail.ports import TrailStore


class IntegrityReport(ApiModel):
    valid: bool = Field(description="every event is intact, in order, and the newest is the complaint's")
    events: int = Field(ge=0, description="the events checked (up to the first broken one)")
    first_broken_at: int | None = Field(
        description="the version of the first event found changed, missing or out of place; null if valid"
    )


# A complaint being changed while it is checked is read again, this often at most.
_READS = 3


class TrailIntegrity:
    def __init__(self, store: TrailStore) -> None:
        self._store = store

    def check(self, complaint_id: str, caller: Caller) -> IntegrityReport:
        caller.require(Permission.VERIFY_TRAIL)
        access.require_read(caller, self._store.get(complaint_id))
        # The events between two reads of the head that agree: a change made meanwhile would look
        # like an event the complaint does not know of, so the check reads again instead.
        head = self._store.chain_head(complaint_id)
        for _ in range(_READS):
            events = self._store.stored_events(complaint_id)
            again = self._store.chain_head(complaint_id)
            if again == head:
                break
            head = again
        result = verify(complaint_id, events, head)
        return IntegrityReport(
            valid=result.valid, events=result.events, first_broken_at=result.first_broken_at
        )
