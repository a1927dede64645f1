"""`make verify-archive`: check the audit trail's archive against the trail table, and every chain.

For every complaint with events in the trail table or the archive: each event must be archived with
the same sealed text and hashes (complaints/trail/archive.py), and the table's chain must verify
(complaints/trail/chain.py). Prints one line per difference and a summary; exits 1 if there is any.

    make verify-archive                       # the local runtime of `make run`
    .venv/bin/python scripts/verify_archive.py --stack complaint-guard   # a deployed stack (AWS creds)

Operators' tool: it scans the trail table (the application never does) and reads every archived
object, so run it with a role that may, off peak for a large trail.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers" / "shared" / "python"))

from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
from complaints.adapters.trail_archive import S3TrailArchive
from complaints.trail.archive import compare
from complaints.trail.chain import verify


def _local(url: str) -> tuple[dict[str, str], dict[str, Any]]:
    health = requests.get(f"{url.rstrip('/')}/_local/health", timeout=10).json()
    client_args = {
        "endpoint_url": health["emulator"],
        "region_name": health["region"],
        "aws_access_key_id": "local",
        "aws_secret_access_key": "local",
    }
    return health["outputs"], client_args


def _deployed(stack: str) -> tuple[dict[str, str], dict[str, Any]]:
    described = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}, {}


def _trail_complaint_ids(dynamodb: Any, table: str) -> Iterator[str]:
    seen: set[str] = set()
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ProjectionExpression="complaintId"):
        for item in page["Items"]:
            complaint_id = item["complaintId"]["S"]
            if complaint_id not in seen:
                seen.add(complaint_id)
                yield complaint_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--local", default="http://127.0.0.1:3000", help="the local runtime's URL")
    parser.add_argument("--stack", help="a deployed stack's name, instead of --local (your AWS credentials)")
    args = parser.parse_args(argv)
    outputs, client_args = _deployed(args.stack) if args.stack else _local(args.local)
    dynamodb = boto3.client("dynamodb", **client_args)
    repository = DynamoDbComplaintRepository(
        outputs["TableName"], dynamodb, trail_table=outputs["TrailTableName"]
    )
    archive = S3TrailArchive(outputs["TrailArchiveBucket"], boto3.client("s3", **client_args))

    complaint_ids = sorted(
        set(_trail_complaint_ids(dynamodb, outputs["TrailTableName"])) | set(archive.complaint_ids())
    )
    problems = events = 0
    for complaint_id in complaint_ids:
        stored = repository.stored_events(complaint_id)
        events += len(stored)
        for difference in compare(complaint_id, stored, archive.events(complaint_id)):
            problems += 1
            print(f"{complaint_id} v{difference.version}: {difference.problem}")
        chain = verify(complaint_id, stored, repository.chain_head(complaint_id))
        if not chain.valid:
            problems += 1
            print(f"{complaint_id}: the trail's chain is broken at version {chain.first_broken_at}")
    print(f"{len(complaint_ids)} complaints, {events} events checked: {problems or 'no'} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
