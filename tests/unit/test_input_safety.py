"""Input that cannot hurt (issue 11, item 7): identifiers are NFKC-normalised; control and bidi
override characters are refused in names and identifiers (the error names the field) and removed
from free texts. The rule is in core/models.py; these tests go through the request models."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from complaints.core.models import Customer, Feedback, Redress
from complaints.intake.commands import (
    IntakeRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    UpdateRequest,
)

PHONE = "+8613800138000"
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\t", "\n", "\r"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def intake(**customer: Any) -> dict[str, Any]:
    return {
        "channel": "counter",
        "customer": {"customerId": "C-1", "name": "Li Wei", "phone": PHONE} | customer,
        "description": "Charged twice.",
    }


def refused(model: Any, body: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(body)
    (error,) = raised.value.errors()
    return {"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"]}


# --- identifiers: NFKC ---------------------------------------------------------------------------


def test_full_width_customer_id_is_the_same_customer() -> None:
    request = IntakeRequest.model_validate(intake(customerId="Ｃ－１２３"))
    assert request.customer.customer_id == "C-123"


def test_full_width_assignee_and_team_are_normalised() -> None:
    request = UpdateRequest.model_validate({"assignee": "ａｇｅｎｔ－７", "team": "ｃａｒｄｓ"})
    assert (request.assignee, request.team) == ("agent-7", "cards")


def test_a_full_width_phone_is_the_same_number_and_other_scripts_digits_are_refused() -> None:
    assert Customer.model_validate(intake(phone="＋８６１３８００１３８０００")["customer"]).phone == PHONE
    problem = refused(Customer, intake(phone="+٨٦١٣٨٠٠١٣٨٠٠٠")["customer"])  # Arabic-Indic digits
    assert problem["field"] == "phone"


# --- names and identifiers: refused, naming the field --------------------------------------------


@pytest.mark.parametrize("char", CONTROLS + BIDI)
def test_a_name_with_a_control_or_bidi_character_is_refused(char: str) -> None:
    problem = refused(IntakeRequest, intake(name=f"Li{char}Wei"))
    assert problem["field"] == "customer.name"
    assert f"U+{ord(char):04X}" in problem["message"]
    assert "must not contain" in problem["message"]


@pytest.mark.parametrize("char", ["\x07", "\u202e", "\u2066"])
@pytest.mark.parametrize("field", ["assignee", "team", "subcategory"])
def test_identifiers_and_labels_refuse_them_naming_the_field(field: str, char: str) -> None:
    problem = refused(UpdateRequest, {field: f"ab{char}cd"})
    assert problem["field"] == field
    assert f"U+{ord(char):04X}" in problem["message"]


def test_the_customer_id_refuses_them_naming_the_field() -> None:
    problem = refused(IntakeRequest, intake(customerId="C-1\u202e2"))
    assert problem["field"] == "customer.customerId"
    assert "bidirectional control" in problem["message"]


def test_the_root_cause_refuses_them() -> None:
    body = {"outcome": "upheld", "summary": "Refunded.", "rootCause": "batch\x1b[31m replay"}
    assert refused(ResolveRequest, body)["field"] == "rootCause"


def test_bidi_marks_are_kept_in_names_and_whitespace_around_a_name_is_stripped() -> None:
    """LRM, RLM and ALM only set the direction of neutral neighbours: real mixed-script names use them."""
    name = "\u05d3\u05d5\u05d3 \u200f(David)\u200e"
    assert IntakeRequest.model_validate(intake(name=f" {name}\n")).customer.name == name


# --- free texts: stripped --------------------------------------------------------------------------


@pytest.mark.parametrize("char", [c for c in CONTROLS if c not in "\t\n\r"] + BIDI)
def test_free_texts_have_them_removed(char: str) -> None:
    text = f"Charged{char} twice"
    assert IntakeRequest.model_validate(intake() | {"description": text}).description == "Charged twice"
    assert ResponseRequest(message=text).message == "Charged twice"
    assert ReasonRequest(reason=text).reason == "Charged twice"
    assert (
        Feedback.model_validate(
            {"rating": 2, "comment": text, "at": "2026-03-02T01:00:00Z", "resolutionNumber": 1}
        ).comment
        == "Charged twice"
    )
    assert Redress(amount=1, description=text).description == "Charged twice"
    body = {"outcome": "upheld", "summary": text, "rootCause": "batch replay"}
    assert ResolveRequest.model_validate(body).summary == "Charged twice"


def test_free_texts_keep_tabs_and_line_breaks_and_marks() -> None:
    text = "line one\r\nline two\rline three\n\tindented \u200fמשפט\u200e"
    assert (
        ResponseRequest(message=text).message == "line one\nline two\nline three\n\tindented \u200fמשפט\u200e"
    )


def test_a_text_of_nothing_but_removed_characters_is_empty_and_refused() -> None:
    problem = refused(ReasonRequest, {"reason": "\u202e\x00\u2066"})
    assert problem["field"] == "reason"
