"""Over the API (issue 11, item 7): a name or identifier holding a control or bidi override
character is a 400 naming the field; a description has them removed; a full-width customer id is the
same customer."""

from __future__ import annotations

from typing import Any

import pytest
from api_events import Call, intake_body


def customer(**fields: Any) -> dict[str, Any]:
    return intake_body(customer={**intake_body()["customer"], **fields})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (customer(name="Li\u202eWei"), "customer.name"),
        (customer(name="Li\x1b[2JWei"), "customer.name"),
        (customer(customerId="C-1001\u2066"), "customer.customerId"),
        (intake_body(subcategory="ATM\u0000fees"), "subcategory"),
    ],
)
def test_control_and_bidi_characters_in_names_are_a_400_naming_the_field(
    call: Call, body: dict[str, Any], field: str
) -> None:
    reply = call("POST", "/v1/complaints", body)
    assert reply.status == 400, reply.body
    assert reply.body["error"] == "validation_error"
    assert field in {detail["field"] for detail in reply.body["details"]}
    assert field in reply.body["message"] and "must not contain" in reply.body["message"]


def test_a_description_is_taken_in_without_them_and_full_width_ids_are_folded(call: Call) -> None:
    body = customer(customerId="Ｃ－１００１") | {"description": "Charged\u202e twice\x07.\r\nPlease refund."}
    reply = call("POST", "/v1/complaints", body)
    assert reply.status == 201, reply.body
    assert reply.body["description"] == "Charged twice.\nPlease refund."
    assert reply.body["customer"]["customerId"] == "C-1001"
