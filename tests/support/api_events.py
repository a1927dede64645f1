"""API Gateway REST proxy events (version 1.0) as API Gateway hands them to the api function, with
the Cognito authorizer's claims in the request context."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any


def api_event(
    method: str,
    path: str,
    body: Any = None,
    claims: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "abc123",
        "httpMethod": method,
        "path": f"/prod{path}",
        "protocol": "HTTP/1.1",
        "requestId": "req-" + path.replace("/", "-"),
        "resourcePath": "/{proxy+}",
        "stage": "prod",
        "identity": {"sourceIp": "203.0.113.9", "userAgent": "pytest"},
    }
    if claims:
        request_context["authorizer"] = {"claims": claims}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": request_context,
        "body": None if body is None else (body if isinstance(body, str) else json.dumps(body)),
        "isBase64Encoded": False,
    }


# The test customer of the intake requests (the log scans look for these details).
CUSTOMER: dict[str, Any] = {
    "customerId": "C-1001",
    "name": "Li Wei",
    "phone": "+8613800138000",
    "email": "li.wei@bank-customer.cn",
    "preferredContact": ["sms", "email"],
    "language": "zh-CN",
    "segment": "retail",
}


STAFF_SCOPE = "complaint-guard/staff"


def staff_claims(username: str, groups: str) -> dict[str, Any]:
    """A staff member's claims as API Gateway REST hands them over (the groups as a "[a b]" string)."""
    return {"cognito:groups": f"[{groups}]", "username": username, "scope": STAFF_SCOPE}


def intake_body(**overrides: Any) -> dict[str, Any]:
    """A channel app's intake request (the integration tests and the benchmark submit this one)."""
    body: dict[str, Any] = {
        "channel": "mobile_app",
        "customer": dict(CUSTOMER),
        "description": "A transfer of 500 CNY was debited twice on 20 November.",
        "category": "product",
        "product": "payment",
    }
    body.update(overrides)
    return body


@dataclass
class LambdaContext:
    """The Lambda context one function's handler is given (the api's by default); the ARN and log
    names follow the function's name. The one copy the tests (and the benchmark) share."""

    function_name: str = "complaint-guard-api"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = ""
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e812345678"
    log_group_name: str = ""
    log_stream_name: str = "2026/11/28/[$LATEST]abc"

    def __post_init__(self) -> None:
        if not self.invoked_function_arn:
            self.invoked_function_arn = f"arn:aws:lambda:eu-west-2:123456789012:function:{self.function_name}"
        if not self.log_group_name:
            self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 25_000


def handler_module(name: str) -> ModuleType:
    """A function's handler module (`api.app`, `publisher.app` …), imported as Lambda would."""
    module = importlib.import_module(name)
    metrics = getattr(module, "metrics", None)  # the api and the notifier batch no metrics of their own
    if metrics is not None and metrics.namespace is None:  # imported before the environment was set
        metrics.namespace = "ComplaintGuardTest"
    return module


@dataclass
class Reply:
    """What the caller of the api function gets: the status, the body as text (JSON or an HTML page)
    and the headers, single- and multi-valued merged, by lower-case name."""

    status: int
    text: str
    headers: dict[str, str]

    @property
    def body(self) -> Any:
        return json.loads(self.text) if self.text else None


Call = Callable[..., Reply]


def api_caller(module: ModuleType, default_claims: dict[str, Any] | None = None) -> Call:
    """What the tests' `call` fixtures return: `call(method, path, body, claims, query, headers,
    repeated)` through the api function, with `default_claims` when the call names none (`claims={}`:
    no claims at all)."""

    def call(
        method: str,
        path: str,
        body: Any = None,
        claims: dict[str, Any] | None = None,
        *rest: Any,
        **named: Any,
    ) -> Reply:
        chosen = default_claims if claims is None else claims
        return invoke_api(module, method, path, body, chosen, *rest, **named)

    return call


def invoke_api(
    module: ModuleType,
    method: str,
    path: str,
    body: Any = None,
    claims: dict[str, Any] | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    repeated: dict[str, list[str]] | None = None,
) -> Reply:
    """One request through the api function as API Gateway hands it over; `repeated` gives query
    parameters more than once."""
    event = api_event(method, path, body, claims, headers, query)
    if repeated:
        event["multiValueQueryStringParameters"] = (event["multiValueQueryStringParameters"] or {}) | repeated
    response = module.handler(event, LambdaContext())
    found = {name.lower(): value for name, value in (response.get("headers") or {}).items()}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        found.setdefault(name.lower(), ", ".join(values))
    return Reply(status=response["statusCode"], text=response.get("body") or "", headers=found)
