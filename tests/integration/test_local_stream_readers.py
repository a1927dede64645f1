"""The local runtime's stream readers (infra/local/event_sources.py) on moto: two functions read the
same table's stream — as the publisher and the archiver read the trail's — and the emulator's stream is
trimmed only below the slower of them, so neither stalls however far the other runs ahead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from local.event_sources import TRIM_BATCH, StreamSource
from moto_tables import REGION

RECORDS = 3 * TRIM_BATCH + 17


@dataclass
class Recorder:
    """A stand-in for a local Lambda function: keeps the keys of the records it was handed."""

    name: str
    keys: list[str] = field(default_factory=list)

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        self.keys += [record["dynamodb"]["Keys"]["pk"]["S"] for record in event["Records"]]
        return {"batchItemFailures": []}


def reader(stream_arn: str, function: Recorder) -> StreamSource:
    return StreamSource(stream_arn, function, TRIM_BATCH, REGION, lambda: None, None)  # type: ignore[arg-type]


def drain(source: StreamSource, streams: Any, rounds: int = 50) -> None:
    for _ in range(rounds):
        if source.poll_once(streams) == 0:
            return


def test_a_reader_far_behind_the_other_still_reads_every_record(aws: Any) -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    table = dynamodb.create_table(
        TableName="stream-readers",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    # botocore would route by the account id in the ARN, which moto does not serve (tests/support/streams.py).
    streams = boto3.client(
        "dynamodbstreams", region_name=REGION, endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )
    fast, slow = Recorder("publisher"), Recorder("archiver")
    fast_reader, slow_reader = reader(table["LatestStreamArn"], fast), reader(table["LatestStreamArn"], slow)
    written = [f"item-{number:04d}" for number in range(RECORDS)]
    for key in written[:TRIM_BATCH]:
        dynamodb.put_item(TableName="stream-readers", Item={"pk": {"S": key}})
    slow_reader.poll_once(streams)  # one batch, then it falls behind
    for key in written[TRIM_BATCH:]:
        dynamodb.put_item(TableName="stream-readers", Item={"pk": {"S": key}})

    drain(fast_reader, streams)  # far ahead: it would have trimmed what the slow one has not read
    drain(slow_reader, streams)

    assert fast.keys == written
    assert slow.keys == written
