"""The complaint repository on one DynamoDB table.

Item layout (single table):
| item       | pk                     | sk                 | notes                                   |
|------------|------------------------|--------------------|-----------------------------------------|
| complaint  | COMPLAINT#<id>         | COMPLAINT          | the complaint's fields + index keys     |
| audit      | COMPLAINT#<id>         | EVENT#<1e8+version>| one per version, append-only            |
| reference  | REFERENCE#<reference>  | REFERENCE          | makes the human reference unique        |
| account-   | ACCOUNTABILITY#<id>    | ACCOUNTABILITY     | opened by the SLA tracker at a          |
| ability    |                        |                    | resolution breach, reviewed by staff    |

The audit sort key is 100000000 + version: fixed width, so text order is version order, and the SLA
tracker's state machine can compute it with States.MathAdd (it cannot pad numbers).

Listing is served by sparse GSIs that share the sort key `receivedKey` (`<receivedAt>#<id>`, newest
first): byStatus, byAssignee, byCustomer, byCategory, byChannel and byMonth (for the unfiltered view).
Never a Scan. AWS errors become domain errors by their code, never by message text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..errors import InvalidInput, NotFound, ReferenceTaken, ServiceUnavailable, VersionConflict
from ..escalation import Step, step_due_at, step_level, watch_at, watch_shard
from ..models import AccountabilityRecord, AccountabilityStatus, AuditEvent, Complaint, Status
from ..repository import ComplaintQuery, Page

COMPLAINT_SK = "COMPLAINT"
EVENT_PREFIX = "EVENT#"
EVENT_KEY_BASE = 100_000_000
SORT_KEY = "receivedKey"

# (query field, index name, partition key attribute), most selective first: a query uses the first
# index whose field is given and filters on the others.
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("customer_id", "byCustomer", "customerKey"),
    ("assignee", "byAssignee", "assigneeKey"),
    ("status", "byStatus", "statusKey"),
    ("category", "byCategory", "categoryKey"),
    ("channel", "byChannel", "channelKey"),
)
STATUS_INDEX, STATUS_KEY = next((index, attr) for field, index, attr in INDEXES if field == "status")
MONTH_INDEX, MONTH_KEY = "byMonth", "monthKey"
# The sweep's sparse index: open complaints with something to watch, sharded, by when to look.
WATCH_INDEX, WATCH_SHARD_KEY, WATCH_AT_KEY = "byWatch", "watchShard", "watchAt"
ACCOUNTABILITY_INDEX, ACCOUNTABILITY_KEY, OPENED_KEY = "byAccountability", "accountabilityKey", "openedKey"
# Every GSI of the table as (name, partition key, sort key): the stack and the tests build the table
# from this one list.
TABLE_INDEXES: tuple[tuple[str, str, str], ...] = (
    *((index, attr, SORT_KEY) for _, index, attr in INDEXES),
    (MONTH_INDEX, MONTH_KEY, SORT_KEY),
    (WATCH_INDEX, WATCH_SHARD_KEY, WATCH_AT_KEY),
    (ACCOUNTABILITY_INDEX, ACCOUNTABILITY_KEY, OPENED_KEY),
)
STORAGE_ONLY = (
    "pk",
    "sk",
    "entity",
    SORT_KEY,
    MONTH_KEY,
    "slaPlan",
    WATCH_SHARD_KEY,
    WATCH_AT_KEY,
    *(attr for _, _, attr in INDEXES),
)
# The unfiltered view walks back month by month through this many months of receipts.
LIST_HORIZON_MONTHS = 36
# Upper bound on DynamoDB queries behind one page, so a sparse filter cannot make a request slow.
MAX_QUERIES_PER_PAGE = 12

# The error codes that mean "busy, try again" (nothing was written): they become ServiceUnavailable.
THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TransactionConflictException",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def complaint_pk(complaint_id: str) -> str:
    return f"COMPLAINT#{complaint_id}"


def marshal(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _SERIALIZER.serialize(value) for key, value in item.items() if value is not None}


def unmarshal(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _DESERIALIZER.deserialize(value) for key, value in item.items()}


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; make them JSON-friendly ints (all ours are ints)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "as_integer_ratio") and not isinstance(value, bool | int):
        return int(value) if value == int(value) else float(value)
    return value


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def _next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def fixed_width_utc(moment: datetime) -> str:
    """UTC to the microsecond, always the same width: text order is time order in sort keys."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"


def _previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def received_key(complaint: Complaint) -> str:
    """Fixed-width UTC time, so the index sorts receipts in time order (`…00Z` would sort after
    `…00.5Z` as text), then the id to keep keys unique."""
    return f"{fixed_width_utc(complaint.received_at)}#{complaint.id}"


def complaint_item(complaint: Complaint) -> dict[str, Any]:
    body = complaint.model_dump(mode="json", by_alias=True, exclude_none=True)
    keys = {
        "pk": complaint_pk(complaint.id),
        "sk": COMPLAINT_SK,
        "entity": "complaint",
        SORT_KEY: received_key(complaint),
        "statusKey": complaint.status.value,
        "assigneeKey": complaint.assignee,
        "customerKey": complaint.customer.customer_id,
        "categoryKey": complaint.category.value,
        "channelKey": complaint.channel.value,
        MONTH_KEY: month_of(complaint.received_at),
        "slaPlan": sla_plan(complaint),
    }
    watch = watch_at(complaint)
    if watch is not None:
        keys |= {WATCH_SHARD_KEY: f"{watch_shard(complaint.id)}", WATCH_AT_KEY: iso_seconds(watch)}
    return body | keys


def iso_seconds(moment: datetime) -> str:
    """UTC to the second, rounded up: the timestamp form Step Functions waits on."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


# The tracker wakes one second after a deadline: never before it, whatever rounding a Wait applies.
TRACKER_MARGIN = timedelta(seconds=1)


def sla_plan(complaint: Complaint) -> dict[str, Any]:
    """What the SLA tracker state machine reads: each step's due time and escalation level, and who
    an accountability record would name. Recomputed on every write, so it follows the deadlines."""
    plan: dict[str, Any] = {
        step.value: {
            # when the tracker wakes, and the deadline itself (for the breach record and events)
            "dueAt": iso_seconds(step_due_at(complaint, step) + TRACKER_MARGIN),
            "deadline": step_due_at(complaint, step).astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "level": step_level(step, complaint.priority),
        }
        for step in Step
    }
    plan["owner"] = {"assignee": complaint.assignee or "unassigned", "team": complaint.team or "unassigned"}
    return plan


def _complaint_from(item: Mapping[str, Any]) -> Complaint:
    body = unmarshal(item)
    for key in STORAGE_ONLY:
        body.pop(key, None)
    return Complaint.model_validate(_plain(body))


def _event_item(event: AuditEvent) -> dict[str, Any]:
    body = event.model_dump(mode="json", by_alias=True)
    return body | {"pk": complaint_pk(event.complaint_id), "sk": event_sk(event.version)}


def event_sk(version: int) -> str:
    return f"{EVENT_PREFIX}{EVENT_KEY_BASE + version}"


def _event_from(item: Mapping[str, Any]) -> AuditEvent:
    return audit_event_from_plain(unmarshal(item))


def audit_event_from_plain(item: dict[str, Any]) -> AuditEvent:
    """An audit event from an item already unmarshalled (a query result or a stream image)."""
    body = _plain({key: value for key, value in item.items() if key not in ("pk", "sk")})
    return AuditEvent.model_validate(body)


class _Tokens:
    """Opaque page tokens: base64url JSON bound to the query that produced them."""

    @staticmethod
    def fingerprint(query: ComplaintQuery) -> str:
        filters = query.model_dump(mode="json", exclude={"limit", "next_token"})
        return hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:16]

    @staticmethod
    def encode(state: dict[str, Any]) -> str:
        return (
            base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")
        )

    @staticmethod
    def decode(token: str, fingerprint: str) -> dict[str, Any]:
        try:
            state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        except (binascii.Error, ValueError, UnicodeDecodeError) as error:
            raise InvalidInput.for_field("nextToken", "is not a token this API issued") from error
        if not isinstance(state, dict) or state.get("f") != fingerprint:
            raise InvalidInput.for_field(
                "nextToken", "belongs to another query: repeat the same filters with it"
            )
        return state


class DynamoDbComplaintRepository:
    def __init__(self, table_name: str, client: Any) -> None:
        self._table = table_name
        self._client = client

    # --- writes -----------------------------------------------------------------------------------

    def create(self, complaint: Complaint, event: AuditEvent) -> None:
        new_item = "attribute_not_exists(pk)"
        items = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marshal(complaint_item(complaint)),
                    "ConditionExpression": new_item,
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marshal(_event_item(event)),
                    "ConditionExpression": new_item,
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "ConditionExpression": new_item,
                    "Item": marshal(
                        {
                            "pk": f"REFERENCE#{complaint.reference}",
                            "sk": "REFERENCE",
                            "entity": "reference",
                            "complaintId": complaint.id,
                        }
                    ),
                }
            },
        ]
        failed = self._transact(items)
        if failed == 2:
            raise ReferenceTaken(f"reference {complaint.reference} is taken")
        if failed is not None:
            raise VersionConflict(f"complaint {complaint.id} already exists")

    def update(self, complaint: Complaint, event: AuditEvent, expected_version: int) -> None:
        items = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marshal(complaint_item(complaint)),
                    "ConditionExpression": "#version = :expected",
                    "ExpressionAttributeNames": {"#version": "version"},
                    "ExpressionAttributeValues": marshal({":expected": expected_version}),
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marshal(_event_item(event)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
        if self._transact(items) is not None:
            raise VersionConflict(
                f"complaint {complaint.id} was changed by someone else (it is no longer at version "
                f"{expected_version}): read it again and reapply your change",
                [{"field": "version", "message": "is stale"}],
            )

    def _transact(self, items: list[dict[str, Any]]) -> int | None:
        """Run a write transaction; return the index of the item whose condition failed, if any."""
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "TransactionCanceledException":
                reasons = error.response.get("CancellationReasons") or []
                for index, reason in enumerate(reasons):
                    if reason.get("Code") == "ConditionalCheckFailed":
                        return index
                raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
            if code in THROTTLING_CODES:
                raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
            raise
        return None

    # --- reads ------------------------------------------------------------------------------------

    def get(self, complaint_id: str) -> Complaint:
        response = self._call(
            "get_item",
            TableName=self._table,
            Key=marshal({"pk": complaint_pk(complaint_id), "sk": COMPLAINT_SK}),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(f"no complaint with id {complaint_id}")
        return _complaint_from(response["Item"])

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        fingerprint = _Tokens.fingerprint(query)
        state = _Tokens.decode(query.next_token, fingerprint) if query.next_token else {}
        given = {field: getattr(query, field) for field, _, _ in INDEXES if getattr(query, field) is not None}
        primary = next(((f, i, a) for f, i, a in INDEXES if f in given), None)
        primary_field = primary[0] if primary else None
        filters = {
            attr: given[field] for field, _, attr in INDEXES if field in given and field != primary_field
        }
        if primary is not None:
            index, key_attr, key_value = primary[1], primary[2], str(given[primary[0]])
        else:
            index, key_attr = MONTH_INDEX, MONTH_KEY
            key_value = state.get("m") or month_of(datetime.now(UTC))
        months_left = int(state.get("h", LIST_HORIZON_MONTHS))
        start_key = state.get("k")

        items: list[Complaint] = []
        for _ in range(MAX_QUERIES_PER_PAGE):
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": index,
                "KeyConditionExpression": "#key = :key",
                "ExpressionAttributeNames": {"#key": key_attr},
                "ExpressionAttributeValues": {":key": {"S": key_value}},
                "ScanIndexForward": False,
                "Limit": query.limit - len(items),
            }
            if filters:
                clauses = []
                for n, (attr, value) in enumerate(sorted(filters.items())):
                    request["ExpressionAttributeNames"][f"#f{n}"] = attr
                    request["ExpressionAttributeValues"][f":f{n}"] = {"S": str(value)}
                    clauses.append(f"#f{n} = :f{n}")
                request["FilterExpression"] = " AND ".join(clauses)
            if start_key:
                request["ExclusiveStartKey"] = start_key
            response = self._call("query", **request)
            items.extend(_complaint_from(item) for item in response.get("Items", []))
            start_key = response.get("LastEvaluatedKey")
            if start_key is None and index == MONTH_INDEX and months_left > 1:
                key_value, months_left = _previous_month(key_value), months_left - 1
                start_key = None
                more = True
            else:
                more = start_key is not None
            if not more or len(items) >= query.limit:
                break
        if not more:
            return Page(items=items, next_token=None)
        next_state = {"f": fingerprint, "k": start_key, "m": key_value, "h": months_left}
        return Page(items=items, next_token=_Tokens.encode(next_state))

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        fingerprint = f"events:{complaint_id}"
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :events)",
            "ExpressionAttributeValues": marshal(
                {":pk": complaint_pk(complaint_id), ":events": EVENT_PREFIX}
            ),
            "ConsistentRead": True,
            "Limit": limit,
        }
        if next_token:
            request["ExclusiveStartKey"] = _Tokens.decode(next_token, fingerprint)["k"]
        response = self._call("query", **request)
        last = response.get("LastEvaluatedKey")
        token = _Tokens.encode({"f": fingerprint, "k": last}) if last else None
        return Page(items=[_event_from(item) for item in response.get("Items", [])], next_token=token)

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in THROTTLING_CODES:
                raise ServiceUnavailable("the database is busy; retry") from error
            if code == "ValidationException" and "ExclusiveStartKey" in kwargs:
                raise InvalidInput.for_field("nextToken", "is not a token this API issued") from error
            raise
        return response


# --- what the SLA machinery needs ------------------------------------------------------------------


def _accountability_from(item: Mapping[str, Any]) -> AccountabilityRecord:
    body = _plain(unmarshal(item))
    for key in ("pk", "sk", "entity", ACCOUNTABILITY_KEY, OPENED_KEY):
        body.pop(key, None)
    return AccountabilityRecord.model_validate(body)


def accountability_pk(record_id: str) -> str:
    return f"ACCOUNTABILITY#{record_id}"


class DynamoDbSlaStore(DynamoDbComplaintRepository):
    """The complaint repository plus the sweep's index and the accountability records."""

    def due_for_watch(self, shard: int, until: datetime) -> Iterator[Complaint]:
        """Complaints of one shard whose watch time has come: reads grow with what is due, not with
        the table."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": WATCH_INDEX,
            "KeyConditionExpression": "#shard = :shard AND #at <= :until",
            "ExpressionAttributeNames": {"#shard": WATCH_SHARD_KEY, "#at": WATCH_AT_KEY},
            "ExpressionAttributeValues": marshal({":shard": str(shard), ":until": iso_seconds(until)}),
        }
        while True:
            response = self._call("query", **request)
            for item in response.get("Items", []):
                yield _complaint_from(item)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def rewatch(self, complaint: Complaint) -> None:
        """Move the sweep's watch time of an unchanged complaint (bookkeeping, not a change: no new
        version). Skipped quietly when the complaint changed meanwhile: that write set it anew."""
        watch = watch_at(complaint)
        names = {"#version": "version", "#shard": WATCH_SHARD_KEY, "#at": WATCH_AT_KEY}
        values: dict[str, Any] = {":version": complaint.version}
        if watch is None:
            expression = "REMOVE #shard, #at"
        else:
            expression = "SET #shard = :shard, #at = :at"
            values |= {":shard": f"{watch_shard(complaint.id)}", ":at": iso_seconds(watch)}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=marshal({"pk": complaint_pk(complaint.id), "sk": COMPLAINT_SK}),
                UpdateExpression=expression,
                ConditionExpression="#version = :version",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=marshal(values),
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                return
            if code in THROTTLING_CODES:
                raise ServiceUnavailable("the database is busy; retry") from error
            raise

    def get_accountability(self, record_id: str) -> AccountabilityRecord:
        response = self._call(
            "get_item",
            TableName=self._table,
            Key=marshal({"pk": accountability_pk(record_id), "sk": "ACCOUNTABILITY"}),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(f"no accountability record with id {record_id}")
        return _accountability_from(response["Item"])

    def list_accountability(
        self, status: AccountabilityStatus, team: str | None, limit: int, next_token: str | None
    ) -> Page[AccountabilityRecord]:
        fingerprint = f"accountability:{status.value}:{team or ''}"
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": ACCOUNTABILITY_INDEX,
            "KeyConditionExpression": "#status = :status",
            "ExpressionAttributeNames": {"#status": ACCOUNTABILITY_KEY},
            "ExpressionAttributeValues": marshal({":status": status.value}),
            "ScanIndexForward": False,
        }
        if team:
            request["FilterExpression"] = "#team = :team"
            request["ExpressionAttributeNames"]["#team"] = "team"
            request["ExpressionAttributeValues"][":team"] = {"S": team}
        start = _Tokens.decode(next_token, fingerprint)["k"] if next_token else None
        items: list[AccountabilityRecord] = []
        for _ in range(MAX_QUERIES_PER_PAGE):
            request["Limit"] = limit - len(items)
            if start:
                request["ExclusiveStartKey"] = start
            response = self._call("query", **request)
            items.extend(_accountability_from(item) for item in response.get("Items", []))
            start = response.get("LastEvaluatedKey")
            if start is None or len(items) >= limit:
                break
        token = _Tokens.encode({"f": fingerprint, "k": start}) if start else None
        return Page(items=items, next_token=token)

    def save_review(self, record: AccountabilityRecord, expected_version: int) -> None:
        body = record.model_dump(mode="json", by_alias=True, exclude_none=True)
        item = body | {
            "pk": accountability_pk(record.id),
            "sk": "ACCOUNTABILITY",
            "entity": "accountability",
            ACCOUNTABILITY_KEY: record.status.value,
            OPENED_KEY: f"{fixed_width_utc(record.opened_at)}#{record.complaint_id}",
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=marshal(item),
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#version": "version"},
                ExpressionAttributeValues=marshal({":expected": expected_version}),
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                raise VersionConflict(
                    f"accountability record {record.id} was changed by someone else: read it again",
                    [{"field": "version", "message": "is stale"}],
                ) from error
            if code in THROTTLING_CODES:
                raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
            raise

    # --- what the backlog gauge reads -------------------------------------------------------------

    def count_with_status(self, status: Status) -> int:
        """Complaints with this status now, counted through byStatus with Select=COUNT: DynamoDB
        returns the count, not the items (it still reads them, so only open statuses are counted)."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": "#status = :status",
            "ExpressionAttributeNames": {"#status": STATUS_KEY},
            "ExpressionAttributeValues": marshal({":status": status.value}),
            "Select": "COUNT",
        }
        total = 0
        while True:
            response = self._call("query", **request)
            total += int(response.get("Count", 0))
            if "LastEvaluatedKey" not in response:
                return total
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # --- what the KPIs and reports read ----------------------------------------------------------

    def received_between(self, start: datetime, end: datetime) -> Iterator[Complaint]:
        """Complaints received in [start, end), month partition by month through byMonth: reads grow
        with the period's complaints, never with the table."""
        first, last = fixed_width_utc(start), fixed_width_utc(end)
        month, final = month_of(start), month_of(end - timedelta(microseconds=1))
        while True:
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": MONTH_INDEX,
                # receivedKey is "<time>#<id>": "<end>#…" sorts after "<end>", so BETWEEN excludes `end`.
                "KeyConditionExpression": "#month = :month AND #received BETWEEN :first AND :last",
                "ExpressionAttributeNames": {"#month": MONTH_KEY, "#received": SORT_KEY},
                "ExpressionAttributeValues": marshal({":month": month, ":first": first, ":last": last}),
            }
            while True:
                response = self._call("query", **request)
                for item in response.get("Items", []):
                    yield _complaint_from(item)
                if "LastEvaluatedKey" not in response:
                    break
                request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
            if month == final:
                return
            month = _next_month(month)

    def accountability_records(self) -> Iterator[AccountabilityRecord]:
        """Every accountability record, open and reviewed (one per missed resolution deadline)."""
        for status in AccountabilityStatus:
            token: str | None = None
            while True:
                page = self.list_accountability(status, None, 100, token)
                yield from page.items
                token = page.next_token
                if token is None:
                    break
