"""The case library on the complaints table: the sparse index byCase (resolved complaints' signatures
by product line, in `CASE_SHARDS` partitions read in parallel) and the library's items (one
partition, `LIBRARY`, by when marked). A search reads its product line's signatures — about 300 bytes
each — never the complaints, then only the few it shows."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from complaints.adapters.dynamodb.table import (
    CASE_INDEX,
    CASE_KEY,
    CASE_RESOLVED_KEY,
    CASE_SHARDS,
    CASE_SIGNATURE,
    COMPLAINT_SK,
    LIBRARY_PK,
    ComplaintsTable,
    complaint_pk,
    fixed_width_utc,
    marshal,
    plain,
    unmarshal,
)
from complaints.cases.models import LibraryCase
from complaints.core.models import Complaint, Product


class DynamoDbCaseIndex(ComplaintsTable):
    def resolved_signatures(self, product: Product, since: datetime) -> Iterator[tuple[str, bytes]]:
        with ThreadPoolExecutor(max_workers=CASE_SHARDS) as pool:
            shards = pool.map(lambda shard: self._shard(product, shard, since), range(CASE_SHARDS))
            for found in shards:
                yield from found

    def _shard(self, product: Product, shard: int, since: datetime) -> list[tuple[str, bytes]]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": CASE_INDEX,
            "KeyConditionExpression": "#case = :case AND #resolved >= :since",
            "ExpressionAttributeNames": {
                "#case": CASE_KEY,
                "#resolved": CASE_RESOLVED_KEY,
                "#signature": CASE_SIGNATURE,
            },
            "ExpressionAttributeValues": marshal(
                {":case": f"{product.value}#{shard}", ":since": fixed_width_utc(since)}
            ),
            "ProjectionExpression": "#resolved, #signature",
        }
        found = []
        for response in self._query_pages(request):
            for item in response.get("Items", []):
                complaint_id = item[CASE_RESOLVED_KEY]["S"].rsplit("#", 1)[1]
                found.append((complaint_id, bytes(item[CASE_SIGNATURE]["B"])))
        return found

    def complaints(self, complaint_ids: list[str]) -> list[Complaint]:
        return self._complaints_at(
            [
                {"pk": {"S": complaint_pk(complaint_id)}, "sk": {"S": COMPLAINT_SK}}
                for complaint_id in complaint_ids
            ]
        )

    def library_cases(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[LibraryCase]:
        # "<time>#<id>" sorts after "<time>": BETWEEN with `until` alone as the bound excludes it.
        first = fixed_width_utc(since) if since is not None else ""
        last = fixed_width_utc(until) if until is not None else "~"
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :last",
            "ExpressionAttributeValues": marshal({":pk": LIBRARY_PK, ":first": first or " ", ":last": last}),
            "ScanIndexForward": False,
        }
        for response in self._query_pages(request):
            for item in response.get("Items", []):
                yield LibraryCase.model_validate(plain(unmarshal(item)["case"]))
