"""Test doubles for the domain's ports: they live here, never in the product's code.

`InMemoryComplaintRepository` implements the `ComplaintRepository` protocol with the same conditional
semantics as the DynamoDB adapter: a create refuses a taken reference (ReferenceTaken) or an existing
id, an update refuses a stale version (VersionConflict), and a refused write stores nothing.
Everything is stored as deep copies so a test can never mutate what "the database" holds by accident.
A test injects a concurrent write between a service's read and its write with `interleave`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from complaints.adapters.dynamodb.accountability import DynamoDbAccountabilityStore
from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.dynamodb.history import DynamoDbComplaintHistory
from complaints.adapters.dynamodb.watch import DynamoDbWatchStore
from complaints.core.errors import InvalidInput, NotFound, ReferenceTaken, VersionConflict
from complaints.core.events import DomainEvent
from complaints.core.models import AccountabilityRecord, AuditEvent, Complaint
from complaints.core.paging import Page
from complaints.intake.ports import ComplaintQuery
from complaints.sla.escalation import tracker_execution_name
from complaints.teams.roster import Roster
from complaints.tracking.links import MIN_SECRET_LENGTH, SigningKey

# The tests' "now": a Monday, 09:00 in Shanghai.
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class InMemoryComplaintRepository:
    def __init__(self) -> None:
        self.complaints: dict[str, Complaint] = {}
        self.events_by_complaint: dict[str, list[AuditEvent]] = {}
        self.references: dict[str, str] = {}
        self.accountability: dict[str, AccountabilityRecord] = {}
        self.writes = 0
        self.refused_updates = 0
        self._interleaved: list[Callable[[], None]] = []
        self._interleaving = False

    def interleave(self, *writes: Callable[[], None]) -> None:
        """Run each of `writes` just before one coming update checks its version, one per update
        (the first before the next update, and so on): another writer got in between that update's
        read and its write. A write given here may itself update the repository (its own update
        runs nothing interleaved)."""
        self._interleaved.extend(writes)

    # --- writes -----------------------------------------------------------------------------------

    def create(self, complaint: Complaint, event: AuditEvent) -> None:
        if complaint.reference in self.references:
            raise ReferenceTaken(f"reference {complaint.reference} is taken")
        if complaint.id in self.complaints:
            raise VersionConflict(f"complaint {complaint.id} already exists")
        self.complaints[complaint.id] = complaint.model_copy(deep=True)
        self.events_by_complaint[complaint.id] = [event.model_copy(deep=True)]
        self.references[complaint.reference] = complaint.id
        self.writes += 1

    def update(
        self,
        complaint: Complaint,
        event: AuditEvent,
        expected_version: int,
        opens: AccountabilityRecord | None = None,
    ) -> None:
        if self._interleaved and not self._interleaving:
            self._interleaving = True
            try:
                self._interleaved.pop(0)()
            finally:
                self._interleaving = False
        stored = self.complaints.get(complaint.id)
        if stored is None or stored.version != expected_version:
            self.refused_updates += 1
            raise VersionConflict(
                f"complaint {complaint.id} is no longer at version {expected_version}",
                [{"field": "version", "message": "is stale"}],
            )
        trail = self.events_by_complaint[complaint.id]
        if any(existing.version == event.version for existing in trail):
            raise VersionConflict(f"an event for version {event.version} already exists")
        self.complaints[complaint.id] = complaint.model_copy(deep=True)
        trail.append(event.model_copy(deep=True))
        if opens is not None:
            self.accountability[opens.id] = opens.model_copy(deep=True)
        self.writes += 1

    # --- reads ------------------------------------------------------------------------------------

    def get(self, complaint_id: str) -> Complaint:
        try:
            return self.complaints[complaint_id].model_copy(deep=True)
        except KeyError:
            raise NotFound(f"no complaint with id {complaint_id}") from None

    def same_contact_since(self, complaint: Complaint, since: datetime) -> list[Complaint]:
        def shares_contact(other: Complaint) -> bool:
            mine, theirs = complaint.customer, other.customer
            phone = mine.phone is not None and mine.phone == theirs.phone
            email = (
                mine.email is not None
                and theirs.email is not None
                and mine.email.casefold() == theirs.email.casefold()
            )
            return phone or email

        found = [
            other.model_copy(deep=True)
            for other in self.complaints.values()
            if other.id != complaint.id and other.received_at >= since and shares_contact(other)
        ]
        return sorted(found, key=lambda other: other.received_at)

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        def matches(complaint: Complaint) -> bool:
            return (
                (query.status is None or complaint.status == query.status)
                and (query.assignee is None or complaint.assignee == query.assignee)
                and (query.category is None or complaint.category == query.category)
                and (query.channel is None or complaint.channel == query.channel)
                and (query.customer_id is None or complaint.customer.customer_id == query.customer_id)
                and query.admits(complaint)
            )

        found = sorted(
            (c for c in self.complaints.values() if matches(c)),
            key=lambda c: (c.received_at, c.id),
            reverse=True,
        )
        start = 0
        if query.next_token:
            if not query.next_token.isdigit():
                raise InvalidInput.for_field("nextToken", "is not a token this API issued")
            start = int(query.next_token)
        page = found[start : start + query.limit]
        end = start + len(page)
        return Page(
            items=[c.model_copy(deep=True) for c in page],
            next_token=str(end) if end < len(found) else None,
        )

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        trail = sorted(self.events_by_complaint.get(complaint_id, []), key=lambda e: e.version)
        start = int(next_token) if next_token else 0
        page = trail[start : start + limit]
        end = start + len(page)
        return Page(
            items=[e.model_copy(deep=True) for e in page],
            next_token=str(end) if end < len(trail) else None,
        )


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class SequentialIds:
    """Predictable ids: id-0001, id-0002 …"""

    def __init__(self, prefix: str = "id") -> None:
        self.prefix = prefix
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"{self.prefix}-{self.count:04d}"


class FakeTracker:
    """Records every call as (operation, execution name) and keeps the set of running executions."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.running: set[str] = set()

    def start(self, complaint: Complaint) -> None:
        name = tracker_execution_name(complaint)
        self.calls.append(("start", name))
        self.running.add(name)

    def stop(self, complaint: Complaint) -> None:
        name = tracker_execution_name(complaint)
        self.calls.append(("stop", name))
        self.running.discard(name)

    def is_running(self, complaint: Complaint) -> bool:
        return tracker_execution_name(complaint) in self.running

    def starts(self) -> list[str]:
        return [name for operation, name in self.calls if operation == "start"]


class RecordingPublisher:
    """Keeps what would have been published, for tests of the domain alone."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self.published.extend(events)


class FixedSecretProvider:
    """A link key ring given in code: the current key (id `key_id`), a previous one during a rotation
    and the legacy key of links without key id, each optional but the current one."""

    def __init__(
        self,
        secret: str,
        key_id: str = "k1",
        *,
        previous: SigningKey | None = None,
        legacy: str | None = None,
    ) -> None:
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"the tracking key must have at least {MIN_SECRET_LENGTH} characters")
        self.key = SigningKey(key_id, secret)
        self.previous = previous
        self.legacy_secret = legacy

    def current(self) -> SigningKey:
        return self.key

    def accepted(self) -> Sequence[SigningKey]:
        return [self.key] if self.previous is None else [self.key, self.previous]

    def legacy(self) -> str | None:
        return self.legacy_secret


class DynamoDbSlaStore(
    DynamoDbComplaintRepository, DynamoDbAccountabilityStore, DynamoDbWatchStore, DynamoDbComplaintHistory
):
    """Every adapter over the complaints table in one object, for tests that look at the table through
    several ports at once (the functions compose one adapter per port)."""


class InMemoryRosters:
    """Team rosters and each member's open complaints (the triage step's Workloads, the Rosters' store)."""

    def __init__(self, open_by_member: dict[str, int] | None = None) -> None:
        self.rosters: dict[str, Roster] = {}
        self.open_by_member = open_by_member or {}

    def get_roster(self, team: str) -> Roster:
        return self.rosters.get(team, Roster(team=team))

    def put_roster(self, roster: Roster, expected_version: int) -> None:
        if self.get_roster(roster.team).version != expected_version:
            raise VersionConflict("the roster changed meanwhile")
        self.rosters[roster.team] = roster

    def open_complaints(self, assignee: str) -> int:
        return self.open_by_member.get(assignee, 0)
