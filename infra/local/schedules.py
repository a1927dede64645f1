"""EventBridge Scheduler for the local runtime: the stack's AWS::Scheduler::Schedule resources
(which the emulator's CloudFormation does not create) fire their target functions on their rate, and
on demand through `POST /_local/schedules/{name}/run`."""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from .deployer import DeployedStack
from .functions import LocalFunction

log = logging.getLogger("local-runtime")

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass
class LocalSchedule:
    name: str
    expression: str
    function: LocalFunction
    payload: dict[str, Any]
    interval_seconds: float | None

    def fire(self) -> Any:
        return self.function.invoke(self.payload)


def _interval(expression: str) -> float | None:
    """Seconds between runs of a rate() schedule; None for cron() and at() (fired on demand only)."""
    match = _RATE.match(expression)
    if not match:
        return None
    return int(match.group(1)) * _SECONDS[match.group(2).rstrip("s")]


def schedules_from(stack: DeployedStack, functions: dict[str, LocalFunction]) -> dict[str, LocalSchedule]:
    found: dict[str, LocalSchedule] = {}
    for logical_id, resource in stack.template["Resources"].items():
        if resource["Type"] != "AWS::Scheduler::Schedule":
            continue
        properties = resource["Properties"]
        target = properties["Target"]
        arn = target["Arn"]
        function_id = arn["Fn::GetAtt"][0] if isinstance(arn, dict) and "Fn::GetAtt" in arn else None
        if function_id not in functions:
            log.warning("schedule %s targets something other than a function of the stack", logical_id)
            continue
        name = str(properties.get("Name", logical_id))
        raw_input = target.get("Input")
        payload = json.loads(raw_input) if isinstance(raw_input, str) else {}
        expression = str(properties["ScheduleExpression"])
        found[name] = LocalSchedule(name, expression, functions[function_id], payload, _interval(expression))
    return found


class Scheduler:
    def __init__(self, schedules: dict[str, LocalSchedule]) -> None:
        self.schedules = schedules
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def find(self, name: str) -> LocalSchedule | None:
        """By full name (`complaint-guard-sla-sweep`) or by its short name (`sla-sweep`)."""
        if name in self.schedules:
            return self.schedules[name]
        return next((s for full, s in self.schedules.items() if full.endswith(f"-{name}")), None)

    def start(self) -> None:
        for schedule in self.schedules.values():
            if schedule.interval_seconds is None:
                continue
            thread = threading.Thread(target=self._loop, args=(schedule,), name=schedule.name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()

    def _loop(self, schedule: LocalSchedule) -> None:
        assert schedule.interval_seconds is not None
        while not self._stop.wait(schedule.interval_seconds):
            try:
                result = schedule.fire()
                log.info("schedule %s ran: %s", schedule.name, result)
            except Exception:
                log.exception("schedule %s failed", schedule.name)
