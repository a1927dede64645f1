"""The customer's side of a complaint: the tracking link, the customer view, satisfaction and 回访.

The link in every message carries a token signed by the bank's tracking key, with the key's id and an
expiry (tracking/links.py). Whoever holds the link may see that one complaint as the customer
sees it — reference, status, deadlines and the public messages of its audit trail, never internal notes,
staff names or contact details — rate a resolution (once per resolution), reopen a resolved complaint
or accept its outcome, answer what the bank asked for while it waits on them (which restarts the clock)
and withdraw the complaint. A wrong or missing token is refused with the same 403 whether the
complaint exists or not; so is an expired one, once its complaint has been closed or withdrawn for
180 days (an open complaint's links keep working while it is open).

A rating of 3 or less opens a follow-up (回访) that a supervisor completes within 48 hours. Every change
goes through `ComplaintService.change`, so it is versioned and recorded in the audit trail like any other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StringConstraints, field_validator, model_validator

from complaints.core.access import team_of
from complaints.core.auth import Caller, Role
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import Conflict, Forbidden, IllegalTransition, NotFound, VersionConflict
from complaints.core.models import (
    ApiModel,
    CleanText,
    Complaint,
    Deadlines,
    Feedback,
    FollowUp,
    FollowUpOutcome,
    FollowUpStatus,
    Identifier,
    Language,
    Rating,
    Status,
    UtcDatetime,
)
from complaints.core.paging import MAX_PAGE_SIZE
from complaints.intake.commands import Reason, ReasonRequest, VersionedRequest
from complaints.intake.lifecycle import OPEN_STATUSES, Action
from complaints.intake.ports import ComplaintRepository
from complaints.sla.escalation import closes_at, pause_ends_at
from complaints.sla.policies import calendar_for

if TYPE_CHECKING:
    # Only the type: the api function's routes import this module for its models at cold start, and
    # the service is built on first use (complaints/composition/api.py).
    from complaints.intake.service import ComplaintService
from complaints.tracking.links import TRACKING_LINK_LIFETIME, LinkKeys, verify_tracking_token

FOLLOW_UP_WINDOW = timedelta(hours=48)
LOW_RATING = 3  # this rating or less opens a follow-up
INVALID_LINK = "this tracking link is not valid: open the link in the latest message we sent you"
# The customer gives no version; a concurrent staff change is simply retried on the latest one.
_CUSTOMER_ATTEMPTS = 3

CUSTOMER = Caller(id="customer", roles=frozenset({Role.CUSTOMER}), permissions=frozenset())
"""The customer acting through the tracking link; the token is their credential, checked before this
caller acts (core/access: the customer's actions, nothing else)."""


# --- what the customer sees -----------------------------------------------------------------------

STATUS_LABELS: dict[Status, dict[Language, str]] = {
    Status.RECEIVED: {Language.ZH_CN: "已受理，等待处理", Language.EN: "Received — waiting to be handled"},
    Status.ACKNOWLEDGED: {Language.ZH_CN: "已答复，正在处理", Language.EN: "Answered — being handled"},
    Status.IN_PROGRESS: {Language.ZH_CN: "处理中", Language.EN: "Being handled"},
    Status.AWAITING_CUSTOMER: {
        Language.ZH_CN: "等待您补充信息",
        Language.EN: "Waiting for information from you",
    },
    Status.RESOLVED: {Language.ZH_CN: "已办结", Language.EN: "Resolved"},
    Status.CLOSED: {Language.ZH_CN: "已结案", Language.EN: "Closed"},
    Status.WITHDRAWN: {Language.ZH_CN: "已撤回", Language.EN: "Withdrawn"},
}


class TimelineKind(StrEnum):
    RECEIVED = "received"
    RESPONSE = "response"
    # A complex complaint's solution plan: what will be done (the message) and by when (the deadline).
    SOLUTION_PLAN = "solution_plan"
    # The bank asked the customer for something (a pause): what, in the entry's message.
    INFORMATION_REQUESTED = "information_requested"
    # The customer's own answer through the link, in the entry's message.
    CUSTOMER_REPLY = "customer_reply"
    RESOLVED = "resolved"
    ACCEPTED = "accepted"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"


# Audit actions the customer sees as a milestone, without the reasons staff gave for them.
_MILESTONES = {
    Action.RESOLVE.value: TimelineKind.RESOLVED,
    Action.CLOSE.value: TimelineKind.CLOSED,
    Action.REOPEN.value: TimelineKind.REOPENED,
    Action.WITHDRAW.value: TimelineKind.WITHDRAWN,
    Action.ACCEPT.value: TimelineKind.ACCEPTED,
}


class TimelineEntry(ApiModel):
    kind: TimelineKind
    at: UtcDatetime
    message: str | None = Field(default=None, description="the bank's message, for a response")


class CustomerFeedback(ApiModel):
    rating: Rating
    comment: str | None = None
    at: UtcDatetime


class TrackingView(ApiModel):
    """One complaint as its customer sees it through the tracking link."""

    id: str
    reference: str
    status: Status
    status_label: dict[Language, str] = Field(description="the status in plain words, zh-CN and en")
    language: Language = Field(description="the customer's language")
    description: str = Field(description="the complaint as the customer gave it")
    received_at: UtcDatetime
    deadlines: Deadlines
    time_zone: str = Field(description="where the policy's clock runs, e.g. Asia/Shanghai")
    first_responded_at: UtcDatetime | None = None
    resolved_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None
    timeline: list[TimelineEntry] = Field(description="public messages and milestones, oldest first")
    can_give_feedback: bool = Field(description="the current resolution may be rated")
    can_reopen: bool = Field(description="the complaint is resolved and may be reopened")
    feedback: CustomerFeedback | None = Field(
        default=None, description="the customer's rating of the current resolution, once given"
    )
    follow_up_due_at: UtcDatetime | None = Field(
        default=None, description="when a supervisor will have called the customer back (回访)"
    )
    information_needed: str | None = Field(
        default=None, description="while the bank waits on the customer: what it needs from them"
    )
    reply_by: UtcDatetime | None = Field(
        default=None,
        description="while the bank waits on the customer: when the pause ends and the clock restarts anyway",
    )
    can_reply: bool = Field(default=False, description="the bank waits on the customer, who may answer")
    can_accept: bool = Field(default=False, description="the outcome may be accepted (it may then be closed)")
    accepted_at: UtcDatetime | None = Field(
        default=None, description="when the customer accepted the outcome"
    )
    closes_at: UtcDatetime | None = Field(
        default=None, description="while resolved: when it closes by itself unless the customer disputes it"
    )
    can_withdraw: bool = Field(default=False, description="the complaint is open and may be withdrawn")


# --- what the customer and the supervisor send ----------------------------------------------------


class FeedbackRequest(ApiModel):
    rating: Rating
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), CleanText] | None = (
        None
    )

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class ReopenCategory(StrEnum):
    """What kind of dispute a customer's reopen is: `handling_wrong` (the complaint was handled
    wrongly: facts missed, rules misapplied) opens an accountability record against whoever resolved
    it; the others are a disagreement with the outcome or news the bank did not have."""

    OUTCOME_DISPUTED = "outcome_disputed"
    HANDLING_WRONG = "handling_wrong"
    NEW_INFORMATION = "new_information"


class CustomerReopenRequest(ApiModel):
    reason: Reason = Field(description="why the customer disputes the resolution")
    category: ReopenCategory = Field(
        default=ReopenCategory.OUTCOME_DISPUTED, description="what kind of dispute it is"
    )


class CustomerReplyRequest(ApiModel):
    """The customer's answer while the bank waits on them: a message, and the ids of files they
    attached first (POST /v1/track/{id}/attachments)."""

    # 2,000 characters as the rating's comment: the tracking paths take 24 KiB (percent-encoded, 18 KB).
    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), CleanText
    ] = Field(description="the customer's answer to what the bank asked for")
    attachment_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=20, description="files attached to the complaint for this answer"
    )


class CustomerWithdrawRequest(ApiModel):
    reason: Reason | None = Field(default=None, description="why, if the customer wishes to say")


class FollowUpRequest(VersionedRequest):
    outcome: FollowUpOutcome
    notes: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), CleanText
    ] = Field(description="what was said on the follow-up call")
    reopen: bool = Field(
        default=False,
        description=(
            "with outcome still_dissatisfied: reopen the resolved complaint as well (its reason: the "
            "notes), with the new resolution deadline a reopen gets"
        ),
    )

    @model_validator(mode="after")
    def _reopen_only_when_dissatisfied(self) -> FollowUpRequest:
        if self.reopen and self.outcome is not FollowUpOutcome.STILL_DISSATISFIED:
            raise ValueError("reopen: only with outcome still_dissatisfied")
        return self


class FollowUpAssignment(VersionedRequest):
    assignee: Identifier | None = Field(
        default=None,
        description="who of the team's supervisors (or a manager) is to make the call; left out: the "
        "caller takes it; null: back to the team's supervisors",
    )


class FeedbackAlreadyGiven(Conflict):
    code = "feedback_already_given"


# --- the use cases --------------------------------------------------------------------------------


def current_resolution(complaint: Complaint) -> int:
    """1 for the first resolution, 2 after one reopen …: a rating belongs to one of them."""
    return complaint.reopen_count + 1


def still_reachable(complaint: Complaint, now: datetime) -> bool:
    """Whether an expired link to `complaint` still opens: while it is open (a resolved complaint is
    open to its customer: they may rate or reopen it), and for TRACKING_LINK_LIFETIME after it was
    closed or withdrawn."""
    if complaint.status is Status.CLOSED:
        ended_at = complaint.closed_at
    elif complaint.status is Status.WITHDRAWN:
        ended_at = complaint.withdrawn_at
    else:
        return True
    return ended_at is not None and now < ended_at + TRACKING_LINK_LIFETIME


def _feedback_now(complaint: Complaint) -> Feedback | None:
    number = current_resolution(complaint)
    return next((f for f in complaint.feedback if f.resolution_number == number), None)


class TrackingService:
    def __init__(
        self,
        complaints: ComplaintService,
        repository: ComplaintRepository,
        keys: LinkKeys,
        clock: Clock = utc_now,
    ) -> None:
        self._complaints = complaints
        self._repository = repository
        self._keys = keys
        self._clock = clock

    def view(self, complaint_id: str, token: str | None) -> TrackingView:
        self._authorise(complaint_id, token)
        return self._view(self._complaints.get(complaint_id))

    def feedback(self, complaint_id: str, token: str | None, request: FeedbackRequest) -> TrackingView:
        self._authorise(complaint_id, token)

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if _feedback_now(current) is not None:
                raise FeedbackAlreadyGiven(
                    "this resolution was already rated; thank you",
                    [{"field": "rating", "message": "already given for this resolution"}],
                )
            given = Feedback(
                rating=request.rating,
                comment=request.comment,
                at=now,
                resolution_number=current_resolution(current),
            )
            changes: dict[str, Any] = {"feedback": [*current.feedback, given]}
            open_follow_up = current.follow_up is not None and current.follow_up.status is FollowUpStatus.OPEN
            if request.rating <= LOW_RATING and not open_follow_up:
                changes["follow_up"] = FollowUp(
                    status=FollowUpStatus.OPEN,
                    rating=request.rating,
                    opened_at=now,
                    due_at=now + FOLLOW_UP_WINDOW,
                    team=team_of(current),
                )
            return changes

        data = {"rating": request.rating, "lowRating": request.rating <= LOW_RATING}
        updated = self._as_customer(
            lambda: self._complaints.change(complaint_id, Action.FEEDBACK, CUSTOMER, None, mutate, data)
        )
        return self._view(updated)

    def reopen(self, complaint_id: str, token: str | None, request: CustomerReopenRequest) -> TrackingView:
        """The customer disputes the resolution: the reopen of the lifecycle, by the customer."""
        self._authorise(complaint_id, token)
        updated = self._as_customer(
            lambda: self._complaints.reopen(
                complaint_id,
                ReasonRequest(reason=request.reason),
                CUSTOMER,
                handling_wrong=request.category is ReopenCategory.HANDLING_WRONG,
            )
        )
        return self._view(updated)

    def reply(self, complaint_id: str, token: str | None, request: CustomerReplyRequest) -> TrackingView:
        """The customer answers while the bank waits on them: the clock restarts (a resume by them)."""
        self._authorise(complaint_id, token)
        updated = self._as_customer(
            lambda: self._complaints.customer_answer(
                complaint_id, request.message, request.attachment_ids, CUSTOMER
            )
        )
        return self._view(updated)

    def accept(self, complaint_id: str, token: str | None) -> TrackingView:
        """The customer accepts the outcome: staff may close the complaint before its cooling-off ends."""
        self._authorise(complaint_id, token)
        updated = self._as_customer(lambda: self._complaints.accept_outcome(complaint_id, CUSTOMER))
        return self._view(updated)

    def withdraw(
        self, complaint_id: str, token: str | None, request: CustomerWithdrawRequest
    ) -> TrackingView:
        """The customer withdraws their complaint: it ends now, at their request."""
        self._authorise(complaint_id, token)
        updated = self._as_customer(
            lambda: self._complaints.withdraw_for_customer(complaint_id, request.reason, CUSTOMER)
        )
        return self._view(updated)

    def complete_follow_up(self, complaint_id: str, request: FollowUpRequest, caller: Caller) -> Complaint:
        """Record the follow-up's outcome; with `reopen` (a customer still dissatisfied) the complaint
        is then reopened by the caller, as a reopen of its own in the audit trail: refused, with
        nothing recorded, unless the complaint is resolved (a closed one stays closed)."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if current.follow_up is None or current.follow_up.status is not FollowUpStatus.OPEN:
                raise IllegalTransition(
                    "this complaint has no open follow-up to complete",
                    [{"field": "followUp.status", "message": "no open follow-up"}],
                )
            if request.reopen and current.status is not Status.RESOLVED:
                raise IllegalTransition(
                    f"cannot reopen a complaint that is {current.status.value} from its follow-up: only "
                    "a resolved one reopens; complete the follow-up without reopen",
                    [{"field": "reopen", "message": f"the complaint is {current.status.value}"}],
                )
            completed = current.follow_up.model_copy(
                update={
                    "status": FollowUpStatus.COMPLETED,
                    "completed_at": now,
                    "completed_by": caller.id,
                    "outcome": request.outcome,
                    "notes": request.notes,
                }
            )
            return {"follow_up": completed}

        completed = self._complaints.change(
            complaint_id,
            Action.FOLLOW_UP,
            caller,
            request.version,
            mutate,
            data={"outcome": request.outcome.value} | ({"reopen": True} if request.reopen else {}),
        )
        if not request.reopen:
            return completed
        # Unversioned: the follow-up just written is the version the caller asked for.
        reopen = ReasonRequest(reason=request.notes)
        return self._complaints.reopen(complaint_id, reopen, caller)

    def assign_follow_up(self, complaint_id: str, request: FollowUpAssignment, caller: Caller) -> Complaint:
        """A supervisor takes an open follow-up (回访), names who of the team is to make the call, or
        gives it back to the team's supervisors; the one named is told (the supervisor topic, with
        their name as the `assignee` attribute)."""
        assignee = request.assignee if "assignee" in request.model_fields_set else caller.id
        data: dict[str, Any] = {"assignee": assignee}

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            follow_up = current.follow_up
            if follow_up is None or follow_up.status is not FollowUpStatus.OPEN:
                raise IllegalTransition(
                    "this complaint has no open follow-up to assign",
                    [{"field": "followUp.status", "message": "no open follow-up"}],
                )
            data["team"] = follow_up.team or team_of(current)
            return {"follow_up": follow_up.model_copy(update={"assignee": assignee})}

        return self._complaints.change(
            complaint_id, Action.ASSIGN_FOLLOW_UP, caller, request.version, mutate, data=data
        )

    def authorise(self, complaint_id: str, token: str | None) -> None:
        """Refuse (403) anything but a valid link to this complaint: the check of the customer's routes
        that live in their own capability (complaints/attachments)."""
        self._authorise(complaint_id, token)

    # --- helpers ----------------------------------------------------------------------------------

    def _authorise(self, complaint_id: str, token: str | None) -> None:
        # The signature is checked before the complaint is read: an unknown id and a wrong token look
        # the same. Only a link the bank signed for this complaint, past its expiry (or of the legacy
        # form), is looked up: it still opens while the complaint is open and for a while after.
        verified = verify_tracking_token(complaint_id, token, self._keys)
        if verified is None:
            raise Forbidden(INVALID_LINK)
        now = self._clock()
        if not verified.expired(now):
            return
        try:
            reachable = still_reachable(self._repository.get(complaint_id), now)
        except NotFound:
            reachable = False
        if not reachable:
            raise Forbidden(INVALID_LINK)

    @staticmethod
    def _as_customer(change: Callable[[], Complaint]) -> Complaint:
        for _ in range(_CUSTOMER_ATTEMPTS - 1):
            try:
                return change()
            except VersionConflict:
                continue  # staff changed it meanwhile; the change is re-checked on the latest version
        return change()

    def _view(self, complaint: Complaint) -> TrackingView:
        feedback = _feedback_now(complaint)
        follow_up = complaint.follow_up
        waiting = complaint.status is Status.AWAITING_CUSTOMER
        accepted = complaint.customer_acceptance
        return TrackingView(
            id=complaint.id,
            reference=complaint.reference,
            status=complaint.status,
            status_label=STATUS_LABELS[complaint.status],
            language=complaint.customer.language,
            description=complaint.description,
            received_at=complaint.received_at,
            deadlines=complaint.deadlines,
            time_zone=calendar_for(complaint.sla_policy).time_zone,
            first_responded_at=complaint.first_responded_at,
            resolved_at=complaint.resolved_at,
            closed_at=complaint.closed_at,
            timeline=self._timeline(complaint),
            can_give_feedback=complaint.status in {Status.RESOLVED, Status.CLOSED} and feedback is None,
            can_reopen=complaint.status is Status.RESOLVED,
            feedback=CustomerFeedback(rating=feedback.rating, comment=feedback.comment, at=feedback.at)
            if feedback
            else None,
            follow_up_due_at=follow_up.due_at
            if follow_up and follow_up.status is FollowUpStatus.OPEN
            else None,
            information_needed=complaint.pause_needed if waiting else None,
            reply_by=pause_ends_at(complaint) if waiting else None,
            can_reply=waiting,
            can_accept=complaint.status is Status.RESOLVED and accepted is None,
            accepted_at=accepted.received_at if accepted else None,
            closes_at=closes_at(complaint),
            can_withdraw=complaint.status in OPEN_STATUSES,
        )

    def _timeline(self, complaint: Complaint) -> list[TimelineEntry]:
        """Public responses and milestones of the audit trail; internal notes, reasons and who did
        what stay with the staff."""
        entries = [TimelineEntry(kind=TimelineKind.RECEIVED, at=complaint.received_at)]
        next_token: str | None = None
        while True:
            page = self._repository.events(complaint.id, MAX_PAGE_SIZE, next_token)
            for event in page.items:
                if event.action == Action.RESPOND.value and event.data.get("public") is True:
                    message = event.data.get("message")
                    entries.append(
                        TimelineEntry(
                            kind=TimelineKind.RESPONSE,
                            at=event.at,
                            message=message if isinstance(message, str) else None,
                        )
                    )
                elif event.action == Action.SOLUTION_PLAN.value and isinstance(event.data.get("plan"), str):
                    entries.append(
                        TimelineEntry(
                            kind=TimelineKind.SOLUTION_PLAN, at=event.at, message=event.data["plan"]
                        )
                    )
                elif event.action == Action.PAUSE.value and isinstance(event.data.get("needed"), str):
                    entries.append(
                        TimelineEntry(
                            kind=TimelineKind.INFORMATION_REQUESTED, at=event.at, message=event.data["needed"]
                        )
                    )
                elif event.action == Action.RESUME.value and event.actor.id == CUSTOMER.id:
                    message = event.data.get("message")
                    entries.append(
                        TimelineEntry(
                            kind=TimelineKind.CUSTOMER_REPLY,
                            at=event.at,
                            message=message if isinstance(message, str) else None,
                        )
                    )
                elif event.action in _MILESTONES:
                    entries.append(TimelineEntry(kind=_MILESTONES[event.action], at=event.at))
            next_token = page.next_token
            if not next_token:
                break
        return sorted(entries, key=lambda entry: entry.at)
