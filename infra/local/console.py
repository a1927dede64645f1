"""The staff console on the local runtime: `console/dist` (built by `make`) at /console/, with the
config.json that puts it in local mode (sign-in with a role's token from /_local/tokens) and the
security headers CloudFront sends in an account (complaint_guard/console_headers.py)."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from complaint_guard.console_headers import REFERRER_POLICY, content_security_policy

from .gateway import HttpResponse

PREFIX = "/console/"
LOCAL_CONFIG = {"mode": "local", "tokensUrl": "/_local/tokens", "apiBase": ""}
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


class ConsoleFiles:
    def __init__(self, root: Path, *, upload_origins: tuple[str, ...] = ()) -> None:
        self._root = root.resolve()
        self._content_policy = content_security_policy(*upload_origins)

    def _headers(self, content_type: str, *, immutable: bool = False) -> dict[str, str]:
        return {
            "Content-Type": content_type,
            "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
            "Content-Security-Policy": self._content_policy,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": REFERRER_POLICY,
        }

    def redirect(self, path: str, body: bytes) -> HttpResponse:
        """`/console` → `/console/`."""
        return HttpResponse(308, {"Location": PREFIX}, b"")

    def serve(self, path: str, body: bytes) -> HttpResponse:
        """A file of the build; config.json; any other path without a file extension is a page of the
        app (index.html, which routes it in the browser), as CloudFront's function does in an account."""
        relative = path.split("?", 1)[0].removeprefix(PREFIX)
        if relative == "config.json":
            return HttpResponse(200, self._headers("application/json"), json.dumps(LOCAL_CONFIG).encode())
        index = self._root / "index.html"
        if not index.is_file():
            return HttpResponse(
                503,
                self._headers("text/plain; charset=utf-8"),
                b"the console is not built: run `make run` (or `make console`)",
            )
        wanted = (self._root / relative).resolve()
        if wanted.is_relative_to(self._root) and wanted.is_file():
            content_type = _TYPES.get(wanted.suffix) or mimetypes.guess_type(wanted.name)[0]
            return HttpResponse(
                200,
                self._headers(content_type or "application/octet-stream", immutable="assets" in wanted.parts),
                wanted.read_bytes(),
            )
        if "." in relative.rsplit("/", 1)[-1]:
            return HttpResponse(404, self._headers("text/plain; charset=utf-8"), b"not found")
        return HttpResponse(200, self._headers("text/html; charset=utf-8"), index.read_bytes())
