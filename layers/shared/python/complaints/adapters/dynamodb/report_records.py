"""The records of quarterly reports on the complaints table.

| item   | pk                 | sk     |
|--------|--------------------|--------|
| report | REPORT#<report id> | REPORT |

A record carries no index keys, so no GSI sees it; every change is conditional on its version. The
record itself is one JSON attribute (its rates are floats, which DynamoDB's typed numbers would turn
into decimals); the version sits beside it for the condition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code, is_busy
from complaints.adapters.dynamodb.table import marshal, unmarshal
from complaints.core.errors import Conflict, NotFound, ServiceUnavailable, VersionConflict
from complaints.reporting.models import ReportRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

REPORT_SK = "REPORT"
ENTITY = "report"


def report_pk(report_id: str) -> str:
    return f"REPORT#{report_id}"


class DynamoDbReportRecords:
    def __init__(self, table_name: str, client: DynamoDBClient) -> None:
        self._table = table_name
        self._client = client

    def _item(self, record: ReportRecord) -> dict[str, Any]:
        return marshal(
            {
                "pk": report_pk(record.id),
                "sk": REPORT_SK,
                "entity": ENTITY,
                "version": record.version,
                "record": record.model_dump_json(by_alias=True),
            }
        )

    def create(self, record: ReportRecord) -> None:
        try:
            self._client.put_item(
                TableName=self._table, Item=self._item(record), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise Conflict(f"report {record.id} exists") from None
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; retry") from None
            raise

    def get(self, report_id: str) -> ReportRecord:
        try:
            response = self._client.get_item(
                TableName=self._table,
                Key=marshal({"pk": report_pk(report_id), "sk": REPORT_SK}),
                ConsistentRead=True,
            )
        except ClientError as error:
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; retry") from None
            raise
        if "Item" not in response:
            raise NotFound(f"no report {report_id}")
        return ReportRecord.model_validate_json(unmarshal(response["Item"])["record"])

    def replace(self, record: ReportRecord) -> ReportRecord:
        stored = record.model_copy(update={"version": record.version + 1})
        try:
            self._client.put_item(
                TableName=self._table,
                Item=self._item(stored),
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#version": "version"},
                ExpressionAttributeValues=marshal({":expected": record.version}),
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise VersionConflict(f"report {record.id} changed meanwhile; read it again") from None
            if is_busy(error):
                raise ServiceUnavailable("the database is busy; retry") from None
            raise
        return stored
