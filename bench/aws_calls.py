"""Every AWS call the code makes, counted with botocore's event hooks, and the DynamoDB request units
each one would be billed for.

The ledger registers `before-parameter-build` (it sees the call's parameters as given) and `after-call`
on a boto3 session's event system, so every client
created from that session afterwards reports its calls (the composition root's clients included, once
their caches are cleared). For DynamoDB it also looks at the items a write touches, before and after,
through a client of its own that it does not count: on-demand billing charges a write by the larger of
the old and new item (1 KB units) on the table and again on every GSI the item is in, and a read by the
size of what it read (4 KB units, half for an eventually consistent read).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3

from complaints.adapters.dynamodb.table import TABLE_INDEXES, TableIndex

WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
WRITE_OPERATIONS = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})

_CONTEXT_KEY = "bench_call"


@dataclass
class AwsCall:
    service: str
    operation: str
    params: dict[str, Any]
    read_units: float = 0.0
    write_units: float = 0.0
    # the write units above that are the GSIs' share (also counted in write_units)
    index_write_units: float = 0.0
    scanned: int = 0
    returned: int = 0

    @property
    def name(self) -> str:
        return f"{self.service}:{self.operation}"


def attribute_size(value: Mapping[str, Any]) -> int:
    """Bytes of one marshalled DynamoDB value, by the documented item-size rules."""
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(str(content).encode())
    if kind == "N":
        digits = str(content).lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(content)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: element}) for element in content)
    if kind == "L":
        return 3 + sum(1 + attribute_size(element) for element in content)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + attribute_size(item) for name, item in content.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: Mapping[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def _units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


def write_units(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, transactional: bool
) -> tuple[float, float]:
    """(total, GSI share) of one item write. An index holds the table's keys, its own keys and what it
    projects (infra Data construct): it is written when what it holds changes, weighed by that entry;
    a changed index key is a delete plus an insert."""
    table = _units(max(item_size(old), item_size(new)), WRITE_UNIT_BYTES) * (2 if transactional else 1)
    index_units = 0
    for index in TABLE_INDEXES:
        before, after = _index_entry(old, index), _index_entry(new, index)
        if before == after:
            continue
        if before and after and _index_key(before, index) == _index_key(after, index):
            index_units += _units(max(item_size(before), item_size(after)), WRITE_UNIT_BYTES)
        else:
            index_units += _units(item_size(before), WRITE_UNIT_BYTES) if before else 0
            index_units += _units(item_size(after), WRITE_UNIT_BYTES) if after else 0
    return table + index_units, index_units


def _index_entry(item: Mapping[str, Any] | None, index: TableIndex) -> dict[str, Any] | None:
    """What the index holds of the item, or None when the item is not in it (a sparse index)."""
    if not item or index.partition_key not in item or index.sort_key not in item:
        return None
    if index.projected is None:
        return dict(item)
    kept = {"pk", "sk", index.partition_key, index.sort_key, *index.projected}
    return {name: value for name, value in item.items() if name in kept}


def _index_key(entry: Mapping[str, Any], index: TableIndex) -> tuple[str, str]:
    return (str(entry[index.partition_key]), str(entry[index.sort_key]))


def read_units(items: list[Mapping[str, Any]], consistent: bool, transactional: bool = False) -> float:
    size = sum(item_size(item) for item in items)
    units = float(_units(size, READ_UNIT_BYTES))
    if transactional:
        return units * 2
    return units if consistent else units / 2


class CallLedger:
    """Counts the calls of the clients of one boto3 session (the default one unless told)."""

    def __init__(self, session: boto3.Session | None = None) -> None:
        if session is None and boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        self._session = session or boto3.DEFAULT_SESSION
        self.calls: list[AwsCall] = []
        self._key_schemas: dict[str, list[str]] = {}
        self._peek_client: Any = None

    def install(self) -> None:
        assert self._session is not None
        events = self._session.events
        events.register("before-parameter-build", self._before)
        events.register("after-call", self._after)

    @contextmanager
    def recording(self) -> Iterator[list[AwsCall]]:
        """The calls made inside the block (a fresh list; the ledger keeps them too)."""
        start = len(self.calls)
        found: list[AwsCall] = []
        try:
            yield found
        finally:
            found.extend(self.calls[start:])

    # --- the hooks ------------------------------------------------------------------------------------

    def _before(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        service = model.service_model.service_name
        call = AwsCall(service=service, operation=model.name, params=dict(params))
        touched: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
        if service == "dynamodb" and model.name in WRITE_OPERATIONS:
            touched = [(table, key, self._peek(table, key)) for table, key in self._written_keys(call)]
        # botocore hands the same context dict to both hooks of one call
        context[_CONTEXT_KEY] = (call, touched)

    def _after(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if _CONTEXT_KEY not in context:
            return
        call, touched = context.pop(_CONTEXT_KEY)
        if call.service == "dynamodb":
            self._price(call, parsed, touched)
        self.calls.append(call)

    # --- DynamoDB request units ----------------------------------------------------------------------

    def _price(
        self,
        call: AwsCall,
        parsed: dict[str, Any],
        touched: list[tuple[str, dict[str, Any], dict[str, Any] | None]],
    ) -> None:
        params, operation = call.params, call.operation
        if parsed.get("Error"):
            return  # a refused conditional write is billed too, but no path here counts on one
        if operation == "GetItem":
            call.returned = call.scanned = 1 if parsed.get("Item") else 0
            call.read_units = read_units([parsed.get("Item") or {}], bool(params.get("ConsistentRead")))
        elif operation == "BatchGetItem":
            # billed per item read, each rounded up to 4 KB on its own
            items = [item for found in parsed.get("Responses", {}).values() for item in found]
            consistent = all(ask.get("ConsistentRead") for ask in params.get("RequestItems", {}).values())
            call.returned = call.scanned = len(items)
            call.read_units = sum(read_units([item], consistent) for item in items)
        elif operation in ("Query", "Scan"):
            items = parsed.get("Items", [])
            call.returned, call.scanned = len(items), int(parsed.get("ScannedCount", len(items)))
            call.read_units = read_units(items, bool(params.get("ConsistentRead")))
        elif operation in WRITE_OPERATIONS:
            transactional = operation == "TransactWriteItems"
            for table, key, old in touched:
                total, index = write_units(old, self._peek(table, key), transactional)
                call.write_units += total
                call.index_write_units += index

    def _written_keys(self, call: AwsCall) -> Iterator[tuple[str, dict[str, Any]]]:
        params = call.params
        if call.operation == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                for kind in ("Put", "Update", "Delete"):
                    if kind in entry:
                        yield self._key_of(entry[kind])
        elif call.operation == "BatchWriteItem":
            for table, requests in params.get("RequestItems", {}).items():
                for request in requests:
                    body = request.get("PutRequest") or request.get("DeleteRequest") or {}
                    yield self._key_of({"TableName": table, **body})
        else:
            yield self._key_of(params)

    def _key_of(self, request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        table = request["TableName"]
        if "Key" in request:
            return table, request["Key"]
        names = self._key_names(table)
        return table, {name: request["Item"][name] for name in names}

    def _client(self) -> Any:
        # Its own botocore session: its calls never reach this ledger.
        if self._peek_client is None:
            assert self._session is not None
            self._peek_client = boto3.Session(region_name=self._session.region_name).client("dynamodb")
        return self._peek_client

    def _key_names(self, table: str) -> list[str]:
        if table not in self._key_schemas:
            schema = self._client().describe_table(TableName=table)["Table"]["KeySchema"]
            self._key_schemas[table] = [part["AttributeName"] for part in schema]
        return self._key_schemas[table]

    def _peek(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._client().get_item(TableName=table, Key=key).get("Item")
        return item


@dataclass
class CallSummary:
    """What one operation cost in calls and DynamoDB units."""

    calls: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0
    index_write_units: float = 0.0

    @classmethod
    def of(cls, calls: list[AwsCall]) -> CallSummary:
        summary = cls()
        for call in calls:
            summary.calls[call.name] += 1
            summary.read_units += call.read_units
            summary.write_units += call.write_units
            summary.index_write_units += call.index_write_units
        return summary

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": dict(sorted(self.calls.items())),
            "dynamodbReadUnits": self.read_units,
            "dynamodbWriteUnits": self.write_units,
            "dynamodbIndexWriteUnits": self.index_write_units,
        }
