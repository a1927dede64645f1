"""The cold-start baseline: the smallest Powertools REST handler a team would write with the libraries
the api function uses (Logger, Tracer, Metrics, the REST resolver with validation, pydantic, boto3).

One validated POST route that writes one DynamoDB item, in the shape of the public reference
(aws-lambda-handler-cookbook's create-order handler). Like that reference, boto3 is imported at module
level and the client is created on first use. It is never deployed: `make bench` imports it in a fresh
interpreter, with the same environment as our functions, and compares their cold starts with it.
"""

from __future__ import annotations

import os
import uuid
from functools import cache
from http import HTTPStatus
from typing import Annotated, Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)


class OrderRequest(BaseModel):
    customer_name: str = Field(min_length=1, max_length=64)
    item_count: int = Field(gt=0, lt=100)


class Order(BaseModel):
    id: str
    customer_name: str
    item_count: int


@cache
def table() -> Any:
    return boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


@app.post("/api/orders")
def create_order(request: Annotated[OrderRequest, Body()]) -> Response[Order]:
    order = Order(id=str(uuid.uuid4()), **request.model_dump())
    table().put_item(Item=order.model_dump())
    metrics.add_metric(name="OrdersCreated", unit="Count", value=1)
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, order)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
