"""The archiver's composition root: the trail archive bucket."""

from __future__ import annotations

from functools import cache

from complaints.adapters.aws import client
from complaints.adapters.trail_archive import S3TrailArchive
from complaints.composition.settings import ArchiverSettings


@cache
def settings() -> ArchiverSettings:
    return ArchiverSettings.from_environment()


@cache
def trail_archive() -> S3TrailArchive:
    return S3TrailArchive(settings().trail_archive_bucket, client("s3"))
