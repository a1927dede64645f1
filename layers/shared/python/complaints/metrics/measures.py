"""The business facts operations count (README "Metrics, dashboard and alarms"), worked out from the
audit trail.

Every fact the service measures is a change of a complaint, and every change is an audit event: the
publisher reads each one from the table's stream, including the SLA tracker's own escalations, which it
does not announce. So one function maps an audit event to what it counts, and the publisher emits it
where the fact becomes public. The backlog is a level, not an event: `Backlog` counts it on demand.

Dimensions stay low-cardinality on purpose: channel, category, level, deadline, outcome, rating and
status are small closed sets; a complaint id, a customer, an assignee or a team never is one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from complaints.core.models import AuditEvent
from complaints.intake.lifecycle import Action

COMPLAINTS_RECEIVED = "ComplaintsReceived"
FIRST_RESPONSES_ON_TIME = "FirstResponsesOnTime"
FIRST_RESPONSES_LATE = "FirstResponsesLate"
SLA_BREACHES = "SlaBreaches"
COMPLAINTS_ESCALATED = "ComplaintsEscalated"
COMPLAINTS_RESOLVED = "ComplaintsResolved"
FEEDBACK_RATINGS = "FeedbackRatings"
OPEN_COMPLAINTS = "OpenComplaints"
# The unassigned queue: how long its oldest open complaint (nobody assigned) has waited, in minutes.
OLDEST_UNASSIGNED_MINUTES = "OldestUnassignedMinutes"
# Counted by the notifier, per message sent or failed (a retried failure counts again).
NOTIFICATIONS_SENT = "NotificationsSent"
NOTIFICATIONS_FAILED = "NotificationsFailed"

Dimensions = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Measure:
    """One data point: a count (or, for a gauge, a level) under one set of dimensions."""

    name: str
    dimensions: Dimensions = ()
    value: float = 1.0


def counted(name: str, **dimensions: object) -> list[Measure]:
    """A count in total and once per dimension, each alone: a dashboard reads the total or one
    breakdown, and no combination of dimensions multiplies the number of metrics."""
    return [Measure(name)] + [Measure(name, ((key, str(value)),)) for key, value in dimensions.items()]


def measures_of(audit: AuditEvent) -> list[Measure]:
    """What one audit event counts (nothing for most changes)."""
    found: list[Measure] = []
    if audit.action == Action.RECEIVE.value:
        found += counted(
            COMPLAINTS_RECEIVED, channel=audit.after("channel"), category=audit.after("category")
        )
        # A critical complaint starts escalated (level 1): its intake is its first escalation.
        found += _escalation(before=0, after=audit.after("escalationLevel"))
    elif audit.action == Action.SLA_ESCALATE.value:
        found += counted(SLA_BREACHES, deadline=audit.data.get("step", "unknown"))
        change = audit.changes.get("escalationLevel")
        if change is not None:
            found += _escalation(before=change.before, after=change.after)
    elif audit.action == Action.ESCALATE.value:
        change = audit.changes.get("escalationLevel")
        if change is not None:
            found += _escalation(before=change.before, after=change.after)
    elif audit.action == Action.RESOLVE.value:
        resolution = audit.after("resolution") or {}
        found += counted(COMPLAINTS_RESOLVED, outcome=resolution.get("outcome", "unknown"))
    elif audit.action == Action.FEEDBACK.value:
        found += counted(FEEDBACK_RATINGS, rating=audit.data.get("rating", "unknown"))
    # The first answer may be a response or the resolution itself; the service decided on-time once.
    on_time = audit.data.get("firstResponseOnTime")
    if on_time is not None:
        found.append(Measure(FIRST_RESPONSES_ON_TIME if on_time else FIRST_RESPONSES_LATE))
    return found


def _escalation(before: object, after: object) -> list[Measure]:
    """An escalation counts only when the level rises (the tracker keeps it when a step's level is
    not above the current one), under the level reached."""
    level, previous = int(str(after or 0)), int(str(before or 0))
    return counted(COMPLAINTS_ESCALATED, level=level) if level > previous else []


def tally(measures: Iterable[Measure]) -> list[Measure]:
    """Counts of the same metric and dimensions added up: one data point each, in first-seen order."""
    totals: dict[tuple[str, Dimensions], float] = {}
    for measure in measures:
        key = (measure.name, measure.dimensions)
        totals[key] = totals.get(key, 0.0) + measure.value
    return [Measure(name, dimensions, value) for (name, dimensions), value in totals.items()]
