"""The contract in three places must agree: the code, docs/openapi.json, and the API's routes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from export_openapi import DOCUMENT, generated  # noqa: E402

from complaint_guard.routes import PUBLIC_ROUTES, ROUTES  # noqa: E402

pytestmark = pytest.mark.xdist_group("infra")


def test_committed_openapi_document_matches_the_code() -> None:
    committed = json.loads(DOCUMENT.read_text())
    assert committed == generated(), "docs/openapi.json is stale: run `make openapi` and commit it"


def test_every_documented_operation_has_an_api_gateway_route_and_back() -> None:
    document = generated()
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()  # type: ignore[attr-defined]
        for method in operations
    }
    routed = {(route.method, route.path) for route in ROUTES}
    assert documented == routed
    assert ("GET", "/v1/openapi.json") in {(r.method, r.path) for r in PUBLIC_ROUTES}
