"""The complaint repository on the complaints table: a complaint and its audit event in one
transaction, conditional on the version; listings through the sparse indexes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

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
        failed = self._transact(items)
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
        if self._transact(items) is not None:
            raise VersionConflict(
                f"complaint {complaint.id} was changed by someone else (it is no longer at version "
                f"{expected_version}): read it again and reapply your change",
                [{"field": "version", "message": "is stale"}],
            )

    def _transact(self, items: list[TransactWriteItemTypeDef]) -> int | None:
        """Run a write transaction; return the index of the item whose condition failed, if any."""
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error_code(error) == "TransactionCanceledException":
                reasons = error.response.get("CancellationReasons") or []
                for index, reason in enumerate(reasons):
                    if reason.get("Code") == "ConditionalCheckFailed":
                        return index
                raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
            if is_busy(error):
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
