"""Verbs the API does not know are answered as API Gateway would: 405 in the API's error shape, not
http.server's 501 HTML page."""

from __future__ import annotations

import pytest
import requests
from e2e_support import Api

pytestmark = pytest.mark.xdist_group("e2e")


@pytest.mark.parametrize("method", ["TRACE", "FOO"])
@pytest.mark.parametrize("path", ["/v1/complaints", "/no/such/route"])
def test_an_unknown_method_is_405_in_the_api_error_shape(local_runtime: str, method: str, path: str) -> None:
    response = requests.request(method, f"{local_runtime}{path}", timeout=30)
    assert response.status_code == 405, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == "method_not_allowed"
    assert method in body["message"]
    assert body["details"] == []
    assert "GET" in response.headers["Allow"].split(", ")


def test_the_connection_keeps_serving_after_an_unknown_method_with_a_body(api: Api) -> None:
    with requests.Session() as session:
        refused = session.request("FOO", f"{api.url}/v1/complaints", data=b'{"x": 1}', timeout=30)
        assert refused.status_code == 405
        # the same (kept-alive) connection still answers a known method
        listed = session.get(f"{api.url}/v1/complaints", headers=api.headers("agent"), timeout=30)
        assert listed.status_code == 200, listed.text
