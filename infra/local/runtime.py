"""The whole system on this machine: emulator up, stack deployed, functions loaded, API served."""

from __future__ import annotations

import json
import logging
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from .console import ConsoleFiles
from .deployer import DeployedStack, Deployer
from .emulator import Emulator
from .event_sources import EventSources, event_sources_from
from .faults import DeadLetters, Faults
from .functions import LocalFunction, load_functions
from .gateway import Gateway, HttpResponse, methods_from
from .outbox import Outbox
from .schedules import Scheduler, schedules_from
from .server import LocalRoute, LocalServer, json_response
from .tokens import TokenIssuer

log = logging.getLogger("local-runtime")
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LocalRuntime:
    assembly: Path
    stack_name: str = "complaint-guard"
    host: str = "127.0.0.1"
    port: int = 3000
    # The staff console's build (`make` builds it), served at /console/.
    console_dir: Path = ROOT / "console" / "dist"
    emulator: Emulator = field(default_factory=Emulator)
    tokens: TokenIssuer = field(default_factory=TokenIssuer)
    stack: DeployedStack | None = None
    functions: dict[str, LocalFunction] = field(default_factory=dict)
    scheduler: Scheduler | None = None
    event_sources: EventSources | None = None
    outbox: Outbox | None = None
    faults: Faults | None = None
    dead_letters: DeadLetters | None = None
    _server: LocalServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self.emulator.start()
        self.stack = Deployer(self.assembly, self.stack_name, self.emulator.region).deploy()
        self.functions = load_functions(self.stack, self.assembly, self.emulator.region)
        gateway = Gateway(methods_from(self.stack, self.functions), self.tokens)
        self._server = LocalServer((self.host, self.port), gateway, self._extras())
        self.port = self._server.server_address[1]
        # Links in messages point at this runtime's tracking pages.
        for function in self.functions.values():
            if "PUBLIC_BASE_URL" in function.environment:
                function.environment["PUBLIC_BASE_URL"] = self.url
            # The emulator runs no GuardDuty: nothing scans attachments here, and they say so
            # (`not_scanned`) rather than wait for a verdict that never comes.
            if "ATTACHMENT_SCANNER" in function.environment:
                function.environment["ATTACHMENT_SCANNER"] = "none"
        self._verify_senders()
        self._put_tracking_secret()
        self.outbox = Outbox(self.emulator.region)
        self.faults = Faults(self.emulator.region)
        self.dead_letters = DeadLetters(self.emulator.region)
        self.event_sources = event_sources_from(
            self.stack, self.functions, self.emulator.region, self.outbox.collect
        )
        self.event_sources.start()
        self.scheduler = Scheduler(schedules_from(self.stack, self.functions))
        self.scheduler.start()
        self._thread = threading.Thread(target=self._server.serve_forever, name="http", daemon=True)
        self._thread.start()

    def _verify_senders(self) -> None:
        """In an account the sender's domain is verified in SES once (see the README); here, at start."""
        ses = boto3.client("ses", region_name=self.emulator.region)
        for function in self.functions.values():
            sender = function.environment.get("SENDER_EMAIL")
            if sender:
                ses.verify_email_identity(EmailAddress=sender)
                ses.verify_domain_identity(Domain=sender.split("@", 1)[1])

    def _put_tracking_secret(self) -> None:
        """What operations do once per account (see the README and complaints/adapters/parameters.py):
        a random current key, `<keyId>:<secret>`, for tracking links and another for report links, under
        the name TRACKING_SECRET_PARAMETER gives. No legacy key: no link was sent before key ids here."""
        names = {
            f.environment["TRACKING_SECRET_PARAMETER"]
            for f in self.functions.values()
            if "TRACKING_SECRET_PARAMETER" in f.environment
        }
        ssm = boto3.client("ssm", region_name=self.emulator.region)
        for name in names:
            for ring in ("tracking", "reports"):
                ssm.put_parameter(
                    Name=f"{name.rstrip('/')}/{ring}/current",
                    Value=f"{ring[0]}1:{secrets.token_hex(32)}",
                    Type="SecureString",
                    Overwrite=True,
                )

    def stop(self) -> None:
        if self.event_sources is not None:
            self.event_sources.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.emulator.stop()

    def _extras(self) -> dict[tuple[str, str], LocalRoute]:
        # The console posts attachments straight to the emulator's S3, as to the bucket in an account.
        console = ConsoleFiles(self.console_dir, upload_origins=(self.emulator.endpoint,))
        return {
            ("GET", "/console"): console.redirect,
            ("GET", "/console/"): console.serve,
            ("GET", "/_local/tokens"): lambda path, body: json_response(200, self.tokens.role_tokens()),
            ("GET", "/_local/health"): lambda path, body: json_response(
                200,
                {
                    "status": "ok",
                    "stack": self.stack_name,
                    "emulator": self.emulator.endpoint,
                    "region": self.emulator.region,
                    # what `cdk deploy` prints: the tables' and buckets' names (make verify-archive)
                    "outputs": self.stack.outputs if self.stack else {},
                },
            ),
            ("GET", "/_local/outbox"): lambda path, body: json_response(
                200, self.outbox.entries() if self.outbox else []
            ),
            ("POST", "/_local/faults/"): self._arm_fault,
            ("GET", "/_local/dead-letters"): lambda path, body: json_response(
                200, self.dead_letters.summary() if self.dead_letters else []
            ),
            ("POST", "/_local/dead-letters/"): self._redrive,
            ("GET", "/_local/schedules"): lambda path, body: json_response(
                200,
                [
                    {"name": s.name, "expression": s.expression, "function": s.function.name}
                    for s in (self.scheduler.schedules.values() if self.scheduler else [])
                ],
            ),
            ("POST", "/_local/schedules/"): self._run_schedule,
        }

    def _arm_fault(self, path: str, body: bytes) -> HttpResponse:
        """`POST /_local/faults/{ses|sns}` {"failures": N}: the next N sends of that service fail."""
        service = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[1]
        failures = int((json.loads(body or b"{}") or {}).get("failures", 1))
        try:
            armed = self.faults.arm(service, failures) if self.faults else {}
        except KeyError:
            return json_response(
                404, {"error": "not_found", "message": "faults exist for ses and sns", "details": []}
            )
        return json_response(200, {"armed": armed})

    def _redrive(self, path: str, body: bytes) -> HttpResponse:
        """`POST /_local/dead-letters/{queue}/redrive`: move a dead-letter queue's messages back."""
        parts = path.split("?", 1)[0].strip("/").split("/")
        if len(parts) != 4 or parts[3] != "redrive" or self.dead_letters is None:
            return json_response(
                404,
                {"error": "not_found", "message": "use /_local/dead-letters/{queue}/redrive", "details": []},
            )
        try:
            moved = self.dead_letters.redrive(parts[2])
        except KeyError:
            return json_response(
                404, {"error": "not_found", "message": f"no dead-letter queue {parts[2]}", "details": []}
            )
        return json_response(200, {"queue": parts[2], "moved": moved})

    def _run_schedule(self, path: str, body: bytes) -> HttpResponse:
        """`POST /_local/schedules/{name}/run`: fire a schedule now and answer with what it returned."""
        parts = path.split("?", 1)[0].strip("/").split("/")
        if len(parts) != 4 or parts[3] != "run":
            return json_response(
                404, {"error": "not_found", "message": "use /_local/schedules/{name}/run", "details": []}
            )
        schedule = self.scheduler.find(parts[2]) if self.scheduler else None
        if schedule is None:
            known = sorted(self.scheduler.schedules) if self.scheduler else []
            return json_response(
                404,
                {"error": "not_found", "message": f"no schedule {parts[2]}; known: {known}", "details": []},
            )
        return json_response(200, {"schedule": schedule.name, "result": schedule.fire()})
