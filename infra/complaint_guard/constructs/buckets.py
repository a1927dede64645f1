"""The stack's data buckets, all made the same way: a customer-managed key (with an S3 bucket key),
versioned, private (public access blocked, objects owned by the bucket's account), TLS 1.2 only,
access-logged, and expiring what they hold after the retention schedule's days."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct


def data_key(scope: Construct, description: str, *, retain: bool) -> kms.Key:
    """The key `Key` of `scope`: customer-managed, rotated yearly, kept with the data when `retain`."""
    return kms.Key(
        scope,
        "Key",
        description=f"complaint-guard: {description}",
        enable_key_rotation=True,
        rotation_period=Duration.days(365),
        removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
    )


def private_bucket(
    scope: Construct,
    *,
    key: kms.IKey,
    access_logs: s3.IBucket,
    log_prefix: str,
    keep_days: int | None,
    retain: bool,
    replaced_days: int | None = None,
    **extra: Any,
) -> s3.Bucket:
    """The bucket `Bucket` of `scope`; `keep_days` after it was written an object expires (never with
    None), a version it replaced after `replaced_days` (default: `keep_days`). `extra`: what one bucket
    needs besides (Object Lock, CORS)."""
    replaced = replaced_days if replaced_days is not None else keep_days
    return s3.Bucket(
        scope,
        "Bucket",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
        versioned=True,
        lifecycle_rules=[
            s3.LifecycleRule(
                expiration=Duration.days(keep_days) if keep_days is not None else None,
                noncurrent_version_expiration=Duration.days(replaced) if replaced is not None else None,
            )
        ],
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix=log_prefix,
        removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
        auto_delete_objects=False,
        **extra,
    )
