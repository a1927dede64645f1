"""TrailArchive: every audit event, as the hash chain seals it, in a bucket under S3 Object Lock
(compliance mode: nobody, the account's root included, can delete or overwrite an object before its
retention ends), written by the archiver function from the trail table's stream."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from complaints.trail.archive import PREFIX

from ..nag import accept, accept_wildcard_resource
from .buckets import private_bucket
from .data import Data
from .function import FunctionDefaults, ServiceFunction
from .queues import dead_letter_queue, new_trail_events


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
        # Objects under compliance retention cannot be deleted by anyone, the root included, until
        # their lock ends; a day later the lifecycle takes them (the retention schedule's trail_days).
        self.bucket = private_bucket(
            self,
            key=data.key,
            access_logs=access_logs,
            log_prefix="trail-archive/",
            keep_days=retention_days + 1,
            retain=retain,
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(retention_days)),
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
            new_trail_events(data.trail_table, self.dead_letters, batch_size=25)
        )
