"""The list's filters refuse what no identifier can be with a 400 naming the filter (found by the
contract fuzzing: a customerId with punctuation was a 500)."""

from __future__ import annotations

from typing import Any

import pytest

MANAGER = {"cognito:groups": "[manager]", "username": "mgr-1", "scope": "openid complaint-guard/staff"}


@pytest.mark.parametrize(("name", "value"), [("customerId", "o(\u00cb\uf49e\u00c5"), ("assignee", "li na")])
def test_a_filter_no_identifier_can_match_is_400_on_it(call: Any, name: str, value: str) -> None:
    reply = call("GET", "/v1/complaints", None, MANAGER, {name: value})
    assert reply.status == 400, reply.body
    assert reply.body["error"] == "validation_error"
    assert [detail["field"] for detail in reply.body["details"]] == [name]


def test_a_full_width_customer_id_is_folded_and_lists(call: Any) -> None:
    reply = call("GET", "/v1/complaints", None, MANAGER, {"customerId": "\uff23-1001"})  # Ｃ-1001
    assert reply.status == 200, reply.body
