"""API Gateway REST proxy events (version 1.0) as API Gateway hands them to the api function, with
the Cognito authorizer's claims in the request context."""

from __future__ import annotations

import json
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
