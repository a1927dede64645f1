"""The rules of attaching a file: which types, how large, how many, what its name may hold, where it is
stored, and who may download one. Plain Python; the service applies them.

Types: PDF (statements, letters), JPEG and PNG (screenshots, photos of a receipt), HEIC (what an iPhone
camera saves by default) and plain text (a chat or e-mail pasted into a file). Nothing that runs or
renders active content: no Office documents (macros), HTML or SVG (scripts), archives (which hide what
they hold from a reader, if not from the scanner). A file's name must end in an extension of its type,
so it never downloads as something it is not (`statement.exe` sent as a PDF is refused)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum

from complaints.core.auth import STAFF_ROLES, Caller, Permission
from complaints.core.errors import Forbidden


class AttachmentType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"
    HEIC = "image/heic"
    TEXT = "text/plain"


EXTENSIONS: Mapping[AttachmentType, tuple[str, ...]] = {
    AttachmentType.PDF: (".pdf",),
    AttachmentType.JPEG: (".jpg", ".jpeg"),
    AttachmentType.PNG: (".png",),
    AttachmentType.HEIC: (".heic",),
    AttachmentType.TEXT: (".txt",),
}
MAX_SIZE = 20 * 1024 * 1024
"""20 MiB: a scanned multi-page statement fits; GuardDuty scans objects far larger."""
MAX_ATTACHMENTS = 20
"""Per complaint: each is listed on the complaint item, which DynamoDB caps at 400 KB."""
MAX_NAME_LENGTH = 120
UPLOAD_WINDOW = timedelta(minutes=10)
"""How long the presigned POST may be used: a 20 MB upload over a slow mobile link, no more."""
DOWNLOAD_WINDOW = timedelta(minutes=5)
OBJECT_PREFIX = "attachments/"
"""Every attachment's key starts here; the malware protection plan scans this prefix."""
# Characters Windows, macOS or a shell treat specially in a name; they become "_".
_RESERVED = frozenset('<>:"/\\|?*')


def sanitise_file_name(value: str) -> str:
    """The name a file is listed and downloaded under: the last part of whatever path was sent, without
    control or format characters (bidi overrides, zero-width marks), reserved characters replaced,
    whitespace collapsed, no leading or trailing dots and spaces, at most MAX_NAME_LENGTH characters
    with its extension kept. Raises ValueError when nothing usable is left."""
    name = unicodedata.normalize("NFC", value).replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        "_" if char in _RESERVED else char for char in name if unicodedata.category(char) not in ("Cc", "Cf")
    )
    name = " ".join(kept.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 10:
            name = f"{stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(' .')}.{extension}"
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    if not name:  # all dots, slashes, spaces or invisible characters: nothing to call the file
        raise ValueError("must be a file name such as statement.pdf")
    return name


def extension_problem(file_name: str, content_type: AttachmentType) -> str | None:
    """Why `file_name` does not fit `content_type` (None when it does)."""
    allowed = EXTENSIONS[content_type]
    if file_name.lower().endswith(allowed):
        return None
    return f"must end in {' or '.join(allowed)} for {content_type.value} (e.g. evidence{allowed[0]})"


def object_key(complaint_id: str, attachment_id: str) -> str:
    """The key the server chooses for an attachment's file: nothing in it comes from the client."""
    return f"{OBJECT_PREFIX}{complaint_id}/{attachment_id}"


def parse_object_key(key: str) -> tuple[str, str] | None:
    """(complaint id, attachment id) of an attachment's key; None for any other key."""
    if not key.startswith(OBJECT_PREFIX):
        return None
    parts = key.removeprefix(OBJECT_PREFIX).split("/")
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def require_may_download(caller: Caller) -> None:
    """Staff who may read complaints download their evidence; channel apps and customers do not (they
    sent it). On which complaints is core/access's rule of reading them. Who may attach is core/access's
    rule of the `attach_file` change: staff who may work the complaint, the channel app that submitted
    it, the customer through the tracking link."""
    if caller.can(Permission.READ) and any(role in caller.roles for role in STAFF_ROLES):
        return
    raise Forbidden("only staff may download attachments")
