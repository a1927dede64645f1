"""GuardDuty Malware Protection for S3's verdicts, as EventBridge delivers them to the default bus
("GuardDuty Malware Protection Object Scan Result", source aws.guardduty), read into the domain's
ScanResult. GuardDuty's result statuses map to ScanStatus; anything it may add later reads `failed`,
so an unknown verdict never lets a file out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from complaints.attachments.models import ScanResult
from complaints.core.models import ScanStatus

SOURCE = "aws.guardduty"
DETAIL_TYPE = "GuardDuty Malware Protection Object Scan Result"
RESULT_STATUSES: Mapping[str, ScanStatus] = {
    "NO_THREATS_FOUND": ScanStatus.CLEAN,
    "THREATS_FOUND": ScanStatus.THREATS_FOUND,
    "UNSUPPORTED": ScanStatus.UNSUPPORTED,
    "ACCESS_DENIED": ScanStatus.FAILED,
    "FAILED": ScanStatus.FAILED,
}


def scan_result(event: Mapping[str, Any], bucket: str) -> ScanResult | None:
    """The verdict an event carries on an object of `bucket`; None for any other event or bucket."""
    if event.get("source") != SOURCE or event.get("detail-type") != DETAIL_TYPE:
        return None
    detail = event.get("detail") or {}
    scanned = detail.get("s3ObjectDetails") or {}
    if scanned.get("bucketName") != bucket or not scanned.get("objectKey"):
        return None
    verdict = (detail.get("scanResultDetails") or {}).get("scanResultStatus")
    return ScanResult(
        key=str(scanned["objectKey"]),
        version=scanned.get("versionId") or None,
        status=RESULT_STATUSES.get(str(verdict), ScanStatus.FAILED),
        at=datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00")),
    )
