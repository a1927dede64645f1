"""What the case library shows: past cases without the customer's personal data (no customer, contact
details, description, attachments or notes) — what was wrong, what was done and how long it took."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from complaints.core.models import (
    ApiModel,
    CaseLessonText,
    CaseTag,
    CaseTitle,
    Category,
    Complaint,
    LibraryMark,
    Outcome,
    Product,
    Redress,
    Status,
    UtcDatetime,
)


class CaseRequest(ApiModel):
    """`POST /v1/cases`: make a resolved complaint a case of the library."""

    complaint_id: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w-]+$")]
    title: CaseTitle = Field(description="what the case is, in a line")
    lesson: CaseLessonText = Field(description="what handlers should learn from it")
    tags: list[CaseTag] = Field(default_factory=list, max_length=10)
    version: int | None = Field(
        default=None, ge=1, description="the complaint's version read; a stale one is a 409"
    )


class CaseSearch(ApiModel):
    """`GET /v1/cases`' filters."""

    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    product: Product | None = None
    category: Category | None = None
    marked_from: UtcDatetime | None = None
    marked_to: UtcDatetime | None = None
    limit: int = Field(default=20, ge=1, le=100)


class CaseLesson(ApiModel):
    """The library's lesson on a case, as a similar case shows it."""

    title: str
    lesson: str
    tags: list[str]


class PastCase(ApiModel):
    """A resolved complaint as the library shows it."""

    complaint_id: str
    reference: str
    status: Status
    category: Category
    product: Product
    outcome: Outcome
    summary: str
    root_cause: str
    redress: Redress | None = None
    received_at: UtcDatetime
    resolved_at: UtcDatetime
    days_to_resolve: float = Field(description="from receipt to the (latest) resolution, in days")
    escalation_level: int
    reopen_count: int
    rating: int | None = Field(default=None, description="the customer's latest rating of it, 1–5")


class SimilarCase(PastCase):
    similarity: float = Field(ge=0, le=1, description="how alike the two complaints' texts are")
    library_case: CaseLesson | None = Field(default=None, description="the lesson, when it is a library case")


class SimilarCases(ApiModel):
    complaint_id: str
    product: Product = Field(description="the product line searched: past cases of the same line")
    compared: int = Field(description="how many resolved complaints were compared")
    items: list[SimilarCase]


class LibraryCase(PastCase):
    """A case of the library: the past case as it was when marked, and its lesson."""

    title: str
    lesson: str
    tags: list[str]
    marked_by: str
    marked_at: UtcDatetime


class LibraryCases(ApiModel):
    items: list[LibraryCase]
    total: int = Field(description="library cases matching the filters (the first `limit` are listed)")


def past_case(complaint: Complaint) -> dict[str, object]:
    """The fields of a resolved complaint the library shows (its caller checked it has a resolution)."""
    resolution, resolved_at = complaint.resolution, complaint.resolved_at
    if resolution is None or resolved_at is None:
        raise ValueError(f"complaint {complaint.id} has no resolution")
    ratings = [feedback.rating for feedback in complaint.feedback]
    return {
        "complaint_id": complaint.id,
        "reference": complaint.reference,
        "status": complaint.status,
        "category": complaint.category,
        "product": complaint.product,
        "outcome": resolution.outcome,
        "summary": resolution.summary,
        "root_cause": resolution.root_cause,
        "redress": resolution.redress,
        "received_at": complaint.received_at,
        "resolved_at": resolved_at,
        "days_to_resolve": round((resolved_at - complaint.received_at).total_seconds() / 86400, 1),
        "escalation_level": complaint.escalation_level,
        "reopen_count": complaint.reopen_count,
        "rating": ratings[-1] if ratings else None,
    }


def library_case(complaint: Complaint, mark: LibraryMark) -> LibraryCase:
    return LibraryCase.model_validate(
        past_case(complaint)
        | {
            "title": mark.title,
            "lesson": mark.lesson,
            "tags": mark.tags,
            "marked_by": mark.marked_by,
            "marked_at": mark.marked_at,
        }
    )


def similar_case(complaint: Complaint, similarity: float) -> SimilarCase:
    mark = complaint.library_case
    lesson = None if mark is None else CaseLesson(title=mark.title, lesson=mark.lesson, tags=mark.tags)
    return SimilarCase.model_validate(
        past_case(complaint) | {"similarity": similarity, "library_case": lesson}
    )
