"""Every route of the v1 API and the OAuth scopes API Gateway demands on it.

API Gateway lets a request through when its token is valid and carries one of the route's scopes;
the handler then checks the caller's role. Every route accepts any of our scopes on purpose: a
valid caller without the role gets a 403 that names what it may not do, where a scope refusal at the
gateway could only say 401. An infra test compares this table with the routes of the generated
OpenAPI document, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import NamedTuple

from complaints.core.auth import Scope


class Route(NamedTuple):
    method: str
    path: str
    scopes: tuple[Scope, ...]
    # Why a route is served without a Cognito token; cdk-nag's APIG4 and COG4 are acknowledged with it.
    why_public: str = ""


ANY_TOKEN = (Scope.SUBMIT, Scope.READ, Scope.STAFF)

ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/complaints", ANY_TOKEN),
    Route("GET", "/v1/complaints", ANY_TOKEN),
    Route("GET", "/v1/complaints/{complaint_id}", ANY_TOKEN),
    Route("PATCH", "/v1/complaints/{complaint_id}", ANY_TOKEN),
    *(
        Route("POST", f"/v1/complaints/{{complaint_id}}/{action}", ANY_TOKEN)
        for action in (
            "responses",
            "pause",
            "resume",
            "extend",
            "solution-plan",
            "escalate",
            "resolve",
            "close",
            "reopen",
            "withdraw",
        )
    ),
    Route("GET", "/v1/complaints/{complaint_id}/events", ANY_TOKEN),
    Route("GET", "/v1/complaints/{complaint_id}/integrity", ANY_TOKEN),
    Route("POST", "/v1/complaints/{complaint_id}/legal-hold", ANY_TOKEN),
    Route("POST", "/v1/customers/{customer_id}/erasure", ANY_TOKEN),
    Route("POST", "/v1/customers/{customer_id}/open-complaints", ANY_TOKEN),
    Route("POST", "/v1/complaints/{complaint_id}/follow-up", ANY_TOKEN),
    Route("POST", "/v1/complaints/{complaint_id}/follow-up/assignee", ANY_TOKEN),
    Route("GET", "/v1/follow-ups", ANY_TOKEN),
    Route("POST", "/v1/complaints/{complaint_id}/attachments", ANY_TOKEN),
    Route("GET", "/v1/complaints/{complaint_id}/attachments/{attachment_id}", ANY_TOKEN),
    Route("POST", "/v1/sla/preview", ANY_TOKEN),
    Route("GET", "/v1/sla/policies", ANY_TOKEN),
    Route("POST", "/v1/triage/preview", ANY_TOKEN),
    Route("GET", "/v1/teams/{team}/members", ANY_TOKEN),
    Route("PUT", "/v1/teams/{team}/members", ANY_TOKEN),
    Route("GET", "/v1/complaints/{complaint_id}/similar", ANY_TOKEN),
    Route("POST", "/v1/cases", ANY_TOKEN),
    Route("GET", "/v1/cases", ANY_TOKEN),
    Route("GET", "/v1/accountability", ANY_TOKEN),
    Route("POST", "/v1/accountability", ANY_TOKEN),
    Route("GET", "/v1/kpis", ANY_TOKEN),
    Route("POST", "/v1/reports", ANY_TOKEN),
    Route("GET", "/v1/reports/{report_id}", ANY_TOKEN),
    Route("POST", "/v1/accountability/{record_id}/review", ANY_TOKEN),
)
_TRACKING_LINK = (
    "the customer's tracking link: its per-complaint HMAC token is the credential, checked by the "
    "handler in constant time (a wrong one is a 403 that reveals nothing); customers have no Cognito user"
)
# Served without a Cognito token: the contract itself, and the customer's tracking link.
PUBLIC_ROUTES: tuple[Route, ...] = (
    Route("GET", "/v1/openapi.json", (), "the OpenAPI document is public: it is the contract itself"),
    Route("GET", "/v1/track/{complaint_id}", (), _TRACKING_LINK),
    Route("POST", "/v1/track/{complaint_id}/feedback", (), _TRACKING_LINK),
    Route("POST", "/v1/track/{complaint_id}/reopen", (), _TRACKING_LINK),
    Route("POST", "/v1/track/{complaint_id}/attachments", (), _TRACKING_LINK),
    Route("POST", "/v1/track/{complaint_id}/reply", (), _TRACKING_LINK),
    Route("POST", "/v1/track/{complaint_id}/accept", (), _TRACKING_LINK),
    Route("POST", "/v1/track/{complaint_id}/withdraw", (), _TRACKING_LINK),
    Route("GET", "/t/{complaint_id}", (), _TRACKING_LINK),
    Route("POST", "/t/{complaint_id}/feedback", (), _TRACKING_LINK),
    Route("POST", "/t/{complaint_id}/reopen", (), _TRACKING_LINK),
    Route("POST", "/t/{complaint_id}/accept", (), _TRACKING_LINK),
    Route("POST", "/t/{complaint_id}/reply", (), _TRACKING_LINK),
    Route("POST", "/t/{complaint_id}/withdraw", (), _TRACKING_LINK),
    Route(
        "GET",
        "/r/{report_id}/{file_name}",
        (),
        "the link in management's report e-mail: its HMAC-signed expiry is the token, checked by the "
        "handler in constant time (a wrong one is a 404 like an unknown report); it only redirects to a "
        "5-minute presigned download",
    ),
)
