"""Layers: the domain package (layers/shared) and the runtime dependencies (built by `make layer`)."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from ..settings import ROOT
from .function import RUNTIME

DEPS_LAYER_DIR = ROOT / ".build" / "layers" / "deps"


class Layers(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        if not (DEPS_LAYER_DIR / "python").is_dir():
            raise FileNotFoundError(f"{DEPS_LAYER_DIR} is missing: run `make layer` (make synth does)")
        runtimes = [RUNTIME]
        architectures = [lambda_.Architecture.ARM_64]
        self.deps = lambda_.LayerVersion(
            self,
            "Deps",
            code=lambda_.Code.from_asset(str(DEPS_LAYER_DIR)),
            description="complaint-guard runtime dependencies (Powertools, pydantic, holidays)",
            compatible_runtimes=runtimes,
            compatible_architectures=architectures,
        )
        self.shared = lambda_.LayerVersion(
            self,
            "Shared",
            code=lambda_.Code.from_asset(str(ROOT / "layers" / "shared"), exclude=["**/__pycache__"]),
            description="complaint-guard domain package `complaints`",
            compatible_runtimes=runtimes,
            compatible_architectures=architectures,
        )
