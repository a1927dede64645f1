"""Accountability records on the complaints table: opened by the SLA tracker at a missed first-response
or resolution deadline, by a reopen because the handling was wrong, or by a supervisor by hand (the
last two in the complaint's own change transaction: DynamoDbComplaintRepository.update), one per
occasion (`ACCOUNTABILITY#<complaintId>.<version>`); reviewed by supervisors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.adapters.dynamodb.table import (
    ACCOUNTABILITY_INDEX,
    ACCOUNTABILITY_KEY,
    MAX_QUERIES_PER_PAGE,
    OPENED_KEY,
    ComplaintsTable,
    fixed_width_utc,
    marshal,
    plain,
    unmarshal,
)
from complaints.core.errors import NotFound, ServiceUnavailable, VersionConflict
from complaints.core.models import AccountabilityRecord, AccountabilityStatus
from complaints.core.paging import Page

# --- what the SLA machinery needs ------------------------------------------------------------------


def _accountability_from(item: Mapping[str, Any]) -> AccountabilityRecord:
    body = plain(unmarshal(item))
    for key in ("pk", "sk", "entity", ACCOUNTABILITY_KEY, OPENED_KEY):
        body.pop(key, None)
    return AccountabilityRecord.model_validate(body)


def accountability_pk(record_id: str) -> str:
    return f"ACCOUNTABILITY#{record_id}"


def accountability_item(record: AccountabilityRecord) -> dict[str, Any]:
    """The item of `record`, with its index keys (byAccountability: status, newest opened first)."""
    body = record.model_dump(mode="json", by_alias=True, exclude_none=True)
    return body | {
        "pk": accountability_pk(record.id),
        "sk": "ACCOUNTABILITY",
        "entity": "accountability",
        ACCOUNTABILITY_KEY: record.status.value,
        OPENED_KEY: f"{fixed_width_utc(record.opened_at)}#{record.complaint_id}",
    }


def opening_put(table: str, record: AccountabilityRecord) -> dict[str, Any]:
    """The transaction item that opens `record`: once (a record is never overwritten by an opening)."""
    return {
        "Put": {
            "TableName": table,
            "Item": marshal(accountability_item(record)),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


class DynamoDbAccountabilityStore(ComplaintsTable):
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
        start = self._tokens.decode(next_token, fingerprint)["k"] if next_token else None
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
        token = self._tokens.encode({"f": fingerprint, "k": start}) if start else None
        return Page(items=items, next_token=token)

    def save_review(self, record: AccountabilityRecord, expected_version: int) -> None:
        item = accountability_item(record)
        try:
            self._client.put_item(
                TableName=self._table,
                Item=marshal(item),
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#version": "version"},
                ExpressionAttributeValues=marshal({":expected": expected_version}),
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise VersionConflict(
                    f"accountability record {record.id} was changed by someone else: read it again",
                    [{"field": "version", "message": "is stale"}],
                ) from error
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; nothing was changed, retry") from error
            raise

    def accountability_records(self) -> Iterator[AccountabilityRecord]:
        """Every accountability record, open and reviewed (one per occasion: a complaint may have
        several)."""
        for status in AccountabilityStatus:
            token: str | None = None
            while True:
                page = self.list_accountability(status, None, 100, token)
                yield from page.items
                token = page.next_token
                if token is None:
                    break
