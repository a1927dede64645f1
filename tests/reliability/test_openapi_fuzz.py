"""schemathesis against the OpenAPI document (docs/openapi.json, which tests/e2e checks is the one the
runtime serves) on the local runtime, with a real token for every operation: whatever it generates,
valid or not (wrong types, undeclared content types, boundary values), no answer is a 5xx and every
answer is one the document gives for that operation (status, content type, body schema).

Bounded so `make test` stays fast: a fixed number of examples per operation, derandomized (the same
requests each run, so a failure reproduces), no shrinking, no deadline (the runtime is slow).

It shares the runtime with tests/e2e (xdist group "e2e", after them in collection order). What it
stores cannot reach their assertions: its complaints have generated customer ids (theirs filter by
their own), are received now or are refused (so nothing breaches and no accountability record
appears), and it cannot guess the id of any complaint or record to change it.

Last, a complaint with contact details made up here is stored through the API and its receipt sent;
neither they nor any contact detail the fuzzing sent may appear in anything the runtime printed."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from e2e_support import Api, complaint_body
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.reliability]

EXAMPLES_PER_OPERATION = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The contact details the generated intakes gave (only well-formed ones can be stored and so reach a
# notification or a log line).
INVENTED: set[str] = set()
PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

schema = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "docs" / "openapi.json")
# Methods no route has (TRACE …) are answered by the local web server, not by API Gateway: not ours.
schema.config.phases.coverage.unexpected_methods = set()


CHANNEL_APP_ROUTES = {("POST", "/v1/complaints"), ("POST", "/v1/customers/{customer_id}/open-complaints")}


def role_for(method: str, path: str) -> str:
    """Channel apps submit (and look for a customer's open complaints first); a manager may call every
    staff route (reports, reviews, extensions)."""
    return "channel_app" if (method, path) in CHANNEL_APP_ROUTES else "manager"


def remember_customer(body: Any) -> None:
    customer = body.get("customer") if isinstance(body, dict) else None
    if not isinstance(customer, dict):
        return
    for value, pattern in ((customer.get("phone"), PHONE), (customer.get("email"), EMAIL)):
        if isinstance(value, str) and pattern.match(value.strip()):
            INVENTED.add(value.strip())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_within_its_contract(case: Any, api: Api) -> None:
    remember_customer(case.body)
    headers = api.headers(role_for(case.operation.method.upper(), case.operation.path))
    case.call_and_validate(base_url=api.url, headers=headers, checks=CHECKS, timeout=30)


def test_no_contact_details_reach_the_runtimes_output(api: Api, runtime_output: Any) -> None:
    unique = uuid.uuid4().hex[:8]
    customer = {
        "customerId": f"C-FUZZ-{unique}",
        "name": f"Sun Yue {unique}",
        "phone": "+4477009" + str(int(unique, 16) % 10**5).zfill(5),
        "email": f"sun.{unique}@bank-customer.cn",
        "preferredContact": ["sms", "email"],
        "language": "en",
    }
    body = complaint_body(customer=customer)
    created = api.request("POST", "/v1/complaints", role="channel_app", json=body)
    assert created.status_code == 201, created.text
    # the receipt went out by SMS and e-mail: the publisher and the notifier have handled it
    path = f"/v1/complaints/{created.json()['id']}/events"
    deadline, sent = time.monotonic() + 90, []
    while len(sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        notifications = api.request("GET", path, role="manager").json()["notifications"]
        sent = [n for n in notifications if n["status"] == "sent"]
    assert len(sent) == 2, notifications

    printed = runtime_output.text()
    details = {customer["name"], customer["phone"], customer["email"]} | INVENTED
    assert not sorted(value for value in details if value in printed)
