"""A DynamoDB table's stream as Lambda's event source hands it to a function (moto)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import boto3
from moto_tables import REGION


class Stream:
    """The table's stream, read from the start; `take` hands over what arrived since the last take, in
    the record format Lambda's DynamoDB event source passes to the function."""

    def __init__(self, arn: str) -> None:
        self.arn = arn
        # botocore would route by the account id in the ARN, which moto does not serve.
        self._client = boto3.client(
            "dynamodbstreams",
            region_name=REGION,
            endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com",
        )
        shard = self._client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
        self._iterator = self._client.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]

    def take(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        while True:
            page = self._client.get_records(ShardIterator=self._iterator)
            self._iterator = page.get("NextShardIterator", self._iterator)
            if not page["Records"]:
                return [self._as_lambda_record(record) for record in records]
            records += page["Records"]

    def _as_lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        body = dict(record["dynamodb"])
        created = body.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            body["ApproximateCreationDateTime"] = int(created.timestamp())
        return {
            "eventID": record["eventID"],
            "eventName": record["eventName"],
            "eventVersion": record["eventVersion"],
            "eventSource": "aws:dynamodb",
            "awsRegion": REGION,
            "dynamodb": body,
            "eventSourceARN": self.arn,
        }
