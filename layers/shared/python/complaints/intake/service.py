"""The use cases of the v1 API. Plain Python over the models and the repository port.

Every change follows one path (`_change`): read the complaint, check the caller's version, apply the
lifecycle table, bump `version`, record an audit event with the changed fields, and write both in one
conditional transaction. A stale version or an illegal transition changes nothing. A change sent
without a version is applied to the complaint as it is now: a write that got in between is not a
conflict, the change is read and applied again (`change`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from complaints.core import access
from complaints.core.auth import Caller
from complaints.core.clock import Clock, IdGenerator, new_id, new_reference, utc_now
from complaints.core.errors import (
    Forbidden,
    IllegalTransition,
    InvalidInput,
    ReferenceTaken,
    ServiceUnavailable,
    VersionConflict,
)
from complaints.core.events import DomainEvent, EventName
from complaints.core.models import (
    Actor,
    AuditEvent,
    Complaint,
    Deadlines,
    FieldChange,
    LegalHold,
    Priority,
    Resolution,
    SlaPolicyName,
    Status,
)
from complaints.core.paging import Page
from complaints.core.ports import EventPublisher
from complaints.intake import customer_lookup
from complaints.intake.commands import (
    IntakeRequest,
    LegalHoldRequest,
    OptionalReasonRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    SlaPreviewRequest,
    UpdateRequest,
)
from complaints.intake.customer_lookup import CustomerLookupRequest, OpenComplaints
from complaints.intake.lifecycle import Action, next_status
from complaints.intake.ports import ComplaintQuery, ComplaintRepository
from complaints.privacy.retention import RetentionSchedule, retain_until
from complaints.sla.escalation import (
    Step,
    at_risk_pending,
    intake_level,
    is_tracked,
    needs_new_tracker,
    step_due_at,
)
from complaints.sla.on_time import answered_on_time
from complaints.sla.policies import compute_deadlines, extensions_allowed, local_date, shift
from complaints.sla.ports import SlaTracker

log = logging.getLogger(__name__)

_REFERENCE_ATTEMPTS = 5
# An unversioned change re-read and reapplied at most this often when another write gets in between.
_UNVERSIONED_ATTEMPTS = 5
MAX_ESCALATION_LEVEL = 3
# Bookkeeping fields every change touches; the audit trail records what the change was about.
_UNTRACKED_FIELDS = frozenset({"version", "updatedAt"})

Mutation = Callable[[Complaint, datetime], dict[str, Any]]


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
        events: EventPublisher,
        default_policy: SlaPolicyName = SlaPolicyName.SEED,
        clock: Clock = utc_now,
        ids: IdGenerator = new_id,
        references: Callable[[date], str] = new_reference,
        retention: RetentionSchedule | None = None,
    ) -> None:
        self._repository = repository
        self._tracker = tracker
        self._events = events
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
            self._start_tracker(complaint)
            if complaint.escalation_level:
                self._announce_intake_escalation(complaint)
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
        given = request.model_dump(exclude_unset=True, exclude={"version"})
        if not given:
            raise InvalidInput("nothing to change: give at least one field besides version")

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            changes: dict[str, Any] = dict(given)
            if "priority" in given or "complexity" in given or "product" in given:
                # Triage that changes the class of a complaint re-derives its deadlines from receipt,
                # keeping the extensions granted and the time spent waiting on the customer.
                changes["deadlines"] = _deadlines(current.model_copy(update=given), current.extensions)
            if given.get("assignee") and current.status is Status.ACKNOWLEDGED:
                changes["status"] = Status.IN_PROGRESS
            if given.get("priority") is Priority.CRITICAL:
                # A complaint found to be sensitive is escalated as if it had arrived critical.
                changes["escalation_level"] = max(current.escalation_level, intake_level(Priority.CRITICAL))
            return changes

        return self.change(complaint_id, Action.UPDATE, caller, request.version, mutate)

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

    def pause(self, complaint_id: str, request: ReasonRequest, caller: Caller) -> Complaint:
        return self.change(
            complaint_id,
            Action.PAUSE,
            caller,
            request.version,
            lambda current, now: {"paused_at": now},
            data={"reason": request.reason},
        )

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
            if current.extensions >= allowed:
                raise IllegalTransition(
                    f"the {current.sla_policy.value} policy allows no further extension of this complaint",
                    [{"field": "extensions", "message": f"{current.extensions} taken, none left"}],
                )
            extended = _deadlines(current, extensions=current.extensions + 1)
            deadlines = current.deadlines.model_copy(update={"resolution_due_at": extended.resolution_due_at})
            return {"deadlines": deadlines, "extensions": current.extensions + 1}

        return self.change(
            complaint_id, Action.EXTEND, caller, request.version, mutate, data={"reason": request.reason}
        )

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
            if current.first_responded_at is None:
                # The resolution is itself the bank's first answer to the customer.
                changes["first_responded_at"] = now
            return changes

        return self.change(complaint_id, Action.RESOLVE, caller, request.version, mutate)

    def close(self, complaint_id: str, request: OptionalReasonRequest, caller: Caller) -> Complaint:
        return self.change(
            complaint_id,
            Action.CLOSE,
            caller,
            request.version,
            lambda current, now: {"closed_at": now},
            data=_reason(request),
        )

    def reopen(self, complaint_id: str, request: ReasonRequest, caller: Caller) -> Complaint:
        return self.change(
            complaint_id,
            Action.REOPEN,
            caller,
            request.version,
            lambda current, now: {"resolved_at": None, "reopen_count": current.reopen_count + 1},
            data={"reason": request.reason},
        )

    def withdraw(self, complaint_id: str, request: OptionalReasonRequest, caller: Caller) -> Complaint:
        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            return self._unpause(current, now) | {"withdrawn_at": now}

        return self.change(
            complaint_id, Action.WITHDRAW, caller, request.version, mutate, data=_reason(request)
        )

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
        """Announce the 80 % warning of one deadline, then record it. Announced first so that a
        failed record means a warning sent twice at worst, never a warning lost."""
        current = self._repository.get(complaint_id)
        access.require_change(caller, Action.WARN.value, current)  # before anything is announced
        if step not in at_risk_pending(current):
            raise IllegalTransition(f"the {step.value} warning was already sent or is moot")
        self._events.publish(
            [
                DomainEvent(
                    name=EventName.SLA_AT_RISK,
                    complaint_id=current.id,
                    version=current.version + 1,
                    data={
                        "deadline": step.value,
                        "dueAt": step_due_at(current, step).isoformat(),
                        "reference": current.reference,
                        "assignee": current.assignee,
                        "team": current.team,
                    },
                )
            ]
        )

        def mutate(latest: Complaint, now: datetime) -> dict[str, Any]:
            if step not in at_risk_pending(latest):
                raise IllegalTransition(f"the {step.value} warning was already sent or is moot")
            return {"at_risk_warned": {**latest.at_risk_warned, step.value: now}}

        # Recorded on the complaint as it is now (no version): a change that got in since the warning
        # was announced is not a reason to announce it again; `mutate` checks it is still pending.
        return self.change(complaint_id, Action.WARN, caller, None, mutate, data={"deadline": step.value})

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
    ) -> Complaint:
        """The one path every change takes, here and in use cases of their own module (tracking,
        feedback): read, check the version, apply the lifecycle table, write with an audit event.

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
            try:
                self._repository.update(updated, event, expected_version=current.version)
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

    def _announce_intake_escalation(self, complaint: Complaint) -> None:
        """A critical complaint starts at level 1: its supervisor and compliance hear of it now."""
        event = DomainEvent(
            name=EventName.COMPLAINT_ESCALATED,
            complaint_id=complaint.id,
            version=complaint.version,
            data={
                "level": complaint.escalation_level,
                "previousLevel": 0,
                "reason": "critical at intake",
                "notify": ["supervisor", "compliance"],
                "reference": complaint.reference,
            },
        )
        try:
            self._events.publish([event])
        except ServiceUnavailable:
            # The complaint is stored and tracked; the tracker's own escalations still follow.
            log.error("intake escalation not announced", extra={"complaintId": complaint.id})

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


def _deadlines(complaint: Complaint, extensions: int) -> Deadlines:
    return compute_deadlines(
        complaint.sla_policy,
        complaint.received_at,
        complaint.priority,
        complaint.complexity,
        complaint.product,
        extensions=extensions,
        paused_for=timedelta(seconds=complaint.paused_seconds),
    )


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


def _reason(request: OptionalReasonRequest) -> dict[str, Any]:
    return {"reason": request.reason} if request.reason else {}
