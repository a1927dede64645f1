"""The notification log on the complaint table: one item per attempt to send one message.

| item         | pk             | sk                                                          |
|--------------|----------------|-------------------------------------------------------------|
| notification | COMPLAINT#<id> | NOTIFICATION#<at, fixed-width UTC>#<event id>#<message key>  |

Next to the complaint and its audit events, so reading a complaint's notifications is one query, and
oldest first (the time is fixed width, so text order is time order). An entry is written with a
conditional put and never overwritten; it carries no index keys, so no GSI sees it. Recipients are
masked before they get here. AWS errors become domain errors by their code.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.adapters.dynamodb.table import (
    EXPIRES_AT,
    ComplaintsTable,
    complaint_pk,
    fixed_width_utc,
    marshal,
    unmarshal,
)
from complaints.core.errors import Conflict, ServiceUnavailable
from complaints.notifications.ports import NotificationRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

NOTIFICATION_PREFIX = "NOTIFICATION#"
ENTITY = "notification"
_KEYS = ("pk", "sk", "entity", EXPIRES_AT)


class NotificationAlreadyRecorded(Conflict):
    code = "notification_already_recorded"


def notification_sk(entry: NotificationRecord) -> str:
    return f"{NOTIFICATION_PREFIX}{fixed_width_utc(entry.at)}#{entry.event_id}#{entry.message_key}"


def notification_item(entry: NotificationRecord, keep_for: timedelta) -> dict[str, Any]:
    body = entry.model_dump(mode="json", by_alias=True, exclude_none=True)
    keys = {"pk": complaint_pk(entry.complaint_id), "sk": notification_sk(entry), "entity": ENTITY}
    # The table's TTL deletes the entry after the retention schedule's time (privacy/retention.py).
    return body | keys | {EXPIRES_AT: int((entry.at + keep_for).timestamp())}


class DynamoDbNotificationLog(ComplaintsTable):
    """Each message sent (or not) about a complaint, beside it in the complaints table."""

    def __init__(
        self, table_name: str, client: DynamoDBClient, keep_for: timedelta = timedelta(days=5 * 365)
    ) -> None:
        super().__init__(table_name, client)
        self._keep_for = keep_for

    def record(self, entry: NotificationRecord) -> None:
        item = marshal(notification_item(entry, self._keep_for))
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise NotificationAlreadyRecorded(
                    f"notification {entry.message_key} of event {entry.event_id} at {entry.at} is recorded"
                ) from None
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; the notification was not recorded") from None
            raise

    def _entries(self, complaint_id: str) -> dict[str, Any]:
        """The query for the complaint's log, oldest first, read consistently."""
        return {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": complaint_pk(complaint_id)},
                ":prefix": {"S": NOTIFICATION_PREFIX},
            },
            "ConsistentRead": True,
        }

    def for_complaint(self, complaint_id: str) -> list[NotificationRecord]:
        request = self._entries(complaint_id)
        entries: list[NotificationRecord] = []
        for response in self._query_pages(request):
            for item in response.get("Items", []):
                body = unmarshal(item)
                for key in _KEYS:
                    body.pop(key, None)
                entries.append(NotificationRecord.model_validate(body))
        return entries

    def erase_recipients(self, complaint_id: str) -> int:
        """An erasure: every entry's (masked) recipient of the complaint replaced; how many."""
        request = self._entries(complaint_id) | {"ProjectionExpression": "pk, sk, recipient, channel"}
        erased = 0
        for response in self._query_pages(request):
            for item in response.get("Items", []):
                if item.get("channel", {}).get("S") == "staff":
                    continue  # a staff topic is nobody's personal data
                self._call(
                    "update_item",
                    TableName=self._table,
                    Key={"pk": item["pk"], "sk": item["sk"]},
                    UpdateExpression="SET recipient = :erased",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={":erased": {"S": "erased"}},
                )
                erased += 1
        return erased
