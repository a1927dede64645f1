"""The complaint repository on one DynamoDB table.

Item layout (single table):
| item       | pk                     | sk                 | notes                                   |
|------------|------------------------|--------------------|-----------------------------------------|
| complaint  | COMPLAINT#<id>         | COMPLAINT          | the complaint's fields + index keys     |
| reference  | REFERENCE#<reference>  | REFERENCE          | makes the human reference unique        |
| account-   | ACCOUNTABILITY#<id>    | ACCOUNTABILITY     | one per occasion (<id>: complaint id    |
| ability    |                        |                    | and version), reviewed by staff         |

The audit trail lives in a table of its own (the trail table: `complaintId`, `version`), written in
the same transaction as the complaint, never updated or deleted by the application (the table's
resource policy denies it), with no TTL; the complaint item holds the head of its hash chain
(`trailHead`) and the salt of its pseudonyms (`trailSalt`): complaints/trail/chain.py.

Listing is served by sparse GSIs that share the sort key `receivedKey` (`<receivedAt>#<id>`, newest
first): byStatus, byAssignee, byCustomer, byCategory, byChannel and byMonth (for the unfiltered view).
The other filters are applied to the complaints read (`ComplaintQuery.admits`), as the caller's team
scope is: no index is replaced for them (docs/decisions.md, "Access scoped to need"). Never a Scan.
AWS errors become domain errors by their code, never by message text."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.core.access import team_of
from complaints.core.errors import InvalidInput, ServiceUnavailable
from complaints.core.models import AuditEvent, Complaint, Status
from complaints.intake.ports import ComplaintQuery
from complaints.sla.escalation import (
    Step,
    owes_solution_plan,
    step_due_at,
    step_level,
    watch_at,
    watch_shard,
)
from complaints.tracking.links import KeyRing, SigningKey
from complaints.trail.chain import Seal, StoredEvent

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

    from complaints.cases.models import LibraryCase

COMPLAINT_SK = "COMPLAINT"
# The complaint item's chain fields, and an event's.
TRAIL_HEAD, TRAIL_SALT = "trailHead", "trailSalt"
SEALED, PREVIOUS_HASH, HASH = "sealed", "previousHash", "hash"
CHAIN_FIELDS = (SEALED, PREVIOUS_HASH, HASH)
# The complaints table's TTL attribute (epoch seconds): the retention schedule's deletion time.
EXPIRES_AT = "expiresAt"
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
ASSIGNEE_KEY = next(attr for field, _, attr in INDEXES if field == "assignee")
MONTH_INDEX, MONTH_KEY = "byMonth", "monthKey"
# The sweep's sparse index: open complaints with something to watch, sharded, by when to look.
WATCH_INDEX, WATCH_SHARD_KEY, WATCH_AT_KEY = "byWatch", "watchShard", "watchAt"
ACCOUNTABILITY_INDEX, ACCOUNTABILITY_KEY, OPENED_KEY = "byAccountability", "accountabilityKey", "openedKey"
# The follow-ups (回访) to call: sparse (only complaints a low rating gave one), by the follow-up's
# status, soonest due first; the team that owes it is copied for the supervisors' filter.
FOLLOW_UP_INDEX, FOLLOW_UP_KEY, FOLLOW_UP_DUE_KEY = "byFollowUp", "followUpKey", "followUpDueKey"
FOLLOW_UP_TEAM = "followUpTeam"
# The case library's sparse index: resolved and closed complaints (not erased) by product line,
# sharded, by when resolved, with the signature of their text (complaints/cases/signature.py).
CASE_INDEX, CASE_KEY, CASE_RESOLVED_KEY, CASE_SIGNATURE = (
    "byCase",
    "caseKey",
    "caseResolvedKey",
    "caseSignature",
)
CASE_SHARDS = 8
# The library's cases: items of one partition, by when marked (`<markedAt>#<id>`).
LIBRARY_PK = "LIBRARY"


class TableIndex(NamedTuple):
    """A GSI of the table. `projected` names the attributes it copies beside the keys: `None` copies
    every attribute. An index that copies little is written only when what it holds changes, so an
    update that changes no index key and no projected attribute costs no index write at all."""

    name: str
    partition_key: str
    sort_key: str
    projected: tuple[str, ...] | None = ()


# The list indexes hold the other filters' keys, for the query's FilterExpression; the page's
# complaints are then read from the table by key (BatchGetItem). byMonth and byWatch hold keys only
# (nothing filters on them); the accountability records are small and written twice in their life.
FILTER_KEYS = tuple(attr for _, _, attr in INDEXES)
# Every GSI of the table: the stack and the tests build the table from this one list.
TABLE_INDEXES: tuple[TableIndex, ...] = (
    *(
        TableIndex(index, attr, SORT_KEY, tuple(key for key in FILTER_KEYS if key != attr))
        for _, index, attr in INDEXES
    ),
    TableIndex(MONTH_INDEX, MONTH_KEY, SORT_KEY),
    TableIndex(WATCH_INDEX, WATCH_SHARD_KEY, WATCH_AT_KEY),
    TableIndex(ACCOUNTABILITY_INDEX, ACCOUNTABILITY_KEY, OPENED_KEY, None),
    TableIndex(FOLLOW_UP_INDEX, FOLLOW_UP_KEY, FOLLOW_UP_DUE_KEY, (FOLLOW_UP_TEAM,)),
    TableIndex(CASE_INDEX, CASE_KEY, CASE_RESOLVED_KEY, (CASE_SIGNATURE,)),
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
    FOLLOW_UP_KEY,
    FOLLOW_UP_DUE_KEY,
    FOLLOW_UP_TEAM,
    CASE_KEY,
    CASE_RESOLVED_KEY,
    CASE_SIGNATURE,
    TRAIL_HEAD,
    TRAIL_SALT,
    EXPIRES_AT,
    *(attr for _, _, attr in INDEXES),
)
# BatchGetItem takes at most 100 keys; unprocessed ones (throttling) are asked for again this often.
BATCH_GET_KEYS = 100
BATCH_GET_ATTEMPTS = 4
# The unfiltered view walks back month by month through this many months of receipts.
LIST_HORIZON_MONTHS = 36
# Upper bound on DynamoDB queries behind one page, so a sparse filter cannot make a request slow.
MAX_QUERIES_PER_PAGE = 12

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def complaint_pk(complaint_id: str) -> str:
    return f"COMPLAINT#{complaint_id}"


def marshal(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _SERIALIZER.serialize(_numbers(value)) for key, value in item.items() if value is not None}


def _numbers(value: Any) -> Any:
    """DynamoDB numbers are decimals: a float (a triage score, a similarity) goes as its shortest text."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return value


def unmarshal(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _DESERIALIZER.deserialize(value) for key, value in item.items()}


def plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; make them JSON-friendly ints (all ours are ints)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if hasattr(value, "as_integer_ratio") and not isinstance(value, bool | int):
        return int(value) if value == int(value) else float(value)
    return value


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def fixed_width_utc(moment: datetime) -> str:
    """UTC to the microsecond, always the same width: text order is time order in sort keys."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


# A complaint's phone and e-mail, each as an item of its own (`CONTACT#<digest>`, sorted by receipt),
# written with the complaint: triage finds the same customer's complaints from another channel even
# under another customer id (docs/architecture.md §2, "Triage"). Kept a year and a day (the longest
# look-back triage may be set to), then the table's TTL deletes them; an erasure deletes them at once.
CONTACT_DAYS = 366


def contact_digest(kind: str, value: str) -> str:
    """The key of one contact detail: a digest, so the key carries no phone or address in clear."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:40]


def contact_pks(complaint: Complaint) -> list[str]:
    """The contact items' partition keys of the complaint's phone and e-mail (none once erased)."""
    customer = complaint.customer
    found = []
    if customer.phone:
        found.append(f"CONTACT#{contact_digest('phone', customer.phone)}")
    if customer.email:
        found.append(f"CONTACT#{contact_digest('email', customer.email.casefold())}")
    return found


def contact_items(complaint: Complaint) -> list[dict[str, Any]]:
    expires = int((complaint.received_at + timedelta(days=CONTACT_DAYS)).timestamp())
    return [
        {
            "pk": pk,
            "sk": received_key(complaint),
            "entity": "contact",
            "complaintId": complaint.id,
            EXPIRES_AT: expires,
        }
        for pk in contact_pks(complaint)
    ]


def received_key(complaint: Complaint) -> str:
    """Fixed-width UTC time, so the index sorts receipts in time order (`…00Z` would sort after
    `…00.5Z` as text), then the id to keep keys unique."""
    return f"{fixed_width_utc(complaint.received_at)}#{complaint.id}"


def complaint_item(complaint: Complaint) -> dict[str, Any]:
    body = complaint.model_dump(mode="json", by_alias=True, exclude_none=True)
    keys: dict[str, Any] = {
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
    if complaint.retain_until is not None:
        # The table's TTL deletes the item after this (the retention schedule, privacy/retention.py).
        keys[EXPIRES_AT] = int(complaint.retain_until.timestamp())
    watch = watch_at(complaint)
    if watch is not None:
        keys |= {WATCH_SHARD_KEY: f"{watch_shard(complaint.id)}", WATCH_AT_KEY: iso_seconds(watch)}
    follow_up = complaint.follow_up
    if follow_up is not None:
        keys |= {
            FOLLOW_UP_KEY: follow_up.status.value,
            FOLLOW_UP_DUE_KEY: f"{fixed_width_utc(follow_up.due_at)}#{complaint.id}",
            FOLLOW_UP_TEAM: follow_up.team or team_of(complaint),
        }
    return body | keys | case_keys(complaint)


def case_keys(complaint: Complaint) -> dict[str, Any]:
    """The case index's keys and signature: only while it has a resolution and its text (not erased)."""
    resolved_at = complaint.resolved_at
    resolved = complaint.status in (Status.RESOLVED, Status.CLOSED) and complaint.resolution is not None
    if not resolved or resolved_at is None or complaint.erased_at is not None:
        return {}
    # Only here, for resolved complaints: the other writes (and every cold start) do without it.
    from complaints.cases.signature import encode, signature

    shard = zlib.crc32(complaint.id.encode()) % CASE_SHARDS
    return {
        CASE_KEY: f"{complaint.product.value}#{shard}",
        CASE_RESOLVED_KEY: f"{fixed_width_utc(resolved_at)}#{complaint.id}",
        CASE_SIGNATURE: encode(signature(complaint.description)),
    }


def library_item(case: LibraryCase) -> dict[str, Any]:
    """The library's item of a case (written with the complaint change that marks it)."""
    return {
        "pk": LIBRARY_PK,
        "sk": f"{fixed_width_utc(case.marked_at)}#{case.complaint_id}",
        "entity": "library_case",
        "case": case.to_json(),
    }


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
    an accountability record would name. Recomputed on every write, so it follows the deadlines.
    `solutionPlan` is there only while the complaint owes a plan: the tracker takes the step only then."""
    plan: dict[str, Any] = {
        step.value: {
            # when the tracker wakes, and the deadline itself (for the breach record and events)
            "dueAt": iso_seconds(step_due_at(complaint, step) + TRACKER_MARGIN),
            "deadline": step_due_at(complaint, step).astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "level": step_level(step, complaint.priority),
        }
        for step in Step
        if step is not Step.SOLUTION_PLAN or owes_solution_plan(complaint)
    }
    plan["owner"] = {"assignee": complaint.assignee or "unassigned", "team": complaint.team or "unassigned"}
    return plan


def complaint_from(item: Mapping[str, Any]) -> Complaint:
    body = unmarshal(item)
    for key in STORAGE_ONLY:
        body.pop(key, None)
    return Complaint.model_validate(plain(body))


def event_content(event: AuditEvent) -> dict[str, Any]:
    """An event's JSON form: what the trail stores beside its chain fields, and what they seal."""
    return event.model_dump(mode="json", by_alias=True)


def event_item(content: Mapping[str, Any], chained: Seal) -> dict[str, Any]:
    """The trail table's item of an event (its key is `complaintId` and `version`)."""
    return dict(content) | {SEALED: chained.sealed, PREVIOUS_HASH: chained.previous_hash, HASH: chained.hash}


def event_from(item: Mapping[str, Any]) -> AuditEvent:
    return audit_event_from_plain(unmarshal(item))


def stored_event_from(item: Mapping[str, Any]) -> StoredEvent:
    return stored_event_from_plain(unmarshal(item))


def stored_event_from_plain(item: Mapping[str, Any]) -> StoredEvent:
    """A trail item as stored, from an item already unmarshalled (a query result or a stream image)."""
    body = plain(dict(item))
    return StoredEvent(
        content={key: value for key, value in body.items() if key not in CHAIN_FIELDS},
        sealed=str(body.get(SEALED, "")),
        previous_hash=str(body.get(PREVIOUS_HASH, "")),
        hash=str(body.get(HASH, "")),
    )


def audit_event_from_plain(item: dict[str, Any]) -> AuditEvent:
    """An audit event from an item already unmarshalled (a query result or a stream image)."""
    body = plain({key: value for key, value in item.items() if key not in CHAIN_FIELDS})
    return AuditEvent.model_validate(body)


class PageTokens:
    """Opaque page tokens: base64url JSON bound to the query that produced them, then signed
    (`<state>.<keyId>.<mac>`, HMAC-SHA256), so a token changed, made up or issued for another query is
    a 400 naming `nextToken`, never a query run on what a client wrote.

    The api signs with a key derived from each key of the tracking ring (its own purpose, so a page
    token is never a tracking link's signature), and accepts the current and previous ring's keys as
    links do: a rotation keeps paging working. An adapter given no ring (functions that hand out no
    token) signs with a key of its own process."""

    def __init__(self, keys: KeyRing | None = None) -> None:
        self._keys = keys
        self._own = SigningKey("p", secrets.token_hex(32)) if keys is None else None

    @staticmethod
    def fingerprint(query: ComplaintQuery) -> str:
        filters = query.model_dump(mode="json", exclude={"limit", "next_token"})
        return hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:16]

    def _current(self) -> SigningKey:
        return self._keys.current() if self._keys is not None else self._own  # type: ignore[return-value]

    def _accepted(self) -> Sequence[SigningKey]:
        return list(self._keys.accepted()) if self._keys is not None else [self._own]  # type: ignore[list-item]

    @staticmethod
    def _mac(key: SigningKey, body: str) -> str:
        derived = hmac.new(key.secret.encode(), b"complaint-guard page tokens", hashlib.sha256).digest()
        digest = hmac.new(derived, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def encode(self, state: dict[str, Any]) -> str:
        body = (
            base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")
        )
        key = self._current()
        return f"{body}.{key.key_id}.{self._mac(key, body)}"

    def decode(self, token: str, fingerprint: str) -> dict[str, Any]:
        body, _, rest = token.partition(".")
        key_id, _, mac = rest.partition(".")
        key = next((key for key in self._accepted() if key.key_id == key_id), None)
        if key is None or not hmac.compare_digest(mac, self._mac(key, body)):
            raise InvalidInput.for_field("nextToken", "is not a token this API issued")
        try:
            state = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (binascii.Error, ValueError, UnicodeDecodeError) as error:
            raise InvalidInput.for_field("nextToken", "is not a token this API issued") from error
        if not isinstance(state, dict) or state.get("f") != fingerprint:
            raise InvalidInput.for_field(
                "nextToken", "belongs to another query: repeat the same filters with it"
            )
        return state


class ComplaintsTable:
    """One adapter per port over the same table: each keeps the table's name and client, and sends
    every call through `_call`, where AWS errors become domain errors by their code."""

    def __init__(self, table_name: str, client: DynamoDBClient, *, page_keys: KeyRing | None = None) -> None:
        self._table = table_name
        self._client = client
        self._tokens = PageTokens(page_keys)

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; retry") from error
            if error_code(error) == "ValidationException" and "ExclusiveStartKey" in kwargs:
                raise InvalidInput.for_field("nextToken", "is not a token this API issued") from error
            raise
        return response

    def _complaints_at(self, found: list[dict[str, Any]]) -> list[Complaint]:
        """The complaints whose keys an index returned, read from the table in the index's order
        (BatchGetItem, 100 keys a call, strongly consistent: a list shows each complaint as it is)."""
        keys = [{"pk": item["pk"], "sk": item["sk"]} for item in found]
        items: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), BATCH_GET_KEYS):
            pending: dict[str, Any] = {self._table: {"Keys": keys[start : start + BATCH_GET_KEYS]}}
            pending[self._table]["ConsistentRead"] = True
            for _ in range(BATCH_GET_ATTEMPTS):
                response = self._call("batch_get_item", RequestItems=pending)
                for item in response.get("Responses", {}).get(self._table, []):
                    items[item["pk"]["S"]] = item
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
            if pending:
                raise ServiceUnavailable("the database is busy; retry")
        # A complaint is never deleted; one listed and then erased would simply be left out.
        return [complaint_from(items[key["pk"]["S"]]) for key in keys if key["pk"]["S"] in items]

    def _query_pages(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every page of one query, in order, following LastEvaluatedKey."""
        page = dict(request)
        while True:
            response = self._call("query", **page)
            yield response
            if "LastEvaluatedKey" not in response:
                return
            page["ExclusiveStartKey"] = response["LastEvaluatedKey"]
