"""The SLA tracker on Step Functions: one Standard execution per complaint (and generation)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from complaints.adapters.aws import error_code
from complaints.core.errors import ServiceUnavailable
from complaints.core.models import Complaint
from complaints.sla.escalation import tracker_execution_name

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions.client import SFNClient


class TrackerUnavailable(ServiceUnavailable):
    code = "tracker_unavailable"


def tracker_input(complaint_id: str) -> dict[str, Any]:
    """What an execution starts with (see the Comment of infra/statemachines/sla-tracker.asl.json)."""
    return {"complaintId": complaint_id, "attempts": 0, "waited": {"name": "none", "dueAt": "none"}}


class StepFunctionsTracker:
    def __init__(self, state_machine_arn: str, client: SFNClient) -> None:
        self._state_machine = state_machine_arn
        self._client = client

    def execution_arn(self, complaint: Complaint) -> str:
        prefix, name = self._state_machine.rsplit(":stateMachine:", 1)
        return f"{prefix}:execution:{name}:{tracker_execution_name(complaint)}"

    def start(self, complaint: Complaint) -> None:
        try:
            self._client.start_execution(
                stateMachineArn=self._state_machine,
                name=tracker_execution_name(complaint),
                input=json.dumps(tracker_input(complaint.id)),
            )
        except ClientError as error:
            if error_code(error) == "ExecutionAlreadyExists":
                return
            raise TrackerUnavailable(f"could not start the SLA tracker of {complaint.id}") from error

    def stop(self, complaint: Complaint) -> None:
        try:
            self._client.stop_execution(executionArn=self.execution_arn(complaint), cause="superseded")
        except ClientError as error:
            if error_code(error) == "ExecutionDoesNotExist":
                return
            raise TrackerUnavailable(f"could not stop the SLA tracker of {complaint.id}") from error

    def is_running(self, complaint: Complaint) -> bool:
        try:
            described = self._client.describe_execution(executionArn=self.execution_arn(complaint))
        except ClientError as error:
            if error_code(error) == "ExecutionDoesNotExist":
                return False
            raise TrackerUnavailable(f"could not look at the SLA tracker of {complaint.id}") from error
        return bool(described.get("status") == "RUNNING")
