"""Request body limits (complaint_guard/limits.py, docs/architecture.md §5 "Sizes"): the synthesized web
ACL, the local runtime's gateway and the request models agree.

- The WAF: the managed SizeRestrictions_BODY (every body over 8 KB) only counts; our size rules refuse
  a body over its path's limit with the API's error shape; the WAF reads 64 KB of a body, more than
  any limit, and counts a larger one as over.
- The web ACL's statements, evaluated as the WAF evaluates them, refuse exactly what the local
  gateway refuses, path by path and size by size.
- The local gateway, built from the template: one byte over a limit is the WAF's 403, at the limit
  the request reaches the function; intake is never refused for its size.
- The longest body each request model allows fits its path's limit.
"""

from __future__ import annotations

import json
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from aws_cdk.assertions import Template
from local.deployer import DeployedStack
from local.functions import LocalFunction
from local.gateway import Gateway, methods_from
from local.tokens import TokenIssuer
from pydantic import BaseModel

from complaint_guard.limits import (
    BODY_LIMITS,
    EVERY_OTHER,
    INSPECTED_BODY_BYTES,
    REFUSED_CODE,
    TRACKING,
    BodyLimit,
    refusing,
)
from complaint_guard.routes import PUBLIC_ROUTES, ROUTES
from complaints.core.models import Redress
from complaints.intake.commands import (
    CloseRequest,
    IntakeRequest,
    PauseRequest,
    ReasonRequest,
    ResolveRequest,
    ResponseRequest,
    UpdateRequest,
    WithdrawRequest,
)
from complaints.sla.accountability import ReviewRequest
from complaints.tracking.service import (
    CustomerReopenRequest,
    CustomerReplyRequest,
    CustomerWithdrawRequest,
    FeedbackRequest,
    FollowUpRequest,
)

pytestmark = pytest.mark.xdist_group("infra")

COMPLAINT_ID = "0b6f5c1e-8d2a-4c3b-9f10-2e7d4a5b6c7d"
CHINESE = "投"  # 3 bytes of UTF-8: 6 bytes escaped in JSON, 9 percent-encoded in a form


@pytest.fixture(scope="module")
def web_acl(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (acl,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::WAFv2::WebACL"]
    return cast(dict[str, Any], acl)


def _rules(web_acl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule["Name"]: rule for rule in web_acl["Rules"]}


# --- the web ACL ------------------------------------------------------------------------------------


def test_the_managed_body_size_rule_only_counts(web_acl: dict[str, Any]) -> None:
    managed = {
        name: rule["Statement"]["ManagedRuleGroupStatement"]
        for name, rule in _rules(web_acl).items()
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }
    common = managed.pop("AWSManagedRulesCommonRuleSet")
    assert common["RuleActionOverrides"] == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
    # every other rule of every managed group keeps its own action
    assert all("RuleActionOverrides" not in group for group in managed.values())
    assert set(managed) == {"AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}


def test_the_waf_reads_64_kb_of_a_body_more_than_any_limit(web_acl: dict[str, Any]) -> None:
    assert web_acl["AssociationConfig"] == {
        "RequestBody": {"API_GATEWAY": {"DefaultSizeInspectionLimit": "KB_64"}}
    }
    assert INSPECTED_BODY_BYTES == 65_536
    assert all(limit.max_bytes < INSPECTED_BODY_BYTES for limit in BODY_LIMITS)


@pytest.mark.parametrize(
    ("name", "max_bytes"),
    [
        # the tracking page's rating form: a 2,000-character comment percent-encoded is 18,000 bytes
        ("TrackingBodySize", 24_576),
        # a resolution: 6,200 characters of summary, root cause and redress, escaped, 37,200 bytes
        ("BodySize", 49_152),
    ],
)
def test_a_body_over_its_limit_is_refused_with_the_api_error_shape(
    web_acl: dict[str, Any], name: str, max_bytes: int
) -> None:
    rule = _rules(web_acl)[name]
    assert rule["Action"] == {
        "Block": {"CustomResponse": {"ResponseCode": 403, "CustomResponseBodyKey": name}}
    }
    (size,) = [
        s["SizeConstraintStatement"]
        for s in rule["Statement"]["AndStatement"]["Statements"]
        if "SizeConstraintStatement" in s
    ]
    assert size["FieldToMatch"] == {"Body": {"OversizeHandling": "MATCH"}}
    assert (size["ComparisonOperator"], size["Size"]) == ("GT", max_bytes)
    response = web_acl["CustomResponseBodies"][name]
    assert response["ContentType"] == "APPLICATION_JSON"
    body = json.loads(response["Content"])
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == REFUSED_CODE
    assert f"over {max_bytes} bytes" in body["message"]
    assert body["details"] == []
    # before the managed groups: a body too large gets this answer, not a managed rule's bare 403
    managed = [r["Priority"] for r in web_acl["Rules"] if "ManagedRuleGroupStatement" in r["Statement"]]
    assert rule["Priority"] < min(managed)


def _matches(statement: dict[str, Any], method: str, path: str, body_bytes: int) -> bool:
    """A web ACL statement as the WAF evaluates it, for the kinds of statement our size rules use."""
    ((kind, inner),) = statement.items()
    if kind == "AndStatement":
        return all(_matches(s, method, path, body_bytes) for s in inner["Statements"])
    if kind == "OrStatement":
        return any(_matches(s, method, path, body_bytes) for s in inner["Statements"])
    if kind == "NotStatement":
        return not _matches(inner["Statement"], method, path, body_bytes)
    if kind == "ByteMatchStatement":
        assert inner["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}]
        (field,) = inner["FieldToMatch"]
        value = {"UriPath": path, "Method": method}[field]
        text: str = inner["SearchString"]
        found: dict[str, bool] = {
            "CONTAINS": text in value,
            "ENDS_WITH": value.endswith(text),
            "STARTS_WITH": value.startswith(text),
            "EXACTLY": value == text,
        }
        return found[inner["PositionalConstraint"]]
    if kind == "SizeConstraintStatement":
        assert inner["ComparisonOperator"] == "GT"
        if body_bytes > INSPECTED_BODY_BYTES:  # oversize: what the WAF does depends on the handling
            return bool(inner["FieldToMatch"]["Body"]["OversizeHandling"] == "MATCH")
        return body_bytes > int(inner["Size"])
    raise AssertionError(f"a statement this evaluator does not know: {kind}")


def _waf_refusal(web_acl: dict[str, Any], method: str, path: str, body_bytes: int) -> str | None:
    """The size rule that blocks the request, in priority order (the managed groups do not look at sizes
    any more, and the rate limit counts requests)."""
    for rule in sorted(web_acl["Rules"], key=lambda r: r["Priority"]):
        blocks = "Block" in rule.get("Action", {}) and "RateBasedStatement" not in rule["Statement"]
        if blocks and _matches(rule["Statement"], method, path, body_bytes):
            return str(rule["Name"])
    return None


def _request_paths() -> list[tuple[str, str]]:
    """Every route, its ids filled, as sent to the API's custom domain and to the stage's own URL."""
    found = []
    for route in (*ROUTES, *PUBLIC_ROUTES):
        path = route.path
        for name in ("{complaint_id}", "{report_id}", "{record_id}", "{file_name}"):
            path = path.replace(name, COMPLAINT_ID if name != "{file_name}" else "report.html")
        found.extend([(route.method, path), (route.method, f"/prod{path}")])
    return found


def test_the_web_acl_refuses_exactly_what_the_local_gateway_refuses(web_acl: dict[str, Any]) -> None:
    sizes = sorted(
        {0, 1_000, INSPECTED_BODY_BYTES, INSPECTED_BODY_BYTES + 1, 400_000}
        | {limit.max_bytes + delta for limit in BODY_LIMITS for delta in (-1, 0, 1)}
    )
    checked = 0
    for method, path in _request_paths():
        for size in sizes:
            local = refusing(method, path, size)
            assert _waf_refusal(web_acl, method, path, size) == (local.name if local else None), (
                method,
                path,
                size,
            )
            checked += 1
    assert checked > 200
    # and what that means for intake, the tracking link and the rest
    assert refusing("POST", "/prod/v1/complaints", 400_000) is None
    assert refusing("POST", f"/t/{COMPLAINT_ID}/feedback", TRACKING.max_bytes + 1) is TRACKING
    assert (
        refusing("POST", f"/v1/complaints/{COMPLAINT_ID}/resolve", EVERY_OTHER.max_bytes + 1) is EVERY_OTHER
    )
    assert refusing("PATCH", f"/v1/complaints/{COMPLAINT_ID}", INSPECTED_BODY_BYTES + 1) is EVERY_OTHER


# --- the local gateway --------------------------------------------------------------------------------


class _Function:
    """Stands in for the api function: records what reaches it and answers 200."""

    def __init__(self) -> None:
        self.bodies: list[str | None] = []

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        self.bodies.append(event["body"])
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}


@pytest.fixture(scope="module")
def gateway(template: Template) -> tuple[Gateway, _Function, dict[str, str]]:
    synthesized = dict(template.to_json())
    function = _Function()
    functions = {
        logical_id: cast(LocalFunction, function)
        for logical_id, resource in synthesized["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Function"
    }
    stack = DeployedStack(name="complaint-guard", template=synthesized, resources={}, outputs={})
    tokens = TokenIssuer()
    return Gateway(methods_from(stack, functions), tokens), function, tokens.role_tokens()


def _body_of(size: int, prefix: bytes, filler: bytes) -> bytes:
    """A body of exactly `size` bytes: `prefix`, then `filler` repeated (and cut) to fill it."""
    return (prefix + filler * size)[:size]


@pytest.mark.parametrize(
    ("limit", "method", "path", "role", "prefix", "filler"),
    [
        (TRACKING, "POST", f"/t/{COMPLAINT_ID}/feedback?token=t", None, b"rating=5&comment=", b"%E6%8A%95"),
        (TRACKING, "POST", f"/v1/track/{COMPLAINT_ID}/reopen?token=t", None, b'{"reason": "', b"\\u6295"),
        (
            EVERY_OTHER,
            "POST",
            f"/v1/complaints/{COMPLAINT_ID}/resolve",
            "agent",
            b'{"summary": "',
            b"\\u6295",
        ),
        (EVERY_OTHER, "PATCH", f"/v1/complaints/{COMPLAINT_ID}", "agent", b'{"team": "', b"x"),
        (EVERY_OTHER, "POST", "/v1/sla/preview", "channel_app", b'{"priority": "', b" "),
    ],
)
def test_one_byte_over_the_limit_is_the_wafs_403_and_at_the_limit_the_request_goes_through(
    gateway: tuple[Gateway, _Function, dict[str, str]],
    limit: BodyLimit,
    method: str,
    path: str,
    role: str | None,
    prefix: bytes,
    filler: bytes,
) -> None:
    local, function, tokens = gateway
    headers = {"Content-Type": "application/json"} | (
        {"Authorization": f"Bearer {tokens[role]}"} if role else {}
    )
    at_limit = _body_of(limit.max_bytes, prefix, filler)
    over = _body_of(limit.max_bytes + 1, prefix, filler)

    passed = local.handle(method, path, headers, at_limit, "203.0.113.9")
    assert passed.status == 200, passed.body[:300]
    assert function.bodies[-1] == at_limit.decode()

    reached = len(function.bodies)
    refused = local.handle(method, path, headers, over, "203.0.113.9")
    assert refused.status == 403
    assert refused.headers["Content-Type"] == "application/json"
    assert json.loads(refused.body) == json.loads(limit.response_body())
    assert json.loads(refused.body)["error"] == "body_too_large"
    assert len(function.bodies) == reached  # the function never saw it


def test_intake_is_never_refused_for_its_size(gateway: tuple[Gateway, _Function, dict[str, str]]) -> None:
    local, function, tokens = gateway
    description = "\\u6295" * 50_000  # 50,000 Chinese characters, escaped: 300,000 bytes
    body = b'{"channel": "counter", "description": "' + description.encode() + b'"}'
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {tokens['channel_app']}"}
    answer = local.handle("POST", "/v1/complaints", headers, body, "203.0.113.9")
    assert answer.status == 200, answer.body[:300]
    assert function.bodies[-1] == body.decode()
    # the same size on any other request is refused
    assert local.handle("POST", "/v1/sla/preview", headers, body, "203.0.113.9").status == 403


# --- the longest bodies the request models allow ---------------------------------------------------------


def _max_length(model: type[BaseModel], field: str) -> int:
    """The maxLength of a field of a request model's JSON schema (also inside `anyOf`: optional ones)."""
    schema = model.model_json_schema(by_alias=True)["properties"][field]
    lengths = [schema.get("maxLength")] + [option.get("maxLength") for option in schema.get("anyOf", [])]
    (length,) = [value for value in lengths if value is not None]
    return int(length)


def _longest(model: type[BaseModel], field: str) -> str:
    return CHINESE * _max_length(model, field)


def _json(body: dict[str, Any]) -> int:
    """The size of a body as a client that escapes every non-ASCII character sends it (the most)."""
    return len(json.dumps(body).encode())


def _form(body: dict[str, str]) -> int:
    return len(urlencode(body).encode())


def test_the_longest_body_each_request_model_allows_fits_its_paths_limit() -> None:
    version = 2**31
    complaint = f"/v1/complaints/{COMPLAINT_ID}"
    longest = {
        ("POST", f"{complaint}/responses"): _json(
            {"message": _longest(ResponseRequest, "message"), "internal": False, "version": version}
        ),
        ("POST", f"{complaint}/resolve"): _json(
            {
                "outcome": "partially_upheld",
                "summary": _longest(ResolveRequest, "summary"),
                "rootCause": _longest(ResolveRequest, "rootCause"),
                "redress": {
                    "amount": "999999999999.99",
                    "currency": "CNY",
                    "description": _longest(Redress, "description"),
                },
                "version": version,
            }
        ),
        ("PATCH", complaint): _json(
            {
                "assignee": "a" * _max_length(UpdateRequest, "assignee"),
                "team": "t" * _max_length(UpdateRequest, "team"),
                "subcategory": _longest(UpdateRequest, "subcategory"),
                "category": "conduct",
                "product": "credit_card",
                "priority": "critical",
                "complexity": "complex",
                "reason": _longest(UpdateRequest, "reason"),
                "version": version,
            }
        ),
        ("POST", f"{complaint}/pause"): _json(
            {
                "reason": _longest(PauseRequest, "reason"),
                "needed": _longest(PauseRequest, "needed"),
                "until": "2026-03-12T02:00:00.123456+08:00",
                "version": version,
            }
        ),
        ("POST", f"{complaint}/withdraw"): _json(
            {
                "receivedVia": "online_banking",
                "receivedAt": "2026-03-12T02:00:00.123456+08:00",
                "reason": _longest(WithdrawRequest, "reason"),
                "version": version,
            }
        ),
        ("POST", f"{complaint}/close"): _json(
            {
                "receivedVia": "online_banking",
                "receivedAt": "2026-03-12T02:00:00.123456+08:00",
                "reason": _longest(CloseRequest, "reason"),
                "version": version,
            }
        ),
        ("POST", f"{complaint}/escalate"): _json(
            {"reason": _longest(ReasonRequest, "reason"), "version": version}
        ),
        ("POST", f"{complaint}/follow-up"): _json(
            {"outcome": "still_dissatisfied", "notes": _longest(FollowUpRequest, "notes"), "version": version}
        ),
        ("POST", f"/v1/accountability/{COMPLAINT_ID}/review"): _json(
            {"finding": "unjustified", "action": _longest(ReviewRequest, "action"), "version": version}
        ),
        ("POST", f"/v1/track/{COMPLAINT_ID}/feedback"): _json(
            {"rating": 5, "comment": _longest(FeedbackRequest, "comment")}
        ),
        ("POST", f"/v1/track/{COMPLAINT_ID}/reopen"): _json(
            {"reason": _longest(CustomerReopenRequest, "reason")}
        ),
        ("POST", f"/t/{COMPLAINT_ID}/feedback"): _form(
            {"rating": "5", "comment": _longest(FeedbackRequest, "comment")}
        ),
        ("POST", f"/t/{COMPLAINT_ID}/reopen"): _form({"reason": _longest(CustomerReopenRequest, "reason")}),
        ("POST", f"/v1/track/{COMPLAINT_ID}/reply"): _json(
            {"message": _longest(CustomerReplyRequest, "message"), "attachmentIds": ["a" * 64] * 20}
        ),
        ("POST", f"/v1/track/{COMPLAINT_ID}/withdraw"): _json(
            {"reason": _longest(CustomerWithdrawRequest, "reason")}
        ),
        ("POST", f"/t/{COMPLAINT_ID}/reply"): _form({"message": _longest(CustomerReplyRequest, "message")}),
        ("POST", f"/t/{COMPLAINT_ID}/withdraw"): _form(
            {"reason": _longest(CustomerWithdrawRequest, "reason"), "confirm": "yes"}
        ),
    }
    for (method, path), size in longest.items():
        for sent_to in (path, f"/prod{path}"):
            assert refusing(method, sent_to, size) is None, (method, sent_to, size)
    # the closest: the page's rating form (18,017 of 24,576 bytes), a resolution (37,4xx of 49,152)
    assert longest[("POST", f"/t/{COMPLAINT_ID}/feedback")] > 18_000
    assert longest[("POST", f"{complaint}/resolve")] > 37_200
    # intake's description alone is more than the WAF can read: no size rule can judge it
    description = _json({"description": _longest(IntakeRequest, "description")})
    assert description > 300_000 > INSPECTED_BODY_BYTES
    assert refusing("POST", "/v1/complaints", description) is None
