"""Lambda functions of the deployed stack, run in this process.

Each function is read back from the emulator (handler, environment, timeout, memory as CloudFormation
created them) and its code from the cloud assembly's asset folders. Like Lambda, a function keeps a
pool of instances: each instance imports the handler module afresh (its own module-level state, as a
separate execution environment would) and serves one request at a time; concurrent requests get
concurrent instances. The deps layer is built for arm64, so the venv's packages stand in for it
(the same pinned versions).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3

from .deployer import DeployedStack

MAX_INSTANCES = 16


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    function_version: str = "$LATEST"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class LocalFunction:
    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    timeout_seconds: int
    memory_mb: int
    _idle: list[ModuleType] = field(default_factory=list)
    _count: int = 0
    _lock: threading.Condition = field(default_factory=threading.Condition)

    def invoke(self, event: dict[str, Any]) -> Any:
        instance = self._acquire()
        try:
            entry = getattr(instance, self.handler.rsplit(".", 1)[1])
            context = LambdaContext(self.name, self.memory_mb, self.arn, self.timeout_seconds)
            return entry(event, context)
        finally:
            self._release(instance)

    def _acquire(self) -> ModuleType:
        with self._lock:
            while not self._idle and self._count >= MAX_INSTANCES:
                self._lock.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        return self._new_instance()

    def _release(self, instance: ModuleType) -> None:
        with self._lock:
            self._idle.append(instance)
            self._lock.notify()

    def _new_instance(self) -> ModuleType:
        module_name = self.handler.rsplit(".", 1)[0]
        path = self.code_dir / f"{module_name.replace('.', '/')}.py"
        spec = importlib.util.spec_from_file_location(f"{self.logical_id}_{self._count}_{module_name}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        # Registered like any imported module: pydantic resolves the handler's annotations through it.
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module


def _asset_dir(assembly: Path, code: dict[str, Any]) -> Path:
    """The asset folder behind a Code/Content S3 key (`<hash>.zip` → `cdk.out/asset.<hash>`)."""
    key = str(code.get("S3Key", ""))
    return assembly / f"asset.{key.removesuffix('.zip')}"


def load_functions(stack: DeployedStack, assembly: Path, region: str) -> dict[str, LocalFunction]:
    client = boto3.client("lambda", region_name=region)
    resources = stack.template["Resources"]
    functions: dict[str, LocalFunction] = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        properties = resource["Properties"]
        configuration = client.get_function_configuration(FunctionName=stack.resources[logical_id])
        for layer in properties.get("Layers", []):
            layer_dir = _asset_dir(assembly, resources[layer["Ref"]]["Properties"]["Content"])
            # Only pure-Python layers go on the path; native arm64 wheels come from the venv.
            if not (layer_dir / "python" / "pydantic_core").exists():
                python_dir = str(layer_dir / "python")
                if python_dir not in sys.path:
                    sys.path.insert(0, python_dir)
        functions[logical_id] = LocalFunction(
            logical_id=logical_id,
            name=configuration["FunctionName"],
            arn=configuration["FunctionArn"],
            code_dir=_asset_dir(assembly, properties["Code"]),
            handler=configuration["Handler"],
            environment=dict(configuration.get("Environment", {}).get("Variables", {})),
            timeout_seconds=int(configuration.get("Timeout", 3)),
            memory_mb=int(configuration.get("MemorySize", 128)),
        )
    # Functions share this process's environment; the stack gives them the same names for the same
    # resources, so their variables can be merged (a clash would be a bug in the stack).
    merged: dict[str, str] = {}
    for function in functions.values():
        for key, value in function.environment.items():
            if merged.setdefault(key, value) != value:
                raise RuntimeError(f"functions disagree on {key}: {merged[key]!r} vs {value!r}")
    os.environ.update(merged)
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    return functions
