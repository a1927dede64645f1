"""The HTTP front door on 127.0.0.1: the API through the emulated gateway, plus the local extras
(`/_local/...`: tokens, health, and what later parts of the runtime register)."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .gateway import Gateway, HttpResponse

log = logging.getLogger("local-runtime")

LocalRoute = Callable[[str, bytes], HttpResponse]
"""(path, body) → response, for `/_local/...` routes."""


def json_response(status: int, payload: Any) -> HttpResponse:
    return HttpResponse(
        status,
        {"Content-Type": "application/json"},
        json.dumps(payload, indent=2, ensure_ascii=False).encode(),
    )


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # channel apps burst; the default backlog of 5 resets connections

    def __init__(self, address: tuple[str, int], gateway: Gateway, extras: dict[tuple[str, str], LocalRoute]):
        self.gateway = gateway
        self.extras = extras
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        try:
            extra = self._extra(path)
            if extra is not None:
                response = extra(self.path, body)
            else:
                headers = {key: value for key, value in self.headers.items()}
                response = self.server.gateway.handle(
                    self.command, self.path, headers, body, self.client_address[0]
                )
        except Exception:  # the runtime must keep serving; the trace goes to the console
            log.error("request %s %s failed:\n%s", self.command, self.path, traceback.format_exc())
            response = json_response(
                502, {"error": "internal_error", "message": "Internal server error", "details": []}
            )
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key.lower() not in {"content-length", "connection"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _extra(self, path: str) -> LocalRoute | None:
        for (method, prefix), route in self.server.extras.items():
            if method == self.command and (
                path == prefix or (prefix.endswith("/") and path.startswith(prefix))
            ):
                return route
        return None

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)
