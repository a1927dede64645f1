"""The deployment the handlers run against in-process, on moto's `mock_aws`: the two tables (built by
the integration tests' helper, with the event bus, an SLA tracker state machine, the signing key, the
reports bucket and queue, a verified sender and the staff topics); and the environment the stack would
give the functions.

Every client the code creates afterwards reports to a CallLedger (bench/aws_calls.py).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import boto3
from moto import mock_aws
from moto_tables import ENVIRONMENT, REGION, clear_caches, create_deployment, create_tables

from .aws_calls import CallLedger


@dataclass
class Deployment:
    ledger: CallLedger
    state_machine_arn: str


@contextmanager
def deployment() -> Iterator[Deployment]:
    saved = dict(os.environ)
    os.environ.update(ENVIRONMENT)
    os.environ.pop("AWS_PROFILE", None)
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    # The handlers' metrics (EMF lines on stdout) are written as in Lambda, but not onto the table.
    try:
        with mock_aws(), Path(os.devnull).open("w") as sink, redirect_stdout(sink), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No application metrics to publish")
            boto3.setup_default_session(region_name=REGION)
            session = boto3.DEFAULT_SESSION
            assert session is not None
            create_tables(session.client("dynamodb"))
            os.environ.update(create_deployment())
            ledger = CallLedger(session)
            ledger.install()
            clear_caches()
            yield Deployment(ledger=ledger, state_machine_arn=os.environ["SLA_TRACKER_ARN"])
    finally:
        clear_caches()
        os.environ.clear()
        os.environ.update(saved)
