"""The api function's composition root: its settings (validated at cold start, in app.py) and, built
once per instance on first use, what its routes call."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from complaints.adapters.aws import client
from complaints.composition import parts
from complaints.composition.settings import ApiSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from complaints.adapters.dynamodb.complaints import DynamoDbComplaintRepository
    from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog
    from complaints.adapters.idempotency import IdempotentIntake
    from complaints.adapters.parameters import SsmKeyRing
    from complaints.attachments.service import AttachmentService
    from complaints.cases.service import CaseLibrary
    from complaints.intake.service import ComplaintService
    from complaints.privacy.erasure import Erasure
    from complaints.reporting.kpi_service import KpiService
    from complaints.reporting.quarterly_reports import QuarterlyReports
    from complaints.sla.accountability import AccountabilityReviews
    from complaints.teams.roster import Rosters
    from complaints.tracking.follow_ups import FollowUps
    from complaints.tracking.links import SigningKey
    from complaints.tracking.service import TrackingService
    from complaints.trail.integrity import TrailIntegrity
    from complaints.triage.service import TriageService


@cache
def settings() -> ApiSettings:
    return ApiSettings.from_environment()


@cache
def dynamodb() -> Any:
    return client("dynamodb")


@cache
def tracking_keys() -> SsmKeyRing:
    """The tracking ring: signs tracking links and, with keys derived from it, page tokens."""
    return parts.tracking_keys(settings())


class _PageKeys:
    """The tracking ring, reached only when a page token is signed or read: an intake never pays for
    the SSM client and the parameters utility (bench: "ready for the first intake")."""

    def current(self) -> SigningKey:
        return tracking_keys().current()

    def accepted(self) -> Sequence[SigningKey]:
        return tracking_keys().accepted()


PAGE_KEYS = _PageKeys()


@cache
def repository() -> DynamoDbComplaintRepository:
    """The complaints and their trail as stored: one adapter for every use case of the instance."""
    return parts.complaint_repository(settings(), dynamodb(), PAGE_KEYS)


@cache
def complaint_service() -> ComplaintService:
    return parts.complaint_service(settings(), dynamodb(), repository=repository())


@cache
def rosters() -> Rosters:
    """The teams' rosters (complaints/teams)."""
    from complaints.adapters.dynamodb.rosters import DynamoDbRosterStore
    from complaints.teams.roster import Rosters

    return Rosters(DynamoDbRosterStore(settings().table_name, dynamodb()))


@cache
def triage_service() -> TriageService:
    """The triage preview's reading (the model loads on its first use)."""
    from complaints.triage.service import TriageService

    return TriageService(complaint_service(), repository(), settings().triage_rules)


@cache
def case_library() -> CaseLibrary:
    """Similar past cases and the library's cases (complaints/cases)."""
    from complaints.adapters.dynamodb.cases import DynamoDbCaseIndex
    from complaints.cases.service import CaseLibrary

    return CaseLibrary(complaint_service(), DynamoDbCaseIndex(settings().table_name, dynamodb()))


@cache
def idempotent_intake() -> IdempotentIntake:
    from complaints.adapters.idempotency import IdempotentIntake

    config = settings()
    return IdempotentIntake(config.idempotency_table_name, config.idempotency_ttl_seconds, dynamodb())


@cache
def notification_log() -> DynamoDbNotificationLog:
    from complaints.adapters.dynamodb.notification_log import DynamoDbNotificationLog

    return DynamoDbNotificationLog(settings().table_name, dynamodb())


@cache
def tracking_service() -> TrackingService:
    from complaints.tracking.service import TrackingService

    return TrackingService(complaint_service(), repository(), tracking_keys())


@cache
def trail_integrity() -> TrailIntegrity:
    from complaints.trail.integrity import TrailIntegrity

    return TrailIntegrity(repository())


@cache
def erasure() -> Erasure:
    from complaints.privacy.erasure import Erasure

    return Erasure(repository(), notification_log())


@cache
def accountability_reviews() -> AccountabilityReviews:
    from complaints.adapters.dynamodb.accountability import DynamoDbAccountabilityStore
    from complaints.sla.accountability import AccountabilityReviews

    return AccountabilityReviews(
        DynamoDbAccountabilityStore(settings().table_name, dynamodb(), page_keys=PAGE_KEYS)
    )


@cache
def follow_ups() -> FollowUps:
    from complaints.adapters.dynamodb.follow_ups import DynamoDbFollowUpStore
    from complaints.tracking.follow_ups import FollowUps

    return FollowUps(DynamoDbFollowUpStore(settings().table_name, dynamodb(), page_keys=PAGE_KEYS))


@cache
def kpi_service() -> KpiService:
    from complaints.adapters.dynamodb.history import DynamoDbComplaintHistory
    from complaints.reporting.kpi_service import KpiService

    return KpiService(DynamoDbComplaintHistory(settings().table_name, dynamodb()))


@cache
def quarterly_reports() -> QuarterlyReports:
    from complaints.adapters.sqs import SqsReportQueue

    config = settings()
    return parts.quarterly_reports(
        config, dynamodb(), queue=SqsReportQueue(config.report_queue_url, client("sqs"))
    )


@cache
def attachment_service() -> AttachmentService:
    # The tracking link is checked (and its keys read) only when a customer attaches.
    return parts.attachment_service(
        settings(),
        complaint_service(),
        link_check=lambda complaint_id, token: tracking_service().authorise(complaint_id, token),
    )
