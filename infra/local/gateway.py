"""API Gateway (REST) on 127.0.0.1: routes, authorizer and proxy events taken from the template.

The routes are the stack's AWS::ApiGateway::Method resources; the Cognito authorizer is emulated
with the local token issuer (signature, expiry, one of the method's authorization scopes); requests
become Lambda proxy events (version 1.0) for the integration's function, and its answer becomes the
HTTP response. API Gateway's own errors use the stack's gateway response shape. In front of it all,
the WAF's body size rules (complaint_guard/limits.py, which the Firewall construct reads too) refuse
a body over its path's limit as the WAF does: 403 with the rule's response body.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from complaint_guard.limits import REFUSED_STATUS, refusing

from .deployer import DeployedStack
from .functions import LocalFunction
from .tokens import TokenIssuer


@dataclass(frozen=True)
class Method:
    http_method: str
    resource_path: str  # e.g. /v1/complaints/{complaint_id}
    pattern: re.Pattern[str]
    function: LocalFunction
    authorized: bool
    scopes: frozenset[str]


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def _resource_paths(resources: dict[str, Any]) -> dict[str, str]:
    paths: dict[str, str] = {}

    def path_of(logical_id: str) -> str:
        if logical_id not in paths:
            properties = resources[logical_id]["Properties"]
            parent = properties["ParentId"]
            parent_path = path_of(parent["Ref"]) if "Ref" in parent else ""
            paths[logical_id] = f"{parent_path}/{properties['PathPart']}"
        return paths[logical_id]

    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::ApiGateway::Resource":
            path_of(logical_id)
    return paths


def _integration_function(integration: dict[str, Any], functions: dict[str, LocalFunction]) -> LocalFunction:
    """The function behind a Lambda proxy integration URI (Fn::Join with the function's Arn)."""
    text = json.dumps(integration.get("Uri", ""))
    for logical_id, function in functions.items():
        if f'"{logical_id}"' in text:
            return function
    raise LookupError(f"integration {text[:120]} names no function of the stack")


def methods_from(stack: DeployedStack, functions: dict[str, LocalFunction]) -> list[Method]:
    resources = stack.template["Resources"]
    paths = _resource_paths(resources)
    methods = []
    for resource in resources.values():
        if resource["Type"] != "AWS::ApiGateway::Method":
            continue
        properties = resource["Properties"]
        resource_id = properties["ResourceId"]
        path = paths[resource_id["Ref"]] if "Ref" in resource_id else "/"
        pattern = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")
        methods.append(
            Method(
                http_method=properties["HttpMethod"],
                resource_path=path,
                pattern=pattern,
                function=_integration_function(properties["Integration"], functions),
                authorized=properties.get("AuthorizationType") == "COGNITO_USER_POOLS",
                scopes=frozenset(properties.get("AuthorizationScopes", [])),
            )
        )
    return methods


def _gateway_error(status: int, code: str, message: str) -> HttpResponse:
    body = json.dumps({"error": code, "message": message, "details": []}).encode()
    return HttpResponse(status, {"Content-Type": "application/json"}, body)


def _as_claim_strings(claims: dict[str, Any]) -> dict[str, str]:
    """API Gateway hands claims to the function as strings."""
    return {
        key: ",".join(map(str, value)) if isinstance(value, list) else str(value)
        for key, value in claims.items()
    }


class Gateway:
    def __init__(self, methods: list[Method], tokens: TokenIssuer, stage: str = "prod") -> None:
        self._methods = methods
        self._tokens = tokens
        self._stage = stage

    def handle(
        self, http_method: str, raw_path: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> HttpResponse:
        split = urlsplit(raw_path)
        # The WAF sees the request before API Gateway does, the path as sent.
        too_large = refusing(http_method, split.path, len(body))
        if too_large is not None:
            return HttpResponse(
                REFUSED_STATUS, {"Content-Type": "application/json"}, too_large.response_body().encode()
            )
        path = split.path.rstrip("/") or "/"
        candidates = [(m, match) for m in self._methods if (match := m.pattern.match(path))]
        if not candidates:
            return _gateway_error(HTTPStatus.NOT_FOUND, "not_found", f"no route {path}")
        chosen = next(((m, match) for m, match in candidates if m.http_method == http_method), None)
        if chosen is None:
            allowed = sorted({m.http_method for m, _ in candidates})
            return _gateway_error(
                HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", f"{path} allows {', '.join(allowed)}"
            )
        method, match = chosen
        claims: dict[str, Any] | None = None
        if method.authorized:
            authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
            token = authorization.removeprefix("Bearer ").strip()
            claims = self._tokens.verify(token) if token else None
            if claims is None:
                return _gateway_error(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
            granted = set(str(claims.get("scope", "")).split())
            if method.scopes and not granted & method.scopes:
                return _gateway_error(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
        event = self._event(method, match.groupdict(), split.query, headers, body, source_ip, claims)
        result = method.function.invoke(event)
        return self._response(result)

    def _event(
        self,
        method: Method,
        path_parameters: dict[str, str],
        query: str,
        headers: dict[str, str],
        body: bytes,
        source_ip: str,
        claims: dict[str, Any] | None,
    ) -> dict[str, Any]:
        multi_query = parse_qs(query, keep_blank_values=True)
        request_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        text_body: str | None = None
        is_base64 = False
        if body:
            try:
                text_body = body.decode()
            except UnicodeDecodeError:
                text_body, is_base64 = base64.b64encode(body).decode(), True
        return {
            "resource": method.resource_path,
            "path": self._fill(method, path_parameters),
            "httpMethod": method.http_method,
            "headers": headers,
            "multiValueHeaders": {key: [value] for key, value in headers.items()},
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": method.resource_path,
                "httpMethod": method.http_method,
                "path": f"/{self._stage}{self._fill(method, path_parameters)}",
                "stage": self._stage,
                "requestId": request_id,
                "extendedRequestId": request_id,
                "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "requestTimeEpoch": int(now.timestamp() * 1000),
                "protocol": "HTTP/1.1",
                "identity": {"sourceIp": source_ip, "userAgent": headers.get("user-agent")},
                "authorizer": {"claims": _as_claim_strings(claims)} if claims is not None else None,
                "accountId": "123456789012",
                "apiId": "local",
            },
            "body": text_body,
            "isBase64Encoded": is_base64,
        }

    @staticmethod
    def _fill(method: Method, path_parameters: dict[str, str]) -> str:
        path = method.resource_path
        for name, value in path_parameters.items():
            path = path.replace(f"{{{name}}}", value)
        return path

    @staticmethod
    def _response(result: Any) -> HttpResponse:
        if not isinstance(result, dict) or "statusCode" not in result:
            return _gateway_error(HTTPStatus.BAD_GATEWAY, "internal_error", "Internal server error")
        headers = {key: str(value) for key, value in (result.get("headers") or {}).items()}
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers[key] = ", ".join(map(str, values))
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
        return HttpResponse(int(result["statusCode"]), headers, raw)
