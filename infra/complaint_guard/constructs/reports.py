"""Reports: the quarterly report's bucket (KMS, private, versioned, access-logged), the queue of build
requests (with a dead-letter queue) and the builder function (functions/report). The schedule that
runs the builder each quarter is in Schedules; the API asks for builds and hands out links."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..nag import accept, accept_wildcard_resource
from .buckets import data_key, private_bucket
from .data import Data
from .events import Events
from .function import FunctionDefaults, ServiceFunction
from .notifications import allow_email_from
from .queues import dead_letter_queue, work_queue

BUILD_TIMEOUT = Duration.minutes(15)
MAX_RECEIVES = 3
REPORTS_PREFIX = "reports/"


class Reports(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        retain: bool,
        queue_key: kms.IKey,
        keep_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        removal = RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY
        self.key = data_key(self, "encrypts quarterly reports at rest", retain=retain)
        private = {
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "enforce_ssl": True,
            "minimum_tls_version": 1.2,
            "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            "removal_policy": removal,
            "auto_delete_objects": False,
        }
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # S3 log delivery cannot write to a KMS bucket
            # Versioned, so a log object cannot be silently overwritten; old versions expire as well.
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(400), noncurrent_version_expiration=Duration.days(30)
                )
            ],
            **private,  # type: ignore[arg-type]
        )
        accept(
            self.access_logs,
            "AwsSolutions-S1",
            "this is the access-log bucket of the reports bucket; logging it into itself would loop",
        )
        # Versioned: a rebuilt report never silently replaces the one management was sent.
        self.bucket = private_bucket(
            self,
            key=self.key,
            access_logs=self.access_logs,
            log_prefix="reports/",
            keep_days=keep_days,
            retain=retain,
        )
        self.dead_letters = dead_letter_queue(self, key=queue_key)
        self.queue = work_queue(
            self,
            key=queue_key,
            dead_letters=self.dead_letters,
            max_receive_count=MAX_RECEIVES,
            visibility_timeout=Duration.minutes(90),
        )
        self.function: ServiceFunction | None = None

    def environment(self, *, timezone: str, recipients: tuple[str, ...], link_days: int) -> dict[str, str]:
        """What the API and the builder are told about reports (the API also gets the queue's URL)."""
        return {
            "REPORT_BUCKET": self.bucket.bucket_name,
            "REPORT_TIMEZONE": timezone,
            "REPORT_RECIPIENTS": ",".join(recipients),
            "REPORT_LINK_DAYS": str(link_days),
        }

    def allow_requests(self, role: iam.IRole) -> None:
        """The API: queue a build, and read the files to sign short-lived download links."""
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.queue.queue_arn])
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject"], resources=[self.bucket.arn_for_objects(f"{REPORTS_PREFIX}*")]
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[self.key.key_arn])
        )
        self._accept_report_files(role)

    def _accept_report_files(self, role: iam.IRole) -> None:
        accept_wildcard_resource(
            role,
            self.bucket.arn_for_objects(f"{REPORTS_PREFIX}*"),
            "the report files: one key per report and file under reports/, named when a report is built",
        )

    def add_builder(
        self,
        *,
        data: Data,
        events: Events,
        defaults: FunctionDefaults,
        sender_email: str,
    ) -> ServiceFunction:
        self.function = ServiceFunction(
            self,
            "Builder",
            entry="functions/report",
            handler="app.handler",
            defaults=defaults.with_environment(SENDER_EMAIL=sender_email),
            memory_mb=1024,
            timeout=BUILD_TIMEOUT,
        )
        role = self.function.role
        # The report record, the period's complaints month by month (byMonth), the accountability
        # records (byAccountability); never a Scan.
        # BatchGetItem: a quarter's complaints, by the keys byMonth returned
        data.allow_items(role, "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem")
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:Query"],
                resources=[data.month_index_arn(), data.accountability_index_arn()],
            )
        )
        role.add_to_principal_policy(data.key_use())
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:PutObject", "s3:AbortMultipartUpload"],
                resources=[self.bucket.arn_for_objects(f"{REPORTS_PREFIX}*")],
            )
        )
        role.add_to_principal_policy(
            # Decrypt too: completing a multipart upload to an SSE-KMS bucket reads the parts' data key.
            iam.PolicyStatement(
                actions=["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], resources=[self.key.key_arn]
            )
        )
        self._accept_report_files(role)
        role.add_to_principal_policy(events.publish())
        data.allow_link_keys(role, defaults.environment["TRACKING_SECRET_PARAMETER"], "reports")
        allow_email_from(role, sender_email)
        self.function.function.add_event_source(
            sources.SqsEventSource(self.queue, batch_size=1, report_batch_item_failures=True)
        )
        return self.function
