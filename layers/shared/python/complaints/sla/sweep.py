"""The SLA sweep (every 15 minutes): for each complaint whose watch time has come, send the 80 %
warning of a deadline once, and restart its tracker if the execution is missing or failed. A complaint
awaiting the customer is reminded halfway through its pause and resumed when the pause ends; a resolved
one closes when its cooling-off period ends undisputed; a follow-up (回访) still open when it falls due
is escalated to the managers, once, whatever the complaint's status (docs/architecture.md §3).

It reads the sweep index shard by shard up to now, so its reads grow with the number of complaints
due, never with the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.core.auth import SLA_SWEEP
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import Conflict, ServiceUnavailable
from complaints.core.models import Complaint, Status
from complaints.intake.service import ComplaintService
from complaints.sla.escalation import (
    WATCH_SHARDS,
    at_risk_at,
    at_risk_pending,
    closes_at,
    follow_up_due_at,
    next_step,
    pause_ends_at,
    reminder_at,
    step_due_at,
)
from complaints.sla.ports import SlaTracker, WatchStore


@dataclass
class SweepReport:
    read: int = 0
    warned: int = 0
    restarted: int = 0
    rewatched: int = 0
    reminded: int = 0
    resumed: int = 0
    closed: int = 0
    follow_ups_escalated: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "Read": self.read,
            "Warned": self.warned,
            "Restarted": self.restarted,
            "Rewatched": self.rewatched,
            "Reminded": self.reminded,
            "Resumed": self.resumed,
            "Closed": self.closed,
            "FollowUpsEscalated": self.follow_ups_escalated,
            "Failed": self.failed,
        }


class SlaSweep:
    def __init__(
        self, service: ComplaintService, store: WatchStore, tracker: SlaTracker, clock: Clock = utc_now
    ) -> None:
        self._service = service
        self._store = store
        self._tracker = tracker
        self._clock = clock

    def run(self) -> SweepReport:
        now = self._clock()
        report = SweepReport()
        for shard in range(WATCH_SHARDS):
            for complaint in self._store.due_for_watch(shard, now):
                report.read += 1
                try:
                    self._look_at(complaint, report)
                except (Conflict, ServiceUnavailable) as error:
                    # Changed meanwhile or a dependency is busy: the next run looks again.
                    report.failed += 1
                    report.failures.append(f"{complaint.id}: {error.message}")
        return report

    def _look_at(self, complaint: Complaint, report: SweepReport) -> None:
        follow_up_due = follow_up_due_at(complaint)
        if follow_up_due is not None and follow_up_due <= self._clock():
            # A change of its own: the write sets the next watch time, and whatever else is due by
            # then the next run finds (its watch time is already past).
            self._service.escalate_follow_up(complaint.id, SLA_SWEEP)
            report.follow_ups_escalated += 1
            return
        if complaint.status is Status.AWAITING_CUSTOMER:
            self._look_at_pause(complaint, report)
            return
        if complaint.status is Status.RESOLVED:
            self._look_at_resolution(complaint, report)
            return
        now = self._clock()
        changed = False
        for step in at_risk_pending(complaint):
            if at_risk_at(complaint, step) <= now < step_due_at(complaint, step):
                complaint = self._service.warn_at_risk(complaint.id, step, SLA_SWEEP)
                report.warned += 1
                changed = True
        if next_step(complaint) is not None and not self._tracker.is_running(complaint):
            complaint = self._service.restart_tracker(complaint.id, SLA_SWEEP)
            report.restarted += 1
            changed = True
        if not changed:
            # Nothing to do now (a warning whose deadline already passed, a step the tracker took):
            # look again at the complaint's next watch time.
            self._store.rewatch(complaint)
            report.rewatched += 1

    def _look_at_pause(self, complaint: Complaint, report: SweepReport) -> None:
        """The bank waits on the customer: at the end of the pause the clock restarts by itself; halfway
        through it the customer is reminded (once)."""
        now = self._clock()
        ends, remind = pause_ends_at(complaint), reminder_at(complaint)
        if ends is not None and ends <= now:
            self._service.end_pause(complaint.id, SLA_SWEEP)
            report.resumed += 1
        elif remind is not None and remind <= now:
            self._service.remind_customer(complaint.id, SLA_SWEEP)
            report.reminded += 1
        else:
            self._store.rewatch(complaint)
            report.rewatched += 1

    def _look_at_resolution(self, complaint: Complaint, report: SweepReport) -> None:
        """Resolved and undisputed through the cooling-off period: closed by the system."""
        ends = closes_at(complaint)
        if ends is not None and ends <= self._clock():
            self._service.close_after_cooling_off(complaint.id, SLA_SWEEP)
            report.closed += 1
        else:
            self._store.rewatch(complaint)
            report.rewatched += 1
