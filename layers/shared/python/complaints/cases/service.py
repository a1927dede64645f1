"""The case library's use cases: a complaint's most similar past cases, marking a resolved complaint
as a library case with its lesson, and searching the library.

Similar cases are looked for among the complaints of the same product line resolved in the last
`lookback` (three years by default: older handling teaches less, and retention removes them), by the
signatures of their texts (complaints/cases/signature.py). The library holds each case as it was when
marked: a lesson stays what it was even if the complaint is reopened later."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeGuard

from complaints.cases.models import (
    CaseRequest,
    CaseSearch,
    LibraryCase,
    LibraryCases,
    SimilarCases,
    library_case,
    similar_case,
)
from complaints.cases.ports import CaseIndex
from complaints.cases.signature import ranked, signature, similarity
from complaints.core.auth import Caller, Permission
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import Conflict
from complaints.core.models import Complaint, LibraryMark, Status
from complaints.intake.lifecycle import Action

DEFAULT_LOOKBACK = timedelta(days=3 * 365)
MAX_SIMILAR = 20
# Below this the texts share little more than the words of any complaint about the product line.
MIN_SIMILARITY = 0.1
_RESOLVED = frozenset({Status.RESOLVED, Status.CLOSED})


class AlreadyACase(Conflict):
    code = "already_a_case"


class ComplaintChanges(Protocol):
    """The complaint service's part the library uses: read with access checks, change with an audit."""

    def read(self, complaint_id: str, caller: Caller) -> Complaint: ...

    def change(
        self,
        complaint_id: str,
        action: Action,
        caller: Caller,
        expected_version: int | None,
        mutate: Callable[[Complaint, datetime], dict[str, Any]],
        data: dict[str, Any] | None = None,
    ) -> Complaint: ...


class CaseLibrary:
    def __init__(
        self,
        complaints: ComplaintChanges,
        index: CaseIndex,
        clock: Clock = utc_now,
        lookback: timedelta = DEFAULT_LOOKBACK,
    ) -> None:
        self._complaints = complaints
        self._index = index
        self._clock = clock
        self._lookback = lookback

    def similar(self, complaint_id: str, caller: Caller, limit: int = 5) -> SimilarCases:
        """The resolved complaints most like this one (any team's: nothing personal is shown), most
        similar first. The caller must be staff who may read this complaint."""
        caller.require(Permission.LIST)
        complaint = self._complaints.read(complaint_id, caller)
        since = self._clock() - self._lookback
        candidates = (
            (other_id, data)
            for other_id, data in self._index.resolved_signatures(complaint.product, since)
            if other_id != complaint.id
        )
        compared, scores = ranked(signature(complaint.description), candidates)
        scored = [(score, other_id) for score, other_id in scores if score >= MIN_SIMILARITY]
        # Equal scores in a stable order (by id), so the same library answers the same way.
        best = heapq.nlargest(min(limit, MAX_SIMILAR), scored, key=lambda pair: (pair[0], pair[1]))
        score_of = {other_id: score for score, other_id in best}
        found = [
            other
            for other in self._index.complaints([other_id for _, other_id in best])
            if other.status in _RESOLVED and other.resolution is not None and other.erased_at is None
        ]
        return SimilarCases(
            complaint_id=complaint.id,
            product=complaint.product,
            compared=compared,
            items=[similar_case(other, round(min(score_of[other.id], 1.0), 3)) for other in found],
        )

    def mark(self, request: CaseRequest, caller: Caller) -> LibraryCase:
        """Make a resolved (or closed) complaint a library case: an audited change of the complaint,
        and the library's item in the same write. Once: a case already marked is a 409."""
        caller.require(Permission.REVIEW)
        current = self._complaints.read(request.complaint_id, caller)
        if _same_mark(current.library_case, request, caller):
            # A retry of a mark that was written (its answer lost): the case, not a refusal.
            return library_case(current, current.library_case)

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if current.library_case is not None:
                raise AlreadyACase(
                    f"complaint {current.id} is already a library case ({current.library_case.title!r})",
                    [{"field": "complaintId", "message": "is already a library case"}],
                )
            mark = LibraryMark(
                title=request.title,
                lesson=request.lesson,
                tags=request.tags,
                marked_by=caller.id,
                marked_at=now,
            )
            return {"library_case": mark}

        updated = self._complaints.change(
            request.complaint_id,
            Action.MARK_CASE,
            caller,
            request.version,
            mutate,
            data={"title": request.title},
        )
        mark = updated.library_case
        if mark is None:  # mutate sets it; a complaint service that dropped it is a bug
            raise RuntimeError(f"complaint {updated.id} was marked without its library case")
        return library_case(updated, mark)

    def search(self, query: CaseSearch, caller: Caller) -> LibraryCases:
        """Library cases matching the filters; with `q`, the most relevant first (the signature of the
        case's title, lesson, summary, root cause and tags, and a bonus when the words appear as typed),
        otherwise the most recently marked first."""
        caller.require(Permission.LIST)
        cases = [
            case
            for case in self._index.library_cases(query.marked_from, query.marked_to)
            if (query.product is None or case.product is query.product)
            and (query.category is None or case.category is query.category)
        ]
        if query.q:
            wanted = signature(query.q).as_mapping()
            needle = query.q.casefold()
            ranked = []
            for case in cases:
                words = " ".join([case.title, case.lesson, case.summary, case.root_cause, *case.tags])
                score = similarity(wanted, signature(words)) + (0.5 if needle in words.casefold() else 0.0)
                if score > 0:
                    ranked.append((score, case))
            ranked.sort(key=lambda pair: (-pair[0], -pair[1].marked_at.timestamp()))
            cases = [case for _, case in ranked]
        return LibraryCases(items=cases[: query.limit], total=len(cases))


def _same_mark(mark: LibraryMark | None, request: CaseRequest, caller: Caller) -> TypeGuard[LibraryMark]:
    return (
        mark is not None
        and mark.marked_by == caller.id
        and (mark.title, mark.lesson, mark.tags) == (request.title, request.lesson, request.tags)
    )
