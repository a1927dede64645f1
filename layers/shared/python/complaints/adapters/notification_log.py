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

from datetime import UTC
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..errors import Conflict, ServiceUnavailable
from ..notifications.ports import NotificationRecord
from .dynamodb import complaint_pk

NOTIFICATION_PREFIX = "NOTIFICATION#"
ENTITY = "notification"
_KEYS = ("pk", "sk", "entity")
_THROTTLING = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


class NotificationAlreadyRecorded(Conflict):
    code = "notification_already_recorded"


def notification_sk(entry: NotificationRecord) -> str:
    at = entry.at.astimezone(UTC)
    return f"{NOTIFICATION_PREFIX}{at:%Y-%m-%dT%H:%M:%S.%fZ}#{entry.event_id}#{entry.message_key}"


def notification_item(entry: NotificationRecord) -> dict[str, Any]:
    body = entry.model_dump(mode="json", by_alias=True, exclude_none=True)
    return body | {"pk": complaint_pk(entry.complaint_id), "sk": notification_sk(entry), "entity": ENTITY}


class DynamoDbNotificationLog:
    def __init__(self, table_name: str, client: Any) -> None:
        self._table = table_name
        self._client = client

    def record(self, entry: NotificationRecord) -> None:
        item = {key: _SERIALIZER.serialize(value) for key, value in notification_item(entry).items()}
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                raise NotificationAlreadyRecorded(
                    f"notification {entry.message_key} of event {entry.event_id} at {entry.at} is recorded"
                ) from None
            if code in _THROTTLING:
                raise ServiceUnavailable("the database is busy; the notification was not recorded") from None
            raise

    def for_complaint(self, complaint_id: str) -> list[NotificationRecord]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": complaint_pk(complaint_id)},
                ":prefix": {"S": NOTIFICATION_PREFIX},
            },
            "ConsistentRead": True,
        }
        entries: list[NotificationRecord] = []
        while True:
            try:
                response = self._client.query(**request)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code", "") in _THROTTLING:
                    raise ServiceUnavailable("the database is busy; retry") from None
                raise
            for item in response.get("Items", []):
                body = {key: _DESERIALIZER.deserialize(value) for key, value in item.items()}
                for key in _KEYS:
                    body.pop(key, None)
                entries.append(NotificationRecord.model_validate(body))
            if "LastEvaluatedKey" not in response:
                return entries
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
