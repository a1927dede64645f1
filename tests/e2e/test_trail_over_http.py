"""The audit trail against the local runtime: chained as it is written, archived under Object Lock by
the archiver from the trail table's stream, an event changed in the emulator's table found by the
integrity check and by `make verify-archive`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from e2e_support import Api, complaint_body, triaged

pytestmark = pytest.mark.xdist_group("e2e")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import verify_archive  # noqa: E402


def emulator(api: Api) -> tuple[dict[str, str], dict[str, Any]]:
    health = requests.get(f"{api.url}/_local/health", timeout=10).json()
    return health["outputs"], {
        "endpoint_url": health["emulator"],
        "region_name": health["region"],
        "aws_access_key_id": "local",
        "aws_secret_access_key": "local",
    }


def archived(s3: Any, bucket: str, complaint_id: str, count: int) -> list[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        keys = [
            o["Key"]
            for o in s3.list_objects_v2(Bucket=bucket, Prefix=f"trail/{complaint_id}/").get("Contents", [])
        ]
        if len(keys) >= count:
            return keys
        time.sleep(0.3)
    raise AssertionError(f"the archiver did not archive {count} events of {complaint_id} in 30 s")


def test_the_trail_is_archived_locked_and_a_change_in_the_table_is_found(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    created = api.request("POST", "/v1/complaints", role="channel_app", json=complaint_body("C-E2E-TRAIL"))
    assert created.status_code == 201, created.text
    complaint_id = created.json()["id"]
    triaged(api, complaint_id)  # version 2: triage's reading
    answered = api.request(
        "POST", f"/v1/complaints/{complaint_id}/responses", json={"message": "We are looking into it."}
    )
    assert answered.status_code == 200, answered.text
    outputs, client_args = emulator(api)
    s3 = boto3.client("s3", **client_args)
    bucket = outputs["TrailArchiveBucket"]

    keys = archived(s3, bucket, complaint_id, 3)
    assert keys == [f"trail/{complaint_id}/{version:010d}.json" for version in (1, 2, 3)]
    head = s3.head_object(Bucket=bucket, Key=keys[2])
    assert head["ObjectLockMode"] == "COMPLIANCE"
    with pytest.raises(ClientError):  # a locked version cannot be deleted, not even by its owner
        s3.delete_object(Bucket=bucket, Key=keys[2], VersionId=head["VersionId"])

    check = api.request("GET", f"/v1/complaints/{complaint_id}/integrity", role="compliance")
    assert check.json() == {"valid": True, "events": 3, "firstBrokenAt": None}
    assert verify_archive.main(["--local", api.url]) == 0

    # someone with write access to the table rewrites the answer the customer was given
    boto3.client("dynamodb", **client_args).update_item(
        TableName=outputs["TrailTableName"],
        Key={"complaintId": {"S": complaint_id}, "version": {"N": "3"}},
        UpdateExpression="SET #data.#message = :text",
        ExpressionAttributeNames={"#data": "data", "#message": "message"},
        ExpressionAttributeValues={":text": {"S": "We decline your complaint."}},
    )
    check = api.request("GET", f"/v1/complaints/{complaint_id}/integrity", role="compliance")
    assert check.json() == {"valid": False, "events": 3, "firstBrokenAt": 3}
    capsys.readouterr()
    assert verify_archive.main(["--local", api.url]) == 1
    assert f"{complaint_id}: the trail's chain is broken at version 3" in capsys.readouterr().out
