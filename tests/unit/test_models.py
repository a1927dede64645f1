"""Request and model validation: what a channel app gets refused, and why (docs/architecture.md §2, §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from complaints.core.models import (
    Category,
    Channel,
    Complexity,
    ContactMethod,
    Customer,
    Language,
    Priority,
    Product,
    Segment,
)
from complaints.intake.commands import IntakeRequest, ResolveRequest, UpdateRequest


def customer(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customerId": "C-1001",
        "name": "Li Wei",
        "phone": "+8613800138000",
        "email": "li.wei@bank-customer.cn",
        "preferredContact": ["sms"],
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def intake(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "counter",
        "customer": customer(),
        "description": "The ATM kept my card and nobody called me back.",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


def error_locations(error: ValidationError) -> list[tuple[Any, ...]]:
    return [problem["loc"] for problem in error.errors()]


# --- a valid request --------------------------------------------------------------------------------


def test_minimal_intake_gets_the_documented_defaults() -> None:
    request = IntakeRequest.model_validate(intake())
    assert request.channel is Channel.COUNTER
    assert request.category is Category.SERVICE
    assert request.product is Product.OTHER
    assert request.priority is Priority.NORMAL
    assert request.complexity is Complexity.SIMPLE
    assert request.received_at is None
    assert request.sla_policy is None
    assert request.customer.language is Language.ZH_CN
    assert request.customer.segment is Segment.RETAIL


def test_fields_are_camel_case_on_the_wire() -> None:
    request = IntakeRequest.model_validate(intake(slaPolicy="cfpb", priority="critical"))
    wire = request.to_json()
    assert wire["slaPolicy"] == "cfpb"
    assert wire["customer"]["customerId"] == "C-1001"
    assert wire["customer"]["preferredContact"] == ["sms"]
    assert "sla_policy" not in wire


# --- phone and e-mail -------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["+8613800138000", "+447700900123", "+12025550123", "+3612345"])
def test_e164_phones_are_accepted(phone: str) -> None:
    assert Customer.model_validate(customer(phone=phone)).phone == phone


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",  # no country code
        "+08613800138000",  # country code cannot start with 0
        "+86 138 0013 8000",  # spaces
        "+86-138-0013-8000",  # dashes
        "+1234567890123456",  # 16 digits, E.164 allows at most 15
        "+12345",  # too short to be a number
        "+86138001380OO",  # letters
    ],
)
def test_non_e164_phones_are_refused_at_customer_phone(phone: str) -> None:
    with pytest.raises(ValidationError) as caught:
        IntakeRequest.model_validate(intake(customer=customer(phone=phone)))
    assert ("customer", "phone") in error_locations(caught.value)


@pytest.mark.parametrize("email", ["not-an-email", "li.wei@", "@bank.cn", "li wei@bank.cn"])
def test_invalid_emails_are_refused(email: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Customer.model_validate(customer(email=email))
    assert ("email",) in error_locations(caught.value)


def test_valid_email_is_accepted() -> None:
    assert (
        Customer.model_validate(customer(email="li.wei@bank-customer.cn")).email == "li.wei@bank-customer.cn"
    )


# --- reachability -----------------------------------------------------------------------------------


def test_customer_must_be_reachable_somehow() -> None:
    with pytest.raises(ValidationError, match="phone or email"):
        Customer.model_validate(customer(phone=..., email=...))


def test_sms_preferred_needs_a_phone() -> None:
    with pytest.raises(ValidationError, match="sms"):
        Customer.model_validate(customer(phone=..., preferredContact=["sms"]))


def test_email_preferred_needs_an_email() -> None:
    with pytest.raises(ValidationError, match="email"):
        Customer.model_validate(customer(email=..., preferredContact=["email"]))


def test_default_preferred_contact_is_sms_so_an_email_only_customer_must_say_email() -> None:
    with pytest.raises(ValidationError, match="sms"):
        Customer.model_validate(customer(phone=..., preferredContact=...))
    by_email = Customer.model_validate(customer(phone=..., preferredContact=["email"]))
    assert by_email.preferred_contact == [ContactMethod.EMAIL]


def test_both_contact_methods_need_both_details() -> None:
    both = Customer.model_validate(customer(preferredContact=["sms", "email"]))
    assert both.preferred_contact == [ContactMethod.SMS, ContactMethod.EMAIL]
    with pytest.raises(ValidationError):
        Customer.model_validate(customer(email=..., preferredContact=["sms", "email"]))


# --- description ------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [1, 5000, 50_000])
def test_description_of_1_to_50000_characters_is_accepted(length: int) -> None:
    assert len(IntakeRequest.model_validate(intake(description="x" * length)).description) == length


@pytest.mark.parametrize("description", ["", "   ", "x" * 50_001])
def test_description_empty_blank_or_over_50000_is_refused(description: str) -> None:
    with pytest.raises(ValidationError) as caught:
        IntakeRequest.model_validate(intake(description=description))
    assert ("description",) in error_locations(caught.value)


def test_description_is_trimmed() -> None:
    assert (
        IntakeRequest.model_validate(intake(description="  card retained \n")).description == "card retained"
    )


# --- enums ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "fax"),
        ("category", "pricing"),
        ("product", "crypto"),
        ("priority", "urgent"),
        ("complexity", "hard"),
        ("slaPolicy", "gdpr"),
    ],
)
def test_unknown_enum_values_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        IntakeRequest.model_validate(intake(**{field: value}))
    assert (field,) in error_locations(caught.value)


@pytest.mark.parametrize(
    ("field", "value"), [("language", "fr"), ("segment", "vip"), ("preferredContact", ["fax"])]
)
def test_unknown_customer_enum_values_are_refused(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        Customer.model_validate(customer(**{field: value}))


def test_every_documented_channel_is_accepted() -> None:
    documented = [
        "counter",
        "phone_banking",
        "online_banking",
        "mobile_app",
        "hotline",
        "email",
        "self_service",
    ]
    for channel in documented:
        assert IntakeRequest.model_validate(intake(channel=channel)).channel.value == channel
    assert sorted(c.value for c in Channel) == sorted(documented)


# --- receivedAt -------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def now() -> datetime:
    return datetime.now(UTC)


def test_received_at_a_few_minutes_ahead_is_clock_skew_not_the_future() -> None:
    ahead = (now() + timedelta(minutes=4)).replace(microsecond=0)
    assert IntakeRequest.model_validate(intake(receivedAt=iso(ahead))).received_at == ahead


def test_received_at_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError, match="future") as caught:
        IntakeRequest.model_validate(intake(receivedAt=iso(now() + timedelta(minutes=10))))
    assert ("receivedAt",) in error_locations(caught.value)


def test_received_at_29_days_ago_is_accepted_and_kept_in_utc() -> None:
    moment = (now() - timedelta(days=29)).replace(microsecond=0)
    request = IntakeRequest.model_validate(intake(receivedAt=iso(moment)))
    assert request.received_at == moment
    assert request.received_at is not None and request.received_at.utcoffset() == timedelta(0)


def test_received_at_more_than_30_days_ago_is_refused() -> None:
    with pytest.raises(ValidationError, match="30 days") as caught:
        IntakeRequest.model_validate(intake(receivedAt=iso(now() - timedelta(days=31))))
    assert ("receivedAt",) in error_locations(caught.value)


def test_received_at_must_name_its_time_zone() -> None:
    naive = (now() - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    with pytest.raises(ValidationError, match="time zone"):
        IntakeRequest.model_validate(intake(receivedAt=naive))


def test_received_at_with_an_offset_is_converted_to_utc() -> None:
    moment = (now() - timedelta(hours=3)).replace(microsecond=0)
    at_plus_eight = moment.astimezone(ZoneInfo("Asia/Shanghai")).isoformat()
    assert at_plus_eight.endswith("+08:00")
    request = IntakeRequest.model_validate(intake(receivedAt=at_plus_eight))
    assert request.received_at == moment
    assert request.received_at is not None and request.received_at.tzinfo == UTC


# --- unknown fields ---------------------------------------------------------------------------------


def test_unknown_top_level_field_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        IntakeRequest.model_validate(intake(foo="bar"))
    assert ("foo",) in error_locations(caught.value)
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_unknown_customer_field_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        IntakeRequest.model_validate(intake(customer=customer(idCard="110101199003077777")))
    assert ("customer", "idCard") in error_locations(caught.value)


def test_snake_case_typo_of_a_field_is_not_silently_ignored() -> None:
    with pytest.raises(ValidationError):
        IntakeRequest.model_validate(intake(recieved_at=iso(now())))


@pytest.mark.parametrize("model", [UpdateRequest, ResolveRequest])
def test_command_bodies_refuse_unknown_fields(model: type) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(
            {"version": 1, "outcome": "upheld", "summary": "s", "rootCause": "r", "bogus": 1}
        )


def test_versions_start_at_one() -> None:
    with pytest.raises(ValidationError):
        UpdateRequest.model_validate({"version": 0, "assignee": "agent-7"})
    assert UpdateRequest.model_validate({"version": 1, "assignee": "agent-7"}).version == 1


def test_redress_amount_is_non_negative_money_with_a_currency_code() -> None:
    base = {"outcome": "upheld", "summary": "refunded", "rootCause": "fee error"}
    ok = ResolveRequest.model_validate(base | {"redress": {"amount": "120.50", "currency": "GBP"}})
    assert ok.redress is not None and str(ok.redress.amount) == "120.50"
    for bad in ({"amount": "-1"}, {"amount": "1.005"}, {"amount": "1", "currency": "gbp"}):
        with pytest.raises(ValidationError):
            ResolveRequest.model_validate(base | {"redress": bad})
