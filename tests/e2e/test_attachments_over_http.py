"""Attachments over real HTTP against the local runtime: the presigned POST points at the emulator, takes
exactly the declared file there (the emulator enforces the upload's policy as S3 does), and staff
download it; with no GuardDuty in the emulator, attachments read `not_scanned`."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
import requests
from e2e_support import Api, complaint_body

pytestmark = pytest.mark.xdist_group("e2e")
PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot of the failed transfer " * 64
TOKEN = re.compile(r"/t/[\w-]+\?token=([\w.-]+)")


def submitted(api: Api, **customer: Any) -> dict[str, Any]:
    unique = uuid.uuid4().hex[:8]
    body = complaint_body(customer_id=f"C-ATT-{unique}")
    body["customer"] |= {"phone": "+86139" + str(int(unique, 16) % 10**8).zfill(8), **customer}
    body["customer"]["preferredContact"] = ["sms"]
    body["customer"].pop("email", None)
    reply = api.request("POST", "/v1/complaints", role="channel_app", json=body)
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


def file(size: int = len(PNG)) -> dict[str, Any]:
    return {"fileName": "transfer.png", "contentType": "image/png", "size": size}


def post(form: dict[str, Any], content: bytes) -> requests.Response:
    return requests.post(
        form["url"], data=form["fields"], files={"file": ("transfer.png", content)}, timeout=30
    )


def test_an_app_attaches_a_file_to_the_emulator_and_staff_download_it(api: Api) -> None:
    emulator = requests.get(f"{api.url}/_local/health", timeout=10).json()["emulator"]
    created = submitted(api)
    reply = api.request(
        "POST", f"/v1/complaints/{created['id']}/attachments", role="channel_app", json=file()
    )
    assert reply.status_code == 201, reply.text
    granted = reply.json()
    assert granted["attachment"]["scanStatus"] == "not_scanned"
    assert granted["upload"]["url"].startswith(f"{emulator}/")  # the local endpoint, path style

    too_large = post(granted["upload"], PNG + b"!")
    assert too_large.status_code == 400 and "EntityTooLarge" in too_large.text
    other_type = post(
        {**granted["upload"], "fields": {**granted["upload"]["fields"], "Content-Type": "text/html"}}, PNG
    )
    assert other_type.status_code == 403
    assert post(granted["upload"], PNG).status_code == 204

    attachment = granted["attachment"]["id"]
    download = api.request("GET", f"/v1/complaints/{created['id']}/attachments/{attachment}", role="manager")
    assert download.status_code == 200, download.text
    assert download.json()["url"].startswith(f"{emulator}/")
    fetched = requests.get(download.json()["url"], timeout=30)
    assert fetched.status_code == 200 and fetched.content == PNG
    assert fetched.headers["Content-Disposition"].startswith('attachment; filename="transfer.png"')
    listed = api.request("GET", f"/v1/complaints/{created['id']}", role="manager").json()["attachments"]
    assert [(a["id"], a["fileName"], a["scanStatus"]) for a in listed] == [
        (attachment, "transfer.png", "not_scanned")
    ]


def test_the_customer_attaches_through_the_link_in_the_receipt(api: Api) -> None:
    created = submitted(api)
    deadline = time.monotonic() + 90
    token = None
    while token is None and time.monotonic() < deadline:
        for message in requests.get(f"{api.url}/_local/outbox", timeout=10).json():
            if created["reference"] in message["body"] and (found := TOKEN.search(message["body"])):
                token = found.group(1)
        time.sleep(0.3)
    assert token, "no receipt with a tracking link"
    path = f"/v1/track/{created['id']}/attachments"
    refused = api.request("POST", path, role=None, params={"token": "forged"}, json=file())
    assert refused.status_code == 403
    reply = api.request("POST", path, role=None, params={"token": token}, json=file())
    assert reply.status_code == 201, reply.text
    assert reply.json()["attachment"]["addedBy"] == "customer"
    assert post(reply.json()["upload"], PNG).status_code == 204
