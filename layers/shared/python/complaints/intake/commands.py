"""What callers ask for: the request bodies of the v1 API, validated before the domain sees them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from complaints.core.clock import utc_now
from complaints.core.models import (
    ApiModel,
    Category,
    Channel,
    CleanText,
    Complexity,
    Customer,
    Description,
    Identifier,
    LongText,
    Outcome,
    Priority,
    Product,
    ReceivedVia,
    Redress,
    ShortText,
    SlaPolicyName,
    UtcDatetime,
)

MAX_BACKDATING = timedelta(days=30)
# Channel clocks drift; a receipt time a few minutes ahead of ours is not "in the future".
CLOCK_SKEW = timedelta(minutes=5)
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), CleanText]
"""A free text: control (but tab and line feed) and bidi override characters are removed."""
Version = Annotated[int, Field(ge=1, description="the version you read; a stale one is refused with 409")]


class IntakeRequest(ApiModel):
    channel: Channel
    customer: Customer
    description: Description
    category: Category = Category.SERVICE
    subcategory: ShortText | None = None
    product: Product = Product.OTHER
    priority: Priority = Priority.NORMAL
    complexity: Complexity = Complexity.SIMPLE
    received_at: UtcDatetime | None = Field(
        default=None,
        description="when the bank received the complaint (e.g. a paper form at a counter); "
        "at most 30 days ago and not in the future; defaults to now",
    )
    sla_policy: SlaPolicyName | None = Field(
        default=None, description="overrides the deployment's SLA policy for this complaint"
    )

    @field_validator("customer")
    @classmethod
    def _not_erased(cls, value: Customer) -> Customer:
        if value.erased:
            raise ValueError(
                "erased is set by an erasure (POST /v1/customers/{customerId}/erasure), never here"
            )
        return value

    @field_validator("received_at")
    @classmethod
    def _received_recently(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        now = utc_now()
        if value > now + CLOCK_SKEW:
            raise ValueError("must not be in the future")
        if value < now - MAX_BACKDATING:
            raise ValueError("must be at most 30 days ago")
        return value


class VersionedRequest(ApiModel):
    version: Version | None = None


class UpdateRequest(VersionedRequest):
    """Triage and assignment. Only the fields given change; `version` guards against lost updates."""

    assignee: Identifier | None = None
    team: Identifier | None = None
    category: Category | None = None
    subcategory: ShortText | None = None
    product: Product | None = None
    priority: Priority | None = None
    complexity: Complexity | None = None
    reason: Reason | None = Field(
        default=None,
        description="why: required when a change of priority, complexity or product moves a deadline "
        "later, which is an extension (the extend permission; counted in `extensions`)",
    )

    @field_validator("category", "product", "priority", "complexity", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Omit a field to leave it as it is; these four always have a value (null unassigns only
        # assignee, team and subcategory).
        if value is None:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value


class ResponseRequest(VersionedRequest):
    message: LongText
    internal: bool = Field(
        default=False, description="an internal note for the audit trail; it is not sent to the customer"
    )


class ReasonRequest(VersionedRequest):
    reason: Reason


class ReopenRequest(ReasonRequest):
    handling_wrong: bool = Field(
        default=False,
        description="reopened because the complaint was handled wrongly: an accountability record opens "
        "against the handler and team who resolved it, in the same write as the reopen",
    )


class OptionalReasonRequest(VersionedRequest):
    reason: Reason | None = None


Needed = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), CleanText]
"""What the bank needs from the customer, in words the customer reads (it is sent to them)."""


class PauseRequest(VersionedRequest):
    """Wait for the customer: the clock stops until they answer, staff resume, or the policy's limit."""

    reason: Reason = Field(description="why the complaint cannot go on without the customer")
    needed: Needed = Field(description="what the customer is asked for; they are told this, and by when")
    until: UtcDatetime | None = Field(
        default=None,
        description="an earlier end of the pause than the policy's limit (the default, and the latest)",
    )


def _staff_recorded(value: ReceivedVia) -> ReceivedVia:
    if value is ReceivedVia.TRACKING_LINK:
        raise ValueError("is the customer's own way (their tracking link), which records itself")
    return value


StaffRecordedVia = Annotated[ReceivedVia, AfterValidator(_staff_recorded)]


class WithdrawRequest(VersionedRequest):
    """The customer's request to withdraw, as staff or the channel app received it."""

    received_via: StaffRecordedVia = Field(
        description="how the customer's request reached the bank (phone, letter, branch, email …)"
    )
    received_at: UtcDatetime = Field(description="when it reached the bank; the complaint ends then")
    reason: Reason | None = None


class CloseRequest(VersionedRequest):
    """Close a resolved complaint before its cooling-off period ends: only once the customer accepted
    the outcome, through their link or as recorded here (`receivedVia` and `receivedAt`)."""

    reason: Reason | None = None
    received_via: StaffRecordedVia | None = Field(
        default=None, description="how the customer's acceptance of the outcome reached the bank"
    )
    received_at: UtcDatetime | None = Field(default=None, description="when it reached the bank")


class SolutionPlanRequest(VersionedRequest):
    """The solution plan a complex complaint owes the customer (the seed policy: within 48 hours)."""

    plan: LongText = Field(
        description="what will be done, in words the customer reads (they are sent it); the bank's record, "
        "kept after a customer's erasure: no personal data beyond what the customer already knows"
    )
    resolve_by: UtcDatetime = Field(
        description="when it will be resolved: becomes the resolution deadline; in the future and within "
        "the policy's limit (seed: 15 days from receipt, 30 once a supervisor extends it)"
    )
    reason: Reason | None = Field(
        default=None,
        description="why: required when a revised plan moves the date later, which is an extension (the "
        "extend permission; counted in `extensions`)",
    )


class ResolveRequest(VersionedRequest):
    outcome: Outcome
    summary: LongText
    root_cause: ShortText
    redress: Redress | None = None


class SlaPreviewRequest(ApiModel):
    sla_policy: SlaPolicyName | None = Field(default=None, description="defaults to the deployment's policy")
    received_at: UtcDatetime = Field(description="any date, past or future")
    priority: Priority = Priority.NORMAL
    complexity: Complexity = Complexity.SIMPLE
    product: Product = Product.OTHER


class LegalHoldRequest(VersionedRequest):
    hold: bool = Field(description="true places the hold, false lifts it")
    reason: Reason = Field(description="the matter or investigation, and who asked")
