"""The complaints table read as history: complaints received in a period (month by month through
byMonth), every accountability record, and the backlog per status. What the KPIs, the quarterly report
and the backlog gauge read; reads grow with the period, never with the table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from complaints.adapters.dynamodb.accountability import (
    DynamoDbAccountabilityStore,
)
from complaints.adapters.dynamodb.table import (
    ASSIGNEE_KEY,
    MONTH_INDEX,
    MONTH_KEY,
    SORT_KEY,
    STATUS_INDEX,
    STATUS_KEY,
    ComplaintsTable,
    fixed_width_utc,
    marshal,
    month_of,
    next_month,
    unmarshal,
)
from complaints.core.models import AccountabilityRecord, Complaint, Status

if TYPE_CHECKING:
    from complaints.cases.models import LibraryCase


class DynamoDbComplaintHistory(ComplaintsTable):
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
        return sum(int(response.get("Count", 0)) for response in self._query_pages(request))

    def oldest_unassigned(self, status: Status) -> datetime | None:
        """The receipt of the oldest complaint with this status and no assignee: byStatus, oldest
        first, the assignee key (which the index copies) absent; only keys are read."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": "#status = :status",
            "FilterExpression": "attribute_not_exists(#assignee)",
            "ExpressionAttributeNames": {
                "#status": STATUS_KEY,
                "#assignee": ASSIGNEE_KEY,
                "#received": SORT_KEY,
            },
            "ExpressionAttributeValues": marshal({":status": status.value}),
            "ProjectionExpression": "#received",
            "ScanIndexForward": True,
        }
        for response in self._query_pages(request):
            for item in response.get("Items", []):
                received = str(unmarshal(item)[SORT_KEY]).split("#", 1)[0]
                return datetime.fromisoformat(received.replace("Z", "+00:00"))
        return None

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
            for response in self._query_pages(request):
                yield from self._complaints_at(response.get("Items", []))
            if month == final:
                return
            month = next_month(month)

    def accountability_records(self) -> Iterator[AccountabilityRecord]:
        return DynamoDbAccountabilityStore(self._table, self._client).accountability_records()

    def library_cases(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[LibraryCase]:
        from complaints.adapters.dynamodb.cases import DynamoDbCaseIndex  # the report's, not the sweep's

        return DynamoDbCaseIndex(self._table, self._client).library_cases(since, until)
