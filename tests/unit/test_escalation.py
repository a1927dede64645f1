"""The escalation ladder of docs/architecture.md §3 and what the SLA tracker and the sweep watch for.

Every expected time below is worked out by hand from a complaint received at T0 under the seed policy
(normal: first response 24 h, resolution 48 h; critical: 4 h / 24 h), never read back from the code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from complaint_builders import received_at_t0

from complaints.core.models import Complaint, Deadlines, Priority, Status
from complaints.sla.escalation import (
    Step,
    at_risk_at,
    at_risk_pending,
    closes_at,
    follow_up_due_at,
    intake_level,
    needs_new_tracker,
    next_step,
    pause_ends_at,
    pending_steps,
    reminder_at,
    step_due_at,
    step_level,
    steps_after_reopen,
    tracker_execution_name,
    watch_at,
    watch_shard,
)

# Monday 2 March 2026, 01:00 UTC (09:00 in Shanghai).
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
FIRST_DUE = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # T0 + 24 h
RESOLUTION_DUE = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)  # T0 + 48 h


def complaint(**overrides: Any) -> Complaint:
    """A normal complaint received at T0 with the seed deadlines (24 h / 48 h)."""
    return received_at_t0(**overrides)


def critical(**overrides: Any) -> Complaint:
    """A critical complaint received at T0: seed gives 4 h / 24 h."""
    deadlines = {"firstResponseDueAt": T0 + timedelta(hours=4), "resolutionDueAt": T0 + timedelta(hours=24)}
    return complaint(priority=Priority.CRITICAL, deadlines=deadlines, **overrides)


# --- steps and levels ---------------------------------------------------------------------------


@pytest.mark.parametrize("priority", [Priority.NORMAL, Priority.HIGH])
def test_a_non_critical_complaint_climbs_one_level_per_step(priority: Priority) -> None:
    # docs/architecture.md §3: first response missed -> 1 (supervisor), resolution missed -> 2 (manager),
    # still open 24 h later -> 3 (compliance/legal).
    assert step_level(Step.FIRST_RESPONSE, priority) == 1
    assert step_level(Step.SOLUTION_PLAN, priority) == 2  # a complex complaint with no plan: the manager
    assert step_level(Step.RESOLUTION, priority) == 2
    assert step_level(Step.STILL_OPEN, priority) == 3


@pytest.mark.parametrize("step", list(Step))
def test_a_critical_complaint_goes_straight_to_level_3_at_any_step(step: Step) -> None:
    assert step_level(step, Priority.CRITICAL) == 3


def test_steps_are_taken_in_deadline_order_with_their_wire_names() -> None:
    assert [step.value for step in Step] == ["firstResponse", "solutionPlan", "resolution", "stillOpen"]


@pytest.mark.parametrize(
    ("priority", "level"), [(Priority.NORMAL, 0), (Priority.HIGH, 0), (Priority.CRITICAL, 1)]
)
def test_only_a_critical_complaint_is_escalated_at_intake(priority: Priority, level: int) -> None:
    assert intake_level(priority) == level


def test_each_step_falls_due_at_its_deadline_and_still_open_a_day_after_resolution() -> None:
    c = complaint()
    assert step_due_at(c, Step.FIRST_RESPONSE) == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert step_due_at(c, Step.RESOLUTION) == datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
    # 4 March 01:00 + 24 h
    assert step_due_at(c, Step.STILL_OPEN) == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)


def test_still_open_follows_an_extended_resolution_deadline() -> None:
    extended = Deadlines(first_response_due_at=FIRST_DUE, resolution_due_at=datetime(2026, 3, 20, tzinfo=UTC))
    assert step_due_at(complaint(deadlines=extended), Step.STILL_OPEN) == datetime(2026, 3, 21, tzinfo=UTC)


# --- pending and next steps ---------------------------------------------------------------------


def test_a_fresh_complaint_has_all_three_steps_pending() -> None:
    assert pending_steps(complaint()) == [Step.FIRST_RESPONSE, Step.RESOLUTION, Step.STILL_OPEN]
    assert next_step(complaint()) is Step.FIRST_RESPONSE


def test_an_answered_complaint_skips_the_first_response_step() -> None:
    answered = complaint(status=Status.ACKNOWLEDGED, firstRespondedAt=T0 + timedelta(hours=2))
    assert pending_steps(answered) == [Step.RESOLUTION, Step.STILL_OPEN]
    assert next_step(answered) is Step.RESOLUTION


def test_steps_the_tracker_already_took_are_not_pending() -> None:
    taken = complaint(slaSteps={"firstResponse": FIRST_DUE, "resolution": RESOLUTION_DUE})
    assert pending_steps(taken) == [Step.STILL_OPEN]
    assert next_step(taken) is Step.STILL_OPEN


def test_nothing_is_next_once_every_step_was_taken() -> None:
    every = {"firstResponse": FIRST_DUE, "resolution": RESOLUTION_DUE, "stillOpen": RESOLUTION_DUE}
    assert pending_steps(complaint(slaSteps=every)) == []
    assert next_step(complaint(slaSteps=every)) is None


@pytest.mark.parametrize(
    "status", [Status.RESOLVED, Status.CLOSED, Status.WITHDRAWN, Status.AWAITING_CUSTOMER]
)
def test_nothing_is_next_when_the_clock_does_not_run(status: Status) -> None:
    assert next_step(complaint(status=status)) is None


@pytest.mark.parametrize("status", [Status.CLOSED, Status.WITHDRAWN])
def test_an_ended_complaint_is_not_watched(status: Status) -> None:
    assert watch_at(complaint(status=status)) is None


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS])
def test_the_first_pending_step_is_next_while_the_clock_runs(status: Status) -> None:
    assert next_step(complaint(status=status)) is Step.FIRST_RESPONSE


# --- the 80 % warning -----------------------------------------------------------------------------


def test_at_risk_is_eighty_percent_of_the_way_from_receipt_to_each_deadline() -> None:
    c = complaint()
    # 0.8 × 24 h = 19.2 h = 19 h 12 min after 2 March 01:00 -> 2 March 20:12
    assert at_risk_at(c, Step.FIRST_RESPONSE) == datetime(2026, 3, 2, 20, 12, tzinfo=UTC)
    # 0.8 × 48 h = 38.4 h = 38 h 24 min after 2 March 01:00 -> 3 March 15:24
    assert at_risk_at(c, Step.RESOLUTION) == datetime(2026, 3, 3, 15, 24, tzinfo=UTC)


def test_at_risk_of_a_critical_complaint() -> None:
    c = critical()
    # 0.8 × 4 h = 3 h 12 min -> 04:12; 0.8 × 24 h = 19 h 12 min -> 20:12
    assert at_risk_at(c, Step.FIRST_RESPONSE) == datetime(2026, 3, 2, 4, 12, tzinfo=UTC)
    assert at_risk_at(c, Step.RESOLUTION) == datetime(2026, 3, 2, 20, 12, tzinfo=UTC)


def test_at_risk_counts_the_paused_time_the_deadline_moved_by() -> None:
    # Paused 12 h: the resolution deadline moved from T0+48 h to T0+60 h; 0.8 × 60 h = 48 h -> 4 March 01:00.
    moved = Deadlines(first_response_due_at=FIRST_DUE, resolution_due_at=T0 + timedelta(hours=60))
    c = complaint(deadlines=moved, pausedSeconds=12 * 3600)
    assert at_risk_at(c, Step.RESOLUTION) == datetime(2026, 3, 4, 1, 0, tzinfo=UTC)


# --- when the sweep looks ---------------------------------------------------------------------------


def test_a_fresh_complaint_is_watched_at_its_first_warning() -> None:
    # candidates: 2 Mar 20:12 (first-response warning), 3 Mar 15:24 (resolution warning),
    # 3 Mar 01:05 (first response due + 5 min) -> the earliest is 2 Mar 20:12
    assert watch_at(complaint()) == datetime(2026, 3, 2, 20, 12, tzinfo=UTC)


def test_after_the_first_warning_the_sweep_looks_5_minutes_after_the_deadline() -> None:
    warned = complaint(atRiskWarned={"firstResponse": datetime(2026, 3, 2, 20, 15, tzinfo=UTC)})
    # candidates: 3 Mar 15:24 (resolution warning), 3 Mar 01:05 (first response due + 5 min)
    assert watch_at(warned) == datetime(2026, 3, 3, 1, 5, tzinfo=UTC)


def test_an_answered_complaint_is_watched_at_its_resolution_warning() -> None:
    answered = complaint(status=Status.IN_PROGRESS, firstRespondedAt=T0 + timedelta(hours=1))
    # candidates: 3 Mar 15:24 (resolution warning), 4 Mar 01:05 (resolution due + 5 min)
    assert watch_at(answered) == datetime(2026, 3, 3, 15, 24, tzinfo=UTC)


def test_once_both_warnings_went_the_sweep_looks_after_the_next_deadline() -> None:
    answered = complaint(
        status=Status.IN_PROGRESS,
        firstRespondedAt=T0 + timedelta(hours=1),
        atRiskWarned={"resolution": datetime(2026, 3, 3, 15, 30, tzinfo=UTC)},
    )
    assert watch_at(answered) == datetime(2026, 3, 4, 1, 5, tzinfo=UTC)


def test_after_the_resolution_step_the_sweep_looks_after_still_open() -> None:
    taken = complaint(slaSteps={"firstResponse": FIRST_DUE, "resolution": RESOLUTION_DUE})
    # no warning left (both deadlines were taken as steps); still open due 5 Mar 01:00 + 5 min
    assert watch_at(taken) == datetime(2026, 3, 5, 1, 5, tzinfo=UTC)


def test_nothing_to_watch_once_every_step_was_taken() -> None:
    every = {"firstResponse": FIRST_DUE, "resolution": RESOLUTION_DUE, "stillOpen": RESOLUTION_DUE}
    assert watch_at(complaint(slaSteps=every)) is None


# --- the sweep's shards -----------------------------------------------------------------------------


def test_the_watch_shard_is_stable_and_one_of_eight() -> None:
    ids = [f"complaint-{n}" for n in range(200)]
    shards = [watch_shard(complaint_id) for complaint_id in ids]
    assert all(0 <= shard <= 7 for shard in shards)
    assert shards == [watch_shard(complaint_id) for complaint_id in ids]
    # 200 ids spread over every shard (no hot partition)
    assert set(shards) == set(range(8))


@pytest.mark.parametrize(
    ("complaint_id", "shard"),
    # the CRC-32 check values: crc32("abc") = 0x352441C2, 0xC2 = 194 = 24 × 8 + 2;
    # crc32("123456789") = 0xCBF43926, 0x26 = 38 = 4 × 8 + 6
    [("abc", 2), ("123456789", 6)],
)
def test_the_watch_shard_is_the_crc32_of_the_id_mod_8(complaint_id: str, shard: int) -> None:
    assert watch_shard(complaint_id) == shard


# --- when the tracker must be restarted --------------------------------------------------------------


def test_resuming_needs_a_new_tracker() -> None:
    paused = complaint(status=Status.AWAITING_CUSTOMER, firstRespondedAt=T0 + timedelta(hours=1))
    resumed = paused.model_copy(update={"status": Status.IN_PROGRESS})
    assert needs_new_tracker(paused, resumed) is True


def test_reopening_needs_a_new_tracker() -> None:
    resolved = complaint(status=Status.RESOLVED, firstRespondedAt=T0 + timedelta(hours=1))
    reopened = resolved.model_copy(update={"status": Status.IN_PROGRESS})
    assert needs_new_tracker(resolved, reopened) is True


def test_a_next_step_falling_due_earlier_needs_a_new_tracker() -> None:
    # normal -> critical: first response due at T0+4 h instead of T0+24 h; the tracker sleeps until T0+24 h
    before = complaint()
    after = critical()
    assert needs_new_tracker(before, after) is True


def test_a_next_step_falling_due_later_keeps_the_tracker() -> None:
    # critical -> normal: the running tracker wakes at T0+4 h, re-reads and waits on: no restart
    assert needs_new_tracker(critical(), complaint()) is False


def test_a_change_that_keeps_the_next_deadline_keeps_the_tracker() -> None:
    before = complaint()
    assert needs_new_tracker(before, before.model_copy(update={"assignee": "agent-7"})) is False


def test_answering_moves_the_next_step_later_and_keeps_the_tracker() -> None:
    before = complaint()
    answered = before.model_copy(
        update={"status": Status.ACKNOWLEDGED, "first_responded_at": T0 + timedelta(hours=1)}
    )
    assert needs_new_tracker(before, answered) is False


@pytest.mark.parametrize("status", [Status.AWAITING_CUSTOMER, Status.RESOLVED, Status.WITHDRAWN])
def test_a_complaint_leaving_the_clock_needs_no_new_tracker(status: Status) -> None:
    before = complaint(status=Status.IN_PROGRESS, firstRespondedAt=T0 + timedelta(hours=1))
    assert needs_new_tracker(before, before.model_copy(update={"status": status})) is False


@pytest.mark.parametrize(("generation", "name"), [(1, "c-1"), (2, "c-1--2"), (3, "c-1--3"), (12, "c-1--12")])
def test_the_tracker_execution_is_named_after_the_complaint_and_generation(
    generation: int, name: str
) -> None:
    assert tracker_execution_name(complaint(trackerGeneration=generation)) == name


# --- the bounded pause, the cooling-off, the reopen -------------------------------------------------

PAUSED_AT = T0 + timedelta(hours=2)  # 2 March 03:00 UTC


def paused(**overrides: Any) -> Complaint:
    """Answered at T0 + 1 h, paused at T0 + 2 h until the seed's 10 days are used: 12 March 03:00."""
    fields: dict[str, Any] = {
        "status": Status.AWAITING_CUSTOMER,
        "firstRespondedAt": T0 + timedelta(hours=1),
        "pausedAt": PAUSED_AT,
        "pausedUntil": datetime(2026, 3, 12, 3, 0, tzinfo=UTC),
        "pauseNeeded": "your statement of February",
    }
    return complaint(**(fields | overrides))


def test_a_paused_complaint_is_watched_at_its_halfway_reminder_then_at_its_end() -> None:
    # 10 days from 2 March 03:00: halfway is 7 March 03:00
    assert reminder_at(paused()) == datetime(2026, 3, 7, 3, 0, tzinfo=UTC)
    assert watch_at(paused()) == datetime(2026, 3, 7, 3, 0, tzinfo=UTC)
    reminded = paused(pauseRemindedAt=datetime(2026, 3, 7, 3, 10, tzinfo=UTC))
    assert reminder_at(reminded) is None
    assert watch_at(reminded) == datetime(2026, 3, 12, 3, 0, tzinfo=UTC)
    # the tracker does not run while the clock stands still
    assert next_step(paused()) is None


def test_a_shorter_pause_is_reminded_halfway_through_it() -> None:
    # until 4 March 03:00: 48 h, halfway is 3 March 03:00
    short = paused(pausedUntil=datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    assert watch_at(short) == datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


def test_a_pause_recorded_before_pauses_were_bounded_ends_when_the_policys_limit_is_used() -> None:
    # 3 days already paused earlier: 7 days left from 2 March 03:00 -> 9 March 03:00
    legacy = paused(pausedUntil=None, pausedSeconds=3 * 86400)
    assert pause_ends_at(legacy) == datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
    # a policy that stops no clock: the pause ended as it began
    cbirc = paused(pausedUntil=None, slaPolicy="cbirc-2020")
    assert pause_ends_at(cbirc) == PAUSED_AT
    assert watch_at(cbirc) == PAUSED_AT


def test_a_resolved_complaint_is_watched_until_its_cooling_off_ends() -> None:
    resolved_at = T0 + timedelta(hours=5)  # 2 March 14:00 in Shanghai
    resolved = complaint(status=Status.RESOLVED, resolvedAt=resolved_at, firstRespondedAt=resolved_at)
    # seed: 7 days counted from the day after: 9 March 23:59:59 CST = 15:59:59 UTC
    assert closes_at(resolved) == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)
    assert watch_at(resolved) == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)
    # cfpb: 2 March 01:00 in New York, 30 days -> 1 April 23:59:59 EDT = 2 April 03:59:59 UTC
    cfpb = resolved.model_copy(update={"sla_policy": "cfpb"})
    assert closes_at(cfpb) == datetime(2026, 4, 2, 3, 59, 59, tzinfo=UTC)
    # what the resolution stored wins
    stored = resolved.model_copy(update={"closes_at": datetime(2026, 3, 5, tzinfo=UTC)})
    assert watch_at(stored) == datetime(2026, 3, 5, tzinfo=UTC)


def test_a_reopened_complaint_is_warned_at_80_percent_of_its_new_deadline_from_the_reopen() -> None:
    reopened_at = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    reopened = complaint(
        status=Status.IN_PROGRESS,
        firstRespondedAt=T0 + timedelta(hours=1),
        reopenedAt=reopened_at,
        deadlines={"firstResponseDueAt": FIRST_DUE, "resolutionDueAt": reopened_at + timedelta(hours=48)},
    )
    # 0.8 x 48 h = 38 h 24 min after the reopen: 11 March 15:24
    assert at_risk_at(reopened, Step.RESOLUTION) == datetime(2026, 3, 11, 15, 24, tzinfo=UTC)
    assert watch_at(reopened) == datetime(2026, 3, 11, 15, 24, tzinfo=UTC)


def test_a_reopen_arms_resolution_and_still_open_again_and_keeps_first_response() -> None:
    breached = complaint(
        status=Status.RESOLVED,
        slaSteps={"firstResponse": FIRST_DUE, "resolution": RESOLUTION_DUE, "stillOpen": RESOLUTION_DUE},
    )
    kept = steps_after_reopen(breached)
    assert kept == {"firstResponse": FIRST_DUE}
    reopened = breached.model_copy(
        update={"status": Status.IN_PROGRESS, "sla_steps": kept, "first_responded_at": T0}
    )
    # a second breach opens a record of its own (keyed per occasion), so `resolution` is taken again
    assert next_step(reopened) is Step.RESOLUTION
    # one resolved in time never took `resolution`: it is pending again, with its warning
    in_time = complaint(status=Status.IN_PROGRESS, firstRespondedAt=T0, slaSteps={})
    assert steps_after_reopen(in_time) == {}
    assert next_step(in_time) is Step.RESOLUTION
    assert at_risk_pending(in_time) == [Step.RESOLUTION]


# --- the follow-up (回访) a low rating opens ------------------------------------------------------------

FOLLOW_UP_DUE = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)  # opened 4 March 02:00 + 48 h


def follow_up(**overrides: Any) -> dict[str, Any]:
    return {
        "status": "open",
        "rating": 2,
        "openedAt": datetime(2026, 3, 4, 2, 0, tzinfo=UTC),
        "dueAt": FOLLOW_UP_DUE,
        "team": "cards",
    } | overrides


def test_a_closed_complaint_with_an_open_follow_up_is_watched_when_it_falls_due() -> None:
    closed = complaint(status=Status.CLOSED, followUp=follow_up())
    assert follow_up_due_at(closed) == FOLLOW_UP_DUE
    assert watch_at(closed) == FOLLOW_UP_DUE


def test_a_resolved_complaint_is_watched_at_the_earlier_of_its_cooling_off_end_and_its_follow_up() -> None:
    # cooling-off of the seed policy ends 7 days after the resolution; the follow-up is due sooner
    resolved = complaint(
        status=Status.RESOLVED,
        resolvedAt=datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
        closesAt=datetime(2026, 3, 10, 2, 0, tzinfo=UTC),
        followUp=follow_up(),
    )
    assert watch_at(resolved) == FOLLOW_UP_DUE
    later = complaint(
        status=Status.RESOLVED,
        resolvedAt=datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
        closesAt=datetime(2026, 3, 5, 2, 0, tzinfo=UTC),
        followUp=follow_up(),
    )
    assert watch_at(later) == datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"escalatedAt": datetime(2026, 3, 6, 2, 15, tzinfo=UTC)}, Status.CLOSED),  # escalated once
        ({"status": "completed", "outcome": "satisfied", "notes": "ok"}, Status.CLOSED),
        ({}, Status.WITHDRAWN),  # nobody may complete it any more
    ],
)
def test_a_follow_up_escalated_completed_or_moot_is_not_watched(
    overrides: dict[str, Any], status: Status
) -> None:
    ended = complaint(status=status, followUp=follow_up(**overrides))
    assert follow_up_due_at(ended) is None
    assert watch_at(ended) is None
