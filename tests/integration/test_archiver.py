"""The archiver over the trail table's stream (moto): each new event lands in the Object Lock bucket as
the chain seals it, once, whatever the stream hands over again; a busy archive retries from the record."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import boto3
import pytest
from api_events import LambdaContext, handler_module, intake_body
from moto_tables import ENVIRONMENT, REGION, TABLE_NAME, TRAIL_TABLE_NAME
from streams import Stream

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.trail_archive import S3TrailArchive
from complaints.intake.commands import IntakeRequest
from complaints.intake.service import ComplaintService
from complaints.trail.archive import compare

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")
BUCKET = ENVIRONMENT["TRAIL_ARCHIVE_BUCKET"]


@pytest.fixture
def app_module(aws: Any) -> ModuleType:
    return handler_module("archiver.app")


@pytest.fixture
def repository(dynamodb: Any) -> DynamoDbComplaintRepository:
    return DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME)


@pytest.fixture
def stream(dynamodb: Any) -> Stream:
    return Stream(dynamodb.describe_table(TableName=TRAIL_TABLE_NAME)["Table"]["LatestStreamArn"])


def worked(repository: DynamoDbComplaintRepository) -> str:
    """A complaint received and answered: two events, the answer's text personal."""
    from fakes import FakeTracker

    from complaints.core.auth import Caller, Role
    from complaints.core.models import Actor, AuditEvent

    service = ComplaintService(repository, FakeTracker())
    app = Caller("mobile-app", frozenset({Role.CHANNEL_APP}), frozenset())
    complaint = service.intake(IntakeRequest.model_validate(intake_body()), app)
    answered = complaint.model_copy(update={"version": 2})
    event = AuditEvent(
        id="ev-2",
        complaint_id=complaint.id,
        version=2,
        action="respond",
        actor=Actor(id="agent-7", roles=["agent"]),
        at=complaint.received_at,
        data={"message": "Dear Li Wei, we refunded it.", "public": True},
    )
    repository.update(answered, event, expected_version=1)
    return complaint.id


def archived_keys() -> list[str]:
    listed = boto3.client("s3", region_name=REGION).list_objects_v2(Bucket=BUCKET)
    return [entry["Key"] for entry in listed.get("Contents", [])]


def test_each_new_event_is_archived_once_sealed_and_locked(
    app_module: ModuleType, repository: DynamoDbComplaintRepository, stream: Stream
) -> None:
    complaint_id = worked(repository)
    records = stream.take()
    context = LambdaContext("complaint-guard-archiver", memory_limit_in_mb=256)

    assert app_module.handler({"Records": records}, context) == {"batchItemFailures": []}
    # the stream hands the batch over again: nothing new, nothing refused
    assert app_module.handler({"Records": records}, context) == {"batchItemFailures": []}

    assert archived_keys() == [
        f"trail/{complaint_id}/0000000001.json",
        f"trail/{complaint_id}/0000000002.json",
    ]
    s3 = boto3.client("s3", region_name=REGION)
    first = s3.get_object(Bucket=BUCKET, Key=archived_keys()[0])
    assert first["ObjectLockMode"] == "COMPLIANCE"
    body = first["Body"].read().decode()
    for personal in ("Li Wei", "+8613800138000", "li.wei@bank-customer.cn", "debited twice"):
        assert personal not in body
    assert set(json.loads(body)) == {"complaintId", "version", "sealed", "previousHash", "hash"}
    archive = S3TrailArchive(BUCKET, s3)
    assert compare(complaint_id, repository.stored_events(complaint_id), archive.events(complaint_id)) == []
    assert len(s3.list_object_versions(Bucket=BUCKET)["Versions"]) == 2  # no second version written


def test_a_change_to_the_table_shows_against_the_archive(
    app_module: ModuleType, repository: DynamoDbComplaintRepository, stream: Stream, dynamodb: Any
) -> None:
    complaint_id = worked(repository)
    app_module.handler({"Records": stream.take()}, LambdaContext("archiver", memory_limit_in_mb=256))
    dynamodb.update_item(
        TableName=TRAIL_TABLE_NAME,
        Key={"complaintId": {"S": complaint_id}, "version": {"N": "2"}},
        UpdateExpression="SET #hash = :forged",
        ExpressionAttributeNames={"#hash": "hash"},
        ExpressionAttributeValues={":forged": {"S": "f" * 64}},
    )
    archive = S3TrailArchive(BUCKET, boto3.client("s3", region_name=REGION))
    (difference,) = compare(
        complaint_id, repository.stored_events(complaint_id), archive.events(complaint_id)
    )
    assert (difference.version, difference.problem) == (2, "differs from the archive in hash")


def test_a_busy_archive_retries_from_the_record_it_could_not_write(
    app_module: ModuleType,
    repository: DynamoDbComplaintRepository,
    stream: Stream,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from botocore.exceptions import ClientError

    from complaints.composition import archiver

    worked(repository)
    records = stream.take()
    s3 = boto3.client("s3", region_name=REGION)
    calls = {"n": 0}

    class SlowSecondTime:
        def put_object(self, **request: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 2:
                raise ClientError({"Error": {"Code": "SlowDown", "Message": "slow down"}}, "PutObject")
            return s3.put_object(**request)

    monkeypatch.setattr(archiver, "trail_archive", lambda: S3TrailArchive(BUCKET, SlowSecondTime()))  # type: ignore[arg-type]
    reply = app_module.handler({"Records": records}, LambdaContext("archiver", memory_limit_in_mb=256))
    assert reply == {"batchItemFailures": [{"itemIdentifier": records[1]["dynamodb"]["SequenceNumber"]}]}
    assert len(archived_keys()) == 1
