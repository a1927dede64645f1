"""schemathesis against the OpenAPI document the local runtime serves (/v1/openapi.json), with a real
token for every operation: whatever it generates, valid or not, no answer is a 5xx and every answer
matches what the document says of that operation (status, content type, body schema).

Bounded (a few examples per operation, no shrinking) so `make test` stays fast; the customers it
invents are collected and the runtime's output is scanned for their phones and e-mail addresses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from e2e_support import Api
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.reliability]

EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# What the generated intakes gave as contact details (only well-formed ones can be stored and so
# reach a notification or a log line).
INVENTED: set[str] = set()
PHONE = re.compile(r"^\+[1-9]\d{7,14}$")
EMAIL = re.compile(r"^[^@\s]{2,}@[^@\s]+\.[^@\s]+$")


# The committed document, which tests/e2e checks is the one the runtime serves. (Loading it from the
# runtime needs schemathesis' `from_fixture`, which reads a pytest internal that pytest 9 removed.)
schema = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "docs" / "openapi.json")
# Methods no route has (TRACE …) are answered by the local web server, not by API Gateway: not ours.
schema.config.phases.coverage.unexpected_methods = set()


def role_for(method: str, path: str) -> str:
    """Channel apps submit; a manager may call every staff route (reports, reviews, extensions)."""
    return "channel_app" if (method, path) == ("POST", "/v1/complaints") else "manager"


def remember_customer(body: Any) -> None:
    customer = body.get("customer") if isinstance(body, dict) else None
    if not isinstance(customer, dict):
        return
    for value, pattern in ((customer.get("phone"), PHONE), (customer.get("email"), EMAIL)):
        if isinstance(value, str) and pattern.match(value):
            INVENTED.add(value)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_within_its_contract(case: Any, api: Api) -> None:
    method = case.operation.method.upper()
    remember_customer(case.body)
    headers = api.headers(role_for(method, case.operation.path))
    case.call_and_validate(base_url=api.url, headers=headers, checks=CHECKS, timeout=30)


def test_the_contact_details_it_invented_are_in_no_log_line(api: Api, runtime_output: Any) -> None:
    # runs after the fuzzing above (same module, same worker)
    assert INVENTED, "the fuzzing stored no complaint with contact details"
    printed = runtime_output.text()
    assert not sorted(value for value in INVENTED if value in printed)
