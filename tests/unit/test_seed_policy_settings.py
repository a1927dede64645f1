"""The seed policy is the bank's own: a deployment sets its numbers (cdk.json `seed_policy`), validated
when the stack is synthesized and again when a function starts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fakes import T0, FakeClock
from pydantic import ValidationError

from complaints.composition.settings import LifecycleSettings, SettingsError
from complaints.core.auth import caller_from_claims
from complaints.core.errors import InvalidInput
from complaints.core.models import Complexity, Priority, Product, SlaPolicyName
from complaints.intake.commands import IntakeRequest, PauseRequest, ResponseRequest
from complaints.intake.service import ComplaintService
from complaints.sla.policies import (
    SeedPolicySettings,
    compute_deadlines,
    cooling_off_ends,
    pause_limit,
    seed_policy,
    use_seed_policy,
)

APP = caller_from_claims({"client_id": "counter-app", "scope": "complaint-guard/complaints.submit"})
AGENT = caller_from_claims({"cognito:groups": ["agent", "team:intake"], "username": "agent-7"})
ENVIRONMENT = {"TABLE_NAME": "t", "SLA_TRACKER_ARN": "arn", "TRAIL_TABLE_NAME": "trail"}


@pytest.fixture(autouse=True)
def _restore_the_default_policy() -> Iterator[None]:
    yield
    use_seed_policy(SeedPolicySettings())


def test_the_defaults_are_the_seed_policys_numbers() -> None:
    assert seed_policy() == SeedPolicySettings()
    assert pause_limit(SlaPolicyName.SEED) == timedelta(days=10)
    # received 09:00 Beijing time on 2 March: a week from the 3rd, the 9th, to its last second
    assert cooling_off_ends(SlaPolicyName.SEED, T0) == datetime(2026, 3, 9, 15, 59, 59, tzinfo=UTC)


def test_a_deployments_numbers_set_the_seed_deadlines_and_leave_the_regulators_alone() -> None:
    use_seed_policy(
        SeedPolicySettings(
            solution_plan_hours=36,
            critical_solution_plan_hours=12,
            complex_resolution_days=10,
            complex_extended_days=20,
            cooling_off_days=3,
            pause_limit=timedelta(days=5),
        )
    )
    due = compute_deadlines(SlaPolicyName.SEED, T0, Priority.NORMAL, Complexity.COMPLEX, Product.CREDIT_CARD)
    assert due.solution_plan_due_at == T0 + timedelta(hours=36)
    assert due.resolution_due_at == datetime(2026, 3, 12, 15, 59, 59, tzinfo=UTC)  # 10 days from the 3rd
    extended = compute_deadlines(
        SlaPolicyName.SEED, T0, Priority.NORMAL, Complexity.COMPLEX, Product.CREDIT_CARD, 1
    )
    assert extended.resolution_due_at == datetime(2026, 3, 22, 15, 59, 59, tzinfo=UTC)
    critical = compute_deadlines(SlaPolicyName.SEED, T0, Priority.CRITICAL, Complexity.COMPLEX, Product.OTHER)
    assert critical.solution_plan_due_at == T0 + timedelta(hours=12)
    assert cooling_off_ends(SlaPolicyName.SEED, T0) == datetime(2026, 3, 5, 15, 59, 59, tzinfo=UTC)
    assert pause_limit(SlaPolicyName.SEED) == timedelta(days=5)
    assert pause_limit(SlaPolicyName.CBIRC_2020) == timedelta(0)
    cbirc = compute_deadlines(
        SlaPolicyName.CBIRC_2020, T0, Priority.NORMAL, Complexity.COMPLEX, Product.OTHER
    )
    assert cbirc.resolution_due_at == datetime(2026, 3, 17, 15, 59, 59, tzinfo=UTC)


def test_a_short_pause_limit_bounds_every_pause(service: ComplaintService, clock: FakeClock) -> None:
    use_seed_policy(SeedPolicySettings(pause_limit=timedelta(minutes=5)))
    body = {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": "+8613800138000"},
        "description": "x",
    }
    complaint = service.intake(IntakeRequest.model_validate(body), APP)
    clock.advance(minutes=1)
    service.respond(complaint.id, ResponseRequest(message="We are on it."), AGENT)
    too_long = PauseRequest(
        reason="statement", needed="your statement", until=clock.now + timedelta(minutes=6)
    )
    with pytest.raises(InvalidInput, match="at most 5 minutes in all") as refused:
        service.pause(complaint.id, too_long, AGENT)
    assert refused.value.details[0]["field"] == "until"
    paused = service.pause(complaint.id, PauseRequest(reason="statement", needed="your statement"), AGENT)
    assert paused.paused_until == clock.now + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("numbers", "named"),
    [
        ({"complex_resolution_days": 30, "complex_extended_days": 30}, "complex_extended_days"),
        ({"solution_plan_hours": 12, "critical_solution_plan_hours": 24}, "critical_solution_plan_hours"),
        ({"pause_limit": "P90D"}, "pause_limit"),
        ({"pause_days": 3}, "pause_days"),
    ],
)
def test_numbers_that_make_no_sense_are_refused_naming_them(numbers: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        SeedPolicySettings.model_validate(numbers)


def test_a_function_reads_the_numbers_from_its_environment_or_fails_naming_the_variable() -> None:
    told = ENVIRONMENT | {"SEED_POLICY": json.dumps({"pause_limit": "PT10M", "cooling_off_days": 2})}
    settings = LifecycleSettings.from_environment(told)
    assert settings.seed_policy.pause_limit == timedelta(minutes=10)
    assert settings.seed_policy.cooling_off_days == 2
    assert LifecycleSettings.from_environment(ENVIRONMENT).seed_policy == SeedPolicySettings()
    with pytest.raises(SettingsError, match="SEED_POLICY"):
        LifecycleSettings.from_environment(ENVIRONMENT | {"SEED_POLICY": "{not json"})
    with pytest.raises(SettingsError, match="SEED_POLICY"):
        LifecycleSettings.from_environment(ENVIRONMENT | {"SEED_POLICY": '{"cooling_off_days": 0}'})
