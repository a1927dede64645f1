"""Attachments: the bucket of evidence that customers, channel apps and staff attach to complaints, its
malware scanner, and the function that records each verdict (functions/malware_scan).

The bucket: SSE-KMS with the stack's data key (the files are customer data like the table's), its policy
refusing any other encryption; private, TLS only, versioned (a second upload never erases the first),
server access logs into the reports' log bucket. GuardDuty Malware Protection for S3 scans every new
object under attachments/ and tags it with its verdict; the bucket's policy lets nobody but the scanner
read a file whose tag is not NO_THREATS_FOUND (so a file pending, unscannable or infected never leaves,
whatever link someone signs). Its verdicts go to the account's default event bus; a rule hands them to
the function, which records them on the attachment through the change path. What fails there is
retried, then kept in a dead-letter queue (alarmed by Monitoring).

Uploads and downloads are presigned by the api function's role: it may put and get objects under
attachments/ and nothing else of the bucket.

The bucket's name is chosen here (`attachments_bucket_name`), not by CloudFormation: the staff console's
content policy must name the bucket browsers upload to, and the bucket's CORS must name the console's
origin, which only exists once its distribution does. With a name every other resource knows without
referring to the bucket, the bucket can refer to the distribution (its CORS) while the console, the api
and its role name the bucket by that name: no cycle (docs/decisions.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast
from urllib.parse import urlsplit

from aws_cdk import Duration, Stack, Token
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_guardduty as guardduty
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from complaints.adapters.guardduty import DETAIL_TYPE, SOURCE
from complaints.attachments.rules import OBJECT_PREFIX, UPLOAD_WINDOW

from ..nag import accept, accept_wildcard_resource
from .buckets import private_bucket
from .data import Data
from .function import FunctionDefaults, ServiceFunction
from .queues import dead_letter_queue

SCANNER_SERVICE = "malware-protection-plan.guardduty.amazonaws.com"
# The EventBridge rule GuardDuty manages for each protected bucket (its name is GuardDuty's).
MANAGED_RULES = "rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"
# The object GuardDuty writes once to check it may, when the plan is created.
VALIDATION_OBJECT = "malware-protection-resource-validation-object"
SCAN_TAG = "GuardDutyMalwareScanStatus"
CLEAN_TAG_VALUE = "NO_THREATS_FOUND"


def origins(urls: Sequence[str]) -> list[str]:
    """The origins (scheme://host[:port]) of `urls`, once each: where browsers may POST files from. A
    value known only at deployment (the console's origin: its distribution's domain) is taken as the
    origin it is."""
    found: list[str] = []
    for url in urls:
        if Token.is_unresolved(url):
            found.append(url)
            continue
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme and parts.netloc and origin not in found:
            found.append(origin)
    return found


def attachments_bucket_name(stack: Stack) -> str:
    """`<stack>-attachments-<account>-<region>`, lower case: unique per stack, account and region, as
    bucket names must be, and at most 63 characters (the stack's part is cut to 22)."""
    slug = re.sub(r"[^a-z0-9-]+", "-", stack.stack_name.lower()).strip("-")[:22].rstrip("-")
    return f"{slug}-attachments-{stack.account}-{stack.region}"


def upload_endpoints(bucket_name: str, region: str) -> tuple[str, ...]:
    """Where a browser posts a presigned upload to this bucket: its regional virtual-hosted endpoint
    (adapters/s3_attachments.py presigns on it), and the legacy global one, which is us-east-1's."""
    return (f"https://{bucket_name}.s3.{region}.amazonaws.com", f"https://{bucket_name}.s3.amazonaws.com")


class Attachments(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data: Data,
        access_logs: s3.IBucket,
        retain: bool,
        upload_origins: Sequence[str],
        keep_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self._data = data
        self.bucket_name = attachments_bucket_name(stack)
        self.bucket = private_bucket(
            self,
            key=data.key,
            access_logs=access_logs,
            log_prefix="attachments/",
            keep_days=keep_days,
            retain=retain,
            bucket_name=self.bucket_name,
        )
        # Channel apps' web pages and the staff console (allow_uploads_from) upload straight to S3.
        self.allow_uploads_from(*upload_origins)
        # By name, not by the bucket's attributes: see the module's docstring.
        self.objects = f"arn:{stack.partition}:s3:::{self.bucket_name}/{OBJECT_PREFIX}*"
        self.endpoints = upload_endpoints(self.bucket_name, stack.region)
        # SSE-KMS with our key and nothing else: a request that asks for other encryption is refused
        # (one that asks for none gets the bucket's default, our key).
        for header, value in (
            ("s3:x-amz-server-side-encryption", "aws:kms"),
            ("s3:x-amz-server-side-encryption-aws-kms-key-id", data.key.key_arn),
        ):
            self.bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["s3:PutObject"],
                    resources=[self.bucket.arn_for_objects("*")],
                    conditions={"StringNotEqualsIfExists": {header: value}},
                )
            )

        # --- the scanner: GuardDuty Malware Protection for S3, with the role AWS documents for it ----
        self.scanner_role = iam.Role(
            self,
            "ScannerRole",
            assumed_by=iam.ServicePrincipal(
                SCANNER_SERVICE, conditions={"StringEquals": {"aws:SourceAccount": stack.account}}
            ),
            description="GuardDuty Malware Protection for S3: scans and tags the attachments bucket's files",
        )
        managed_rules = f"arn:{stack.partition}:events:{stack.region}:{stack.account}:{MANAGED_RULES}"
        for statement in (
            # its own EventBridge rule, which hands it the bucket's new objects
            iam.PolicyStatement(
                actions=["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"],
                resources=[managed_rules],
                conditions={"StringLike": {"events:ManagedBy": SCANNER_SERVICE}},
            ),
            iam.PolicyStatement(
                actions=["events:DescribeRule", "events:ListTargetsByRule"], resources=[managed_rules]
            ),
            # the bucket's notifications to EventBridge, and listing it
            iam.PolicyStatement(
                actions=["s3:PutBucketNotification", "s3:GetBucketNotification", "s3:ListBucket"],
                resources=[self.bucket.bucket_arn],
            ),
            # the files under attachments/ only: read them, and tag each with its verdict
            iam.PolicyStatement(
                actions=[
                    "s3:GetObject",
                    "s3:GetObjectVersion",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                resources=[self.objects],
            ),
            # the one object it writes to check its access when the plan is created
            iam.PolicyStatement(
                actions=["s3:PutObject"], resources=[self.bucket.arn_for_objects(VALIDATION_OBJECT)]
            ),
            # the files are encrypted with the data key: only through S3
            iam.PolicyStatement(
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=[data.key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}},
            ),
        ):
            self.scanner_role.add_to_principal_policy(statement)
        accept_wildcard_resource(
            self.scanner_role,
            managed_rules,
            "the EventBridge rule GuardDuty Malware Protection creates and names itself for each protected "
            "bucket (DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3…), as AWS documents the role",
        )
        accept_wildcard_resource(
            self.scanner_role,
            self.objects,
            "the scanner reads and tags every new file under attachments/ (one key per attachment), "
            "nothing else of the bucket",
        )
        self.plan = guardduty.CfnMalwareProtectionPlan(
            self,
            "MalwareProtection",
            role=self.scanner_role.role_arn,
            protected_resource=guardduty.CfnMalwareProtectionPlan.CFNProtectedResourceProperty(
                s3_bucket=guardduty.CfnMalwareProtectionPlan.S3BucketProperty(
                    bucket_name=self.bucket.bucket_name, object_prefixes=[OBJECT_PREFIX]
                )
            ),
            # The verdict as a tag on each file: the bucket policy below reads it.
            actions=guardduty.CfnMalwareProtectionPlan.CFNActionsProperty(
                tagging=guardduty.CfnMalwareProtectionPlan.CFNTaggingProperty(status="ENABLED")
            ),
        )
        # GuardDuty checks the role's permissions when the plan is created: the policy must exist first.
        self.plan.node.add_dependency(self.scanner_role)
        # Nobody but the scanner reads a file it has not found clean (pending, infected, unscannable).
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["s3:GetObject", "s3:GetObjectVersion"],
                resources=[self.objects],
                conditions={
                    "StringNotEquals": {f"s3:ExistingObjectTag/{SCAN_TAG}": CLEAN_TAG_VALUE},
                    "ArnNotEquals": {"aws:PrincipalArn": self.scanner_role.role_arn},
                },
            )
        )
        self.function: ServiceFunction | None = None
        self.dead_letters = dead_letter_queue(self, key=data.key)
        accept(
            self.dead_letters,
            "AwsSolutions-SQS3",
            "this queue is itself the dead-letter destination: of the scan-result rule's deliveries and "
            "of the malware-scan function's failed invocations",
        )

    def allow_uploads_from(self, *urls: str) -> None:
        """Browsers on the origins of `urls` may POST presigned uploads (a CORS rule; the presigned
        policy, not CORS, decides what is uploaded)."""
        self.bucket.add_cors_rule(
            allowed_methods=[s3.HttpMethods.POST],
            allowed_origins=origins(urls),
            allowed_headers=["*"],
            max_age=int(UPLOAD_WINDOW.total_seconds()),
        )

    def environment(self) -> dict[str, str]:
        """What the api and the malware-scan function are told: the bucket (by name), and that GuardDuty
        scans it."""
        return {"ATTACHMENT_BUCKET": self.bucket_name, "ATTACHMENT_SCANNER": "guardduty"}

    def allow_transfers(self, role: iam.IRole) -> None:
        """The api: presign uploads (PutObject) and downloads (GetObject, of a given version too) of files
        under attachments/. The data key's use it already has (Data.key_use)."""
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"], resources=[self.objects]
            )
        )
        accept_wildcard_resource(
            role,
            self.objects,
            "attachment files: one key per attachment under attachments/<complaint>/<attachment>, chosen "
            "by the api when it grants the upload",
        )

    def add_scan_recorder(self, *, defaults: FunctionDefaults) -> ServiceFunction:
        """The function that records GuardDuty's verdicts, and the rule on the default bus that feeds it."""
        data = self._data
        self.function = ServiceFunction(
            self,
            "ScanResults",
            entry="functions/malware_scan",
            handler="app.handler",
            defaults=defaults,
            memory_mb=256,
            timeout=Duration.seconds(30),
        )
        function = self.function.function
        role = self.function.role
        # A change like any other: read the complaint, write it and its audit event in one transaction.
        data.allow_items(role, "dynamodb:GetItem", "dynamodb:PutItem")
        data.allow_trail(role, "dynamodb:PutItem", "dynamodb:GetItem")
        role.add_to_principal_policy(data.key_use())
        # What still fails after Lambda's retries lands in the dead-letter queue (granted by name: CDK's
        # own grant would add kms:GenerateDataKey* and kms:ReEncrypt*, more than SQS needs).
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.dead_letters.queue_arn])
        )
        declared = cast(lambda_.CfnFunction, function.node.default_child)
        declared.dead_letter_config = lambda_.CfnFunction.DeadLetterConfigProperty(
            target_arn=self.dead_letters.queue_arn
        )
        function.configure_async_invoke(retry_attempts=2, max_event_age=Duration.hours(6))
        self.rule = events.Rule(
            self,
            "ScanResultRule",
            description="GuardDuty's malware verdicts on the attachments bucket",
            event_pattern=events.EventPattern(
                source=[SOURCE],
                detail_type=[DETAIL_TYPE],
                detail={"s3ObjectDetails": {"bucketName": [self.bucket.bucket_name]}},
            ),
            # Deliveries that fail (a throttled invoke) are retried for a day, then kept. EventBridge may
            # use the data key for the queue: the key policy grants it (the notifications rule's queue).
            targets=[
                targets.LambdaFunction(
                    function,
                    dead_letter_queue=self.dead_letters,
                    retry_attempts=20,
                    max_event_age=Duration.hours(24),
                )
            ],
        )
        return self.function
