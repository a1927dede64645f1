"""The link keys as each function composes them, on moto (issue 11 item 6): the names derived from
TRACKING_SECRET_PARAMETER, report links and tracking links under different keys, each carrying its id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto_tables import put_link_keys

from complaints.composition import parts
from complaints.composition.settings import LinkSettings
from complaints.reporting.models import Artifact
from complaints.reporting.signed_links import HmacLinkSigner
from complaints.tracking.links import SigningKey, tracking_token, verify_tracking_token

PARAMETER = "/complaint-guard/tracking-secret"  # what the template gives
TRACKING = SigningKey("t-2026-12", "t" * 64)
REPORTS = SigningKey("r-2026-12", "r" * 64)


def settings() -> LinkSettings:
    return LinkSettings.from_environment(
        {"TRACKING_SECRET_PARAMETER": PARAMETER, "PUBLIC_BASE_URL": "https://complaints.example.com"}
    )


def test_each_ring_is_read_from_names_derived_from_the_one_variable(aws: Any) -> None:
    put_link_keys(
        PARAMETER,
        tracking=f"{TRACKING.key_id}:{TRACKING.secret}",
        reports=f"{REPORTS.key_id}:{REPORTS.secret}",
    )
    tracking, reports = parts.tracking_keys(settings()), parts.report_keys(settings())
    assert tracking.path == f"{PARAMETER}/tracking" and reports.path == f"{PARAMETER}/reports"
    assert tracking.current() == TRACKING and reports.current() == REPORTS
    assert tracking.legacy() is None  # none put


def test_a_report_link_and_a_tracking_link_are_signed_with_their_own_keys(aws: Any) -> None:
    put_link_keys(
        PARAMETER,
        tracking=f"{TRACKING.key_id}:{TRACKING.secret}",
        reports=f"{REPORTS.key_id}:{REPORTS.secret}",
    )
    expires = datetime(2027, 1, 1, tzinfo=UTC)
    signature = HmacLinkSigner(parts.report_keys(settings())).sign("2026-Q4", Artifact.KPIS_CSV, expires)
    assert signature.startswith(f"{REPORTS.key_id}.")
    # A tracking link does not open with the report keys, nor a report link with the tracking keys.
    token = tracking_token("c-1", TRACKING)
    assert verify_tracking_token("c-1", token, parts.tracking_keys(settings()))
    assert not verify_tracking_token("c-1", token, parts.report_keys(settings()))
    assert not HmacLinkSigner(parts.tracking_keys(settings())).valid(
        "2026-Q4", Artifact.KPIS_CSV, expires, signature
    )
