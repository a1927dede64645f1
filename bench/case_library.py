"""The case library: the answer time of a complaint's similar past cases at 10 000, 30 000 and
100 000 resolved complaints, how it grows, what DynamoDB would read for it, and how relevant the
answers are.

Resolved complaints are made from real CFPB narratives (training/data/cfpb_narratives.csv) — each the
first half of one and the second half of another, so no two are the same —, their product lines the
CFPB's mapped to ours, resolved over the last two years, each with the signature its case-index entry
carries (`complaint_item`). The query is a new credit-reporting dispute: `other`, the largest line,
the worst case.

- Answer time: `CaseLibrary.similar` over the entries held in memory — the library's own work
  (scoring every entry of the line, reading the five shown) without the database; what DynamoDB would
  read is computed from the entries' sizes (eventually consistent: 0.5 read unit per 4 KB, 1 MB
  pages, the line's `CASE_SHARDS` shards read in parallel).
- The whole path once on moto, as the api composes it (index queries, the complaints read): its time
  is moto's, which reads every item of the table in Python for each query, not DynamoDB's. The
  base-table items the search never reads carry only their keys and index attributes (as
  bench/sweep.py does); the 200 most similar to the query are full complaints.
- Relevance: for each narrative, its five most similar of the same line (the library's ranking over
  the 1,532 narratives); the share of them with the narrative's own CFPB `Issue`, against the share a
  random five of the line would have.
"""

from __future__ import annotations

import csv
import random
import statistics
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from api_events import intake_body
from moto.dynamodb.models import dynamodb_backends
from moto_tables import REGION, TABLE_NAME

from complaints.adapters.dynamodb.table import (
    CASE_INDEX,
    CASE_KEY,
    CASE_RESOLVED_KEY,
    CASE_SHARDS,
    CASE_SIGNATURE,
    complaint_item,
    marshal,
)
from complaints.cases.service import CaseLibrary
from complaints.cases.signature import SharedTerms, encode, ranked, signature
from complaints.composition import api as api_root
from complaints.core.auth import Caller, caller_from_claims
from complaints.core.models import Complaint, Product
from complaints.intake.commands import IntakeRequest
from training.train import product_line

from .aws_calls import item_size
from .moto_deployment import deployment
from .sweep import INDEXED_ATTRIBUTES, MOTO_ACCOUNT, open_complaint

NARRATIVES = Path(__file__).parents[1] / "training" / "data" / "cfpb_narratives.csv"
FULL_ITEMS = 200
REPEATS = 5
SEED = 20261201
MANAGER = caller_from_claims(
    {"cognito:groups": "[manager]", "username": "bench-manager", "scope": "complaint-guard/staff"}
)
QUERY = (
    "Equifax and TransUnion still report a collection account that is not mine. I disputed it twice "
    "with the credit bureaus and they verified it without any proof from the collector."
)


def narratives() -> list[tuple[str, str, str]]:
    """(text, our product line, CFPB Issue) of each narrative."""
    with NARRATIVES.open(newline="", encoding="utf-8") as source:
        return [
            (
                row["Consumer complaint narrative"],
                product_line(row["Product"], row["Sub-product"]),
                row["Issue"],
            )
            for row in csv.DictReader(source)
        ]


@dataclass(frozen=True)
class Made:
    """A resolved complaint as its case-index entry holds it; the complaint itself is made when read."""

    complaint_id: str
    product: Product
    resolved_at: datetime
    text: str
    stored: bytes


def made(size: int, texts: list[tuple[str, str, str]], now: datetime) -> list[Made]:
    """`size` resolved complaints, each with the signature its case-index entry carries."""
    rng = random.Random(SEED)
    found = []
    for _ in range(size):
        first, second = rng.choice(texts), rng.choice(texts)
        text = first[0][: len(first[0]) // 2] + " " + second[0][len(second[0]) // 2 :]
        when = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        found.append(Made(uuid.uuid4().hex, Product(first[1]), when, text, encode(signature(text))))
    return found


def complaint_of(entry: Made, now: datetime) -> Complaint:
    return Complaint.model_validate(
        open_complaint(now).model_dump()
        | {
            "id": entry.complaint_id,
            "status": "closed",
            "product": entry.product,
            "description": entry.text,
            "resolved_at": entry.resolved_at,
            "closed_at": entry.resolved_at,
            "resolution": {"outcome": "upheld", "summary": "Corrected.", "root_cause": "process"},
        }
    )


class InMemoryCaseIndex:
    """The case index's entries in memory: what DynamoDbCaseIndex returns, without the database."""

    def __init__(self, entries: list[Made], now: datetime) -> None:
        self._entries = entries
        self._by_id = {entry.complaint_id: entry for entry in entries}
        self._now = now

    def resolved_signatures(self, product: Product, since: datetime) -> Iterator[tuple[str, bytes]]:
        return (
            (entry.complaint_id, entry.stored)
            for entry in self._entries
            if entry.product is product and entry.resolved_at >= since
        )

    def complaints(self, complaint_ids: list[str]) -> list[Complaint]:
        return [complaint_of(self._by_id[each], self._now) for each in complaint_ids if each in self._by_id]

    def library_cases(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[Any]:
        return iter(())


class QueryComplaint:
    """The complaint service's read, for the one complaint searched from."""

    def __init__(self, complaint: Complaint) -> None:
        self._complaint = complaint

    def read(self, complaint_id: str, caller: Caller) -> Complaint:
        return self._complaint

    def change(self, *_: Any, **__: Any) -> Complaint:
        raise NotImplementedError


def entry_bytes(entry: Made) -> int:
    """One case-index entry as DynamoDB sizes it: the table's and the index's keys, the signature."""
    item = marshal(complaint_item(complaint_of(entry, datetime.now(UTC))))
    return item_size({name: item[name] for name in ("pk", "sk", CASE_KEY, CASE_RESOLVED_KEY, CASE_SIGNATURE)})


def measure(sizes: tuple[int, ...] = (10_000, 30_000, 100_000), moto_size: int = 10_000) -> dict[str, Any]:
    texts = narratives()
    now = datetime.now(UTC)
    query = open_complaint(now).model_copy(
        update={"id": "query", "description": QUERY, "product": Product.OTHER}
    )
    results: dict[str, Any] = {"relevance": relevance(texts), "sizes": {}}
    for size in sizes:
        entries = made(size, texts, now)
        library = CaseLibrary(QueryComplaint(query), InMemoryCaseIndex(entries, now))
        timings = []
        for _ in range(REPEATS):
            began = time.perf_counter()
            answer = library.similar(query.id, MANAGER, limit=5)
            timings.append(time.perf_counter() - began)
        read = statistics.mean(entry_bytes(entry) for entry in entries[:200]) * answer.compared
        results["sizes"][str(size)] = {
            "resolvedComplaints": size,
            "compared": answer.compared,
            "shown": len(answer.items),
            "bestSimilarity": answer.items[0].similarity if answer.items else None,
            "medianSeconds": round(statistics.median(timings), 3),
            "indexMegabytes": round(read / 1_000_000, 2),
            "readUnits": round(read / 4096 / 2, 1),
            "pagesPerShard": max(1, -(-int(read) // (CASE_SHARDS * 1_000_000))),
        }
    results["moto"] = on_moto(moto_size, texts)
    return results


def on_moto(size: int, texts: list[tuple[str, str, str]]) -> dict[str, Any]:
    with deployment() as deployed:
        now = datetime.now(UTC)
        entries = made(size, texts, now)
        shared = SharedTerms(signature(QUERY))
        entries.sort(
            key=lambda entry: -sum(shared.of(entry.stored).values()) if entry.product is Product.OTHER else 0
        )
        backend = dynamodb_backends[MOTO_ACCOUNT][REGION]
        for rank, entry in enumerate(entries):
            item = marshal(complaint_item(complaint_of(entry, now)))
            kept = (
                item
                if rank < FULL_ITEMS
                else {name: item[name] for name in INDEXED_ATTRIBUTES if name in item}
            )
            kept[CASE_SIGNATURE] = item[CASE_SIGNATURE]
            backend.put_item(TABLE_NAME, kept)
        app = caller_from_claims({"client_id": "bench", "scope": "complaint-guard/complaints.submit"})
        new = api_root.complaint_service().intake(
            IntakeRequest.model_validate(intake_body(description=QUERY, product="other")), app
        )
        with deployed.ledger.recording() as calls:
            began = time.perf_counter()
            answer = api_root.case_library().similar(new.id, MANAGER, limit=5)
            took = time.perf_counter() - began
        index_queries = [
            c for c in calls if c.operation == "Query" and c.params.get("IndexName") == CASE_INDEX
        ]
        return {
            "resolvedComplaints": size,
            "compared": answer.compared,
            "shown": len(answer.items),
            "seconds": round(took, 2),
            "indexQueries": len(index_queries),
            "itemsRead": sum(c.returned for c in index_queries),
            "readUnits": round(sum(c.read_units for c in calls), 1),
            "calls": dict(sorted(Counter(c.operation for c in calls).items())),
        }


def relevance(texts: list[tuple[str, str, str]]) -> dict[str, Any]:
    by_line: dict[str, list[int]] = defaultdict(list)
    for number, (_, line, _) in enumerate(texts):
        by_line[line].append(number)
    stored = [encode(signature(text)) for text, _, _ in texts]
    same, chance, counted = 0.0, 0.0, 0
    for number, (text, line, issue) in enumerate(texts):
        others = [other for other in by_line[line] if other != number]
        if len(others) < 5:
            continue
        _, scores = ranked(signature(text), ((str(other), stored[other]) for other in others))
        best = [int(other) for _, other in sorted(scores, key=lambda pair: (-pair[0], int(pair[1])))[:5]]
        same += sum(texts[other][2] == issue for other in best) / 5
        issues = Counter(texts[other][2] for other in others)
        chance += issues[issue] / len(others)
        counted += 1
    return {
        "narratives": counted,
        "sameIssueAt5": round(same / counted, 3),
        "sameIssueByChance": round(chance / counted, 3),
    }
