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


# The methods the API and the local extras answer (one `do_<METHOD>` each below); any other verb is
# answered with 405 in the API's error shape, as API Gateway would, not with http.server's 501 page.
METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def method_not_allowed(method: str) -> HttpResponse:
    response = json_response(
        405,
        {
            "error": "method_not_allowed",
            "message": f"method {method} is not allowed; the API answers {', '.join(METHODS)}",
            "details": [],
        },
    )
    response.headers["Allow"] = ", ".join(METHODS)
    return response


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"

    def parse_request(self) -> bool:
        """http.server answers a verb with no `do_<VERB>` with its own 501 HTML page; answer those
        here instead (returning False ends the request, as after http.server's own error answers)."""
        if not super().parse_request():
            return False
        if self.command in METHODS:
            return True
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # a body of unknown length: it is not read, so do not reuse
        else:
            self._body()
        self._send(method_not_allowed(self.command))
        return False

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._body()
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
        self._send(response)

    def _send(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key.lower() not in {"content-length", "connection"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
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
