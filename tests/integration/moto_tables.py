"""The moto tables and environment the integration tests share (imported by name; a module called
`conftest` would be ambiguous when several test folders run in one session)."""

from __future__ import annotations

from typing import Any

from complaints.adapters.dynamodb import TABLE_INDEXES

TABLE_NAME = "complaints-test"
IDEMPOTENCY_TABLE_NAME = "idempotency-test"
REGION = "eu-west-2"

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "TABLE_NAME": TABLE_NAME,
    "IDEMPOTENCY_TABLE_NAME": IDEMPOTENCY_TABLE_NAME,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "complaint-guard-test",
    "POWERTOOLS_METRICS_NAMESPACE": "ComplaintGuardTest",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


def create_tables(client: Any) -> None:
    string = "S"
    client.create_table(
        TableName=TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": string}
            for name in sorted({"pk", "sk"} | {key for _, pk, sk in TABLE_INDEXES for key in (pk, sk)})
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": name,
                "KeySchema": [
                    {"AttributeName": partition, "KeyType": "HASH"},
                    {"AttributeName": sort, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name, partition, sort in TABLE_INDEXES
        ],
    )
    client.create_table(
        TableName=IDEMPOTENCY_TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": string}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
