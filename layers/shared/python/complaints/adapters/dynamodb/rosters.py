"""Team rosters on the complaints table (`TEAM#<team>` / `ROSTER`, written conditionally on their
version), and the open complaints per assignee that triage balances (byAssignee, counted)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code
from complaints.adapters.dynamodb.table import INDEXES, STATUS_KEY, ComplaintsTable, marshal, plain, unmarshal
from complaints.core.errors import VersionConflict
from complaints.intake.lifecycle import OPEN_STATUSES
from complaints.teams.roster import Roster

_ASSIGNEE_INDEX, _ASSIGNEE_KEY = next((index, attr) for field, index, attr in INDEXES if field == "assignee")


def roster_key(team: str) -> dict[str, Any]:
    return marshal({"pk": f"TEAM#{team}", "sk": "ROSTER"})


class DynamoDbRosterStore(ComplaintsTable):
    def get_roster(self, team: str) -> Roster:
        response = self._call("get_item", TableName=self._table, Key=roster_key(team), ConsistentRead=True)
        if "Item" not in response:
            return Roster(team=team)
        body = plain(unmarshal(response["Item"]))
        for key in ("pk", "sk", "entity"):
            body.pop(key, None)
        return Roster.model_validate(body)

    def put_roster(self, roster: Roster, expected_version: int) -> None:
        item = roster.model_dump(mode="json", by_alias=True, exclude_none=True) | {
            "pk": f"TEAM#{roster.team}",
            "sk": "ROSTER",
            "entity": "roster",
        }
        condition = "attribute_not_exists(pk)" if expected_version == 0 else "#version = :expected"
        extra: dict[str, Any] = {}
        if expected_version:
            extra = {
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": marshal({":expected": expected_version}),
            }
        try:
            self._call(
                "put_item", TableName=self._table, Item=marshal(item), ConditionExpression=condition, **extra
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise VersionConflict("the roster changed meanwhile: read it again") from error
            raise

    def open_complaints(self, assignee: str) -> int:
        """How many open complaints `assignee` holds (byAssignee, counted: no item is read)."""
        statuses = sorted(status.value for status in OPEN_STATUSES)
        names = {f":s{n}": status for n, status in enumerate(statuses)}
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": _ASSIGNEE_INDEX,
            "KeyConditionExpression": "#key = :key",
            "FilterExpression": f"#status IN ({', '.join(names)})",
            "ExpressionAttributeNames": {"#key": _ASSIGNEE_KEY, "#status": STATUS_KEY},
            "ExpressionAttributeValues": marshal({":key": assignee, **names}),
            "Select": "COUNT",
        }
        count = 0
        while True:
            response = self._call("query", **request)
            count += int(response.get("Count", 0))
            start = response.get("LastEvaluatedKey")
            if start is None:
                return count
            request["ExclusiveStartKey"] = start
