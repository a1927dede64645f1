"""What callers send to attach a file and what they get back: the attachment as listed on the complaint,
with the presigned POST that uploads its file, or a short-lived download link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationInfo, field_validator

from complaints.attachments.rules import MAX_SIZE, AttachmentType, extension_problem, sanitise_file_name
from complaints.core.models import ApiModel, Attachment, ScanStatus, UtcDatetime
from complaints.intake.commands import VersionedRequest


def _media_type(value: Any) -> Any:
    """`Image/PNG; charset=binary` is image/png: the type is what counts, in lower case."""
    return value.split(";", 1)[0].strip().lower() if isinstance(value, str) else value


class AttachmentFile(ApiModel):
    """The file a caller is about to upload. The server picks where it is stored."""

    content_type: Annotated[AttachmentType, BeforeValidator(_media_type)] = Field(
        description="the file's type; the upload must send exactly this Content-Type"
    )
    size: Annotated[int, Field(ge=1, le=MAX_SIZE)] = Field(
        description=f"the file's size in bytes, at most {MAX_SIZE} (20 MB); the upload must be exactly "
        "this size"
    )
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255)] = Field(
        description="the file's name, e.g. statement.pdf; its extension must fit contentType. Paths, "
        "control and reserved characters are removed"
    )

    @field_validator("file_name")
    @classmethod
    def _sanitised_and_fitting_its_type(cls, value: str, info: ValidationInfo) -> str:
        name = sanitise_file_name(value)
        content_type = info.data.get("content_type")
        if isinstance(content_type, AttachmentType) and (problem := extension_problem(name, content_type)):
            raise ValueError(problem)
        return name


class AttachmentRequest(AttachmentFile, VersionedRequest):
    """Staff and channel apps: the file, and optionally the version read (or If-Match)."""


class UploadForm(ApiModel):
    """An HTML-form style upload (S3 presigned POST): send every field as a form field, then the file as
    the last field, named `file`, with multipart/form-data. S3 refuses a file of another size or
    Content-Type, a key other than the one given, and any use after expiresAt."""

    method: Literal["POST"] = "POST"
    url: str
    fields: dict[str, str]
    expires_at: UtcDatetime


class AttachmentUpload(ApiModel):
    attachment: Attachment
    upload: UploadForm
    complaint_version: int = Field(description="the complaint's version after the attachment was listed")


class AttachmentDownload(ApiModel):
    attachment: Attachment
    url: str = Field(description="GET it before expiresAt; it downloads as the attachment's fileName")
    expires_at: UtcDatetime


@dataclass(frozen=True)
class ScanResult:
    """The malware scanner's verdict on one stored version of one object."""

    key: str
    version: str | None
    status: ScanStatus
    at: datetime
