"""The complaint repository on the complaints table: a complaint and its audit event in one
transaction, conditional on the version; listings through the sparse indexes.

A write is answered as done exactly when it happened. Each transaction carries a `ClientRequestToken`
derived from its audit event (`write_token`), so every retry of one write (botocore's own, after a
timeout or a 5xx whose first attempt had in fact committed) sends the same token, and DynamoDB answers
a repeat within ten minutes with success instead of running the conditions again. Where a repeat is
still cancelled on its condition (past that window, or an emulator that ignores the token), the write
is looked for before answering: the audit event it carried is in the table under its version, with its
own id, only if this very write committed (`_already_written`)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from complaints.adapters.aws import error_code, is_busy
from complaints.adapters.dynamodb.table import (
    COMPLAINT_SK,
    EVENT_PREFIX,
    INDEXES,
    LIST_HORIZON_MONTHS,
    MAX_QUERIES_PER_PAGE,
    MONTH_INDEX,
    MONTH_KEY,
    ComplaintsTable,
    PageTokens,
    complaint_from,
    complaint_item,
    complaint_pk,
    event_from,
    event_item,
    event_sk,
    marshal,
    month_of,
    previous_month,
)
from complaints.core.errors import NotFound, ReferenceTaken, ServiceUnavailable, VersionConflict
from complaints.core.models import AuditEvent, Complaint
from complaints.core.paging import Page
from complaints.intake.ports import ComplaintQuery

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# DynamoDB takes a ClientRequestToken of 1 to 36 characters.
TOKEN_LENGTH = 32
# A transaction that got no answer at all (after botocore's own retries) is sent again this often, with
# its token: if it had committed, DynamoDB says so.
UNANSWERED_ATTEMPTS = 2


def write_token(event: AuditEvent) -> str:
    """The idempotency token of the transaction that writes `event`: the same for every retry of that
    write (it depends on nothing but the event), different for any other write (the event's id is
    new for each), and 32 hex characters whatever the ids look like."""
    key = f"{event.complaint_id}#{event.version}#{event.id}"
    return hashlib.sha256(key.encode()).hexdigest()[:TOKEN_LENGTH]


class DynamoDbComplaintRepository(ComplaintsTable):
    # --- writes -----------------------------------------------------------------------------------

    def create(self, complaint: Complaint, event: AuditEvent) -> None:
        new_item = "attribute_not_exists(pk)"
        items: list[TransactWriteItemTypeDef] = [
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
                    "Item": marshal(event_item(event)),
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
        failed = self._transact(items, event)
        if failed == 2:
            raise ReferenceTaken(f"reference {complaint.reference} is taken")
        if failed is not None:
            raise VersionConflict(f"complaint {complaint.id} already exists")

    def update(self, complaint: Complaint, event: AuditEvent, expected_version: int) -> None:
        items: list[TransactWriteItemTypeDef] = [
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
                    "Item": marshal(event_item(event)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
        if self._transact(items, event) is not None:
            raise VersionConflict(
                f"complaint {complaint.id} was changed by someone else (it is no longer at version "
                f"{expected_version}): read it again and reapply your change",
                [{"field": "version", "message": "is stale"}],
            )

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
            TableName=self._table,
            Key=marshal({"pk": complaint_pk(event.complaint_id), "sk": event_sk(event.version)}),
            ProjectionExpression="#id",
            ExpressionAttributeNames={"#id": "id"},
            ConsistentRead=True,
        )
        stored: dict[str, Any] = response.get("Item", {}).get("id", {})
        return stored.get("S") == event.id

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
        return complaint_from(response["Item"])

    def list(self, query: ComplaintQuery) -> Page[Complaint]:
        fingerprint = PageTokens.fingerprint(query)
        state = PageTokens.decode(query.next_token, fingerprint) if query.next_token else {}
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

        found: list[dict[str, Any]] = []
        for _ in range(MAX_QUERIES_PER_PAGE):
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": index,
                "KeyConditionExpression": "#key = :key",
                "ExpressionAttributeNames": {"#key": key_attr},
                "ExpressionAttributeValues": {":key": {"S": key_value}},
                "ScanIndexForward": False,
                "Limit": query.limit - len(found),
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
            found.extend(response.get("Items", []))
            start_key = response.get("LastEvaluatedKey")
            if start_key is None and index == MONTH_INDEX and months_left > 1:
                key_value, months_left = previous_month(key_value), months_left - 1
                start_key = None
                more = True
            else:
                more = start_key is not None
            if not more or len(found) >= query.limit:
                break
        # The indexes hold keys and filters, not complaints: the page's complaints come from the table.
        items = self._complaints_at(found)
        if not more:
            return Page(items=items, next_token=None)
        next_state = {"f": fingerprint, "k": start_key, "m": key_value, "h": months_left}
        return Page(items=items, next_token=PageTokens.encode(next_state))

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
            request["ExclusiveStartKey"] = PageTokens.decode(next_token, fingerprint)["k"]
        response = self._call("query", **request)
        last = response.get("LastEvaluatedKey")
        token = PageTokens.encode({"f": fingerprint, "k": last}) if last else None
        return Page(items=[event_from(item) for item in response.get("Items", [])], next_token=token)
