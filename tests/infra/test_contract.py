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
    public = {(route.method, route.path) for route in PUBLIC_ROUTES}
    # Every operation is routed, with a Cognito token or public (the tracking link); the document
    # itself is public and not one of its own operations.
    assert documented == (routed | public) - {("GET", "/v1/openapi.json")}
    assert not routed & public
    assert ("GET", "/v1/openapi.json") in public
    for method, path in public - {("GET", "/v1/openapi.json")}:
        assert document["paths"][path][method.lower()]["security"] == [{}], f"{method} {path}"  # type: ignore[index]
    for method, path in routed:
        assert "security" not in document["paths"][path][method.lower()], f"{method} {path}"  # type: ignore[index]
