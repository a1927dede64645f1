"""The DynamoDB repository against moto: atomic writes, conditional updates, GSI listing, paging."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto_tables import TRAIL_TABLE_NAME

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.core.errors import InvalidInput, NotFound, ReferenceTaken, ServiceUnavailable, VersionConflict
from complaints.core.models import (
    Actor,
    AuditEvent,
    Category,
    Channel,
    Complaint,
    Complexity,
    Customer,
    Deadlines,
    FieldChange,
    Priority,
    Product,
    SlaPolicyName,
    Status,
)
from complaints.intake.ports import ComplaintQuery

TableKeys = Callable[[], set[tuple[str, str]]]
_EVENT_IDS = itertools.count(1)
NOW = datetime.now(UTC).replace(microsecond=0)


def complaint(
    complaint_id: str,
    *,
    received_at: datetime = NOW,
    reference: str | None = None,
    status: Status = Status.RECEIVED,
    channel: Channel = Channel.COUNTER,
    category: Category = Category.SERVICE,
    assignee: str | None = None,
    customer_id: str = "C-1",
    version: int = 1,
) -> Complaint:
    return Complaint(
        id=complaint_id,
        reference=reference or f"CG-{received_at:%y%m%d}-{complaint_id[-6:].upper():0>6}",
        status=status,
        channel=channel,
        category=category,
        product=Product.CREDIT_CARD,
        priority=Priority.NORMAL,
        complexity=Complexity.SIMPLE,
        customer=Customer(customer_id=customer_id, name="Li Wei", phone="+8613800138000"),
        description="Charged twice.",
        received_at=received_at,
        created_at=received_at,
        updated_at=received_at,
        sla_policy=SlaPolicyName.SEED,
        deadlines=Deadlines(
            first_response_due_at=received_at + timedelta(hours=24),
            resolution_due_at=received_at + timedelta(hours=48),
        ),
        assignee=assignee,
        submitted_by="counter-app",
        version=version,
    )


def event(
    item: Complaint, action: str = "receive", changes: dict[str, FieldChange] | None = None
) -> AuditEvent:
    return AuditEvent(
        # A new id for every write, as the service draws them: the adapter tells its own committed
        # write from another one by the event it carried.
        id=f"ev-{item.id}-{item.version}-{next(_EVENT_IDS)}",
        complaint_id=item.id,
        version=item.version,
        action=action,
        actor=Actor(id="agent-7", roles=["agent"]),
        at=item.updated_at,
        changes=changes or {},
    )


def changed(item: Complaint, **fields: Any) -> Complaint:
    return item.model_copy(update={**fields, "version": item.version + 1})


class RecordingClient:
    """Passes calls through to the real (moto) client and remembers them."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._client, name)

        def call(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return target(**kwargs)

        return call


# --- create -----------------------------------------------------------------------------------------


def test_create_writes_the_complaint_its_first_event_and_its_reference(
    repository: DynamoDbComplaintRepository, table_keys: TableKeys
) -> None:
    new = complaint("c-000001", reference="CG-260302-ABC123")
    first = event(new)
    repository.create(new, first)
    # the customer's phone, as a digest, keyed by receipt: how triage finds them from another channel
    phone = hashlib.sha256(b"phone:+8613800138000").hexdigest()[:40]
    received = new.received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert table_keys() == {
        ("COMPLAINT#c-000001", "COMPLAINT"),
        ("trail", "c-000001#1"),
        ("REFERENCE#CG-260302-ABC123", "REFERENCE"),
        (f"CONTACT#{phone}", f"{received}#c-000001"),
    }
    assert repository.get("c-000001") == new
    (stored_event,) = repository.events("c-000001", 10, None).items
    assert stored_event == first


def test_the_same_phone_finds_the_other_complaints_since_a_time_under_any_customer_id(
    repository: DynamoDbComplaintRepository,
) -> None:
    old = complaint("c-000010", customer_id="C-A", received_at=NOW - timedelta(days=40))
    recent = complaint("c-000011", customer_id="CARD-1", received_at=NOW - timedelta(days=2))
    other_phone = complaint("c-000012", customer_id="C-A", received_at=NOW - timedelta(days=1)).model_copy(
        update={"customer": Customer(customer_id="C-A", name="Li Wei", phone="+8613800138999")}
    )
    new = complaint("c-000013", customer_id="C-B", received_at=NOW)
    for item in (old, recent, other_phone, new):
        repository.create(item, event(item))
    found = repository.same_contact_since(new, NOW - timedelta(days=30))
    assert [item.id for item in found] == ["c-000011"]  # not itself, not 40 days back, not another phone


def test_complaint_round_trips_every_field(repository: DynamoDbComplaintRepository) -> None:
    new = complaint("c-000002").model_copy(
        update={"subcategory": "ATM", "team": "cards", "paused_seconds": 3600, "escalation_level": 2}
    )
    repository.create(new, event(new))
    assert repository.get("c-000002") == new


def test_a_duplicate_reference_is_refused_and_nothing_is_written(
    repository: DynamoDbComplaintRepository, table_keys: TableKeys
) -> None:
    first = complaint("c-000001", reference="CG-260302-SAME00")
    repository.create(first, event(first))
    before = table_keys()
    second = complaint("c-000002", reference="CG-260302-SAME00")
    with pytest.raises(ReferenceTaken):
        repository.create(second, event(second))
    assert table_keys() == before
    with pytest.raises(NotFound):
        repository.get("c-000002")


def test_an_existing_id_is_refused_and_its_reference_not_taken(
    repository: DynamoDbComplaintRepository, table_keys: TableKeys
) -> None:
    first = complaint("c-000001", reference="CG-260302-FIRST0")
    repository.create(first, event(first))
    before = table_keys()
    again = complaint("c-000001", reference="CG-260302-OTHER0")
    with pytest.raises(VersionConflict):
        repository.create(again, event(again))
    assert table_keys() == before
    assert repository.get("c-000001").reference == "CG-260302-FIRST0"


def test_get_unknown_is_not_found(repository: DynamoDbComplaintRepository) -> None:
    with pytest.raises(NotFound):
        repository.get("nobody")


# --- update -----------------------------------------------------------------------------------------


def test_update_replaces_the_complaint_and_appends_an_event(repository: DynamoDbComplaintRepository) -> None:
    new = complaint("c-000001")
    repository.create(new, event(new))
    assigned = changed(new, assignee="agent-7", status=Status.ACKNOWLEDGED)
    repository.update(
        assigned, event(assigned, "update", {"assignee": FieldChange(after="agent-7")}), expected_version=1
    )
    stored = repository.get("c-000001")
    assert stored.version == 2
    assert stored.assignee == "agent-7"
    assert stored.status is Status.ACKNOWLEDGED
    events = repository.events("c-000001", 10, None).items
    assert [(e.version, e.action) for e in events] == [(1, "receive"), (2, "update")]
    assert events[1].changes["assignee"].after == "agent-7"


def test_update_with_a_stale_version_writes_neither_complaint_nor_event(
    repository: DynamoDbComplaintRepository, table_keys: TableKeys
) -> None:
    new = complaint("c-000001")
    repository.create(new, event(new))
    v2 = changed(new, team="cards")
    repository.update(v2, event(v2, "update"), expected_version=1)
    before = table_keys()

    # someone else's change, computed from the version-1 copy they read
    stale = changed(new, team="loans")
    stale = stale.model_copy(update={"version": 3})
    with pytest.raises(VersionConflict) as caught:
        repository.update(stale, event(stale, "update"), expected_version=1)
    assert caught.value.details[0]["field"] == "version"
    assert table_keys() == before  # no event c-000001#3
    stored = repository.get("c-000001")
    assert stored.version == 2
    assert stored.team == "cards"


def test_an_update_moves_the_complaint_between_index_partitions(
    repository: DynamoDbComplaintRepository,
) -> None:
    new = complaint("c-000001")
    repository.create(new, event(new))
    moved = changed(new, status=Status.IN_PROGRESS, assignee="agent-9")
    repository.update(moved, event(moved, "update"), expected_version=1)
    assert repository.list(ComplaintQuery(status=Status.RECEIVED)).items == []
    assert [c.id for c in repository.list(ComplaintQuery(status=Status.IN_PROGRESS)).items] == ["c-000001"]
    assert [c.id for c in repository.list(ComplaintQuery(assignee="agent-9")).items] == ["c-000001"]


# --- listing ----------------------------------------------------------------------------------------


@pytest.fixture
def stocked(repository: DynamoDbComplaintRepository) -> dict[str, Complaint]:
    """Six complaints an hour apart; c1 is the oldest, c6 the newest."""
    specs = {
        "c1": {"status": Status.RECEIVED, "channel": Channel.COUNTER, "category": Category.SERVICE},
        "c2": {
            "status": Status.IN_PROGRESS,
            "channel": Channel.HOTLINE,
            "category": Category.PRODUCT,
            "assignee": "agent-7",
        },
        "c3": {
            "status": Status.RECEIVED,
            "channel": Channel.HOTLINE,
            "category": Category.CONDUCT,
            "customer_id": "C-2",
        },
        "c4": {
            "status": Status.IN_PROGRESS,
            "channel": Channel.MOBILE_APP,
            "category": Category.PRODUCT,
            "assignee": "agent-7",
            "customer_id": "C-2",
        },
        "c5": {
            "status": Status.RESOLVED,
            "channel": Channel.COUNTER,
            "category": Category.TECHNICAL,
            "assignee": "agent-8",
        },
        "c6": {"status": Status.RECEIVED, "channel": Channel.HOTLINE, "category": Category.PRODUCT},
    }
    made = {}
    for n, (complaint_id, spec) in enumerate(specs.items()):
        item = complaint(complaint_id, received_at=NOW - timedelta(hours=6 - n), **spec)
        repository.create(item, event(item))
        made[complaint_id] = item
    return made


def ids(items: list[Complaint]) -> list[str]:
    return [item.id for item in items]


@pytest.mark.parametrize(
    ("query", "index", "expected"),
    [
        (ComplaintQuery(status=Status.RECEIVED), "byStatus", ["c6", "c3", "c1"]),
        (ComplaintQuery(status=Status.IN_PROGRESS), "byStatus", ["c4", "c2"]),
        (ComplaintQuery(assignee="agent-7"), "byAssignee", ["c4", "c2"]),
        (ComplaintQuery(customer_id="C-2"), "byCustomer", ["c4", "c3"]),
        (ComplaintQuery(category=Category.PRODUCT), "byCategory", ["c6", "c4", "c2"]),
        (ComplaintQuery(channel=Channel.HOTLINE), "byChannel", ["c6", "c3", "c2"]),
        (ComplaintQuery(channel=Channel.EMAIL), "byChannel", []),
        (ComplaintQuery(), "byMonth", ["c6", "c5", "c4", "c3", "c2", "c1"]),
    ],
)
def test_each_filter_is_served_by_its_index_newest_first(
    dynamodb: Any, stocked: dict[str, Complaint], query: ComplaintQuery, index: str, expected: list[str]
) -> None:
    client = RecordingClient(dynamodb)
    page = DynamoDbComplaintRepository("complaints-test", client, trail_table=TRAIL_TABLE_NAME).list(query)
    assert ids(page.items) == expected
    if index != "byMonth":
        # (the unfiltered view may hand out a token to keep walking back through older months)
        assert page.next_token is None
    assert {name for name, _ in client.calls} <= {"query", "batch_get_item"}  # never a scan
    assert {kwargs["IndexName"] for name, kwargs in client.calls if name == "query"} == {index}
    # The index holds keys and filters only: the page's complaints are read from the table, by key,
    # in one strongly consistent BatchGetItem.
    reads = [kwargs["RequestItems"] for name, kwargs in client.calls if name == "batch_get_item"]
    assert len(reads) == (1 if expected else 0)
    for read in reads:
        assert read["complaints-test"]["ConsistentRead"] is True
        assert len(read["complaints-test"]["Keys"]) == len(expected)


def test_listed_complaints_are_whole(
    repository: DynamoDbComplaintRepository, stocked: dict[str, Complaint]
) -> None:
    (listed,) = repository.list(ComplaintQuery(assignee="agent-8")).items
    assert listed == stocked["c5"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ComplaintQuery(status=Status.RECEIVED, channel=Channel.HOTLINE), ["c6", "c3"]),
        (
            ComplaintQuery(status=Status.IN_PROGRESS, category=Category.PRODUCT, channel=Channel.MOBILE_APP),
            ["c4"],
        ),
        (ComplaintQuery(customer_id="C-2", status=Status.RECEIVED), ["c3"]),
        (ComplaintQuery(assignee="agent-7", channel=Channel.HOTLINE), ["c2"]),
        (ComplaintQuery(category=Category.PRODUCT, channel=Channel.COUNTER), []),
    ],
)
def test_combined_filters(
    repository: DynamoDbComplaintRepository,
    stocked: dict[str, Complaint],
    query: ComplaintQuery,
    expected: list[str],
) -> None:
    assert ids(collect(repository, query)) == expected


def collect(repository: DynamoDbComplaintRepository, query: ComplaintQuery) -> list[Complaint]:
    """Every item over every page, following nextToken."""
    items: list[Complaint] = []
    token = None
    for _ in range(50):
        page = repository.list(query.model_copy(update={"next_token": token}))
        assert len(page.items) <= query.limit
        items.extend(page.items)
        token = page.next_token
        if token is None:
            return items
    raise AssertionError("paging never ended")


def test_pagination_returns_every_item_exactly_once_newest_first(
    repository: DynamoDbComplaintRepository,
) -> None:
    # Seven complaints five days apart: the unfiltered view has to walk back across a month boundary.
    made = []
    for n in range(7):
        item = complaint(f"p{n}", received_at=NOW - timedelta(days=5 * n, minutes=n), channel=Channel.EMAIL)
        repository.create(item, event(item))
        made.append(item.id)
    newest_first = made  # p0 is the newest

    pages = []
    token = None
    while True:
        page = repository.list(ComplaintQuery(limit=3, next_token=token))
        pages.append(ids(page.items))
        token = page.next_token
        if token is None:
            break
    flat = [complaint_id for page in pages for complaint_id in page]
    assert flat == newest_first
    assert pages[0] == ["p0", "p1", "p2"]

    assert ids(collect(repository, ComplaintQuery(channel=Channel.EMAIL, limit=2))) == newest_first


def test_pagination_with_a_filter_the_index_cannot_serve(
    repository: DynamoDbComplaintRepository, stocked: dict[str, Complaint]
) -> None:
    # byStatus serves the status; the channel is a filter applied after the index's Limit.
    query = ComplaintQuery(status=Status.RECEIVED, channel=Channel.HOTLINE, limit=1)
    assert ids(collect(repository, query)) == ["c6", "c3"]


def test_complaints_received_in_the_same_second_are_listed_newest_first(
    repository: DynamoDbComplaintRepository,
) -> None:
    whole_second = NOW - timedelta(hours=1)
    half_a_second_later = whole_second + timedelta(milliseconds=500)
    older = complaint("s-older", received_at=whole_second)
    newer = complaint("s-newer", received_at=half_a_second_later)
    for item in (older, newer):
        repository.create(item, event(item))
    assert ids(repository.list(ComplaintQuery(channel=Channel.COUNTER)).items) == ["s-newer", "s-older"]


def test_a_token_from_another_query_is_invalid_input(
    repository: DynamoDbComplaintRepository, stocked: dict[str, Complaint]
) -> None:
    page = repository.list(ComplaintQuery(status=Status.RECEIVED, limit=1))
    assert page.next_token is not None
    with pytest.raises(InvalidInput) as caught:
        repository.list(ComplaintQuery(status=Status.IN_PROGRESS, limit=1, next_token=page.next_token))
    assert caught.value.details[0]["field"] == "nextToken"
    # the same token with its own query still works
    rest = repository.list(ComplaintQuery(status=Status.RECEIVED, limit=1, next_token=page.next_token))
    assert ids(rest.items) == ["c3"]


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "!!!!",
        base64.urlsafe_b64encode(b"[1, 2, 3]").decode(),
        base64.urlsafe_b64encode(json.dumps({"f": "0000000000000000", "k": None}).encode()).decode(),
    ],
)
def test_a_garbage_token_is_invalid_input(
    repository: DynamoDbComplaintRepository, stocked: dict[str, Complaint], token: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        repository.list(ComplaintQuery(status=Status.RECEIVED, next_token=token))
    assert caught.value.status == 400
    assert caught.value.details[0]["field"] == "nextToken"


# --- events -----------------------------------------------------------------------------------------


def test_events_are_oldest_first_and_page(repository: DynamoDbComplaintRepository) -> None:
    current = complaint("c-000001")
    repository.create(current, event(current))
    for action in ("respond", "update", "escalate", "resolve"):
        following = changed(current)
        repository.update(following, event(following, action), expected_version=current.version)
        current = following
    everything = repository.events("c-000001", 100, None)
    assert [(e.version, e.action) for e in everything.items] == [
        (1, "receive"),
        (2, "respond"),
        (3, "update"),
        (4, "escalate"),
        (5, "resolve"),
    ]
    assert everything.next_token is None

    first = repository.events("c-000001", 2, None)
    assert [e.version for e in first.items] == [1, 2]
    assert first.next_token is not None
    second = repository.events("c-000001", 2, first.next_token)
    assert [e.version for e in second.items] == [3, 4]
    with pytest.raises(InvalidInput):
        repository.events("c-000002", 2, first.next_token)


def test_events_of_one_complaint_only(repository: DynamoDbComplaintRepository) -> None:
    for complaint_id in ("a-000001", "a-000002"):
        item = complaint(complaint_id)
        repository.create(item, event(item))
    assert [e.complaint_id for e in repository.events("a-000001", 10, None).items] == ["a-000001"]


# --- throttling -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]
)
def test_throttled_reads_become_service_unavailable(dynamodb: Any, code: str) -> None:
    repository = DynamoDbComplaintRepository("complaints-test", dynamodb, trail_table=TRAIL_TABLE_NAME)
    with Stubber(dynamodb) as stub:
        stub.add_client_error("get_item", service_error_code=code, http_status_code=400)
        stub.add_client_error("query", service_error_code=code, http_status_code=400)
        with pytest.raises(ServiceUnavailable) as caught:
            repository.get("c-000001")
        assert caught.value.status == 503
        with pytest.raises(ServiceUnavailable):
            repository.list(ComplaintQuery(status=Status.RECEIVED))


def test_throttled_writes_become_service_unavailable_and_write_nothing(
    dynamodb: Any, table_keys: TableKeys
) -> None:
    repository = DynamoDbComplaintRepository("complaints-test", dynamodb, trail_table=TRAIL_TABLE_NAME)
    new = complaint("c-000001")
    with Stubber(dynamodb) as stub:
        stub.add_client_error(
            "transact_write_items",
            service_error_code="ProvisionedThroughputExceededException",
            http_status_code=400,
        )
        with pytest.raises(ServiceUnavailable):
            repository.create(new, event(new))
    assert table_keys() == set()


def test_a_transaction_cancelled_for_throttling_is_service_unavailable(dynamodb: Any) -> None:
    class Throttled:
        def get_item(self, **_: Any) -> dict[str, Any]:
            # the complaint's chain head, read before the update
            return {"Item": {"version": {"N": "1"}, "trailHead": {"S": "0" * 64}, "trailSalt": {"S": "salt"}}}

        def transact_write_items(self, **_: Any) -> None:
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                    "CancellationReasons": [
                        {"Code": "None"},
                        {"Code": "ThrottlingError", "Message": "Throughput exceeds the current capacity"},
                        {"Code": "None"},
                    ],
                },
                "TransactWriteItems",
            )

    repository = DynamoDbComplaintRepository("complaints-test", Throttled(), trail_table=TRAIL_TABLE_NAME)
    new = complaint("c-000001")
    with pytest.raises(ServiceUnavailable):
        repository.create(new, event(new))
    with pytest.raises(ServiceUnavailable):
        repository.update(changed(new), event(changed(new)), expected_version=1)


def test_other_aws_errors_are_not_disguised(dynamodb: Any) -> None:
    repository = DynamoDbComplaintRepository("complaints-test", dynamodb, trail_table=TRAIL_TABLE_NAME)
    with Stubber(dynamodb) as stub:
        stub.add_client_error("get_item", service_error_code="AccessDeniedException", http_status_code=400)
        with pytest.raises(ClientError):
            repository.get("c-000001")
