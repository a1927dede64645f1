"""What the attachments capability needs from the outside: somewhere to keep files that hands out
presigned uploads and downloads (S3: complaints/adapters/s3_attachments.py), and the customer's
tracking link checked (tracking/service.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol


@dataclass(frozen=True)
class SignedUpload:
    url: str
    fields: dict[str, str]


class AttachmentStore(Protocol):
    def upload_form(self, key: str, content_type: str, size: int, expires_in: timedelta) -> SignedUpload:
        """A presigned POST for one file at `key`, of exactly `size` bytes and `content_type`."""
        ...

    def download_link(
        self, key: str, *, version: str | None, file_name: str, content_type: str, expires_in: timedelta
    ) -> str:
        """A presigned GET of `key` (that `version` of it, when given) that downloads as `file_name`."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a file was stored at `key`."""
        ...


LinkCheck = Callable[[str, "str | None"], None]
"""Raises Forbidden unless the token is a valid tracking link to the complaint (id, token)."""
