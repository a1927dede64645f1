"""The deps layer is built from pyproject.toml's runtime dependencies (scripts/build_deps_layer.py): the
functions get in AWS exactly what the tests run against here."""

from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_deps_layer import PROVIDED_BY_RUNTIME, digest, layer_requirements  # noqa: E402

PINNED = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)(\[[a-z,]+\])?==(?P<version>[0-9][0-9A-Za-z.]*)$")


def test_every_layer_requirement_is_an_exact_pin() -> None:
    requirements = layer_requirements()
    assert requirements, "the layer would be empty"
    loose = [requirement for requirement in requirements if not PINNED.match(requirement)]
    assert not loose, f"pin these exactly (name==version), or the layer drifts from the tests: {loose}"


@pytest.mark.parametrize("requirement", layer_requirements())
def test_the_venv_runs_the_version_the_layer_ships(requirement: str) -> None:
    pinned = PINNED.match(requirement)
    assert pinned is not None
    assert version(pinned["name"]) == pinned["version"]


def test_what_the_lambda_runtime_provides_is_not_shipped_again() -> None:
    names = {PINNED.match(r)["name"].lower().replace("-", "_") for r in layer_requirements()}  # type: ignore[index]
    assert not names & set(PROVIDED_BY_RUNTIME)


def test_a_changed_dependency_rebuilds_the_layer(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["pydantic==2.14.3"]\n')
    before = digest(layer_requirements(pyproject))
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["pydantic==2.14.4"]\n')
    assert digest(layer_requirements(pyproject)) != before
