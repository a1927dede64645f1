"""The trail's archive: each event, as the chain covers it, kept where nobody can change it.

The archiver (functions/archiver) writes every new event of the trail table to a bucket under S3 Object
Lock in compliance mode: `trail/<complaintId>/<version, 10 digits>.json`, holding the event's sealed
text and its hashes, never the personal values (the sealed text carries pseudonyms), so an erasure
leaves nothing in the archive to erase. `compare` checks a complaint's archive against its trail:
the table could be rewritten hash by hash by someone who can write it; the archive cannot be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from complaints.trail.chain import StoredEvent

PREFIX = "trail/"


def archive_key(complaint_id: str, version: int) -> str:
    return f"{PREFIX}{complaint_id}/{version:010d}.json"


@dataclass(frozen=True)
class ArchivedEvent:
    complaint_id: str
    version: int
    sealed: str
    previous_hash: str
    hash: str

    @classmethod
    def of(cls, event: StoredEvent) -> ArchivedEvent:
        return cls(
            complaint_id=str(event.content["complaintId"]),
            version=int(event.content["version"]),
            sealed=event.sealed,
            previous_hash=event.previous_hash,
            hash=event.hash,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "complaintId": self.complaint_id,
                "version": self.version,
                "sealed": self.sealed,
                "previousHash": self.previous_hash,
                "hash": self.hash,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ArchivedEvent:
        body: Mapping[str, Any] = json.loads(text)
        return cls(
            complaint_id=str(body["complaintId"]),
            version=int(body["version"]),
            sealed=str(body["sealed"]),
            previous_hash=str(body["previousHash"]),
            hash=str(body["hash"]),
        )


class TrailArchive(Protocol):
    def put(self, event: ArchivedEvent) -> None:
        """Archive the event; archiving one already archived (a retried stream batch) is done."""
        ...


@dataclass(frozen=True)
class ArchiveDifference:
    complaint_id: str
    version: int
    problem: str


def compare(
    complaint_id: str, trail: Iterable[StoredEvent], archived: Iterable[ArchivedEvent]
) -> list[ArchiveDifference]:
    """Where a complaint's trail and its archive disagree: an event missing from either, or one whose
    sealed text or hashes differ."""
    in_trail = {ArchivedEvent.of(event).version: ArchivedEvent.of(event) for event in trail}
    in_archive = {event.version: event for event in archived}
    differences = []
    for version in sorted(in_trail.keys() | in_archive.keys()):
        table, kept = in_trail.get(version), in_archive.get(version)
        if kept is None:
            problem = "not archived"
        elif table is None:
            problem = "archived but missing from the trail table"
        elif table != kept:
            fields = [
                name
                for name in ("sealed", "previous_hash", "hash")
                if getattr(table, name) != getattr(kept, name)
            ]
            problem = "differs from the archive in " + ", ".join(fields)
        else:
            continue
        differences.append(ArchiveDifference(complaint_id, version, problem))
    return differences
