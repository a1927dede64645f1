"""TrailArchive: every audit event, as the hash chain seals it, in a bucket under S3 Object Lock
(compliance mode: nobody, the account's root included, can delete or overwrite an object before its
retention ends), written by the archiver function from the trail table's stream."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from constructs import Construct

from complaints.trail.archive import PREFIX

from ..nag import accept, accept_wildcard_resource
from .data import Data
from .function import FunctionDefaults, ServiceFunction
from .queues import StreamDeadLetters, dead_letter_queue


class TrailArchive(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        defaults: FunctionDefaults,
        retention_days: int,
        access_logs: s3.IBucket,
        retain: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=data.key,
            bucket_key_enabled=True,
            versioned=True,
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(retention_days)),
            # Once its lock ends, an archived event goes (the retention schedule's trail_days).
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(retention_days + 1),
                    noncurrent_version_expiration=Duration.days(retention_days + 1),
                )
            ],
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="trail-archive/",
            # Objects under compliance retention cannot be deleted anyway; the bucket stays with them.
            removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
        )
        self.dead_letters = dead_letter_queue(self, key=data.key)
        accept(
            self.dead_letters,
            "AwsSolutions-SQS3",
            "this queue is itself the dead-letter destination: the stream event source sends the records "
            "it gave up on here",
        )
        self.function = ServiceFunction(
            self,
            "Archiver",
            entry="functions/archiver",
            handler="app.handler",
            defaults=defaults.with_environment(TRAIL_ARCHIVE_BUCKET=self.bucket.bucket_name),
            memory_mb=256,
            timeout=Duration.seconds(30),
        )
        role = self.function.role
        objects = self.bucket.arn_for_objects(f"{PREFIX}*")
        # Write only: it never reads, replaces or deletes an archived event.
        role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[objects]))
        accept_wildcard_resource(
            role, objects, "one object per audit event under trail/, named by complaint and version"
        )
        role.add_to_principal_policy(data.key_use())
        self.function.function.add_event_source(
            sources.DynamoEventSource(
                data.trail_table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=25,
                bisect_batch_on_error=True,
                retry_attempts=8,
                report_batch_item_failures=True,
                on_failure=StreamDeadLetters(self.dead_letters),
                filters=[lambda_.FilterCriteria.filter({"eventName": lambda_.FilterRule.is_equal("INSERT")})],
            )
        )
