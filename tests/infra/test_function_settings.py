"""Every function's environment in the template holds every setting that function requires, so no
function fails its cold start in AWS for want of a variable (complaints/composition/settings.py)."""

from __future__ import annotations

from typing import Any

import pytest

from complaints.composition.settings import (
    ApiSettings,
    ArchiverSettings,
    FunctionSettings,
    MalwareScanSettings,
    NotifierSettings,
    PublisherSettings,
    ReportBuilderSettings,
    SettingsError,
    SweepSettings,
    TriageSettings,
)

pytestmark = pytest.mark.xdist_group("infra")

# The functions of the stack by the start of their logical id, with the settings each validates.
SETTINGS_OF: dict[str, type[FunctionSettings]] = {
    "ApiHandler": ApiSettings,
    "SlaSweepHandler": SweepSettings,
    "PublisherHandler": PublisherSettings,
    "NotificationsHandler": NotifierSettings,
    "ReportsBuilder": ReportBuilderSettings,
    "AttachmentsScanResults": MalwareScanSettings,
    "TrailArchiveArchiver": ArchiverSettings,
    "TriageHandler": TriageSettings,
}


def environments(resources: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Each function's variables; a reference to another resource (resolved at deploy time) stands
    as a placeholder."""
    found = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        variables = resource["Properties"].get("Environment", {}).get("Variables", {})
        found[logical_id] = {
            name: value if isinstance(value, str) else "resolved-at-deploy-time"
            for name, value in variables.items()
        }
    return found


def settings_of(logical_id: str) -> type[FunctionSettings]:
    matches = [settings for prefix, settings in SETTINGS_OF.items() if logical_id.startswith(prefix)]
    assert len(matches) == 1, f"{logical_id}: which settings does this function validate? (SETTINGS_OF)"
    return matches[0]


def test_every_function_of_the_stack_has_every_setting_it_requires(
    resources: dict[str, dict[str, Any]],
) -> None:
    found = environments(resources)
    assert len(found) == len(SETTINGS_OF)
    for logical_id, environment in found.items():
        settings_of(logical_id).from_environment(environment)  # raises, naming what is missing


def test_a_function_missing_a_setting_fails_naming_the_variable(
    resources: dict[str, dict[str, Any]],
) -> None:
    for logical_id, environment in environments(resources).items():
        if logical_id.startswith("ApiHandler"):
            del environment["REPORT_QUEUE_URL"]
            with pytest.raises(SettingsError, match="REPORT_QUEUE_URL: Field required"):
                ApiSettings.from_environment(environment)


def test_the_seed_policys_numbers_of_cdk_json_reach_every_function_that_derives_deadlines(
    resources: dict[str, dict[str, Any]],
) -> None:
    import json
    from pathlib import Path

    from complaint_guard.settings import StackSettings

    context = json.loads((Path(__file__).resolve().parents[2] / "cdk.json").read_text())["context"]
    wanted = StackSettings.model_validate(context.get("complaint-guard", {})).seed_policy
    deriving = ("ApiHandler", "SlaSweepHandler", "AttachmentsScanResults")
    for logical_id, environment in environments(resources).items():
        if logical_id.startswith(deriving):
            told = settings_of(logical_id).from_environment(environment)
            assert told.seed_policy == wanted, logical_id  # type: ignore[attr-defined]


def test_seed_policy_numbers_that_make_no_sense_fail_the_synthesis_naming_them() -> None:
    from pydantic import ValidationError

    from complaint_guard.settings import StackSettings

    with pytest.raises(ValidationError, match=r"seed_policy\.pause_limit"):
        StackSettings.model_validate({"seed_policy": {"pause_limit": "ten days"}})
