"""Lambda event-source mappings for the local runtime, as Lambda runs them: the stack's
AWS::Lambda::EventSourceMapping resources poll their SQS queue or DynamoDB stream and invoke the
function with batches in Lambda's own event format, honouring partial batch responses."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from .deployer import DeployedStack
from .functions import LocalFunction

log = logging.getLogger("local-runtime")

# Lambda waits out a queue's visibility timeout before a failed message comes back; locally a
# retry comes back after this many seconds, so a failure reaches the dead-letter queue in seconds.
LOCAL_RETRY_SECONDS = 1
STREAM_ATTEMPTS = 3
SQS_POLLERS = 4
TRIM_BATCH = 100


def _failed_ids(result: Any) -> set[str]:
    if not isinstance(result, dict):
        return set()
    return {str(item.get("itemIdentifier")) for item in result.get("batchItemFailures", []) or []}


@dataclass
class SqsSource:
    queue_url: str
    queue_arn: str
    function: LocalFunction
    batch_size: int
    region: str
    after_invoke: Callable[[], None]

    def poll_once(self, client: Any) -> int:
        response = client.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(self.batch_size, 10),
            WaitTimeSeconds=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody"),
                "eventSource": "aws:sqs",
                "eventSourceARN": self.queue_arn,
                "awsRegion": self.region,
            }
            for m in messages
        ]
        try:
            failed = _failed_ids(self.function.invoke({"Records": records}))
        except Exception:
            log.exception("%s failed on a batch of %d", self.function.name, len(records))
            failed = {r["messageId"] for r in records}
        finally:
            self.after_invoke()
        for record in records:
            if record["messageId"] in failed:
                client.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=record["receiptHandle"],
                    VisibilityTimeout=LOCAL_RETRY_SECONDS,
                )
            else:
                client.delete_message(QueueUrl=self.queue_url, ReceiptHandle=record["receiptHandle"])
        return len(records)


# How far each reader of a stream has delivered (the trail's has two: the publisher and the archiver):
# the emulator's stream is trimmed only below the slowest of them (_trim_stream).
_READ_UP_TO: dict[str, dict[int, int]] = {}
_READERS_LOCK = threading.Lock()


@dataclass
class StreamSource:
    stream_arn: str
    function: LocalFunction
    batch_size: int
    region: str
    after_invoke: Callable[[], None]
    dead_letter_queue_arn: str | None
    _delivered: dict[str, str | None] | None = None

    def __post_init__(self) -> None:
        with _READERS_LOCK:
            _READ_UP_TO.setdefault(self.stream_arn, {})[id(self)] = 0

    def poll_once(self, client: Any) -> int:
        if self._delivered is None:
            shards = client.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
            self._delivered = {shard["ShardId"]: None for shard in shards}
        handled = 0
        for shard, last in list(self._delivered.items()):
            # A fresh iterator after the last record delivered, every time: the emulator replaces its
            # tables (and their streams) when it rolls back a failed transaction, which would leave
            # an old iterator reading a stream nobody writes to any more.
            position: dict[str, str] = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": last}
                if last
                else {"ShardIteratorType": "TRIM_HORIZON"}
            )
            iterator = client.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard, **position)
            response = client.get_records(ShardIterator=iterator["ShardIterator"], Limit=self.batch_size)
            records = response.get("Records", [])
            if records:
                self._deliver(
                    [{**r, "eventSourceARN": self.stream_arn, "awsRegion": self.region} for r in records]
                )
                handled += len(records)
                self._delivered[shard] = records[-1]["dynamodb"]["SequenceNumber"]
                _trim_stream(self.stream_arn, id(self), int(records[-1]["dynamodb"]["SequenceNumber"]))
        return handled

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        pending = records
        for attempt in range(1, STREAM_ATTEMPTS + 1):
            try:
                failed = _failed_ids(self.function.invoke({"Records": pending}))
            except Exception:
                log.exception("%s failed on a stream batch", self.function.name)
                failed = {r["dynamodb"]["SequenceNumber"] for r in pending}
            finally:
                self.after_invoke()
            if not failed:
                return
            # As Lambda does: retry from the first failed record on.
            first = next(i for i, r in enumerate(pending) if r["dynamodb"]["SequenceNumber"] in failed)
            pending = pending[first:]
            if attempt < STREAM_ATTEMPTS:
                time.sleep(LOCAL_RETRY_SECONDS)
        log.error("%s gave up on %d stream records", self.function.name, len(pending))
        if self.dead_letter_queue_arn:
            sqs = boto3.client("sqs", region_name=self.region)
            url = sqs.get_queue_url(QueueName=self.dead_letter_queue_arn.rsplit(":", 1)[1])["QueueUrl"]
            for record in pending:
                sqs.send_message(QueueUrl=url, MessageBody=str(record["dynamodb"]))


class EventSources:
    def __init__(self, sources: list[SqsSource | StreamSource], region: str) -> None:
        self.sources = sources
        self._region = region
        self._stop = threading.Event()

    def start(self) -> None:
        for source in self.sources:
            # Lambda reads a queue with several pollers at once; a stream, in order, with one per shard.
            pollers = SQS_POLLERS if isinstance(source, SqsSource) else 1
            for _ in range(pollers - 1):
                threading.Thread(target=self._loop, args=(source,), daemon=True).start()
            threading.Thread(
                target=self._loop, args=(source,), name=f"poll-{source.function.name}", daemon=True
            ).start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self, source: SqsSource | StreamSource) -> None:
        client = boto3.client(
            "sqs" if isinstance(source, SqsSource) else "dynamodbstreams", region_name=self._region
        )
        while not self._stop.is_set():
            try:
                if source.poll_once(client) == 0:
                    self._stop.wait(0.2)
            except Exception:
                log.exception("polling for %s failed", source.function.name)
                self._stop.wait(1)


def _trim_stream(stream_arn: str, reader: int, delivered_up_to: int) -> None:
    """DynamoDB drops stream records after 24 hours; the emulator keeps them all and deep-copies them
    on every transaction, which grows slower with each write. Drop what every reader of the stream has
    delivered: a record only one of them has read is still the other's to read (dropped under it, the
    slower reader's next position would lie before the stream's start, and it would stall for good)."""
    from moto.dynamodb.models import dynamodb_backends

    from .emulator import ACCOUNT_ID

    region = stream_arn.split(":")[3]
    with _READERS_LOCK:
        readers = _READ_UP_TO.setdefault(stream_arn, {})
        readers[reader] = delivered_up_to
        slowest = min(readers.values())
        if not slowest:
            return  # a reader has not delivered anything yet
        for table in dynamodb_backends[ACCOUNT_ID][region].tables.values():
            shard = getattr(table, "stream_shard", None)
            if (
                shard is None
                or table.latest_stream_label is None
                or not stream_arn.endswith(table.latest_stream_label)
            ):
                continue
            done = slowest - shard.starting_sequence_number + 1
            # In batches, so the moment when sequence numbers are being rebased is rare.
            if done >= TRIM_BATCH:
                del shard.items[:done]
                shard.starting_sequence_number += done


def _detach_emulator_mappings(region: str) -> None:
    """The emulator would run the mappings its CloudFormation created itself, in Docker, which is not
    here; this runtime runs them instead. Deleting a mapping through its API leaves the emulator's
    queues and tables still holding it, so they are cleared in its (in-process) backends."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.sqs.models import sqs_backends

    from .emulator import ACCOUNT_ID

    lambda_client = boto3.client("lambda", region_name=region)
    for mapping in lambda_client.list_event_source_mappings().get("EventSourceMappings", []):
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
    for table in dynamodb_backends[ACCOUNT_ID][region].tables.values():
        table.lambda_event_source_mappings.clear()
    for queue in sqs_backends[ACCOUNT_ID][region].queues.values():
        queue.lambda_event_source_mappings.clear()


def event_sources_from(
    stack: DeployedStack, functions: dict[str, LocalFunction], region: str, after_invoke: Callable[[], None]
) -> EventSources:
    resources = stack.template["Resources"]
    _detach_emulator_mappings(region)
    sqs = boto3.client("sqs", region_name=region)
    dynamodb = boto3.client("dynamodb", region_name=region)
    sources: list[SqsSource | StreamSource] = []
    for resource in resources.values():
        if resource["Type"] != "AWS::Lambda::EventSourceMapping":
            continue
        properties = resource["Properties"]
        function = functions[properties["FunctionName"]["Ref"]]
        source_id, attribute = properties["EventSourceArn"]["Fn::GetAtt"]
        batch = int(properties.get("BatchSize", 10))
        if resources[source_id]["Type"] == "AWS::SQS::Queue":
            url = stack.resources[source_id]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            sources.append(SqsSource(url, arn, function, batch, region, after_invoke))
        elif attribute == "StreamArn":
            table = dynamodb.describe_table(TableName=stack.resources[source_id])["Table"]
            on_failure = properties.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            dead_letters = None
            if isinstance(on_failure, dict) and "Fn::GetAtt" in on_failure:
                url = stack.resources[on_failure["Fn::GetAtt"][0]]
                dead_letters = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
                    "Attributes"
                ]["QueueArn"]
            sources.append(
                StreamSource(table["LatestStreamArn"], function, batch, region, after_invoke, dead_letters)
            )
    return EventSources(sources, region)
