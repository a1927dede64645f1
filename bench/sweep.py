"""The SLA sweep's reads at 10 000 and 100 000 open complaints, the same number of them due.

The complaints are written straight into moto's table through its backend (no HTTP, no JSON). The
due ones are real complaint items; the others, which the sweep must never read, carry only the keys
and index attributes of an open complaint (moto sizes every attribute of every item it stores, and a
full item would make 100 000 of them take many minutes). Then the sweep's reads run as the sla-sweep
function composes them (complaints/composition/sla_sweep.py): DynamoDbWatchStore.due_for_watch over
every shard, which
is what SlaSweep.run iterates; the ledger counts the calls and what they read (ScannedCount) and
returned. (What the sweep then does with each due complaint is per complaint, not per table; moto's
transactions copy the whole table, so it is not run here at 100 000.)
"""

from __future__ import annotations

import copy
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto_tables import REGION, TABLE_NAME

from complaints.adapters.dynamodb.table import (
    TABLE_INDEXES,
    WATCH_AT_KEY,
    WATCH_INDEX,
    WATCH_SHARD_KEY,
    complaint_item,
    marshal,
)
from complaints.composition import sla_sweep as sla_sweep_root
from complaints.core.models import Channel, Complaint, Customer, Deadlines, Priority, SlaPolicyName, Status
from complaints.sla.escalation import WATCH_SHARDS, watch_shard

from .moto_deployment import deployment

DUE = 50
MOTO_ACCOUNT = "123456789012"  # moto's default account
# What a complaint item is indexed by: every GSI key plus the table's own.
INDEXED_ATTRIBUTES = (
    "pk",
    "sk",
    "entity",
    *(key for index in TABLE_INDEXES for key in (index.partition_key, index.sort_key)),
)


def open_complaint(now: datetime) -> Complaint:
    """A complaint received 20 hours ago under the 24 h / 48 h seed policy: its 80 % first-response
    warning (19.2 h) is due."""
    received = now - timedelta(hours=20)
    return Complaint.model_validate(
        {
            "id": "template",
            "reference": "CG-261128-7K3Q9X",
            "status": Status.RECEIVED,
            "channel": Channel.COUNTER,
            "category": "service",
            "product": "deposit",
            "priority": Priority.NORMAL,
            "complexity": "simple",
            "customer": Customer(customer_id="C-1", name="Li Lei", phone="+8613800138000"),
            "description": "ATM kept the card.",
            "receivedAt": received,
            "createdAt": received,
            "updatedAt": received,
            "slaPolicy": SlaPolicyName.SEED,
            "deadlines": Deadlines(
                first_response_due_at=received + timedelta(hours=24),
                resolution_due_at=received + timedelta(hours=48),
            ),
            "submittedBy": "counter-app",
        }
    )


def fill(total: int, due: int, now: datetime) -> None:
    full = marshal(complaint_item(open_complaint(now)))
    keys_only = {name: full[name] for name in INDEXED_ATTRIBUTES if name in full}
    later = (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    backend = dynamodb_backends[MOTO_ACCOUNT][REGION]
    for number in range(total):
        complaint_id = uuid.uuid4().hex
        is_due = number < due
        item = copy.deepcopy(full) if is_due else dict(keys_only)
        item["pk"] = {"S": f"COMPLAINT#{complaint_id}"}
        item["id"] = {"S": complaint_id}
        item[WATCH_SHARD_KEY] = {"S": str(watch_shard(complaint_id))}
        item[WATCH_AT_KEY] = {"S": earlier if is_due else later}
        backend.put_item(TABLE_NAME, item)


def measure(sizes: tuple[int, ...] = (10_000, 100_000), due: int = DUE) -> dict[str, Any]:
    results: dict[str, Any] = {"due": due, "sizes": {}}
    for size in sizes:
        with deployment() as deployed:
            now = datetime.now(UTC)
            started = time.perf_counter()
            fill(size, due, now)
            filled = time.perf_counter() - started
            store = sla_sweep_root.sla_sweep()._store
            with deployed.ledger.recording() as calls:
                due_now = [
                    complaint
                    for shard in range(WATCH_SHARDS)
                    for complaint in store.due_for_watch(shard, now)
                ]
            index_queries = [
                call
                for call in calls
                if call.operation == "Query" and call.params.get("IndexName") == WATCH_INDEX
            ]
            results["sizes"][str(size)] = {
                "openComplaints": size,
                "indexQueries": len(index_queries),
                "itemsScanned": sum(call.scanned for call in index_queries),
                "itemsReturned": sum(call.returned for call in index_queries),
                "readUnits": sum(call.read_units for call in index_queries),
                "callsInAll": len(calls),
                "complaintsDue": len(due_now),
                "fillSeconds": round(filled, 1),
            }
    first, *_, last = results["sizes"].values()
    results["flat"] = first["itemsScanned"] == last["itemsScanned"] == due
    return results
