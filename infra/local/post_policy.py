"""S3 presigned POST policies, enforced on the emulator as S3 enforces them.

moto stores whatever a browser-style POST upload sends: it never reads the upload's policy. S3 refuses an
upload whose policy has expired, whose form fields break one of the policy's conditions (the exact key and
Content-Type of an attachment, say), that carries a field no condition names, or whose file is outside
the policy's `content-length-range`. Without that, the local runtime would take a 30 MB file or an
executable the API never granted. `enforce_post_policies()` wraps moto's POST handler with those checks
(installed by the emulator at start; the adapter tests install it on their in-process moto too). The
policy's signature is not checked: moto accepts any credentials."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from typing import Any

# Form fields S3 does not expect a condition for.
_UNCONDITIONED = frozenset({"policy", "x-amz-signature", "file", "awsaccesskeyid", "signature"})


def _error(status: int, code: str, message: str, **extra: Any) -> tuple[int, dict[str, str], str]:
    # XML text: &, < and > escaped (html.escape without quotes does exactly that).
    more = "".join(f"<{name}>{escape(str(value), quote=False)}</{name}>" for name, value in extra.items())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message, quote=False)}</Message>{more}</Error>"
    )
    return status, {"Content-Type": "application/xml"}, body


def _denied(message: str) -> tuple[int, dict[str, str], str]:
    return _error(403, "AccessDenied", f"Invalid according to Policy: {message}")


def refusal(
    bucket: str, form: Mapping[str, str], size: int, now: datetime
) -> tuple[int, dict[str, str], str] | None:
    """S3's answer to a POST upload of `size` bytes with `form` into `bucket`; None when S3 takes it."""
    fields = {name.lower(): value for name, value in form.items()}
    encoded = fields.get("policy")
    if encoded is None:
        return None  # no policy: not a presigned POST (moto's other POST requests)
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
        conditions = list(policy["conditions"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        return _error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
    if now >= expiration:
        return _denied("Policy expired.")
    values = {**fields, "bucket": bucket}
    named: set[str] = set()
    for condition in conditions:
        if isinstance(condition, dict):
            for name, expected in condition.items():
                named.add(name.lower())
                if values.get(name.lower()) != expected:
                    return _denied(f'Policy Condition failed: ["eq", "${name}", "{expected}"]')
        elif isinstance(condition, list) and len(condition) == 3:
            operator = str(condition[0]).lower()
            if operator == "content-length-range":
                smallest, largest = int(condition[1]), int(condition[2])
                if size > largest:
                    return _error(
                        400,
                        "EntityTooLarge",
                        "Your proposed upload exceeds the maximum allowed size",
                        ProposedSize=size,
                        MaxSizeAllowed=largest,
                    )
                if size < smallest:
                    return _error(
                        400,
                        "EntityTooSmall",
                        "Your proposed upload is smaller than the minimum allowed size",
                        ProposedSize=size,
                        MinSizeAllowed=smallest,
                    )
                continue
            name = str(condition[1]).removeprefix("$").lower()
            named.add(name)
            given = values.get(name, "")
            if (operator == "eq" and given != condition[2]) or (
                operator == "starts-with" and not given.startswith(str(condition[2]))
            ):
                return _denied(f"Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(
        name
        for name in fields
        if name not in named and name not in _UNCONDITIONED and not name.startswith("x-ignore-")
    )
    if extra:
        return _denied(f"Extra input fields: {', '.join(extra)}")
    return None


def enforce_post_policies() -> None:
    """Wrap moto's S3 POST handler (once) so that presigned POST uploads meet their policy."""
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_post
    if getattr(original, "_enforces_policies", False):
        return

    def checked(self: Any, request: Any, bucket_name: str) -> Any:
        form = getattr(self, "form_data", None) or {}
        body = getattr(self, "raw_body", b"") or b""
        size = len(body.encode() if isinstance(body, str) else body)
        refused = refusal(bucket_name, dict(form.items()), size, datetime.now(UTC))
        if refused is not None:
            return refused
        return original(self, request, bucket_name)

    checked._enforces_policies = True  # type: ignore[attr-defined]
    S3Response._bucket_response_post = checked  # type: ignore[method-assign]
