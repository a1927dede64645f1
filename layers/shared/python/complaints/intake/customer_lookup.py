"""A channel app checks, before it submits, whether the customer in front of it already has an open
complaint (docs/architecture.md §1, "Access rules").

A channel app reads only the complaints it submitted; this is its one window on the others, and it is
kept narrow. The app names the customer (`customerId`) and proves it is serving them with a contact
detail the bank holds for them (their phone or e-mail, in the body, never in the URL or the logs). It
learns only the open complaints whose stored contact is that one, and of each only what it needs to
avoid a repeated submission: reference, status, channel, category, receipt time. Never a description,
a name, another contact or staff data. A wrong contact detail, an unknown customer and a customer with
nothing open get the same answer: no items.
"""

from __future__ import annotations

import unicodedata

from pydantic import EmailStr, Field, ValidationError, model_validator

from complaints.core.models import ApiModel, Category, Channel, Complaint, E164Phone, Status, UtcDatetime
from complaints.core.paging import MAX_PAGE_SIZE
from complaints.intake.lifecycle import OPEN_STATUSES
from complaints.intake.ports import ComplaintQuery, ComplaintRepository

# The customer's most recent complaints looked at: a customer with more than this many has the
# older ones left out (they would have been submitted years ago).
LOOKUP_PAGES = 5


class CustomerLookupRequest(ApiModel):
    """The contact detail that proves the app is serving the customer: exactly one of the two."""

    phone: E164Phone | None = Field(default=None, description="the customer's phone, E.164")
    email: EmailStr | None = Field(default=None, description="the customer's e-mail address")

    @model_validator(mode="after")
    def _exactly_one(self) -> CustomerLookupRequest:
        if (self.phone is None) == (self.email is None):
            raise ValueError("give exactly one of phone or email: a contact detail the bank holds")
        return self


class OpenComplaintSummary(ApiModel):
    """What a channel app may know of a customer's open complaint: enough to not submit it twice."""

    reference: str
    status: Status
    channel: Channel
    category: Category
    received_at: UtcDatetime


class OpenComplaints(ApiModel):
    items: list[OpenComplaintSummary] = Field(description="open complaints, newest received first")


def holds_contact(complaint: Complaint, request: CustomerLookupRequest) -> bool:
    """Whether the complaint's customer was recorded with the contact detail given."""
    customer = complaint.customer
    if request.phone is not None:
        return customer.phone == request.phone
    return (
        request.email is not None
        and customer.email is not None
        and customer.email.casefold() == request.email.casefold()
    )


def open_complaints(
    repository: ComplaintRepository, customer_id: str, request: CustomerLookupRequest
) -> OpenComplaints:
    try:  # the customer id as intake stored it (identifiers are NFKC-normalised: core/models)
        query = ComplaintQuery(customer_id=unicodedata.normalize("NFKC", customer_id), limit=MAX_PAGE_SIZE)
    except ValidationError:  # no complaint can have been stored under it
        return OpenComplaints(items=[])
    found: list[OpenComplaintSummary] = []
    for _ in range(LOOKUP_PAGES):
        page = repository.list(query)
        found.extend(
            OpenComplaintSummary(
                reference=complaint.reference,
                status=complaint.status,
                channel=complaint.channel,
                category=complaint.category,
                received_at=complaint.received_at,
            )
            for complaint in page.items
            if complaint.status in OPEN_STATUSES and holds_contact(complaint, request)
        )
        if page.next_token is None:
            break
        query = query.model_copy(update={"next_token": page.next_token})
    return OpenComplaints(items=found)
