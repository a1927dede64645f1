"""What every adapter shares: the boto3 client factory and the one reading of AWS errors.

Errors are read by their code, never by their message text. `BUSY_CODES` are the codes that mean "busy,
try again" (nothing was done): an adapter turns them into `ServiceUnavailable` (a 503 with Retry-After)
or, for deliveries, `DeliveryThrottled`. Each service answers with its own subset.
"""

from __future__ import annotations

from typing import Any, Literal

from botocore.exceptions import ClientError

BUSY_CODES = frozenset(
    {
        # DynamoDB
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TransactionConflictException",
        "InternalServerError",
        # SES, SNS, SSM, Step Functions, EventBridge, SQS, S3
        "Throttling",
        "ThrottlingException",
        "Throttled",
        "ThrottledException",
        "TooManyRequestsException",
        "KMSThrottling",
        "KMSThrottlingException",
        "InternalError",
        "InternalFailure",
        "InternalServiceError",
        "ServiceUnavailable",
        "SlowDown",
    }
)

# The services the adapters call: boto3's type stubs know each by its literal name.
Service = Literal["dynamodb", "events", "s3", "sesv2", "sns", "sqs", "ssm", "stepfunctions"]


def error_code(error: ClientError) -> str:
    """The AWS error code of `error` ("" when the response has none)."""
    return str(error.response.get("Error", {}).get("Code", ""))


def is_busy(error: ClientError) -> bool:
    return error_code(error) in BUSY_CODES


def boto_config() -> Any:
    """Fail fast and let the caller retry: API Gateway gives a request 29 s, a Lambda instance is shared."""
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


def client(service: Service, **config: Any) -> Any:
    """A boto3 client with `boto_config()`, merged with any `config` given (e.g. a signature version).
    boto3 is imported here, on first use: a cold start that needs no client does not load it."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=boto_config().merge(Config(**config)))
