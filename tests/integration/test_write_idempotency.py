"""A write that happened is answered as done, exactly once (issue 11, item 4).

Every conditional transaction of the complaint repository carries a `ClientRequestToken` derived from
the write's audit event, so botocore's own retries of one write send the same token. DynamoDB answers
such a repeat (within ten minutes) with success. moto 5 ignores the token and runs the repeat's
conditions again, so these tests also show the adapter's second line: a repeat cancelled on its
condition is answered as done when the write's own audit event is in the table.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import ANY, Stubber
from moto_tables import TABLE_NAME, TRAIL_TABLE_NAME

from complaints.adapters.aws import boto_config
from complaints.adapters.dynamodb.complaints import TOKEN_LENGTH, DynamoDbComplaintRepository, write_token
from complaints.core.errors import ServiceUnavailable, VersionConflict
from complaints.core.models import (
    Actor,
    AuditEvent,
    Complaint,
    Complexity,
    Customer,
    Deadlines,
    Priority,
    Product,
    SlaPolicyName,
    Status,
)

NOW = datetime.now(UTC).replace(microsecond=0)
_IDS = itertools.count(1)


def complaint(complaint_id: str = "c-000001", version: int = 1, **fields: Any) -> Complaint:
    return Complaint(
        id=complaint_id,
        reference=f"CG-{NOW:%y%m%d}-{complaint_id[-6:].upper():0>6}",
        status=Status.RECEIVED,
        channel="counter",
        category="service",
        product=Product.CREDIT_CARD,
        priority=Priority.NORMAL,
        complexity=Complexity.SIMPLE,
        customer=Customer(customer_id="C-1", name="Li Wei", phone="+8613800138000"),
        description="Charged twice.",
        received_at=NOW,
        created_at=NOW,
        updated_at=NOW,
        sla_policy=SlaPolicyName.SEED,
        deadlines=Deadlines(
            first_response_due_at=NOW + timedelta(hours=24), resolution_due_at=NOW + timedelta(hours=48)
        ),
        submitted_by="counter-app",
        version=version,
        **fields,
    )


def event(item: Complaint, action: str = "receive") -> AuditEvent:
    return AuditEvent(
        id=f"ev-{next(_IDS):04d}",
        complaint_id=item.id,
        version=item.version,
        action=action,
        actor=Actor(id="agent-7", roles=["agent"]),
        at=item.updated_at,
    )


def trail(dynamodb: Any, complaint_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = dynamodb.query(
        TableName=TRAIL_TABLE_NAME,
        KeyConditionExpression="complaintId = :id",
        ExpressionAttributeValues={":id": {"S": complaint_id}},
    )["Items"]
    return items


class RetriedAfterCommit:
    """A client (botocore's retry machinery, the production config) whose first attempt at each
    transaction commits and is then retried as if its answer had been lost (a read timeout, a 500):
    botocore sends the very same request again. Records every request body it sends."""

    def __init__(self, region: str) -> None:
        self.client = boto3.client("dynamodb", region_name=region, config=boto_config())
        self.bodies: list[bytes] = []
        self._retried: set[int] = set()
        events = self.client.meta.events
        events.register_first("before-send.dynamodb.TransactWriteItems", self._record)
        events.register_first("needs-retry.dynamodb.TransactWriteItems", self._retry_first_attempt)

    def _record(self, request: Any, **_: Any) -> None:
        self.bodies.append(bytes(request.body))

    def _retry_first_attempt(self, attempts: int, request_dict: dict[str, Any], **_: Any) -> int | None:
        key = id(request_dict)
        if attempts == 1 and key not in self._retried:
            self._retried.add(key)
            return 0  # retry now, as after a lost answer
        return None


class AnswerLost:
    """A client whose transactions commit and whose answer is then lost (a read timeout after
    botocore's own retries) the first `lost` times; records each transaction's token."""

    def __init__(self, client: Any, lost: int = 1) -> None:
        self._client = client
        self._lost = lost
        self.tokens: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def transact_write_items(self, **kwargs: Any) -> Any:
        self.tokens.append(kwargs["ClientRequestToken"])
        response = self._client.transact_write_items(**kwargs)
        if self._lost:
            self._lost -= 1
            raise ReadTimeoutError(endpoint_url="https://dynamodb.test")
        return response


@pytest.fixture
def retried(dynamodb: Any) -> RetriedAfterCommit:
    return RetriedAfterCommit(dynamodb.meta.region_name)


def test_the_token_is_derived_from_the_write_and_fits_dynamodb() -> None:
    new = complaint()
    first = event(new)
    assert write_token(first) == write_token(first.model_copy(deep=True))
    assert 1 <= len(write_token(first)) == TOKEN_LENGTH <= 36
    assert write_token(first) != write_token(event(new))  # another write, another token


def test_create_and_update_send_their_token(dynamodb: Any) -> None:
    client = boto3.client("dynamodb", region_name=dynamodb.meta.region_name)
    repository = DynamoDbComplaintRepository(TABLE_NAME, client, trail_table=TRAIL_TABLE_NAME)
    new = complaint()
    created, updated = event(new), event(new.model_copy(update={"version": 2}), "update")
    with Stubber(client) as stub:
        for sent in (created, updated):
            stub.add_response(
                "transact_write_items",
                {},
                expected_params={"TransactItems": ANY, "ClientRequestToken": write_token(sent)},
            )
        repository.create(new, created)
        repository.update(new.model_copy(update={"version": 2}), updated, expected_version=1)
        stub.assert_no_pending_responses()


def test_a_create_retried_after_it_committed_is_answered_as_done(
    dynamodb: Any, retried: RetriedAfterCommit
) -> None:
    repository = DynamoDbComplaintRepository(TABLE_NAME, retried.client, trail_table=TRAIL_TABLE_NAME)
    new = complaint()
    first = event(new)
    repository.create(new, first)  # no VersionConflict, although the retry found the complaint there
    assert len(retried.bodies) == 2 and retried.bodies[0] == retried.bodies[1]
    assert f'"ClientRequestToken": "{write_token(first)}"'.encode() in retried.bodies[0]
    assert repository.get(new.id) == new
    assert [item["id"]["S"] for item in trail(dynamodb, new.id)] == [first.id]


def test_an_update_retried_after_it_committed_is_answered_as_done_once(
    dynamodb: Any, retried: RetriedAfterCommit
) -> None:
    DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME).create(
        complaint(), event(complaint())
    )
    repository = DynamoDbComplaintRepository(TABLE_NAME, retried.client, trail_table=TRAIL_TABLE_NAME)
    assigned = complaint(version=2, assignee="agent-7")
    change = event(assigned, "update")
    repository.update(assigned, change, expected_version=1)
    assert len(retried.bodies) == 2 and retried.bodies[0] == retried.bodies[1]
    assert f'"ClientRequestToken": "{write_token(change)}"'.encode() in retried.bodies[0]
    assert repository.get("c-000001") == assigned
    assert [item["id"]["S"] for item in trail(dynamodb, "c-000001")][1:] == [change.id]


def test_a_write_that_lost_the_race_is_still_a_conflict(dynamodb: Any, retried: RetriedAfterCommit) -> None:
    """The check is for this write's own event: another write at the same version is not mistaken
    for it, retried or not."""
    plain = DynamoDbComplaintRepository(TABLE_NAME, dynamodb, trail_table=TRAIL_TABLE_NAME)
    plain.create(complaint(), event(complaint()))
    theirs = complaint(version=2, assignee="agent-1")
    plain.update(theirs, event(theirs, "update"), expected_version=1)
    ours = complaint(version=2, assignee="agent-7")
    with pytest.raises(VersionConflict):
        DynamoDbComplaintRepository(TABLE_NAME, retried.client, trail_table=TRAIL_TABLE_NAME).update(
            ours, event(ours, "update"), expected_version=1
        )
    with pytest.raises(VersionConflict):
        plain.update(ours, event(ours, "update"), expected_version=1)
    assert plain.get("c-000001") == theirs


def test_a_write_whose_answer_was_lost_is_sent_again_with_its_token_and_answered_as_done(
    dynamodb: Any,
) -> None:
    client = AnswerLost(dynamodb)
    repository = DynamoDbComplaintRepository(TABLE_NAME, client, trail_table=TRAIL_TABLE_NAME)
    new = complaint()
    first = event(new)
    repository.create(new, first)
    assigned = complaint(version=2, assignee="agent-7")
    change = event(assigned, "update")
    client._lost = 1
    repository.update(assigned, change, expected_version=1)
    assert client.tokens == [write_token(first)] * 2 + [write_token(change)] * 2
    assert repository.get("c-000001") == assigned
    assert [item["id"]["S"] for item in trail(dynamodb, "c-000001")] == [first.id, change.id]


def test_a_write_never_answered_is_a_503_not_a_500(dynamodb: Any) -> None:
    class Unreachable(AnswerLost):
        def transact_write_items(self, **kwargs: Any) -> Any:
            self.tokens.append(kwargs["ClientRequestToken"])
            raise ReadTimeoutError(endpoint_url="https://dynamodb.test")

    client = Unreachable(dynamodb)
    with pytest.raises(ServiceUnavailable):
        DynamoDbComplaintRepository(TABLE_NAME, client, trail_table=TRAIL_TABLE_NAME).create(
            complaint(), event(complaint())
        )
    assert len(client.tokens) == 2 and len(set(client.tokens)) == 1


def test_a_write_whose_retry_was_refused_on_its_condition_is_answered_as_done(dynamodb: Any) -> None:
    """The answer of the first attempt is lost; the second, run again by an emulator that ignores
    the token, is cancelled on its condition: the adapter finds its own event and answers done."""
    repository = DynamoDbComplaintRepository(
        TABLE_NAME, AnswerLost(dynamodb, lost=5), trail_table=TRAIL_TABLE_NAME
    )
    new = complaint()
    repository.create(new, event(new))
    assert repository.get(new.id) == new
