"""The real stack, synthesized once per test session with cdk-nag's AwsSolutions checks on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template
from deployment_settings import Configured, synthesize_configured

ROOT = Path(__file__).resolve().parents[2]

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of this folder on one xdist worker (`--dist loadgroup`): each worker that runs one
    would synthesize the stack again (about 30 s of a core)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("infra"))


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from complaint_guard.application import build

    app = App(
        context=json.loads((ROOT / "cdk.json").read_text())["context"],
        outdir=str(tmp_path_factory.mktemp("cdk.out")),
    )
    stack = build(app)
    app.synth()  # raises if cdk-nag reports an unacknowledged finding
    return Template.from_stack(stack)


@pytest.fixture(scope="session")
def resources(template: Template) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = template.to_json()["Resources"]
    return found


@pytest.fixture(scope="session")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Configured:
    """The app synthesized with a deployment's own settings (cdk-nag on): one synthesis for every test
    of what those settings change."""
    return synthesize_configured(tmp_path_factory.mktemp("cdk.out"))
