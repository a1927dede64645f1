"""The api function: the v1 HTTP API, one Lambda behind API Gateway (docs/architecture.md §5).

Each route is route → input model → one call into the domain → output model, in a Powertools Router per
tag (routes/); resolver.py holds what they share (validation, errors, the OpenAPI document). Authentication
is API Gateway's (the Cognito authorizer); authorisation happens in the routes, from the claims it passes
on, so the same checks run in AWS, on the local runtime and in tests.
"""

# The collector is paused before the imports (below): they come after code.
# ruff: noqa: E402
from __future__ import annotations

import gc

# The cold start creates some hundred thousand objects that live as long as the instance (modules,
# classes, routes, the resolver). The cyclic collector's passes over them while they were being created
# took about a tenth of the cold start (bench: "ready for the first intake"), and every later full
# collection would scan them again: paused until they exist, then frozen out of every later collection.
collecting = gc.isenabled()
gc.disable()

from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from resolver import app, logger, openapi_json
from routes import include_all

from complaints.composition import api as composition

__all__ = ["handler", "openapi_json"]

# Fails the cold start, naming the variable, when the environment lacks a setting.
composition.settings()
# The response bodies carry customers' names, contacts and complaints: never into traces.
tracer = Tracer()
include_all()
gc.freeze()
if collecting:
    gc.enable()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
