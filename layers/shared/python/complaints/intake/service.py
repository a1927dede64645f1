"""The use cases of the v1 API. Plain Python over the models and the repository port.

Every change follows one path (`_change`): read the complaint, check the caller's version, apply the
lifecycle table, bump `version`, record an audit event with the changed fields, and write both in one
conditional transaction. A stale version or an illegal transition changes nothing. A change sent
without a version is applied to the complaint as it is now: a write that got in between is not a
conflict, the change is read and applied again (`change`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from complaints.core import access
from complaints.core.auth import Caller, Role
from complaints.core.clock import Clock, IdGenerator, new_id, new_reference, utc_now
from complaints.core.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    ReferenceTaken,
    ServiceUnavailable,
    VersionConflict,
)
from complaints.core.models import (
    AccountabilityRecord,
    AccountabilityTrigger,
    Actor,
    AuditEvent,
    Complaint,
    CustomerRequest,
    Deadlines,
    FieldChange,
    LegalHold,
    Priority,
    ReceivedVia,
    Resolution,
    SlaPolicyName,
    SolutionPlan,
    Status,
)
from complaints.core.paging import Page
from complaints.intake import customer_lookup
from complaints.intake.commands import (
    CLOCK_SKEW,
    CloseRequest,
    IntakeRequest,
    LegalHoldRequest,
    OptionalReasonRequest,
    PauseRequest,
    ReasonRequest,
    ReopenRequest,
    ResolveRequest,
    ResponseRequest,
    SlaPreviewRequest,
    SolutionPlanRequest,
    UpdateRequest,
    WithdrawRequest,
)
from complaints.intake.customer_lookup import CustomerLookupRequest, OpenComplaints
from complaints.intake.lifecycle import Action, next_status
from complaints.intake.ports import ComplaintQuery, ComplaintRepository
from complaints.privacy.retention import RetentionSchedule, retain_until
from complaints.sla.accountability import OpenRequest, hand_opened_record, opened_record, record_id
from complaints.sla.escalation import (
    Step,
    at_risk_pending,
    closes_at,
    follow_up_due_at,
    intake_level,
    is_tracked,
    needs_new_tracker,
    pause_ends_at,
    reminder_at,
    step_due_at,
    steps_after_reopen,
)
from complaints.sla.on_time import answered_on_time
from complaints.sla.policies import (
    compute_deadlines,
    cooling_off_ends,
    extensions_allowed,
    local_date,
    pause_limit,
    resolution_due,
    shift,
)
from complaints.sla.ports import SlaTracker

log = logging.getLogger(__name__)

_REFERENCE_ATTEMPTS = 5
# An unversioned change re-read and reapplied at most this often when another write gets in between.
_UNVERSIONED_ATTEMPTS = 5
MAX_ESCALATION_LEVEL = 3
# Bookkeeping fields every change touches; the audit trail records what the change was about.
_UNTRACKED_FIELDS = frozenset({"version", "updatedAt"})

Mutation = Callable[[Complaint, datetime], dict[str, Any]]
# The accountability record a change opens (given the complaint before and after it), or None.
Opening = Callable[[Complaint, Complaint], AccountabilityRecord | None]

# The reasons the system gives for what it does by itself (audit `data.reason`).
PAUSE_LIMIT_REACHED = "pause limit reached"
COOLING_OFF_ENDED = "cooling-off period ended"


class AcceptanceRequired(Conflict):
    """Staff may close a resolved complaint before its cooling-off period ends only once the customer
    accepted the outcome."""

    code = "customer_acceptance_required"


def _actor(caller: Caller) -> Actor:
    return Actor(id=caller.id, roles=sorted(caller.roles))


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, FieldChange]:
    return {
        field: FieldChange(before=before.get(field), after=after.get(field))
        for field in sorted(before.keys() | after.keys())
        if field not in _UNTRACKED_FIELDS and before.get(field) != after.get(field)
    }


class ComplaintService:
    def __init__(
        self,
        repository: ComplaintRepository,
        tracker: SlaTracker,
        default_policy: SlaPolicyName = SlaPolicyName.SEED,
        clock: Clock = utc_now,
        ids: IdGenerator = new_id,
        references: Callable[[date], str] = new_reference,
        retention: RetentionSchedule | None = None,
    ) -> None:
        self._repository = repository
        self._tracker = tracker
        self._default_policy = default_policy
        self._clock = clock
        self._ids = ids
        self._references = references
        self._retention = retention or RetentionSchedule()

    # --- intake and reads -------------------------------------------------------------------------

    def intake(self, request: IntakeRequest, caller: Caller) -> Complaint:
        now = self._clock()
        received_at = request.received_at or now
        policy = request.sla_policy or self._default_policy
        complaint_id = self._ids()
        for _ in range(_REFERENCE_ATTEMPTS):
            complaint = Complaint(
                id=complaint_id,
                reference=self._references(local_date(policy, received_at)),
                status=Status.RECEIVED,
                channel=request.channel,
                category=request.category,
                subcategory=request.subcategory,
                product=request.product,
                priority=request.priority,
                complexity=request.complexity,
                customer=request.customer,
                description=request.description,
                # What the channel left out, triage fills in (complaints/triage).
                unclassified=[
                    name for name in ("category", "product") if name not in request.model_fields_set
                ],
                received_at=received_at,
                created_at=now,
                updated_at=now,
                sla_policy=policy,
                deadlines=compute_deadlines(
                    policy, received_at, request.priority, request.complexity, request.product
                ),
                submitted_by=caller.id,
                escalation_level=intake_level(request.priority),
                version=1,
            )
            event = self._event(complaint, Action.RECEIVE, caller, now, _diff({}, complaint.to_json()))
            try:
                self._repository.create(complaint, event)
            except ReferenceTaken:
                continue
            # A critical complaint starts escalated: the publisher announces that from its receipt.
            self._start_tracker(complaint)
            return complaint
        raise ReferenceTaken("could not draw a unique reference; retry the request")

    def preview(self, request: SlaPreviewRequest) -> Deadlines:
        return compute_deadlines(
            request.sla_policy or self._default_policy,
            request.received_at,
            request.priority,
            request.complexity,
            request.product,
        )

    def get(self, complaint_id: str) -> Complaint:
        """The complaint, for the system's own use (notifier, tracking link): no caller's rule applies.
        A caller's read is `read`."""
        return self._repository.get(complaint_id)

    def read(self, complaint_id: str, caller: Caller) -> Complaint:
        """The complaint, if `caller` may read it (core/access): a channel app the ones it submitted
        (else the 404 of an unknown id), an agent or supervisor their teams' (else a 403)."""
        return access.require_read(caller, self._repository.get(complaint_id))

    def list(self, query: ComplaintQuery, caller: Caller) -> Page[Complaint]:
        """A page of the listing, limited to the caller's teams unless they read bank-wide."""
        scope = access.list_scope(caller)
        if scope is not None:
            if not scope:
                raise Forbidden(
                    "you belong to no team (no team:<name> group in your token), so there is nothing "
                    "you may list; ask an administrator to add you to your team's group"
                )
            query = query.model_copy(update={"teams": tuple(sorted(scope))})
        return self._repository.list(query)

    def open_for_customer(self, customer_id: str, request: CustomerLookupRequest) -> OpenComplaints:
        """What a channel app serving the customer may know of their open complaints (intake/
        customer_lookup): only those whose stored contact is the one it gives."""
        return customer_lookup.open_complaints(self._repository, customer_id, request)

    def events(self, complaint_id: str, limit: int, next_token: str | None) -> Page[AuditEvent]:
        self._repository.get(complaint_id)  # 404 for an unknown complaint, not an empty trail
        return self._repository.events(complaint_id, limit, next_token)

    def read_events(
        self, complaint_id: str, caller: Caller, limit: int, next_token: str | None
    ) -> Page[AuditEvent]:
        """The audit trail, where `caller` may read the complaint and has the audit permission."""
        access.require_read_audit(caller, self._repository.get(complaint_id))
        return self._repository.events(complaint_id, limit, next_token)

    # --- changes ----------------------------------------------------------------------------------

    def update(self, complaint_id: str, request: UpdateRequest, caller: Caller) -> Complaint:
        given = request.model_dump(exclude_unset=True, exclude={"version", "reason"})
        if not given:
            raise InvalidInput("nothing to change: give at least one field besides version")

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            changes: dict[str, Any] = dict(given)
            if "priority" in given or "complexity" in given or "product" in given:
                # Triage that changes the class of a complaint re-derives its deadlines, keeping the
                # extensions granted and the time spent waiting on the customer; one it moves later is
                # an extension (`_reclassified`).
                target = current.model_copy(update=given)
                changes |= _reclassified(current, target, request.reason, caller, now)
            if given.get("assignee") and current.status is Status.ACKNOWLEDGED:
                changes["status"] = Status.IN_PROGRESS
            if given.get("priority") is Priority.CRITICAL:
                # A complaint found to be sensitive is escalated as if it had arrived critical.
                changes["escalation_level"] = max(current.escalation_level, intake_level(Priority.CRITICAL))
            return changes

        data = {"reason": request.reason} if request.reason else None
        return self.change(complaint_id, Action.UPDATE, caller, request.version, mutate, data=data)

    def respond(self, complaint_id: str, request: ResponseRequest, caller: Caller) -> Complaint:
        action = Action.NOTE if request.internal else Action.RESPOND

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if request.internal:
                return {}
            return {} if current.first_responded_at else {"first_responded_at": now}

        return self.change(
            complaint_id,
            action,
            caller,
            request.version,
            mutate,
            data={"message": request.message, "public": not request.internal},
        )

    def pause(self, complaint_id: str, request: PauseRequest, caller: Caller) -> Complaint:
        """Wait for the customer: the clock stops until they answer (tracking link), staff resume, or
        the pause reaches its end (`pausedUntil`: at most what is left of the policy's limit), when the
        sweep resumes it. The audit event says what is needed and until when, for the customer."""
        data: dict[str, Any] = {"reason": request.reason, "needed": request.needed}

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            latest = now + _pause_left(current)
            until = request.until or latest
            if until <= now:
                raise InvalidInput.for_field("until", "must be in the future")
            if until > latest:
                raise InvalidInput.for_field(
                    "until",
                    f"must be at most {_iso(latest)}: the {current.sla_policy.value} policy stops the "
                    f"clock for at most {_days(pause_limit(current.sla_policy))} in all",
                )
            data["until"] = _iso(until)  # decided here, on the complaint as it is now
            return {
                "paused_at": now,
                "paused_until": until,
                "pause_needed": request.needed,
                "pause_reminded_at": None,
            }

        return self.change(complaint_id, Action.PAUSE, caller, request.version, mutate, data=data)

    def resume(self, complaint_id: str, request: OptionalReasonRequest, caller: Caller) -> Complaint:
        return self.change(
            complaint_id, Action.RESUME, caller, request.version, self._unpause, data=_reason(request)
        )

    def extend(self, complaint_id: str, request: ReasonRequest, caller: Caller) -> Complaint:
        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if now > current.deadlines.resolution_due_at:
                raise IllegalTransition(
                    "the resolution deadline has already passed; an extension cannot undo a breach",
                    [{"field": "deadlines.resolutionDueAt", "message": "is in the past"}],
                )
            allowed = extensions_allowed(
                current.sla_policy, current.priority, current.complexity, current.product
            )
            ladder = _ladder(current)
            if ladder >= allowed:
                raise IllegalTransition(
                    f"the {current.sla_policy.value} policy allows no further extension of this complaint",
                    [{"field": "extensions", "message": f"{ladder} taken, none left"}],
                )
            if current.solution_plan is not None:
                # The plan set the date within the old limit: the extension moves it to the new limit.
                due = _resolution_limit(current, ladder + 1)
            else:
                due = _rederived(current, current, ladder, ladder + 1).resolution_due_at
            deadlines = current.deadlines.model_copy(update={"resolution_due_at": due})
            return {"deadlines": deadlines, "extensions": current.extensions + 1}

        return self.change(
            complaint_id, Action.EXTEND, caller, request.version, mutate, data={"reason": request.reason}
        )

    def give_solution_plan(
        self, complaint_id: str, request: SolutionPlanRequest, caller: Caller
    ) -> Complaint:
        """A complaint that owes a solution plan (the seed policy's complex complaints) gets one: what
        will be done and by when. The customer is told it; its date becomes the resolution deadline,
        within the policy's limit at the extension reached. Given late, it is still given (the tracker
        escalated at its deadline). A revision that moves the date later is an extension (the extend
        permission, a reason, counted in `extensions`); one that moves it earlier applies at once."""
        data: dict[str, Any] = {"plan": request.plan, "resolveBy": _iso(request.resolve_by)}

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            due = current.deadlines.solution_plan_due_at
            if due is None:
                raise IllegalTransition(
                    f"the {current.sla_policy.value} policy asks no solution plan of this complaint (only "
                    "of complex complaints under the seed policy): resolve it by its resolution deadline",
                    [{"field": "deadlines.solutionPlanDueAt", "message": "not set for this complaint"}],
                )
            if request.resolve_by <= now:
                raise InvalidInput.for_field("resolveBy", "must be in the future")
            limit = _resolution_limit(current, _ladder(current))
            if request.resolve_by > limit:
                raise InvalidInput.for_field(
                    "resolveBy",
                    f"must be at most {_iso(limit)}, the {current.sla_policy.value} policy's limit for "
                    "this complaint; a supervisor may extend the limit (POST …/extend)",
                )
            earlier = current.solution_plan
            changes: dict[str, Any] = {
                "solution_plan": SolutionPlan(
                    plan=request.plan,
                    resolve_by=request.resolve_by,
                    given_at=now,
                    given_by=caller.id,
                    first_given_at=earlier.first_given_at if earlier else now,
                ),
                "deadlines": current.deadlines.model_copy(update={"resolution_due_at": request.resolve_by}),
            }
            if earlier is not None and request.resolve_by > current.deadlines.resolution_due_at:
                changes |= _plan_extension(current, request.reason, caller, now)
                data["extension"] = True
            if request.reason:
                data["reason"] = request.reason
            if current.first_responded_at is None:
                # The plan is itself the bank's first answer to the customer.
                changes["first_responded_at"] = now
            first = earlier.first_given_at if earlier else now
            data.update({"solutionPlanDueAt": _iso(due), "solutionPlanOnTime": first <= due})
            return changes

        return self.change(complaint_id, Action.SOLUTION_PLAN, caller, request.version, mutate, data=data)

    def escalate(self, complaint_id: str, request: ReasonRequest, caller: Caller) -> Complaint:
        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if current.escalation_level >= MAX_ESCALATION_LEVEL:
                raise IllegalTransition(
                    f"the complaint is already at the top escalation level ({MAX_ESCALATION_LEVEL})",
                    [{"field": "escalationLevel", "message": f"is {current.escalation_level}"}],
                )
            return {"escalation_level": current.escalation_level + 1}

        return self.change(
            complaint_id, Action.ESCALATE, caller, request.version, mutate, data={"reason": request.reason}
        )

    def resolve(self, complaint_id: str, request: ResolveRequest, caller: Caller) -> Complaint:
        resolution = Resolution(
            outcome=request.outcome,
            summary=request.summary,
            root_cause=request.root_cause,
            redress=request.redress,
        )

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            changes = self._unpause(current, now)
            changes |= {"resolved_at": now, "resolution": resolution}
            # Open to the customer's dispute for the policy's cooling-off period, then closed by the
            # sweep; an acceptance of an earlier outcome does not carry over.
            changes |= {"closes_at": cooling_off_ends(current.sla_policy, now), "customer_acceptance": None}
            if current.first_responded_at is None:
                # The resolution is itself the bank's first answer to the customer.
                changes["first_responded_at"] = now
            return changes

        return self.change(complaint_id, Action.RESOLVE, caller, request.version, mutate)

    def close(self, complaint_id: str, request: CloseRequest, caller: Caller) -> Complaint:
        """Staff close a resolved complaint before its cooling-off period ends only once the customer
        accepted the outcome: through their tracking link (`accept_outcome`), or as recorded here with
        how and when their acceptance reached the bank. Otherwise 409 `customer_acceptance_required`:
        it closes by itself when the period ends (`close_after_cooling_off`)."""
        data: dict[str, Any] = _reason(request)

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            acceptance = current.customer_acceptance
            if request.received_via is not None or request.received_at is not None:
                if request.received_via is None:
                    raise InvalidInput.for_field("receivedVia", "say how the customer's acceptance came")
                if request.received_at is None:
                    raise InvalidInput.for_field("receivedAt", "say when the customer's acceptance came")
                resolved = current.resolved_at or current.received_at
                at = _customer_time(request.received_at, resolved, now, "receivedAt", "the resolution")
                acceptance = CustomerRequest(
                    received_via=request.received_via, received_at=at, recorded_by=caller.id
                )
            if acceptance is None:
                ends = closes_at(current)
                raise AcceptanceRequired(
                    "the customer has not accepted the outcome, so the complaint stays open to their "
                    f"dispute until {_iso(ends) if ends else 'its cooling-off period ends'}, when it closes "
                    "by itself. To close it now, record their acceptance (receivedVia, receivedAt: how and "
                    "when it reached us) or let them accept it through their tracking link",
                    [{"field": "receivedVia", "message": "the customer's acceptance is required"}],
                )
            data["receivedVia"] = acceptance.received_via.value
            data["acceptedAt"] = _iso(acceptance.received_at)
            return {"closed_at": now, "closes_at": None, "customer_acceptance": acceptance}

        return self.change(complaint_id, Action.CLOSE, caller, request.version, mutate, data=data)

    def accept_outcome(self, complaint_id: str, caller: Caller) -> Complaint:
        """The customer accepts the outcome through their tracking link: staff may then close it."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if current.customer_acceptance is not None:
                raise IllegalTransition(
                    "this outcome was already accepted",
                    [{"field": "customerAcceptance", "message": "already given for this outcome"}],
                )
            accepted = CustomerRequest(
                received_via=ReceivedVia.TRACKING_LINK, received_at=now, recorded_by=caller.id
            )
            return {"customer_acceptance": accepted}

        data = {"receivedVia": ReceivedVia.TRACKING_LINK.value}
        return self.change(complaint_id, Action.ACCEPT, caller, None, mutate, data=data)

    def reopen(
        self, complaint_id: str, request: ReasonRequest, caller: Caller, *, handling_wrong: bool = False
    ) -> Complaint:
        """The customer disputes the outcome (through their link, or staff record it): the complaint is
        worked again with a resolution deadline of its own, the policy's, counted from the reopen; so a
        reopen after the first deadline is no breach, and the new deadline is tracked and escalated.

        Reopened because the handling was wrong (`handlingWrong` of staff, the customer's reason
        category): an accountability record against the handler and team who resolved it is opened
        in the reopen's own transaction, and named in its audit event."""
        wrong = handling_wrong or (isinstance(request, ReopenRequest) and request.handling_wrong)
        data: dict[str, Any] = {"reason": request.reason} | ({"handlingWrong": True} if wrong else {})

        def opens(current: Complaint, updated: Complaint) -> AccountabilityRecord | None:
            if not wrong:
                return None
            # The customer's own words stay on the trail, sealed as theirs (trail/chain.CUSTOMER_DATA)
            # and erased with them; the record points at the reopen's event (its id is that version).
            by_customer = Role.CUSTOMER in caller.roles
            reason = None if by_customer else request.reason
            return opened_record(
                current, updated, AccountabilityTrigger.REOPENED_HANDLING_WRONG, reason=reason
            )

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if wrong:
                data["accountabilityRecord"] = record_id(current.id, current.version + 1)
            klass = (current.priority, current.complexity, current.product)
            resolution = resolution_due(current.sla_policy, now, *klass, extensions=_ladder(current))
            return {
                "resolved_at": None,
                "reopen_count": current.reopen_count + 1,
                "reopened_at": now,
                "closes_at": None,
                "customer_acceptance": None,
                "deadlines": current.deadlines.model_copy(update={"resolution_due_at": resolution}),
                # The new deadline's warning and steps are armed again (sla/escalation.py).
                "sla_steps": steps_after_reopen(current),
                "at_risk_warned": {
                    step: at for step, at in current.at_risk_warned.items() if step != Step.RESOLUTION.value
                },
            }

        return self.change(
            complaint_id, Action.REOPEN, caller, request.version, mutate, data=data, opens=opens
        )

    def open_accountability(self, request: OpenRequest, caller: Caller) -> AccountabilityRecord:
        """A supervisor or manager opens an accountability record by hand: written with its audit event
        on the complaint's trail, in one transaction; never about their own handling or team (403)."""
        opened: list[AccountabilityRecord] = []
        data: dict[str, Any] = {
            "trigger": AccountabilityTrigger.OPENED_BY_SUPERVISOR.value,
            "findingSought": request.finding_sought,
            "evidence": request.evidence,
            "attachmentIds": list(request.attachment_ids),
        }

        def opens(current: Complaint, updated: Complaint) -> AccountabilityRecord:
            record = hand_opened_record(current, updated, request, caller)
            opened[:] = [record]
            return record

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            data["accountabilityRecord"] = record_id(current.id, current.version + 1)
            return {}

        self.change(
            request.complaint_id, Action.OPEN_ACCOUNTABILITY, caller, request.version, mutate, data, opens
        )
        return opened[-1]

    def withdraw(self, complaint_id: str, request: WithdrawRequest, caller: Caller) -> Complaint:
        """Withdrawn only at the customer's request: staff or the channel app that submitted it record
        how and when the request reached the bank, and the complaint ends as of then."""
        return self._withdraw(
            complaint_id, request.version, caller, request.received_via, request.received_at, request.reason
        )

    def withdraw_for_customer(self, complaint_id: str, reason: str | None, caller: Caller) -> Complaint:
        """The customer withdraws the complaint through their tracking link."""
        return self._withdraw(complaint_id, None, caller, ReceivedVia.TRACKING_LINK, None, reason)

    def _withdraw(
        self,
        complaint_id: str,
        version: int | None,
        caller: Caller,
        via: ReceivedVia,
        received_at: datetime | None,
        reason: str | None,
    ) -> Complaint:
        data: dict[str, Any] = {"receivedVia": via.value} | ({"reason": reason} if reason else {})

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            at = now
            if received_at is not None:
                at = _customer_time(received_at, current.received_at, now, "receivedAt", "the complaint")
            data["receivedAt"] = _iso(at)
            request = CustomerRequest(received_via=via, received_at=at, recorded_by=caller.id)
            return self._unpause(current, now) | {"withdrawn_at": at, "withdrawal": request}

        return self.change(complaint_id, Action.WITHDRAW, caller, version, mutate, data=data)

    def customer_answer(
        self, complaint_id: str, message: str, attachment_ids: Sequence[str], caller: Caller
    ) -> Complaint:
        """The customer answers what the bank asked for, through their tracking link (a message, and
        files they attached first): the clock restarts, a resume by the customer."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            attached = {attachment.id for attachment in current.attachments}
            unknown = [attachment_id for attachment_id in attachment_ids if attachment_id not in attached]
            if unknown:
                raise InvalidInput.for_field(
                    "attachmentIds",
                    f"not attached to this complaint: {', '.join(unknown)} (attach each file first)",
                )
            return self._unpause(current, now)

        data: dict[str, Any] = {"message": message}
        if attachment_ids:
            data["attachmentIds"] = list(attachment_ids)
        return self.change(complaint_id, Action.RESUME, caller, None, mutate, data=data)

    def legal_hold(self, complaint_id: str, request: LegalHoldRequest, caller: Caller) -> Complaint:
        """Place or lift a legal hold: while held the complaint is kept whatever its age and its
        customer's data is not erased (privacy/retention.py, privacy/erasure.py)."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if not request.hold:
                return {"legal_hold": None}
            return {"legal_hold": LegalHold(reason=request.reason, placed_by=caller.id, placed_at=now)}

        data = {"hold": request.hold, "reason": request.reason}
        return self.change(complaint_id, Action.LEGAL_HOLD, caller, request.version, mutate, data=data)

    # --- what the SLA sweep does -----------------------------------------------------------------

    def warn_at_risk(self, complaint_id: str, step: Step, caller: Caller) -> Complaint:
        """Record the 80 % warning of one deadline; the publisher announces it (SlaAtRisk) from the
        audit event, as every change is announced. Recorded and announced, or neither: a warning is
        never lost (the stream retries the announcement) and never recorded twice (`mutate`).

        The event says what the warning is about (deadline, due time, reference, team, assignee: the
        at-risk topic's subscribers filter on team and assignee) as of the version it is written on.
        A change that gets in between (a new assignee, a moved deadline) is not a 409: the warning is
        decided and written again on the complaint as it is now, like any unversioned change."""

        def mutate(latest: Complaint, now: datetime) -> dict[str, Any]:
            return {"at_risk_warned": {**latest.at_risk_warned, step.value: now}}

        attempt = 1
        while True:
            current = self._repository.get(complaint_id)
            access.require_change(caller, Action.WARN.value, current)
            if step not in at_risk_pending(current):
                raise IllegalTransition(f"the {step.value} warning was already sent or is moot")
            warning = {
                "deadline": step.value,
                "dueAt": step_due_at(current, step).isoformat(),
                "reference": current.reference,
                "assignee": current.assignee,
                "team": current.team,
            }

            try:
                return self.change(complaint_id, Action.WARN, caller, current.version, mutate, data=warning)
            except VersionConflict:
                if attempt == _UNVERSIONED_ATTEMPTS:
                    raise
                log.info(
                    "complaint changed during an at-risk warning; deciding again",
                    extra={"complaintId": complaint_id, "attempt": attempt},
                )
                attempt += 1

    def remind_customer(self, complaint_id: str, caller: Caller) -> Complaint:
        """Halfway through a pause, once: recorded with what is needed and until when, for the notifier
        to remind the customer (the audit event is the outbox)."""
        data: dict[str, Any] = {}

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            due, ends = reminder_at(current), pause_ends_at(current)
            if due is None or ends is None or not due <= now < ends:
                raise IllegalTransition(
                    "no reminder is due: it is sent once, halfway through a pause",
                    [{"field": "pauseRemindedAt", "message": "not due"}],
                )
            data.update({"needed": current.pause_needed, "until": _iso(ends)})
            return {"pause_reminded_at": now}

        return self.change(complaint_id, Action.REMIND, caller, None, mutate, data=data)

    def end_pause(self, complaint_id: str, caller: Caller) -> Complaint:
        """A pause that reached its end: the clock restarts as of that moment (the deadlines move by the
        pause, never by the time the sweep took to notice)."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            ends = pause_ends_at(current)
            if ends is None or now < ends:
                raise IllegalTransition(
                    "the pause has not reached its end",
                    [{"field": "pausedUntil", "message": "not reached"}],
                )
            return self._unpause(current, ends)

        return self.change(
            complaint_id, Action.RESUME, caller, None, mutate, data={"reason": PAUSE_LIMIT_REACHED}
        )

    def close_after_cooling_off(self, complaint_id: str, caller: Caller) -> Complaint:
        """A resolved complaint nobody disputed closes when its cooling-off period ends."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            ends = closes_at(current)
            if ends is None or now < ends:
                raise IllegalTransition(
                    "the cooling-off period has not ended",
                    [{"field": "closesAt", "message": "not reached"}],
                )
            return {"closed_at": now, "closes_at": None}

        return self.change(
            complaint_id, Action.CLOSE, caller, None, mutate, data={"reason": COOLING_OFF_ENDED}
        )

    def escalate_follow_up(self, complaint_id: str, caller: Caller) -> Complaint:
        """A follow-up (回访) still open when it falls due: escalated to the managers, once, recorded
        with what they need to chase it (the team that owes it, when it fell due). The publisher
        announces it (FollowUpOverdue) from the audit event."""
        data: dict[str, Any] = {}

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            due = follow_up_due_at(current)
            if current.follow_up is None or due is None or now < due:
                raise IllegalTransition(
                    "no follow-up is overdue: an open one is escalated once, when it falls due",
                    [{"field": "followUp.dueAt", "message": "not overdue"}],
                )
            data.update(
                {
                    "reference": current.reference,
                    "team": current.follow_up.team or access.team_of(current),
                    "rating": current.follow_up.rating,
                    "dueAt": _iso(due),
                }
            )
            return {"follow_up": current.follow_up.model_copy(update={"escalated_at": now})}

        return self.change(complaint_id, Action.FOLLOW_UP_OVERDUE, caller, None, mutate, data=data)

    def restart_tracker(self, complaint_id: str, caller: Caller) -> Complaint:
        """A new tracker generation for a complaint whose tracker is missing or failed."""

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            return {"tracker_generation": current.tracker_generation + 1}

        updated = self.change(complaint_id, Action.RESTART_TRACKER, caller, None, mutate)
        self._start_tracker(updated)
        return updated

    # --- the one path every change takes ----------------------------------------------------------

    @staticmethod
    def _unpause(current: Complaint, now: datetime) -> dict[str, Any]:
        if current.paused_at is None:
            return {}
        paused_for = now - current.paused_at
        return {
            "paused_at": None,
            "paused_until": None,
            "pause_needed": None,
            "pause_reminded_at": None,
            "paused_seconds": current.paused_seconds + int(paused_for.total_seconds()),
            "deadlines": shift(current.deadlines, paused_for),
        }

    def change(
        self,
        complaint_id: str,
        action: Action,
        caller: Caller,
        expected_version: int | None,
        mutate: Mutation,
        data: dict[str, Any] | None = None,
        opens: Opening | None = None,
    ) -> Complaint:
        """The one path every change takes, here and in use cases of their own module (tracking,
        feedback): read, check the version, apply the lifecycle table, write with an audit event (and,
        with `opens`, the accountability record the change opens, in the same transaction).

        With a version given, a complaint changed since is refused (409). Without one, the change is
        applied to the complaint as it is now: when something else (an escalation, a tracker restart,
        another caller) wrote between our read and our write, the complaint is read again and the
        change reapplied, up to `_UNVERSIONED_ATTEMPTS` times, so a race is never answered 409."""
        attempts = 1 if expected_version is not None else _UNVERSIONED_ATTEMPTS
        for attempt in range(1, attempts + 1):
            current = self._repository.get(complaint_id)
            # Who may make this change, on the complaint as it is now (its team, not the one read
            # earlier): the rules are in core/access, one per action.
            access.require_change(caller, action.value, current)
            if expected_version is not None and expected_version != current.version:
                raise VersionConflict(
                    f"the complaint is at version {current.version}, not {expected_version}: "
                    "read it again and reapply your change",
                    [{"field": "version", "message": f"current version is {current.version}"}],
                )
            updated, event, restart = self._changed(current, action, caller, mutate, data)
            record = opens(current, updated) if opens is not None else None
            try:
                if record is None:
                    self._repository.update(updated, event, expected_version=current.version)
                else:
                    self._repository.update(updated, event, expected_version=current.version, opens=record)
            except VersionConflict:
                if attempt == attempts:
                    raise
                log.info(
                    "complaint changed during an unversioned %s; reapplying",
                    action.value,
                    extra={"complaintId": complaint_id, "attempt": attempt},
                )
                continue
            break
        if restart or (is_tracked(current) and not is_tracked(updated)):
            self._stop_tracker(current)
        if restart:
            self._start_tracker(updated)
        return updated

    def _changed(
        self,
        current: Complaint,
        action: Action,
        caller: Caller,
        mutate: Mutation,
        data: dict[str, Any] | None,
    ) -> tuple[Complaint, AuditEvent, bool]:
        """The complaint after `action`, the audit event that records it, and whether the change
        needs a new SLA tracker."""
        status = next_status(action, current.status)
        now = self._clock()
        changes = {
            "status": status,
            **mutate(current, now),
            "updated_at": now,
            "version": current.version + 1,
        }
        updated = Complaint.model_validate(current.model_dump() | changes)
        # Kept for the schedule's time once it ends; reopened or held, kept until it ends again.
        updated = updated.model_copy(update={"retain_until": retain_until(updated, self._retention)})
        restart = needs_new_tracker(current, updated)
        if restart:
            updated = updated.model_copy(update={"tracker_generation": current.tracker_generation + 1})
        if current.first_responded_at is None and updated.first_responded_at is not None:
            data = {**(data or {}), **_first_response_facts(updated)}
        event = self._event(updated, action, caller, now, _diff(current.to_json(), updated.to_json()), data)
        return updated, event, restart

    # --- the SLA tracker is started and stopped on a best-effort basis: a complaint is never refused
    # --- or lost because Step Functions is unavailable; the SLA sweep repairs a missing tracker.

    def _start_tracker(self, complaint: Complaint) -> None:
        try:
            self._tracker.start(complaint)
        except ServiceUnavailable:
            log.warning(
                "SLA tracker not started; the sweep will start it", extra={"complaintId": complaint.id}
            )

    def _stop_tracker(self, complaint: Complaint) -> None:
        try:
            self._tracker.stop(complaint)
        except ServiceUnavailable:
            log.warning("SLA tracker not stopped; it ends by itself", extra={"complaintId": complaint.id})

    def _event(
        self,
        complaint: Complaint,
        action: Action,
        caller: Caller,
        now: datetime,
        changes: dict[str, FieldChange],
        data: dict[str, Any] | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            id=self._ids(),
            complaint_id=complaint.id,
            version=complaint.version,
            action=action.value,
            actor=_actor(caller),
            at=now,
            changes=changes,
            data=data or {},
        )


_DEADLINE_NAMES = {
    "first_response_due_at": "firstResponseDueAt",
    "solution_plan_due_at": "solutionPlanDueAt",
    "resolution_due_at": "resolutionDueAt",
}


def _ladder(complaint: Complaint) -> int:
    """The steps of the policy's extension ladder taken (`extend`); a triage's extensions are none."""
    return complaint.extensions - complaint.triage_extensions


def _derived(complaint: Complaint, ladder: int) -> Deadlines:
    """The deadlines the policy gives the complaint's class: the first response from receipt, the
    resolution from receipt or its latest reopen, `ladder` extensions in; no time paused."""
    policy, klass = complaint.sla_policy, (complaint.priority, complaint.complexity, complaint.product)
    derived = compute_deadlines(policy, complaint.received_at, *klass, extensions=ladder)
    if complaint.reopened_at is None:
        return derived
    reopened = resolution_due(policy, complaint.reopened_at, *klass, extensions=ladder)
    return derived.model_copy(update={"resolution_due_at": reopened})


def _rederived(current: Complaint, target: Complaint, ladder_before: int, ladder_after: int) -> Deadlines:
    """`target`'s deadlines, derived again: each is its class's (and ladder step's) from the policy,
    plus what `current`'s carried beyond the policy's (the time the clock stood still). A solution-plan
    milestone new to the class starts with the time paused so far; one the class loses is gone."""
    before, after = _derived(current, ladder_before), _derived(target, ladder_after)
    plan_due = after.solution_plan_due_at
    if plan_due is not None:
        was, derived_was = current.deadlines.solution_plan_due_at, before.solution_plan_due_at
        carried = was - derived_was if was and derived_was else timedelta(seconds=current.paused_seconds)
        plan_due += carried
    return Deadlines(
        first_response_due_at=after.first_response_due_at
        + (current.deadlines.first_response_due_at - before.first_response_due_at),
        resolution_due_at=after.resolution_due_at
        + (current.deadlines.resolution_due_at - before.resolution_due_at),
        solution_plan_due_at=plan_due,
    )


def tightened(current: Complaint, target: Complaint) -> Deadlines:
    """`target`'s deadlines where its new class (priority, complexity, product) makes them earlier, and
    `current`'s elsewhere: what a change the system makes of its own accord (triage) may do to them. It
    never takes an extension (that is staff's, with the extend permission), and a milestone already
    met keeps the deadline it was met against."""
    derived = _rederived(current, target, _ladder(current), _ladder(current))
    now = current.deadlines

    def earlier(new: datetime | None, old: datetime | None) -> datetime | None:
        return old if new is None or old is None else min(new, old)

    plan_given = current.solution_plan is not None
    return Deadlines(
        first_response_due_at=now.first_response_due_at
        if current.first_responded_at is not None
        else earlier(derived.first_response_due_at, now.first_response_due_at),
        resolution_due_at=min(derived.resolution_due_at, now.resolution_due_at),
        solution_plan_due_at=now.solution_plan_due_at
        if plan_given
        else earlier(derived.solution_plan_due_at, now.solution_plan_due_at),
    )


def _resolution_limit(complaint: Complaint, ladder: int) -> datetime:
    """The latest resolution deadline the policy allows the complaint at `ladder` extensions: its
    class's, from receipt (or its latest reopen), moved by the time its clock stood still. A reopened
    complaint's pauses before the reopen no longer count; those since it, conservatively, neither."""
    paused = timedelta(0) if complaint.reopened_at else timedelta(seconds=complaint.paused_seconds)
    return _derived(complaint, ladder).resolution_due_at + paused


def _plan_extension(current: Complaint, reason: str | None, caller: Caller, now: datetime) -> dict[str, Any]:
    """A revised solution plan that moves the resolution date later: an extension, asked as one."""
    access.require(caller, access.Need.EXTEND, current)
    if reason is None:
        raise InvalidInput.for_field(
            "reason",
            "this revision moves resolveBy later than the plan's date, which is an extension: "
            "give the reason",
        )
    if now > current.deadlines.resolution_due_at:
        raise IllegalTransition(
            "the plan's date has already passed; an extension cannot undo a breach",
            [{"field": "deadlines.resolutionDueAt", "message": "is in the past"}],
        )
    return {"extensions": current.extensions + 1, "triage_extensions": current.triage_extensions + 1}


def _reclassified(
    current: Complaint, target: Complaint, reason: str | None, caller: Caller, now: datetime
) -> dict[str, Any]:
    """What a change of priority, complexity or product does to the deadlines. Earlier: at once. A
    deadline still running that moves later is an extension: the extend permission, a reason, a
    deadline not yet passed, and it counts in `extensions`. A first response already given keeps its
    deadline: whether it was on time was decided when it was given."""
    deadlines = _rederived(current, target, _ladder(current), _ladder(current))
    if current.first_responded_at is not None:
        deadlines = deadlines.model_copy(
            update={"first_response_due_at": current.deadlines.first_response_due_at}
        )
    if current.solution_plan is not None:
        # The plan was given (its milestone decided then) and set the date: the date stands unless the
        # new class's limit falls earlier.
        limit = _resolution_limit(target, _ladder(current))
        deadlines = deadlines.model_copy(
            update={
                "solution_plan_due_at": current.deadlines.solution_plan_due_at,
                "resolution_due_at": min(current.deadlines.resolution_due_at, limit),
            }
        )
    later = [
        name for name in _DEADLINE_NAMES if _later(getattr(deadlines, name), getattr(current.deadlines, name))
    ]
    if not later:
        return {"deadlines": deadlines}
    access.require(caller, access.Need.EXTEND, current)
    moved = " and ".join(_DEADLINE_NAMES[name] for name in later)
    if reason is None:
        raise InvalidInput.for_field(
            "reason", f"this change moves {moved} later, which is an extension: give the reason"
        )
    passed = [name for name in later if now > getattr(current.deadlines, name)]
    if passed:
        raise IllegalTransition(
            "the deadline this change would move later has already passed; an extension cannot undo a breach",
            [{"field": f"deadlines.{_DEADLINE_NAMES[name]}", "message": "is in the past"} for name in passed],
        )
    return {
        "deadlines": deadlines,
        "extensions": current.extensions + 1,
        "triage_extensions": current.triage_extensions + 1,
    }


def _later(new: datetime | None, old: datetime | None) -> bool:
    """A deadline moved later. A milestone that appears or goes (a solution plan owed or no longer) is
    no move of its own: the resolution deadline it comes with says whether the change extends."""
    return new is not None and old is not None and new > old


def _pause_left(complaint: Complaint) -> timedelta:
    """How long the clock may still stand still: the policy's limit less the time already paused."""
    limit = pause_limit(complaint.sla_policy)
    if limit <= timedelta(0):
        raise IllegalTransition(
            f"the {complaint.sla_policy.value} policy does not stop the clock while we wait on the "
            "customer: ask them in a response (the deadline keeps running), or extend the deadline",
            [{"field": "slaPolicy", "message": f"{complaint.sla_policy.value} allows no pause"}],
        )
    left = limit - timedelta(seconds=complaint.paused_seconds)
    if left <= timedelta(0):
        raise IllegalTransition(
            f"the clock of this complaint has already stood still for {_days(limit)}, the most the "
            f"{complaint.sla_policy.value} policy allows",
            [{"field": "pausedSeconds", "message": f"is {complaint.paused_seconds}, the limit"}],
        )
    return left


def _customer_time(at: datetime, earliest: datetime, now: datetime, field: str, what: str) -> datetime:
    """When a customer's request reached the bank, as staff record it: not ahead of now (a few minutes
    of clock skew aside) and not before `earliest`."""
    if at > now + CLOCK_SKEW:
        raise InvalidInput.for_field(field, "must not be in the future")
    if at < earliest:
        raise InvalidInput.for_field(field, f"must not be before {what} ({_iso(earliest)})")
    return at


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _days(period: timedelta) -> str:
    """A limit in the largest unit it is a whole number of: `10 days`, `36 hours`, `5 minutes`."""
    for unit, name in ((timedelta(days=1), "days"), (timedelta(hours=1), "hours")):
        if period >= unit and period % unit == timedelta(0):
            return f"{period // unit} {name}"
    return f"{period / timedelta(minutes=1):g} minutes"


def _first_response_facts(complaint: Complaint) -> dict[str, Any]:
    """Whether the first answer met its deadline, decided once, where it is given: the audit event
    carries it, so the events and metrics derived from the trail need not read the complaint again.
    On time is the one rule the KPIs and extracts use too (complaints/sla/on_time.py)."""
    assert complaint.first_responded_at is not None
    on_time = answered_on_time(complaint.first_responded_at, complaint.deadlines.first_response_due_at)
    return {
        "firstResponseDueAt": complaint.deadlines.to_json()["firstResponseDueAt"],
        "firstResponseOnTime": on_time,
    }


def _reason(request: OptionalReasonRequest | CloseRequest) -> dict[str, Any]:
    return {"reason": request.reason} if request.reason else {}
