"""The escalation ladder (docs/architecture.md §3) and what the SLA tracker and the sweep watch for.

Steps, each taken at most once per complaint, in this order:
- `firstResponse` at the first-response deadline, if the customer has had no answer → level 1
  (the team supervisor);
- `solutionPlan` at the solution-plan deadline of a complaint that owes one (the seed policy's complex
  complaints), if no plan was given → level 2 (the complaints manager) and an accountability record;
- `resolution` at the resolution deadline → level 2 (the complaints manager) and an accountability
  record against the handler and team;
- `stillOpen` 24 h after the resolution deadline → level 3 (compliance/legal).
A critical complaint starts at level 1 at intake and goes straight to level 3 when any step is reached.
The escalation level never goes down: a step raises it to max(current, step level).

The tracker state machine (infra/statemachines/sla-tracker.asl.json) cannot call this code: it reads
the plan this module computes, stored on the complaint item as `slaPlan`, and applies it.

The sweep watches what the tracker does not: a complaint awaiting the customer (its halfway reminder,
the end of its bounded pause), a resolved one (the end of its cooling-off period, when it closes) and,
whatever its status, an open follow-up (回访) that falls due (escalated to the managers once).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zlib import crc32

from complaints.core.models import Complaint, FollowUpStatus, Priority, Status
from complaints.intake.lifecycle import OPEN_STATUSES
from complaints.sla.policies import cooling_off_ends, pause_limit

STILL_OPEN_AFTER = timedelta(hours=24)
AT_RISK_FRACTION = 0.8
# The sweep looks at a complaint this long after a step fell due, to see whether its tracker took it.
TRACKER_GRACE = timedelta(minutes=5)
WATCH_SHARDS = 8


class Step(StrEnum):
    FIRST_RESPONSE = "firstResponse"
    SOLUTION_PLAN = "solutionPlan"
    RESOLUTION = "resolution"
    STILL_OPEN = "stillOpen"


# A missed solution plan goes to the manager, as a missed 48-hour solution always did under the seed
# policy before complex complaints had a plan of their own.
STEP_LEVELS = {Step.FIRST_RESPONSE: 1, Step.SOLUTION_PLAN: 2, Step.RESOLUTION: 2, Step.STILL_OPEN: 3}
CRITICAL_LEVEL = 3


def step_level(step: Step, priority: Priority) -> int:
    return CRITICAL_LEVEL if priority is Priority.CRITICAL else STEP_LEVELS[step]


def intake_level(priority: Priority) -> int:
    return 1 if priority is Priority.CRITICAL else 0


def step_due_at(complaint: Complaint, step: Step) -> datetime:
    if step is Step.FIRST_RESPONSE:
        return complaint.deadlines.first_response_due_at
    if step is Step.SOLUTION_PLAN:
        # Only asked of a complaint that owes a plan (`owes_solution_plan`); else its resolution.
        return complaint.deadlines.solution_plan_due_at or complaint.deadlines.resolution_due_at
    if step is Step.RESOLUTION:
        return complaint.deadlines.resolution_due_at
    return complaint.deadlines.resolution_due_at + STILL_OPEN_AFTER


def is_tracked(complaint: Complaint) -> bool:
    """The tracker runs while the complaint is open and its clock runs (not while it waits on the
    customer: resuming restarts the tracker)."""
    return complaint.status in OPEN_STATUSES and complaint.status is not Status.AWAITING_CUSTOMER


def owes_solution_plan(complaint: Complaint) -> bool:
    """Its policy sets a solution-plan milestone for it and no plan has been given yet."""
    return complaint.deadlines.solution_plan_due_at is not None and complaint.solution_plan is None


def _met(complaint: Complaint, step: Step) -> bool:
    """The milestone the step watches was met: nothing to escalate."""
    if step is Step.FIRST_RESPONSE:
        return complaint.first_responded_at is not None
    if step is Step.SOLUTION_PLAN:
        return not owes_solution_plan(complaint)
    return False


def pending_steps(complaint: Complaint) -> list[Step]:
    return [step for step in Step if step.value not in complaint.sla_steps and not _met(complaint, step)]


def next_step(complaint: Complaint) -> Step | None:
    """The step the tracker waits for: the first pending one (they are in time order)."""
    if not is_tracked(complaint):
        return None
    pending = pending_steps(complaint)
    return pending[0] if pending else None


def next_due_at(complaint: Complaint) -> datetime | None:
    step = next_step(complaint)
    return step_due_at(complaint, step) if step else None


def at_risk_at(complaint: Complaint, step: Step) -> datetime:
    """80 % of the way from receipt to the deadline (paused time included, as the deadline moved); for
    the resolution deadline of a reopened complaint, from the reopen, where its clock started again."""
    start = complaint.received_at
    if step in (Step.RESOLUTION, Step.STILL_OPEN) and complaint.reopened_at is not None:
        start = complaint.reopened_at
    due = step_due_at(complaint, step)
    return start + (due - start) * AT_RISK_FRACTION


AT_RISK_STEPS = (Step.FIRST_RESPONSE, Step.SOLUTION_PLAN, Step.RESOLUTION)


def at_risk_pending(complaint: Complaint) -> list[Step]:
    """Deadlines whose 80 % warning has not been sent and still can be (the deadline is unmet)."""
    return [
        step
        for step in AT_RISK_STEPS
        if step.value not in complaint.at_risk_warned
        and step.value not in complaint.sla_steps
        and not _met(complaint, step)
    ]


def pause_ends_at(complaint: Complaint) -> datetime | None:
    """When the current pause ends at the latest. A pause recorded before pauses were bounded has no
    `pausedUntil`: it ends when the policy's limit, counted from its start, is used up."""
    if complaint.status is not Status.AWAITING_CUSTOMER or complaint.paused_at is None:
        return None
    if complaint.paused_until is not None:
        return complaint.paused_until
    left = pause_limit(complaint.sla_policy) - timedelta(seconds=complaint.paused_seconds)
    return complaint.paused_at + max(left, timedelta(0))


def reminder_at(complaint: Complaint) -> datetime | None:
    """Halfway through the current pause, the customer is reminded what the bank needs (once per
    pause). None: no reminder is pending."""
    ends = pause_ends_at(complaint)
    if ends is None or complaint.paused_at is None or complaint.pause_reminded_at is not None:
        return None
    return complaint.paused_at + (ends - complaint.paused_at) / 2


def closes_at(complaint: Complaint) -> datetime | None:
    """When a resolved complaint closes by itself unless the customer disputes it (a complaint resolved
    before cooling-off periods existed: counted from its resolution)."""
    if complaint.status is not Status.RESOLVED:
        return None
    if complaint.closes_at is not None:
        return complaint.closes_at
    resolved = complaint.resolved_at or complaint.updated_at
    return cooling_off_ends(complaint.sla_policy, resolved)


def steps_after_reopen(complaint: Complaint) -> dict[str, datetime]:
    """The steps a reopened complaint keeps as taken: its new resolution deadline is armed again.

    `resolution` and `stillOpen` are forgotten, so a reopened complaint that misses its new deadline is
    breached again (a breach of its own, and an accountability record of its own: records are keyed per
    occasion, `<id>.<version>`, sla/accountability.record_id) and goes to compliance 24 h later.
    `firstResponse` and `solutionPlan` stay: those milestones keep their deadlines (docs/architecture.md
    §3)."""
    kept = (Step.FIRST_RESPONSE.value, Step.SOLUTION_PLAN.value)
    return {step: at for step, at in complaint.sla_steps.items() if step in kept}


def follow_up_due_at(complaint: Complaint) -> datetime | None:
    """When an open follow-up (回访) falls due and the sweep escalates it to the managers, once; None
    when there is none open, or it was escalated already."""
    follow_up = complaint.follow_up
    if follow_up is None or follow_up.status is not FollowUpStatus.OPEN or follow_up.escalated_at:
        return None
    if complaint.status is Status.WITHDRAWN:
        return None  # nobody may complete it any more (intake/lifecycle.py): nothing to chase
    return follow_up.due_at


def watch_at(complaint: Complaint) -> datetime | None:
    """When the sweep should next look at this complaint: its next at-risk warning, or shortly after
    its next step falls due (to repair a tracker that did not take it); while it awaits the customer,
    its halfway reminder or the end of the pause; once resolved, the end of its cooling-off period;
    in any status, when its open follow-up falls due. None: nothing to watch."""
    moments = [moment for moment in (_clock_watch_at(complaint), follow_up_due_at(complaint)) if moment]
    return min(moments) if moments else None


def _clock_watch_at(complaint: Complaint) -> datetime | None:
    """What `watch_at` watches of the complaint's own deadlines, pause and cooling-off."""
    if complaint.status is Status.AWAITING_CUSTOMER:
        moments = [moment for moment in (reminder_at(complaint), pause_ends_at(complaint)) if moment]
        return min(moments) if moments else None
    if complaint.status is Status.RESOLVED:
        return closes_at(complaint)
    if not is_tracked(complaint):
        return None
    moments = [at_risk_at(complaint, step) for step in at_risk_pending(complaint)]
    due = next_due_at(complaint)
    if due is not None:
        moments.append(due + TRACKER_GRACE)
    return min(moments) if moments else None


def next_deadline(complaint: Complaint) -> datetime | None:
    """The next deadline an open complaint has not met, as it stands now (what is about to breach:
    the list's `dueBefore`): the first-response deadline while the customer has had no answer; else
    the solution-plan deadline while a plan is owed; else the resolution deadline. None once it is not
    open. A complaint awaiting the customer keeps the deadline it has (the pause moves it later only
    when the clock restarts); a deadline already passed stays the next one until it is met."""
    if complaint.status not in OPEN_STATUSES:
        return None
    if complaint.first_responded_at is None:
        return complaint.deadlines.first_response_due_at
    if owes_solution_plan(complaint) and complaint.deadlines.solution_plan_due_at is not None:
        return complaint.deadlines.solution_plan_due_at
    return complaint.deadlines.resolution_due_at


def watch_shard(complaint_id: str) -> int:
    """A stable shard per complaint, so the sweep's index has no hot partition."""
    return crc32(complaint_id.encode()) % WATCH_SHARDS


def tracker_execution_name(complaint: Complaint) -> str:
    """Executions are named after the complaint; a restart gets the next generation's name (Step
    Functions keeps names unique for 90 days)."""
    generation = complaint.tracker_generation
    return complaint.id if generation <= 1 else f"{complaint.id}--{generation}"


def needs_new_tracker(before: Complaint, after: Complaint) -> bool:
    """A change that the running tracker would not notice in time: it ended (paused, resolved) and the
    complaint is tracked again, or the next step now falls due earlier than the tracker waits for."""
    if not is_tracked(after):
        return False
    if not is_tracked(before):
        return True
    old, new = next_due_at(before), next_due_at(after)
    return new is not None and (old is None or new < old)
