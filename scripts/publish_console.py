"""Put the staff console in its bucket after `cdk deploy` (`make deploy` runs this): the build in
console/dist under console/, and the config.json that points it at this stack's user pool, from the
stack's outputs. One bundle serves every stack; only config.json differs.

    .venv/bin/python scripts/publish_console.py                     # the stack of cdk.json
    .venv/bin/python scripts/publish_console.py --stack my-stack

Scripts and styles are named by their content hash and cached for a year; index.html and config.json
are revalidated on every load, and invalidated on the distribution so a new build shows at once."""

from __future__ import annotations

import argparse
import json
import mimetypes
import time
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "console" / "dist"
PREFIX = "console/"
STAFF_SCOPE = "complaint-guard/staff"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def console_config(outputs: dict[str, str]) -> dict[str, str]:
    """config.json for a deployed stack: sign-in through the hosted UI of its user pool with the
    console's app client; the API on the console's own origin (CloudFront routes /v1/* to it)."""
    return {
        "mode": "cognito",
        "authDomain": outputs["CognitoDomainUrl"].rstrip("/"),
        "clientId": outputs["ConsoleClientId"],
        "scopes": f"openid {STAFF_SCOPE}",
        "apiBase": "",
    }


def _files(dist: Path) -> list[tuple[str, Path, str, str]]:
    """(key, file, content type, cache control) of each file of the build."""
    found = []
    for path in sorted(dist.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(dist).as_posix()
        content_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "text/plain"
        immutable = relative.startswith("assets/")
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        found.append((f"{PREFIX}{relative}", path, content_type, cache))
    return found


def publish(stack: str, dist: Path = DIST) -> str:
    if not (dist / "index.html").is_file():
        raise SystemExit(f"{dist} has no build: run `make console` first")
    described: dict[str, Any] = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    s3 = boto3.client("s3")
    bucket = outputs["ConsoleBucketName"]
    # The hashed assets first, index.html last: a viewer never gets a page naming a missing script.
    for key, path, content_type, cache in sorted(_files(dist), key=lambda f: f[0].endswith("index.html")):
        s3.put_object(
            Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=content_type, CacheControl=cache
        )
    s3.put_object(
        Bucket=bucket,
        Key=f"{PREFIX}config.json",
        Body=json.dumps(console_config(outputs)).encode(),
        ContentType="application/json",
        CacheControl="no-cache",
    )
    cloudfront = boto3.client("cloudfront")
    cloudfront.create_invalidation(
        DistributionId=outputs["ConsoleDistributionId"],
        InvalidationBatch={
            "Paths": {"Quantity": 2, "Items": [f"/{PREFIX}index.html", f"/{PREFIX}config.json"]},
            "CallerReference": f"publish-console-{time.time_ns()}",
        },
    )
    domain = cloudfront.get_distribution(Id=outputs["ConsoleDistributionId"])["Distribution"]["DomainName"]
    return f"https://{domain}/{PREFIX}"


def main() -> int:
    stack_name = json.loads((ROOT / "cdk.json").read_text())["context"]["complaint-guard"]["stack_name"]
    parser = argparse.ArgumentParser(description="Publish the staff console to a deployed stack.")
    parser.add_argument("--stack", default=stack_name)
    args = parser.parse_args()
    print(f"the console is at {publish(args.stack)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
