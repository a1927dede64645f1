"""The sweep's view of the complaints table: the sharded byWatch index of open complaints by when to
look at them next."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.adapters.dynamodb.table import (
    COMPLAINT_SK,
    WATCH_AT_KEY,
    WATCH_INDEX,
    WATCH_SHARD_KEY,
    ComplaintsTable,
    complaint_pk,
    iso_seconds,
    marshal,
)
from complaints.core.errors import ServiceUnavailable
from complaints.core.models import Complaint
from complaints.sla.escalation import watch_at, watch_shard


class DynamoDbWatchStore(ComplaintsTable):
    """The sweep's index: open complaints due a look, and their next watch time."""

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
        for response in self._query_pages(request):
            yield from self._complaints_at(response.get("Items", []))

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
            if error_code(error) == "ConditionalCheckFailedException":
                return
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; retry") from error
            raise
