"""Idempotent intake with Powertools idempotency on its DynamoDB table.

The key is the caller plus its `Idempotency-Key` header (two channel apps may pick the same key); the
request body is the payload Powertools validates, so the same key with another body is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.core.errors import IdempotencyKeyReused, RequestInProgress, ServiceUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

Operation = Callable[[dict[str, Any]], dict[str, Any]]


class IdempotentIntake:
    def __init__(self, table_name: str, ttl_seconds: int, client: DynamoDBClient) -> None:
        self._config = IdempotencyConfig(
            event_key_jmespath="key",
            payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=ttl_seconds,
        )
        self._store = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)

    def run(
        self,
        operation: Operation,
        caller_id: str,
        key: str,
        body: dict[str, Any],
        context: LambdaContext | None,
    ) -> dict[str, Any]:
        if context is not None:
            self._config.register_lambda_context(context)

        done: list[dict[str, Any]] = []

        # Powertools types idempotent_function as returning Any (an untyped decorator).
        @idempotent_function(  # type: ignore[untyped-decorator]
            data_keyword_argument="request", persistence_store=self._store, config=self._config
        )
        def once(request: dict[str, Any]) -> dict[str, Any]:
            done.append(operation(request["body"]))
            return done[-1]

        try:
            result: dict[str, Any] = once(request={"key": f"{caller_id}:{key}", "body": body})
        except IdempotencyValidationError as error:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used with a different request body; "
                "use a new key for a new complaint",
                [{"field": "Idempotency-Key", "message": "reused with another body"}],
            ) from error
        except IdempotencyAlreadyInProgressError as error:
            raise RequestInProgress(
                "a request with this Idempotency-Key is still being processed; retry shortly",
                [{"field": "Idempotency-Key", "message": "in progress"}],
            ) from error
        except IdempotencyPersistenceLayerError as error:
            if done:
                # The operation ran and stored its result; only marking the key as done failed. Saying
                # "nothing was stored, retry" would be false and invite a second complaint.
                return done[-1]
            raise ServiceUnavailable("could not record the request; nothing was stored, retry") from error
        return result
