"""Complaints and accountability records built field by field: `received_at_t0` for tests of one
complaint's SLA (escalation, the tracker adapter), `complaint` and `record` for tests of what is computed
over many of them (KPIs, the quarterly report)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityStatus,
    Breach,
    Category,
    Channel,
    Complaint,
    Complexity,
    Customer,
    Deadlines,
    Feedback,
    Finding,
    Priority,
    Product,
    Resolution,
    SlaPolicyName,
    Status,
)

H = timedelta(hours=1)
RECORD_DUE = datetime(2026, 1, 1, tzinfo=UTC)
# Monday 2 March 2026, 01:00 UTC (09:00 in Shanghai), as in fakes.T0.
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def received_at_t0(**overrides: Any) -> Complaint:
    """A normal complaint received at T0 with the seed deadlines (first response T0 + 24 h, resolution
    T0 + 48 h); overrides by the API's field names (``trackerGeneration``, ``receivedAt`` …)."""
    fields: dict[str, Any] = {
        "id": "c-1",
        "reference": "CG-260302-ABCDEF",
        "status": Status.RECEIVED,
        "channel": "counter",
        "category": "service",
        "product": "other",
        "priority": Priority.NORMAL,
        "complexity": "simple",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "Charged twice for one transfer.",
        "receivedAt": T0,
        "createdAt": T0,
        "updatedAt": T0,
        "slaPolicy": "seed",
        "deadlines": {"firstResponseDueAt": T0 + 24 * H, "resolutionDueAt": T0 + 48 * H},
        "submittedBy": "counter-app",
    }
    return Complaint.model_validate(fields | overrides)


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def complaint(
    number: int,
    received: datetime,
    *,
    customer: str,
    channel: Channel = Channel.COUNTER,
    category: Category = Category.SERVICE,
    product: Product = Product.OTHER,
    priority: Priority = Priority.NORMAL,
    status: Status = Status.RECEIVED,
    responded: float | None = None,
    resolved: float | None = None,
    root_cause: str | None = None,
    ratings: tuple[int, ...] = (),
    team: str | None = None,
    breaches: tuple[str, ...] = (),
    **overrides: Any,
) -> Complaint:
    """A complaint whose first-response deadline is receipt + 24 h; `responded`/`resolved` are hours
    after receipt; ratings are given one hour apart after resolution, oldest first."""
    resolved_at = None if resolved is None else received + resolved * H
    fields: dict[str, Any] = {
        "id": f"cmp-{number}",
        "reference": f"CG-2026-{number:06d}",
        "status": status,
        "channel": channel,
        "category": category,
        "product": product,
        "priority": priority,
        "complexity": Complexity.SIMPLE,
        "customer": Customer(customer_id=customer, name="Li Wei", phone="+8613800138000"),
        "description": "The ATM kept my card.",
        "received_at": received,
        "created_at": received,
        "updated_at": received,
        "sla_policy": SlaPolicyName.SEED,
        "deadlines": Deadlines(first_response_due_at=received + 24 * H, resolution_due_at=received + 72 * H),
        "first_responded_at": None if responded is None else received + responded * H,
        "resolved_at": resolved_at,
        "closed_at": resolved_at + 24 * H if resolved_at and status is Status.CLOSED else None,
        "team": team,
        "breaches": [
            Breach(deadline=kind, due_at=received + 24 * H, detected_at=received + 25 * H)  # type: ignore[arg-type]
            for kind in breaches
        ],
        "resolution": None
        if root_cause is None
        else Resolution(outcome="upheld", summary="Fixed.", root_cause=root_cause),  # type: ignore[arg-type]
        "feedback": [
            Feedback(rating=rating, at=(resolved_at or received) + (i + 1) * H, resolution_number=1)
            for i, rating in enumerate(ratings)
        ],
        "submitted_by": "agent-1",
    }
    fields.update(overrides)
    return Complaint(**fields)


def record(
    number: int,
    complaint_id: str,
    reviewed: bool,
    *,
    assignee: str = "agent-1",
    team: str = "team-a",
    finding: Finding | None = None,
) -> AccountabilityRecord:
    return AccountabilityRecord(
        id=f"acc-{number}",
        complaint_id=complaint_id,
        reference="CG",
        deadline="resolution",
        due_at=RECORD_DUE,
        assignee=assignee,
        team=team,
        status=AccountabilityStatus.REVIEWED if reviewed else AccountabilityStatus.OPEN,
        opened_at=RECORD_DUE,
        finding=finding,
    )
