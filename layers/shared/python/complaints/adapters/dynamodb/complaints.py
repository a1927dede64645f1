"""The complaint repository on the complaints table and the trail table: a complaint and its audit
event in one transaction, conditional on the version; listings through the sparse indexes.

Each event is sealed into the complaint's hash chain as it is written (complaints/trail/chain.py):
the transaction puts the event with its chain fields and the complaint with the new head, on the
condition that the complaint is still at the version the head belongs to. The head and salt of the
version last read are kept per complaint (`_heads`), so a change costs no extra read.

A write is answered as done exactly when it happened. Each transaction carries a `ClientRequestToken`
derived from its audit event (`write_token`), so every retry of one write (botocore's own, after a
timeout or a 5xx whose first attempt had in fact committed) sends the same token, and DynamoDB answers
a repeat within ten minutes with success instead of running the conditions again. Where a repeat is
still cancelled on its condition (past that window, or an emulator that ignores the token), the write
is looked for before answering: the audit event it carried is in the table under its version, with its
own id, only if this very write committed (`_already_written`)."""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from complaints.adapters.aws import error_code, is_busy
from complaints.adapters.dynamodb.accountability import opening_put
from complaints.adapters.dynamodb.table import (
    COMPLAINT_SK,
    INDEXES,
    LIST_HORIZON_MONTHS,
    MAX_QUERIES_PER_PAGE,
    MONTH_INDEX,
    MONTH_KEY,
    TRAIL_HEAD,
    TRAIL_SALT,
    ComplaintsTable,
    PageTokens,
    complaint_from,
    complaint_item,
    complaint_pk,
    contact_items,
    contact_pks,
    event_content,
    event_from,
    event_item,
    fixed_width_utc,
    library_item,
    marshal,
    month_of,
    previous_month,
    received_key,
    stored_event_from,
    unmarshal,
)
from complaints.core.errors import NotFound, ReferenceTaken, ServiceUnavailable, VersionConflict
from complaints.core.models import AccountabilityRecord, AuditEvent, Complaint
from complaints.core.paging import Page
from complaints.intake.lifecycle import Action
from complaints.intake.ports import ComplaintQuery
from complaints.trail.chain import GENESIS, ChainHead, StoredEvent, seal

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from complaints.tracking.links import KeyRing

# DynamoDB takes a ClientRequestToken of 1 to 36 characters.
TOKEN_LENGTH = 32
# A transaction that got no answer at all (after botocore's own retries) is sent again this often, with
# its token: if it had committed, DynamoDB says so.
UNANSWERED_ATTEMPTS = 2
# Chain heads kept per instance (the versions last read); a miss costs one consistent GetItem.
HEADS_KEPT = 1024


def write_token(event: AuditEvent) -> str:
    """The idempotency token of the transaction that writes `event`: the same for every retry of that
    write (it depends on nothing but the event), different for any other write (the event's id is
    new for each), and 32 hex characters whatever the ids look like."""
    key = f"{event.complaint_id}#{event.version}#{event.id}"
    return hashlib.sha256(key.encode()).hexdigest()[:TOKEN_LENGTH]


class DynamoDbComplaintReader(ComplaintsTable):
    """Complaints as they are now: one by id, or a page of a listing (functions that only read)."""

    # --- reads ------------------------------------------------------------------------------------

    def _by_reference(self, reference: str) -> Complaint | None:
        """The complaint a reference names (its `REFERENCE#` item, written with it), if any."""
        response = self._call(
            "get_item",
            TableName=self._table,
            Key=marshal({"pk": f"REFERENCE#{reference}", "sk": "REFERENCE"}),
            ConsistentRead=True,
        )
        if "Item" not in response:
            return None
        try:
            return self.get(str(unmarshal(response["Item"])["complaintId"]))
        except NotFound:  # deleted after its retention while its reference item was read
            return None

    def get(self, complaint_id: str) -> Complaint:
        response = self._call(
            "get_item",
            TableName=self._table,
            Key=marshal({"pk": complaint_pk(complaint_id), "sk": COMPLAINT_SK}),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(f"no complaint with id {complaint_id}")
        self._read(response["Item"])
        return complaint_from(response["Item"])

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        fingerprint = PageTokens.fingerprint(query)
        state = self._tokens.decode(query.next_token, fingerprint) if query.next_token else {}
        if _matches_nothing(query):
            return Page(items=[], next_token=None)
        if query.reference is not None:
            named = self._by_reference(query.reference.upper())
            return Page(items=[named] if named is not None and query.admits(named) else [], next_token=None)
        given = {field: getattr(query, field) for field, _, _ in INDEXES if getattr(query, field) is not None}
        primary = next(((f, i, a) for f, i, a in INDEXES if f in given), None)
        primary_field = primary[0] if primary else None
        filters = _list_filter(query, primary_field)
        if primary is not None:
            index, key_attr, key_value = primary[1], primary[2], str(given[primary[0]])
        else:
            index, key_attr = MONTH_INDEX, MONTH_KEY
            key_value = state.get("m") or month_of(datetime.now(UTC))
        months_left = int(state.get("h", LIST_HORIZON_MONTHS))
        start_key = state.get("k")

        found: list[dict[str, Any]] = []
        # With filters no index serves (the caller's scope, team, priority, flag, dueBefore,
        # unassigned): the complaints read so far that meet them.
        kept: list[Complaint] = []
        reading = query.reads_to_filter()
        for _ in range(MAX_QUERIES_PER_PAGE):
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": index,
                "KeyConditionExpression": "#key = :key",
                "ExpressionAttributeNames": {"#key": key_attr},
                "ExpressionAttributeValues": {":key": {"S": key_value}},
                "ScanIndexForward": False,
                "Limit": query.limit - len(found) - len(kept),
            }
            if filters is not None:
                expression, names, values = filters
                request["FilterExpression"] = expression
                request["ExpressionAttributeNames"] |= names
                request["ExpressionAttributeValues"] |= values
            if start_key:
                request["ExclusiveStartKey"] = start_key
            response = self._call("query", **request)
            found.extend(response.get("Items", []))
            if reading:
                # No index holds these: what this query found is read now and only the complaints
                # that meet them kept (ComplaintQuery.admits), so the next query fills the page from
                # where this one stopped (LastEvaluatedKey), and no complaint is skipped or shown
                # twice across pages.
                kept.extend(c for c in self._complaints_at(found) if query.admits(c))
                found = []
            start_key = response.get("LastEvaluatedKey")
            if start_key is None and index == MONTH_INDEX and months_left > 1:
                key_value, months_left = previous_month(key_value), months_left - 1
                start_key = None
                more = True
            else:
                more = start_key is not None
            if not more or len(found) + len(kept) >= query.limit:
                break
        # The indexes hold keys and filters, not complaints: the page's complaints come from the table.
        items = kept + self._complaints_at(found)
        if not more:
            return Page(items=items, next_token=None)
        next_state = {"f": fingerprint, "k": start_key, "m": key_value, "h": months_left}
        return Page(items=items, next_token=self._tokens.encode(next_state))

    def _read(self, item: dict[str, Any]) -> None:
        """A complaint item was read (the repository keeps its chain head)."""


class DynamoDbComplaintRepository(DynamoDbComplaintReader):
    """Complaints and their audit trail: every change, and the trail as stored."""

    def __init__(
        self, table_name: str, client: DynamoDBClient, *, trail_table: str, page_keys: KeyRing | None = None
    ) -> None:
        super().__init__(table_name, client, page_keys=page_keys)
        self._trail_table = trail_table
        self._heads: OrderedDict[str, ChainHead] = OrderedDict()

    # --- writes -----------------------------------------------------------------------------------

    def create(self, complaint: Complaint, event: AuditEvent) -> None:
        new_item = "attribute_not_exists(pk)"
        salt = secrets.token_hex(16)
        content = event_content(event)
        chained = seal(content, GENESIS, salt)
        items: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marshal(complaint_item(complaint) | {TRAIL_HEAD: chained.hash, TRAIL_SALT: salt}),
                    "ConditionExpression": new_item,
                }
            },
            {
                "Put": {
                    "TableName": self._trail_table,
                    "Item": marshal(event_item(content, chained)),
                    "ConditionExpression": "attribute_not_exists(complaintId)",
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
        # The customer's phone and e-mail, for triage to find the same customer from another channel.
        items += [
            cast("TransactWriteItemTypeDef", {"Put": {"TableName": self._table, "Item": marshal(item)}})
            for item in contact_items(complaint)
        ]
        failed = self._transact(items, event)
        if failed == 2:
            raise ReferenceTaken(f"reference {complaint.reference} is taken")
        if failed is not None:
            raise VersionConflict(f"complaint {complaint.id} already exists")
        self._remember(complaint.id, ChainHead(complaint.version, chained.hash, salt))

    def update(
        self,
        complaint: Complaint,
        event: AuditEvent,
        expected_version: int,
        opens: AccountabilityRecord | None = None,
    ) -> None:
        self._write_change(complaint, event, expected_version, keep_salt=True, opens=opens)

    def erase(
        self, complaint: Complaint, event: AuditEvent, expected_version: int, *, before: Complaint
    ) -> None:
        """The erased complaint and its erasure event; the complaint's salt is forgotten, and the items
        of its phone and e-mail (`before` the erasure) are deleted in the same write
        (privacy/erasure.py)."""
        forgotten = [
            cast(
                "TransactWriteItemTypeDef",
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": marshal({"pk": pk, "sk": received_key(before)}),
                    }
                },
            )
            for pk in contact_pks(before)
        ]
        self._write_change(complaint, event, expected_version, keep_salt=False, also=forgotten)

    def same_contact_since(self, complaint: Complaint, since: datetime) -> list[Complaint]:
        """Other complaints received since `since` whose customer has the complaint's phone or e-mail
        (its contact items, by receipt), oldest first."""
        found: dict[str, dict[str, Any]] = {}
        for pk in contact_pks(complaint):
            request: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "pk = :pk AND sk >= :since",
                "ExpressionAttributeValues": marshal({":pk": pk, ":since": fixed_width_utc(since)}),
            }
            for response in self._query_pages(request):
                for item in response.get("Items", []):
                    other = str(unmarshal(item)["complaintId"])
                    if other != complaint.id:
                        found.setdefault(other, {"pk": {"S": complaint_pk(other)}, "sk": {"S": COMPLAINT_SK}})
        return sorted(self._complaints_at(list(found.values())), key=lambda other: other.received_at)

    def _write_change(
        self,
        complaint: Complaint,
        event: AuditEvent,
        expected_version: int,
        *,
        keep_salt: bool,
        opens: AccountabilityRecord | None = None,
        also: Sequence[TransactWriteItemTypeDef] = (),
    ) -> None:
        head = self._head(complaint.id, expected_version)
        content = event_content(event)
        chained = seal(content, head.hash or GENESIS, head.salt)
        salt = head.salt if keep_salt else None
        items: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marshal(complaint_item(complaint) | {TRAIL_HEAD: chained.hash, TRAIL_SALT: salt}),
                    "ConditionExpression": "#version = :expected",
                    "ExpressionAttributeNames": {"#version": "version"},
                    "ExpressionAttributeValues": marshal({":expected": expected_version}),
                }
            },
            {
                "Put": {
                    "TableName": self._trail_table,
                    "Item": marshal(event_item(content, chained)),
                    "ConditionExpression": "attribute_not_exists(complaintId)",
                }
            },
        ]
        if opens is not None:  # keyed by the version written here: taken only if this write is
            items.append(cast("TransactWriteItemTypeDef", opening_put(self._table, opens)))
        mark = complaint.library_case
        if event.action == Action.MARK_CASE.value and mark is not None:  # the library's item, new: once
            from complaints.cases.models import library_case  # only when a case is marked

            library_put = {
                "TableName": self._table,
                "Item": marshal(library_item(library_case(complaint, mark))),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
            items.append(cast("TransactWriteItemTypeDef", {"Put": library_put}))
        items += also
        if self._transact(items, event) is not None:
            raise self._stale(complaint.id, expected_version)
        self._remember(complaint.id, ChainHead(complaint.version, chained.hash, salt))

    def rewrite_event(self, event: StoredEvent, content: dict[str, Any]) -> None:
        """An erasure's pseudonymised content of an event, on the condition that the event is the one
        read (its hash): only the content attributes change, never the chain fields."""
        try:
            self._client.update_item(
                TableName=self._trail_table,
                Key=marshal({"complaintId": content["complaintId"], "version": content["version"]}),
                UpdateExpression="SET #changes = :changes, #data = :data",
                ConditionExpression="#hash = :hash",
                ExpressionAttributeNames={"#changes": "changes", "#data": "data", "#hash": "hash"},
                ExpressionAttributeValues=marshal(
                    {
                        ":changes": content.get("changes") or {},
                        ":data": content.get("data") or {},
                        ":hash": event.hash,
                    }
                ),
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise VersionConflict(
                    f"event {event.version} of complaint {content['complaintId']} changed during the "
                    "erasure; retry"
                ) from None
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; retry the erasure") from error
            raise

    def customer_complaint_ids(self, customer_id: str) -> list[str]:
        """Every complaint the customer id names, newest first (the byCustomer index, every page)."""
        index, key = next((index, attr) for field, index, attr in INDEXES if field == "customer_id")
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#key = :key",
            "ExpressionAttributeNames": {"#key": key},
            "ExpressionAttributeValues": {":key": {"S": customer_id}},
            "ScanIndexForward": False,
        }
        return [
            str(item["pk"]["S"]).removeprefix("COMPLAINT#")
            for page in self._query_pages(request)
            for item in page.get("Items", [])
        ]

    def _read(self, item: dict[str, Any]) -> None:
        self._remember(str(item["id"]["S"]), _chain_head(item))

    @staticmethod
    def _stale(complaint_id: str, expected_version: int) -> VersionConflict:
        return VersionConflict(
            f"complaint {complaint_id} was changed by someone else (it is no longer at version "
            f"{expected_version}): read it again and reapply your change",
            [{"field": "version", "message": "is stale"}],
        )

    def _remember(self, complaint_id: str, head: ChainHead) -> None:
        self._heads[complaint_id] = head
        self._heads.move_to_end(complaint_id)
        while len(self._heads) > HEADS_KEPT:
            self._heads.popitem(last=False)

    def _head(self, complaint_id: str, version: int) -> ChainHead:
        """The chain head of the complaint at `version`: kept from the last read, or read now (a
        complaint no longer at that version is a conflict before anything is written)."""
        kept = self._heads.get(complaint_id)
        if kept is not None and kept.version == version:
            return kept
        head = self.chain_head(complaint_id)
        if head.version != version:
            raise self._stale(complaint_id, version)
        return head

    def chain_head(self, complaint_id: str) -> ChainHead:
        response = self._call(
            "get_item",
            TableName=self._table,
            Key=marshal({"pk": complaint_pk(complaint_id), "sk": COMPLAINT_SK}),
            ProjectionExpression="#version, #head, #salt",
            ExpressionAttributeNames={"#version": "version", "#head": TRAIL_HEAD, "#salt": TRAIL_SALT},
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(f"no complaint with id {complaint_id}")
        return _chain_head(response["Item"])

    def _transact(self, items: list[TransactWriteItemTypeDef], event: AuditEvent) -> int | None:
        """Run the write transaction that records `event`; return the index of the item whose
        condition failed, if any, unless the write had already committed (a retry of it)."""
        token, attempt = write_token(event), 1
        while True:
            try:
                self._client.transact_write_items(TransactItems=items, ClientRequestToken=token)
            except (BotoConnectionError, HTTPClientError) as error:
                # No answer (a timeout, a dropped connection): the write may have committed. Sent again
                # with the same token, it is answered as done if it had.
                if attempt < UNANSWERED_ATTEMPTS:
                    attempt += 1
                    continue
                raise ServiceUnavailable(
                    "the database did not answer; read the complaint before you retry"
                ) from error
            except ClientError as error:
                if error_code(error) == "TransactionCanceledException":
                    reasons = error.response.get("CancellationReasons") or []
                    for index, reason in enumerate(reasons):
                        if reason.get("Code") == "ConditionalCheckFailed":
                            return None if self._already_written(event) else index
                    raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
                if is_busy(error):
                    raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
                if error_code(error) == "TransactionInProgressException":
                    # This very write (same token) is still being applied: it is neither done nor refused.
                    raise ServiceUnavailable(
                        "the database is still applying this change; read the complaint before you retry"
                    ) from error
                raise
            return None

    def _already_written(self, event: AuditEvent) -> bool:
        """Whether the transaction that records `event` committed: its audit event is stored under
        its version with its own id (ids are drawn anew for each write; an event is written by
        nothing else and never rewritten)."""
        response = self._call(
            "get_item",
            TableName=self._trail_table,
            Key=marshal({"complaintId": event.complaint_id, "version": event.version}),
            ProjectionExpression="#id",
            ExpressionAttributeNames={"#id": "id"},
            ConsistentRead=True,
        )
        stored: dict[str, Any] = response.get("Item", {}).get("id", {})
        return stored.get("S") == event.id

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        fingerprint = f"events:{complaint_id}"
        request: dict[str, Any] = {
            "TableName": self._trail_table,
            "KeyConditionExpression": "complaintId = :id",
            "ExpressionAttributeValues": marshal({":id": complaint_id}),
            "ConsistentRead": True,
            "Limit": limit,
        }
        if next_token:
            request["ExclusiveStartKey"] = self._tokens.decode(next_token, fingerprint)["k"]
        response = self._call("query", **request)
        last = response.get("LastEvaluatedKey")
        token = self._tokens.encode({"f": fingerprint, "k": last}) if last else None
        return Page(items=[event_from(item) for item in response.get("Items", [])], next_token=token)

    def stored_events(self, complaint_id: str) -> list[StoredEvent]:
        """Every event of the complaint as stored, oldest first, with its chain fields."""
        request: dict[str, Any] = {
            "TableName": self._trail_table,
            "KeyConditionExpression": "complaintId = :id",
            "ExpressionAttributeValues": marshal({":id": complaint_id}),
            "ConsistentRead": True,
        }
        return [
            stored_event_from(item) for page in self._query_pages(request) for item in page.get("Items", [])
        ]


def _matches_nothing(query: ComplaintQuery) -> bool:
    """Filters no complaint can meet together: nobody's and someone's, or a team outside the scope
    (the api refuses the latter with a 403 first: api/routes/complaints.py)."""
    if query.unassigned and query.assignee is not None:
        return True
    return query.team is not None and query.teams is not None and query.team not in query.teams


def _list_filter(
    query: ComplaintQuery, primary_field: str | None
) -> tuple[str, dict[str, str], dict[str, Any]] | None:
    """The FilterExpression of the other indexed filters (the index copies their keys), or None;
    `primary_field` is the one the index's key serves, left out (a FilterExpression may not name it)."""
    given = {
        attr: str(getattr(query, field))
        for field, _, attr in INDEXES
        if getattr(query, field) is not None and field != primary_field
    }
    if not given:
        return None
    names = {f"#f{n}": attr for n, attr in enumerate(sorted(given))}
    values = {f":f{n}": {"S": given[attr]} for n, attr in enumerate(sorted(given))}
    return " AND ".join(f"#f{n} = :f{n}" for n in range(len(given))), names, values


def _chain_head(item: dict[str, Any]) -> ChainHead:
    body = unmarshal(item)
    return ChainHead(version=int(body["version"]), hash=body.get(TRAIL_HEAD), salt=body.get(TRAIL_SALT))
