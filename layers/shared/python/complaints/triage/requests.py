"""What a caller sends to preview triage (POST /v1/triage/preview): kept apart from the model's code, so
the API's routes declare it without loading the model."""

from __future__ import annotations

from pydantic import Field

from complaints.core.models import (
    ApiModel,
    Category,
    Channel,
    Description,
    Identifier,
    Language,
    Product,
    Segment,
)


class PreviewCustomer(ApiModel):
    segment: Segment | None = Field(default=None, description="e.g. private (the priority lane), vulnerable")
    customer_id: Identifier | None = Field(
        default=None, description="the bank's customer id: their recent complaints count (`repeat`)"
    )


class TriagePreviewRequest(ApiModel):
    description: Description
    language: Language | None = Field(default=None, description="detected from the text when left out")
    channel: Channel | None = Field(default=None, description="the channel it would come through (routing)")
    category: Category | None = Field(default=None, description="as a channel app would give it: kept")
    product: Product | None = Field(default=None, description="as a channel app would give it: kept")
    customer: PreviewCustomer | None = None
