"""The in-process log scan sees what a function prints: a Powertools logger's message and extra keys."""

from __future__ import annotations

import pytest
from aws_lambda_powertools import Logger
from reliability_support import LogScan, leaked

pytestmark = pytest.mark.reliability


def test_the_scan_finds_a_phone_an_email_and_a_name_in_extra_keys() -> None:
    with LogScan("reliability-scan-check") as scan:
        logger = Logger(service="reliability-scan-check")
        logger.debug("sent", extra={"recipient": "+8613987654321", "to": "wang.fang@example.com"})
        logger.info("hello Wang Fang")
        logger.info("masked", extra={"recipient": "+86139****4321", "to": "w***@example.cn"})
    assert leaked(scan.text()) == ["+8613987654321", "Wang Fang", "wang.fang@example.com"]
