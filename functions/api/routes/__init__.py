"""The API's routes, one Powertools Router per tag, joined into the one resolver of resolver.py."""

from __future__ import annotations

from resolver import app

from routes import (
    accountability,
    attachments,
    cases,
    complaints,
    compliance,
    lifecycle,
    reporting,
    teams,
    tracking,
    triage,
)

ROUTERS = (
    complaints.router,
    lifecycle.router,
    tracking.router,
    accountability.router,
    reporting.router,
    compliance.router,
    attachments.router,
    triage.router,
    teams.router,
    cases.router,
)


def include_all() -> None:
    """Join every route into the resolver (the api function at cold start; `make openapi`)."""
    for router in ROUTERS:
        if router.api_resolver is not app:  # once: a second include would document each route twice
            app.include_router(router)
