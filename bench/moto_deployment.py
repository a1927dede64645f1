"""The deployment the handlers run against in-process, on moto's `mock_aws`: the two tables (built by
the integration tests' helper), the event bus, an SLA tracker state machine, the tracking key, a
verified sender and the staff topics; and the environment the stack would give the functions.

Every client the code creates afterwards reports to a CallLedger (bench/aws_calls.py).
"""

from __future__ import annotations

import importlib
import json
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import boto3
from moto import mock_aws
from moto_tables import ENVIRONMENT, REGION, create_tables

from .aws_calls import CallLedger

SENDER = "complaints@bank.example"
TRACKING_PARAMETER = "/complaint-guard/tracking-secret"
STAFF_AUDIENCES = ("supervisor", "manager", "compliance", "at_risk")
# The composition roots whose cached clients and settings must be rebuilt inside a new mock.
COMPOSITION_MODULES = (
    "complaints.config",
    "complaints.adapters.runtime",
    "complaints.adapters.secrets",
    "complaints.notifications.runtime",
)


@dataclass
class Deployment:
    ledger: CallLedger
    state_machine_arn: str


def reset_composition() -> None:
    """Forget every cached client, adapter and setting (each `functools.cache` of the roots)."""
    for name in COMPOSITION_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if callable(value) and hasattr(value, "cache_clear"):
                value.cache_clear()


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
            session = boto3.setup_default_session(region_name=REGION) or boto3.DEFAULT_SESSION
            assert session is not None
            create_tables(session.client("dynamodb"))
            events = session.client("events")
            events.create_event_bus(Name="complaint-guard")
            machine = session.client("stepfunctions").create_state_machine(
                name="sla-tracker",
                definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
                roleArn="arn:aws:iam::123456789012:role/sla-tracker",
            )
            session.client("ssm").put_parameter(
                Name=TRACKING_PARAMETER, Value="k" * 48, Type="SecureString", Overwrite=True
            )
            session.client("ses").verify_email_identity(EmailAddress=SENDER)
            sns = session.client("sns")
            topics = {
                audience: sns.create_topic(Name=f"complaint-guard-{audience}")["TopicArn"]
                for audience in STAFF_AUDIENCES
            }
            os.environ.update(
                {
                    "SLA_TRACKER_ARN": machine["stateMachineArn"],
                    "EVENT_BUS_NAME": "complaint-guard",
                    "TRACKING_SECRET_PARAMETER": TRACKING_PARAMETER,
                    "PUBLIC_BASE_URL": "https://complaints.bank.example",
                    "SENDER_EMAIL": SENDER,
                    **{f"STAFF_TOPIC_{audience.upper()}": arn for audience, arn in topics.items()},
                }
            )
            ledger = CallLedger(session)
            ledger.install()
            reset_composition()
            yield Deployment(ledger=ledger, state_machine_arn=machine["stateMachineArn"])
    finally:
        reset_composition()
        os.environ.clear()
        os.environ.update(saved)
