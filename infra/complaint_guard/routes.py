"""Every route of the v1 API and the OAuth scopes API Gateway demands on it.

A caller's token must carry one of the listed scopes; the handler then checks the caller's role.
An infra test compares this table with the routes of the generated OpenAPI document, so the two
cannot drift apart.
"""

from __future__ import annotations

from typing import NamedTuple

from complaints.auth import Scope


class Route(NamedTuple):
    method: str
    path: str
    scopes: tuple[Scope, ...]


STAFF = (Scope.STAFF,)
ANY_TOKEN = (Scope.SUBMIT, Scope.READ, Scope.STAFF)

ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/complaints", (Scope.SUBMIT,)),
    Route("GET", "/v1/complaints", STAFF),
    Route("GET", "/v1/complaints/{complaint_id}", (Scope.READ, Scope.STAFF)),
    Route("PATCH", "/v1/complaints/{complaint_id}", STAFF),
    *(
        Route("POST", f"/v1/complaints/{{complaint_id}}/{action}", STAFF)
        for action in (
            "responses",
            "pause",
            "resume",
            "extend",
            "escalate",
            "resolve",
            "close",
            "reopen",
            "withdraw",
        )
    ),
    Route("GET", "/v1/complaints/{complaint_id}/events", STAFF),
    Route("POST", "/v1/sla/preview", ANY_TOKEN),
)
# Served without a token: the contract itself.
PUBLIC_ROUTES: tuple[Route, ...] = (Route("GET", "/v1/openapi.json", ()),)
