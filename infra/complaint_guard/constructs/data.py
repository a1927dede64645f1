"""Data: the complaints table, the idempotency table and the key that encrypts both."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

from complaints.adapters.dynamodb import TABLE_INDEXES

TTL_ATTRIBUTE = "expiresAt"


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, retain: bool) -> None:
        super().__init__(scope, construct_id)
        removal = RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY
        self.key = kms.Key(
            self,
            "Key",
            description="complaint-guard: encrypts complaint data (customer PII) at rest",
            enable_key_rotation=True,
            rotation_period=Duration.days(365),
            removal_policy=removal,
        )
        self.table = dynamodb.Table(
            self,
            "Complaints",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=retain,
            time_to_live_attribute=TTL_ATTRIBUTE,
            removal_policy=removal,
        )
        for index_name, partition_key, sort_key in TABLE_INDEXES:
            self.table.add_global_secondary_index(
                index_name=index_name,
                partition_key=dynamodb.Attribute(name=partition_key, type=dynamodb.AttributeType.STRING),
                sort_key=dynamodb.Attribute(name=sort_key, type=dynamodb.AttributeType.STRING),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        self.idempotency_table = dynamodb.Table(
            self,
            "Idempotency",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=retain,
            # Powertools idempotency writes its records' expiry here.
            time_to_live_attribute="expiration",
            removal_policy=removal,
        )

    def index_arns(self) -> list[str]:
        return [f"{self.table.table_arn}/index/{name}" for name, _, _ in TABLE_INDEXES]

    def index_arn(self, name: str) -> str:
        return f"{self.table.table_arn}/index/{name}"
