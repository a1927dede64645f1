"""Lambda functions of the deployed stack, run in this process.

Each function is read back from the emulator (handler, environment, timeout, memory as CloudFormation
created them) and its code from the cloud assembly's asset folders. Like Lambda, a function keeps a
pool of instances: each instance imports the handler module afresh (its own module-level state, as a
separate execution environment would) and serves one request at a time; concurrent requests get
concurrent instances. The deps layer is built for arm64, so the venv's packages stand in for it
(the same pinned versions).

Each function sees only the environment the template gives it: the functions share this process, so
`os.environ` answers a function's variables from the function being invoked (a context variable) and
everything else (the emulator's endpoint and credentials) from the process. A variable the template
does not give a function is missing for it here, as in AWS, and its settings fail at cold start.
"""

from __future__ import annotations

import contextvars
import importlib.util
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3

from .deployer import DeployedStack

MAX_INSTANCES = 16
# One instance's import at a time: the functions' own modules pass through sys.modules by name.
_IMPORTS = threading.Lock()
_INVOKED: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("invoked", default=None)


class FunctionEnvironment(MutableMapping[str, str]):
    """`os.environ` while functions run in this process: the variables any function of the stack has are
    answered from the environment of the function being invoked; all others from the process's."""

    def __init__(self, process: MutableMapping[str, str], function_variables: set[str]) -> None:
        self._process = process
        self._function_variables = function_variables

    def _own(self) -> dict[str, str] | None:
        return _INVOKED.get()

    def __getitem__(self, key: str) -> str:
        own = self._own()
        if key in self._function_variables:
            if own is None:
                raise KeyError(key)
            return own[key]
        return self._process[key]

    def __setitem__(self, key: str, value: str) -> None:
        own = self._own()
        if own is not None and key in self._function_variables:
            own[key] = value
        else:
            self._process[key] = value

    def __delitem__(self, key: str) -> None:
        own = self._own()
        if own is not None and key in own:
            del own[key]
        else:
            del self._process[key]

    def __iter__(self) -> Iterator[str]:
        own = self._own() or {}
        yield from own
        yield from (key for key in self._process if key not in self._function_variables)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def copy(self) -> dict[str, str]:
        return dict(self)


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
    _max_instances: int = MAX_INSTANCES

    def __post_init__(self) -> None:
        # Lambda gives each instance a process of its own; here the modules beside the handler (the
        # api's resolver, which holds the request being served, and its routes) are shared by the
        # instances (_new_instance). A function with such modules serves one request at a time, or two
        # concurrent requests would answer with each other's route (a response checked against
        # another route's model).
        handler_module = self.handler.rsplit(".", 1)[0].split(".")[0]
        beside = [
            p
            for p in self.code_dir.iterdir()
            if p.stem != handler_module and not p.name.startswith(("_", "."))
        ]
        if any(p.suffix == ".py" or (p / "__init__.py").exists() for p in beside):
            self._max_instances = 1

    def invoke(self, event: dict[str, Any]) -> Any:
        token = _INVOKED.set(self.environment)
        try:
            instance = self._acquire()
            try:
                entry = getattr(instance, self.handler.rsplit(".", 1)[1])
                context = LambdaContext(self.name, self.memory_mb, self.arn, self.timeout_seconds)
                return entry(event, context)
            finally:
                self._release(instance)
        finally:
            _INVOKED.reset(token)

    def _acquire(self) -> ModuleType:
        with self._lock:
            while not self._idle and self._count >= self._max_instances:
                self._lock.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
            number = self._count
        return self._new_instance(number)

    def _release(self, instance: ModuleType) -> None:
        with self._lock:
            self._idle.append(instance)
            self._lock.notify()

    def _new_instance(self, number: int) -> ModuleType:
        module_name = self.handler.rsplit(".", 1)[0]
        path = self.code_dir / f"{module_name.replace('.', '/')}.py"
        spec = importlib.util.spec_from_file_location(f"{self.logical_id}_{number}_{module_name}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        # Registered like any imported module: pydantic resolves the handler's annotations through it.
        sys.modules[spec.name] = module
        # The function's own modules beside its handler (the api's resolver and routes) are imported
        # once and shared by its instances: re-importing them per instance would take them out of
        # sys.modules for a moment, where pydantic looks a route's annotations up mid-request.
        with _IMPORTS:
            # Put there once and left: taking it out again would shift sys.path under another
            # instance's thread walking it mid-request (importlib.metadata looking for a distribution,
            # as pydantic does building a validator on first use), which would then miss site-packages.
            if str(self.code_dir) not in sys.path:
                sys.path.insert(0, str(self.code_dir))
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
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    if not isinstance(os.environ, FunctionEnvironment):
        variables = {key for function in functions.values() for key in function.environment}
        # Replaced, not cleared: the process keeps its own variables behind the functions' ones.
        os.environ = FunctionEnvironment(os.environ, variables)  # type: ignore[assignment]  # noqa: B003
    return functions
