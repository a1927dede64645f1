"""What each audit event counts (complaints/measures.py), and the backlog gauge.

Audit events are shaped as ComplaintService and the SLA tracker's state machine write them; the
expected measures are worked out from the README's metric table, not read back from the code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_outbox import RESOLUTION, audit, receipt

from complaints.core.models import Actor, Status
from complaints.metrics.backlog import Backlog
from complaints.metrics.measures import Measure, measures_of, tally

SLA_TRACKER = Actor(id="sla-tracker", roles=["system"])


def test_a_receipt_counts_in_total_by_channel_and_by_category() -> None:
    assert measures_of(receipt()) == [
        Measure("ComplaintsReceived"),
        Measure("ComplaintsReceived", (("channel", "mobile_app"),)),
        Measure("ComplaintsReceived", (("category", "product"),)),
    ]


def test_a_critical_receipt_is_also_an_escalation_to_level_1() -> None:
    critical = receipt()
    critical.changes["escalationLevel"].after = 1

    assert measures_of(critical)[3:] == [
        Measure("ComplaintsEscalated"),
        Measure("ComplaintsEscalated", (("level", "1"),)),
    ]


def test_the_trackers_step_is_a_breach_by_deadline_and_an_escalation_when_the_level_rises() -> None:
    step = audit(
        "sla_escalate",
        4,
        {"escalationLevel": (1, 2)},
        {"step": "resolution", "dueAt": "2026-03-04T01:00:01Z", "execution": "c-1--1"},
        actor=SLA_TRACKER,
    )

    assert measures_of(step) == [
        Measure("SlaBreaches"),
        Measure("SlaBreaches", (("deadline", "resolution"),)),
        Measure("ComplaintsEscalated"),
        Measure("ComplaintsEscalated", (("level", "2"),)),
    ]


def test_a_step_that_keeps_the_level_is_a_breach_only() -> None:
    # a critical complaint already at level 3 when its resolution deadline passes
    step = audit("sla_escalate", 5, {"escalationLevel": (3, 3)}, {"step": "resolution"}, actor=SLA_TRACKER)

    assert [m.name for m in measures_of(step)] == ["SlaBreaches", "SlaBreaches"]


def test_a_manual_escalation_counts_under_the_level_reached() -> None:
    manual = audit("escalate", 3, {"escalationLevel": (0, 1)}, {"reason": "customer called twice"})

    assert measures_of(manual) == [
        Measure("ComplaintsEscalated"),
        Measure("ComplaintsEscalated", (("level", "1"),)),
    ]


@pytest.mark.parametrize(("on_time", "name"), [(True, "FirstResponsesOnTime"), (False, "FirstResponsesLate")])
def test_the_first_response_counts_as_on_time_or_late(on_time: bool, name: str) -> None:
    first = audit(
        "respond",
        2,
        {"status": ("received", "acknowledged")},
        {"message": "Hello", "public": True, "firstResponseOnTime": on_time},
    )

    assert measures_of(first) == [Measure(name)]


def test_a_later_response_counts_nothing() -> None:
    assert measures_of(audit("respond", 3, {}, {"message": "More", "public": True})) == []


def test_a_resolution_counts_by_outcome_and_may_be_the_late_first_response() -> None:
    partially = RESOLUTION | {"outcome": "partially_upheld"}
    resolution = audit("resolve", 2, {"resolution": (None, partially)}, {"firstResponseOnTime": False})

    assert measures_of(resolution) == [
        Measure("ComplaintsResolved"),
        Measure("ComplaintsResolved", (("outcome", "partially_upheld"),)),
        Measure("FirstResponsesLate"),
    ]


def test_feedback_counts_by_rating() -> None:
    feedback = audit("give_feedback", 4, {}, {"rating": 2, "lowRating": True})

    assert measures_of(feedback) == [
        Measure("FeedbackRatings"),
        Measure("FeedbackRatings", (("rating", "2"),)),
    ]


@pytest.mark.parametrize("action", ["update", "note", "pause", "close", "warn_at_risk", "restart_tracker"])
def test_other_changes_count_nothing(action: str) -> None:
    assert measures_of(audit(action, 3, {"team": (None, "cards")}, {"reason": "x"})) == []


def test_tally_adds_up_the_same_metric_and_dimensions_in_first_seen_order() -> None:
    by_sms = (("channel", "sms"),)
    added = tally(
        [
            Measure("NotificationsSent"),
            Measure("NotificationsSent", by_sms),
            Measure("NotificationsFailed", by_sms),
            Measure("NotificationsSent"),
            Measure("NotificationsSent", by_sms),
            Measure("NotificationsSent", (("channel", "email"),)),
        ]
    )

    assert added == [
        Measure("NotificationsSent", (), 2),
        Measure("NotificationsSent", by_sms, 2),
        Measure("NotificationsFailed", by_sms, 1),
        Measure("NotificationsSent", (("channel", "email"),), 1),
    ]


class CountsByStatus:
    def __init__(self, counts: dict[Status, int], unassigned: dict[Status, datetime] | None = None) -> None:
        self.counts = counts
        self.unassigned = unassigned or {}
        self.asked: list[Status] = []

    def count_with_status(self, status: Status) -> int:
        self.asked.append(status)
        return self.counts.get(status, 0)

    def oldest_unassigned(self, status: Status) -> datetime | None:
        return self.unassigned.get(status)


def test_the_backlog_is_the_open_complaints_per_open_status_and_in_total() -> None:
    counter = CountsByStatus(
        {Status.RECEIVED: 3, Status.ACKNOWLEDGED: 1, Status.IN_PROGRESS: 5, Status.RESOLVED: 40}
    )

    gauge = Backlog(counter).measure()

    # resolved, closed and withdrawn are not asked: they are not backlog, and they only grow
    assert sorted(counter.asked) == ["acknowledged", "awaiting_customer", "in_progress", "received"]
    assert gauge[0] == Measure("OpenComplaints", (), 9)
    assert gauge[-1] == Measure("OldestUnassignedMinutes", (), 0.0)  # nothing waits unassigned
    assert sorted(gauge[1:-1], key=lambda m: m.dimensions) == [
        Measure("OpenComplaints", (("status", "acknowledged"),), 1),
        Measure("OpenComplaints", (("status", "awaiting_customer"),), 0),
        Measure("OpenComplaints", (("status", "in_progress"),), 5),
        Measure("OpenComplaints", (("status", "received"),), 3),
    ]


def test_the_unassigned_queue_is_measured_by_its_oldest_complaints_wait() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    counter = CountsByStatus(
        {Status.RECEIVED: 2},
        {Status.RECEIVED: now - timedelta(minutes=95), Status.ACKNOWLEDGED: now - timedelta(hours=3)},
    )
    gauge = Backlog(counter, clock=lambda: now).measure()
    # the oldest of any open status: acknowledged three hours ago and still nobody's
    assert gauge[-1] == Measure("OldestUnassignedMinutes", (), 180.0)
