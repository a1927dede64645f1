"""The customer's side: the tracking token, the customer view, satisfaction, 回访 and the page.

Over the in-memory repository and a clock the test moves by hand; every deadline is worked out here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from fakes import T0, FakeClock, FixedSecretProvider, InMemoryComplaintRepository
from pydantic import ValidationError

from complaints.core.auth import caller_from_claims
from complaints.core.errors import Forbidden, IllegalTransition, NotFound
from complaints.core.models import Complaint, FollowUpOutcome, FollowUpStatus, Language, ReceivedVia, Status
from complaints.intake.commands import (
    CloseRequest,
    IntakeRequest,
    PauseRequest,
    ResolveRequest,
    ResponseRequest,
)
from complaints.intake.lifecycle import Action
from complaints.intake.service import ComplaintService
from complaints.tracking import page as tracking_page
from complaints.tracking.links import (
    TRACKING_LINK_LIFETIME,
    SigningKey,
    parse_key,
    tracking_link,
    tracking_token,
    verify_tracking_token,
)
from complaints.tracking.service import (
    FOLLOW_UP_WINDOW,
    INVALID_LINK,
    CustomerReopenRequest,
    CustomerWithdrawRequest,
    FeedbackAlreadyGiven,
    FeedbackRequest,
    FollowUpAssignment,
    FollowUpRequest,
    TimelineKind,
    TrackingService,
)

SECRET = "k" * 40
OTHER_SECRET = "q" * 40
KEY = SigningKey("t2", SECRET)
PREVIOUS = SigningKey("t1", OTHER_SECRET)
RETIRED = SigningKey("t0", "r" * 40)
LEGACY_SECRET = "l" * 40
# Monday 2 March 2026, 09:00 in Shanghai.

CHANNEL_APP = caller_from_claims(
    {"client_id": "counter-app", "scope": "complaint-guard/complaints.submit complaint-guard/complaints.read"}
)
AGENT = caller_from_claims(
    {"cognito:groups": "[agent team:intake]", "username": "agent-7", "scope": "complaint-guard/staff"}
)
SUPERVISOR = caller_from_claims(
    {"cognito:groups": "[supervisor team:intake]", "username": "sup-1", "scope": "complaint-guard/staff"}
)
CUSTOMER_NAME = "Zhang Min"
CUSTOMER_PHONE = "+8613912345678"
CUSTOMER_EMAIL = "zhang.min@example.cn"


# --- the token ------------------------------------------------------------------------------------

LATER = datetime(2026, 9, 1, tzinfo=UTC)
KEYS = FixedSecretProvider(SECRET, "t2")


def test_the_token_is_key_id_expiry_and_hmac_of_all_three_with_the_id() -> None:
    token = tracking_token("complaint-1", KEY, LATER)
    expires = int(LATER.timestamp())
    message = f"tracking\ncomplaint-1\nt2\n{expires}".encode()
    digest = hmac.new(SECRET.encode(), message, hashlib.sha256).digest()
    mac = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert token == f"t2.{expires}.{mac}"
    assert len(mac) == 43 and re.fullmatch(r"[A-Za-z0-9_.-]+", token)  # nothing a URL must escape


def test_the_right_token_passes_with_its_expiry() -> None:
    verified = verify_tracking_token("complaint-1", tracking_token("complaint-1", KEY, LATER), KEYS)
    assert verified is not None and verified.expires_at == LATER
    assert not verified.expired(LATER - timedelta(seconds=1)) and verified.expired(LATER)


def test_a_new_token_expires_180_days_after_it_is_issued() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    verified = verify_tracking_token("complaint-1", tracking_token("complaint-1", KEY), KEYS)
    assert verified is not None and verified.expires_at is not None
    assert (
        before + TRACKING_LINK_LIFETIME <= verified.expires_at <= datetime.now(UTC) + TRACKING_LINK_LIFETIME
    )
    assert timedelta(days=180) == TRACKING_LINK_LIFETIME


def test_any_changed_character_fails() -> None:
    token = tracking_token("complaint-1", KEY, LATER)
    for index, char in enumerate(token):
        for replacement in {"A", "z", "0", "9", "-", "_", "."} - {char}:
            changed = token[:index] + replacement + token[index + 1 :]
            assert not verify_tracking_token("complaint-1", changed, KEYS), (index, replacement)


def test_a_previous_key_passes_during_a_rotation_and_a_retired_one_never() -> None:
    rotating = FixedSecretProvider(SECRET, "t2", previous=PREVIOUS)
    assert verify_tracking_token("c-1", tracking_token("c-1", PREVIOUS, LATER), rotating)
    assert not verify_tracking_token("c-1", tracking_token("c-1", PREVIOUS, LATER), KEYS)  # window over
    assert not verify_tracking_token("c-1", tracking_token("c-1", RETIRED, LATER), rotating)


def test_a_tampered_key_id_or_expiry_fails() -> None:
    rotating = FixedSecretProvider(SECRET, "t2", previous=PREVIOUS)
    key_id, expires, mac = tracking_token("c-1", KEY, LATER).split(".")
    for wrong in (
        f"t1.{expires}.{mac}",  # another accepted key's id
        f"t9.{expires}.{mac}",  # an unknown id
        f"{key_id}.{int(expires) + 86400}.{mac}",  # a longer life
        f"{key_id}.{expires}",
        f"{key_id}..{expires}.{mac}",
        f"{key_id}.{expires}.{mac}.x",
        f"{'k' * 33}.{expires}.{mac}",
    ):
        assert not verify_tracking_token("c-1", wrong, rotating), wrong
    # A key of the same secret under another id still does not verify the first id's link.
    assert not verify_tracking_token("c-1", f"t1.{expires}.{mac}", FixedSecretProvider(SECRET, "t1"))


def test_a_legacy_token_passes_only_while_the_legacy_key_is_kept_and_is_always_expired() -> None:
    legacy = tracking_token("c-1", LEGACY_SECRET)  # the form sent before key ids: HMAC of the bare id
    digest = hmac.new(LEGACY_SECRET.encode(), b"c-1", hashlib.sha256).digest()
    assert legacy == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    verified = verify_tracking_token("c-1", legacy, FixedSecretProvider(SECRET, legacy=LEGACY_SECRET))
    assert verified is not None and verified.expires_at is None and verified.expired(T0)
    assert not verify_tracking_token("c-1", legacy, KEYS)  # the legacy key retired
    # The current key does not make a legacy-form token valid.
    assert not verify_tracking_token("c-1", tracking_token("c-1", SECRET), KEYS)


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "x",
        "padded=",
        "非ASCII的令牌",
        "\udcff",
        "t2.非.ASCII",
        "\udcff.1.2",
    ],
)
def test_missing_or_malformed_tokens_fail(token: str | None) -> None:
    assert not verify_tracking_token("complaint-1", token, FixedSecretProvider(SECRET, legacy=LEGACY_SECRET))


def test_a_truncated_extended_or_padded_token_fails() -> None:
    token = tracking_token("complaint-1", KEY, LATER)
    for wrong in (token[:-1], token + "A", token + "=", " " + token):
        assert not verify_tracking_token("complaint-1", wrong, KEYS)


def test_another_complaints_token_or_another_key_fails() -> None:
    assert not verify_tracking_token("complaint-1", tracking_token("complaint-2", KEY, LATER), KEYS)
    other = SigningKey("t2", OTHER_SECRET)
    assert not verify_tracking_token("complaint-1", tracking_token("complaint-1", other, LATER), KEYS)


def test_a_short_or_malformed_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        FixedSecretProvider("short")
    with pytest.raises(ValueError):
        tracking_token("complaint-1", SigningKey("t1", "short"))
    assert parse_key(f"t-2026_12:{SECRET}") == SigningKey("t-2026_12", SECRET)
    for stored in (SECRET, f":{SECRET}", f"t 1:{SECRET}", f"{'k' * 33}:{SECRET}", "t1:short"):
        with pytest.raises(ValueError):
            parse_key(stored)


def test_the_link_is_base_t_id_token() -> None:
    token = tracking_token("c-1", KEY, LATER)
    assert tracking_link("c-1", KEY, "https://complaints.example.com", LATER) == (
        f"https://complaints.example.com/t/c-1?token={token}"
    )
    assert tracking_link("c-1", KEY, "https://complaints.example.com/", LATER) == (
        f"https://complaints.example.com/t/c-1?token={token}"
    )


# --- the service ----------------------------------------------------------------------------------


@pytest.fixture
def tracking(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> TrackingService:
    return TrackingService(service, repo, FixedSecretProvider(SECRET, "t2"), clock=clock)


def submit(service: ComplaintService, **overrides: Any) -> Complaint:
    body: dict[str, Any] = {
        "channel": "counter",
        "customer": {
            "customerId": "C-1",
            "name": CUSTOMER_NAME,
            "phone": CUSTOMER_PHONE,
            "email": CUSTOMER_EMAIL,
            "preferredContact": ["sms"],
        },
        "description": "Charged twice for one transfer.",
    }
    return service.intake(IntakeRequest.model_validate(body | overrides), CHANNEL_APP)


def resolved(service: ComplaintService, clock: FakeClock, **overrides: Any) -> Complaint:
    complaint = submit(service, **overrides)
    clock.advance(hours=1)
    service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)
    clock.advance(hours=1)
    service.respond(
        complaint.id, ResponseRequest(message="Note: agent Wang Lei to call the branch", internal=True), AGENT
    )
    clock.advance(hours=1)
    return service.resolve(
        complaint.id,
        ResolveRequest(outcome="upheld", summary="Refunded the duplicate debit.", root_cause="batch rerun"),
        AGENT,
    )


def token(complaint: Complaint) -> str:
    return tracking_token(complaint.id, KEY, T0 + TRACKING_LINK_LIFETIME)


def test_a_wrong_token_is_forbidden_and_says_the_same_for_unknown_ids(
    tracking: TrackingService, service: ComplaintService
) -> None:
    complaint = submit(service)
    with pytest.raises(Forbidden) as known:
        tracking.view(complaint.id, tracking_token("someone-else", KEY))
    with pytest.raises(Forbidden) as unknown:
        tracking.view("no-such-complaint", "whatever")
    with pytest.raises(Forbidden) as missing:
        tracking.view(complaint.id, None)
    assert known.value.message == unknown.value.message == missing.value.message == INVALID_LINK
    assert known.value.details == unknown.value.details == missing.value.details == []


def test_a_valid_token_for_a_complaint_that_does_not_exist_is_404(tracking: TrackingService) -> None:
    # Only the bank can sign a token; a signed id that is not stored is simply not found.
    with pytest.raises(NotFound):
        tracking.view("gone", tracking_token("gone", KEY, T0 + TRACKING_LINK_LIFETIME))


# --- expiry: a link opens while its complaint is open and 180 days after it ended -----------------------


def test_an_expired_link_still_opens_while_the_complaint_is_open(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service)
    short = tracking_token(complaint.id, KEY, T0 + timedelta(days=1))
    clock.advance(days=400)
    assert tracking.view(complaint.id, short).status is Status.RECEIVED
    service.resolve(
        complaint.id, ResolveRequest(outcome="upheld", summary="Refunded.", root_cause="batch rerun"), AGENT
    )
    assert tracking.view(complaint.id, short).can_reopen  # resolved: the customer may still act on it


@pytest.mark.parametrize("ending", ["close", "withdraw"])
def test_an_expired_link_opens_until_180_days_after_the_complaint_ended_then_is_a_wrong_link(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock, ending: str
) -> None:
    if ending == "close":  # the customer accepted the outcome through the link, then staff closed it
        complaint = resolved(service, clock)
        tracking.accept(complaint.id, token(complaint))
        service.close(complaint.id, CloseRequest(), AGENT)
    else:  # the customer withdrew it through the link
        complaint = submit(service)
        tracking.withdraw(complaint.id, token(complaint), CustomerWithdrawRequest())
    ended = clock.now
    expired = tracking_token(complaint.id, KEY, T0 + timedelta(days=1))
    fresh = tracking_token(complaint.id, KEY, ended + timedelta(days=300))
    legacy = tracking_token(complaint.id, LEGACY_SECRET)
    tracking_with_legacy = TrackingService(
        service, tracking._repository, FixedSecretProvider(SECRET, "t2", legacy=LEGACY_SECRET), clock=clock
    )
    clock.now = ended + TRACKING_LINK_LIFETIME - timedelta(seconds=1)
    assert tracking.view(complaint.id, expired).id == complaint.id
    assert tracking_with_legacy.view(complaint.id, legacy).id == complaint.id
    clock.now = ended + TRACKING_LINK_LIFETIME
    for link, service_ in ((expired, tracking), (legacy, tracking_with_legacy)):
        with pytest.raises(Forbidden) as caught:
            service_.view(complaint.id, link)
        assert caught.value.message == INVALID_LINK and caught.value.details == []
        with pytest.raises(Forbidden):
            service_.feedback(complaint.id, link, FeedbackRequest(rating=5))
    assert tracking.view(complaint.id, fresh).id == complaint.id  # its own expiry is still ahead


def test_an_expired_link_to_a_complaint_no_longer_stored_is_a_wrong_link(tracking: TrackingService) -> None:
    with pytest.raises(Forbidden):
        tracking.view("gone", tracking_token("gone", KEY, T0 - timedelta(seconds=1)))


def test_a_link_of_the_previous_key_opens_and_one_of_a_retired_key_does_not(
    service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    keys = FixedSecretProvider(SECRET, "t2", previous=PREVIOUS)
    tracking = TrackingService(service, repo, keys, clock=clock)
    assert tracking.view(complaint.id, tracking_token(complaint.id, PREVIOUS, T0 + timedelta(days=1))).id
    keys.previous = None  # the rotation window is over
    with pytest.raises(Forbidden):
        tracking.view(complaint.id, tracking_token(complaint.id, PREVIOUS, T0 + timedelta(days=1)))
    with pytest.raises(Forbidden):
        tracking.view(complaint.id, tracking_token(complaint.id, RETIRED, T0 + timedelta(days=1)))


def test_the_view_shows_status_deadlines_and_public_replies_only(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    view = tracking.view(complaint.id, token(complaint))
    assert view.reference == complaint.reference
    assert view.status is Status.RESOLVED
    assert view.status_label == {Language.ZH_CN: "已办结", Language.EN: "Resolved"}
    assert view.deadlines == complaint.deadlines
    assert view.time_zone == "Asia/Shanghai"  # the seed policy's clock
    assert [(e.kind, e.at) for e in view.timeline] == [
        (TimelineKind.RECEIVED, T0),
        (TimelineKind.RESPONSE, datetime(2026, 3, 2, 2, 0, tzinfo=UTC)),
        (TimelineKind.RESOLVED, datetime(2026, 3, 2, 4, 0, tzinfo=UTC)),
    ]
    assert view.timeline[1].message == "We are looking into it."
    shown = view.model_dump_json()
    # no internal note, no staff id, no contact details, no root cause
    for hidden in (
        "Wang Lei",
        "Note:",
        "agent-7",
        "counter-app",
        CUSTOMER_NAME,
        CUSTOMER_PHONE,
        CUSTOMER_EMAIL,
    ):
        assert hidden not in shown, hidden
    assert "batch rerun" not in shown
    assert view.can_give_feedback and view.can_reopen
    assert view.feedback is None and view.follow_up_due_at is None


def test_nothing_to_rate_or_reopen_before_resolution(
    tracking: TrackingService, service: ComplaintService
) -> None:
    complaint = submit(service)
    view = tracking.view(complaint.id, token(complaint))
    assert view.status is Status.RECEIVED
    assert not view.can_give_feedback and not view.can_reopen
    with pytest.raises(IllegalTransition):
        tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=5))
    with pytest.raises(IllegalTransition):
        tracking.reopen(complaint.id, token(complaint), CustomerReopenRequest(reason="no answer"))


def test_feedback_is_accepted_once_per_resolution(
    tracking: TrackingService,
    service: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
) -> None:
    complaint = resolved(service, clock)
    view = tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=5, comment="  quick  "))
    assert view.feedback is not None and view.feedback.rating == 5 and view.feedback.comment == "quick"
    assert not view.can_give_feedback
    stored = repo.get(complaint.id)
    assert [(f.rating, f.resolution_number, f.at) for f in stored.feedback] == [(5, 1, clock.now)]
    event = repo.events(complaint.id, 100, None).items[-1]
    assert event.action == Action.FEEDBACK.value
    assert event.actor.id == "customer"
    assert event.data == {"rating": 5, "lowRating": False}
    with pytest.raises(FeedbackAlreadyGiven):
        tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=1))
    assert len(repo.get(complaint.id).feedback) == 1


def test_a_complaint_reopened_and_resolved_again_may_be_rated_again(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=2))
    clock.advance(hours=1)
    reopened = tracking.reopen(complaint.id, token(complaint), CustomerReopenRequest(reason="Still charged"))
    assert reopened.status is Status.IN_PROGRESS
    assert not reopened.can_give_feedback and reopened.feedback is None
    clock.advance(hours=1)
    service.resolve(
        complaint.id,
        ResolveRequest(outcome="upheld", summary="Refunded again.", root_cause="second rerun"),
        AGENT,
    )
    assert tracking.view(complaint.id, token(complaint)).can_give_feedback
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=4))
    assert [(f.rating, f.resolution_number) for f in repo.get(complaint.id).feedback] == [(2, 1), (4, 2)]


def test_a_closed_complaint_may_still_be_rated_but_not_reopened(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    service.close(complaint.id, CloseRequest(received_via=ReceivedVia.LETTER, received_at=clock.now), AGENT)
    view = tracking.view(complaint.id, token(complaint))
    assert view.can_give_feedback and not view.can_reopen
    assert [e.kind for e in view.timeline][-1] is TimelineKind.CLOSED
    with pytest.raises(IllegalTransition):
        tracking.reopen(complaint.id, token(complaint), CustomerReopenRequest(reason="changed my mind"))
    assert tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=4)).feedback is not None


@pytest.mark.parametrize("rating", [1, 2, 3])
def test_a_rating_of_3_or_less_opens_a_follow_up_due_48_hours_later(
    tracking: TrackingService,
    service: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
    rating: int,
) -> None:
    complaint = resolved(service, clock)  # resolved at 04:00 UTC on 2 March
    clock.now = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    view = tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=rating))
    follow_up = repo.get(complaint.id).follow_up
    assert follow_up is not None
    assert follow_up.status is FollowUpStatus.OPEN
    assert follow_up.rating == rating
    assert follow_up.opened_at == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    # 48 calendar hours: 09:30 UTC on Thursday 5 March (17:30 in Shanghai)
    assert follow_up.due_at == datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    assert FOLLOW_UP_WINDOW.total_seconds() == 48 * 3600
    assert view.follow_up_due_at == datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("rating", [4, 5])
def test_a_rating_of_4_or_5_opens_no_follow_up(
    tracking: TrackingService,
    service: ComplaintService,
    repo: InMemoryComplaintRepository,
    clock: FakeClock,
    rating: int,
) -> None:
    complaint = resolved(service, clock)
    view = tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=rating))
    assert repo.get(complaint.id).follow_up is None
    assert view.follow_up_due_at is None


@pytest.mark.parametrize("rating", [0, 6, -1, "five", None])
def test_a_rating_outside_1_to_5_is_invalid(rating: Any) -> None:
    with pytest.raises(ValidationError):
        FeedbackRequest.model_validate({"rating": rating})


def test_a_supervisor_takes_a_follow_up_or_names_who_of_the_team_makes_the_call(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=2))
    assert repo.get(complaint.id).follow_up.assignee is None  # type: ignore[union-attr]  # the team's supervisors
    taken = tracking.assign_follow_up(complaint.id, FollowUpAssignment(), SUPERVISOR)
    assert taken.follow_up is not None and taken.follow_up.assignee == "sup-1"
    named = tracking.assign_follow_up(complaint.id, FollowUpAssignment(assignee="sup-2"), SUPERVISOR)
    assert named.follow_up is not None and named.follow_up.assignee == "sup-2"
    event = repo.events(complaint.id, 100, None).items[-1]
    assert (event.action, event.data) == ("assign_follow_up", {"assignee": "sup-2", "team": "intake"})
    back = tracking.assign_follow_up(complaint.id, FollowUpAssignment(assignee=None), SUPERVISOR)
    assert back.follow_up is not None and back.follow_up.assignee is None
    with pytest.raises(Forbidden):
        tracking.assign_follow_up(complaint.id, FollowUpAssignment(), AGENT)
    other_team = caller_from_claims({"cognito:groups": "[supervisor team:cards]", "username": "sup-9"})
    with pytest.raises(Forbidden):
        tracking.assign_follow_up(complaint.id, FollowUpAssignment(), other_team)
    tracking.complete_follow_up(
        complaint.id, FollowUpRequest(outcome=FollowUpOutcome.SATISFIED, notes="Called"), SUPERVISOR
    )
    with pytest.raises(IllegalTransition, match="no open follow-up"):
        tracking.assign_follow_up(complaint.id, FollowUpAssignment(), SUPERVISOR)


def test_a_supervisor_completes_the_follow_up(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=1, comment="Rude on the phone"))
    clock.advance(hours=20)
    request = FollowUpRequest(outcome=FollowUpOutcome.SATISFIED, notes="Apologised; refund confirmed")
    updated = tracking.complete_follow_up(complaint.id, request, SUPERVISOR)
    assert updated.follow_up is not None
    assert updated.follow_up.status is FollowUpStatus.COMPLETED
    assert updated.follow_up.completed_at == clock.now
    assert updated.follow_up.completed_by == "sup-1"
    assert updated.follow_up.outcome is FollowUpOutcome.SATISFIED
    assert updated.follow_up.notes == "Apologised; refund confirmed"
    event = repo.events(complaint.id, 100, None).items[-1]
    assert (event.action, event.actor.id, event.data) == (
        Action.FOLLOW_UP.value,
        "sup-1",
        {"outcome": "satisfied"},
    )
    # the customer's view no longer promises a call; notes stay with the staff
    view = tracking.view(complaint.id, token(complaint))
    assert view.follow_up_due_at is None
    assert "Apologised" not in view.model_dump_json()
    with pytest.raises(IllegalTransition, match="no open follow-up"):
        tracking.complete_follow_up(complaint.id, request, SUPERVISOR)


def test_a_follow_up_is_owed_by_the_team_the_complaint_is_with(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)  # never triaged: the intake queue's
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=3))
    follow_up = repo.get(complaint.id).follow_up
    assert follow_up is not None and follow_up.team == "intake" and follow_up.escalated_at is None


def test_a_still_dissatisfied_customer_has_the_complaint_reopened_from_the_follow_up(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)  # resolved at 04:00 UTC on 2 March
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=1))
    clock.now = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    request = FollowUpRequest(
        outcome=FollowUpOutcome.STILL_DISSATISFIED, notes="Refund still missing", reopen=True
    )
    updated = tracking.complete_follow_up(complaint.id, request, SUPERVISOR)
    assert updated.status is Status.IN_PROGRESS and updated.reopen_count == 1
    assert updated.reopened_at == datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    # the seed policy's reopen rule: 48 calendar hours from the reopen, 06:00 UTC on 5 March
    assert updated.deadlines.resolution_due_at == datetime(2026, 3, 5, 6, 0, tzinfo=UTC)
    assert updated.follow_up is not None and updated.follow_up.status is FollowUpStatus.COMPLETED
    assert updated.follow_up.outcome is FollowUpOutcome.STILL_DISSATISFIED
    events = repo.events(complaint.id, 100, None).items[-2:]
    assert [(e.action, e.actor.id, e.data) for e in events] == [
        ("complete_follow_up", "sup-1", {"outcome": "still_dissatisfied", "reopen": True}),
        ("reopen", "sup-1", {"reason": "Refund still missing"}),
    ]


def test_only_a_still_dissatisfied_outcome_reopens() -> None:
    with pytest.raises(ValidationError, match="reopen: only with outcome still_dissatisfied"):
        FollowUpRequest.model_validate({"outcome": "satisfied", "notes": "happy now", "reopen": True})
    assert not FollowUpRequest.model_validate({"outcome": "still_dissatisfied", "notes": "no"}).reopen


def test_a_closed_complaint_is_not_reopened_from_its_follow_up_and_nothing_is_recorded(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    service.close(complaint.id, CloseRequest(received_via=ReceivedVia.LETTER, received_at=clock.now), AGENT)
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=2))
    before = repo.get(complaint.id)
    request = FollowUpRequest(outcome=FollowUpOutcome.STILL_DISSATISFIED, notes="Still unhappy", reopen=True)
    with pytest.raises(IllegalTransition, match="cannot reopen a complaint that is closed"):
        tracking.complete_follow_up(complaint.id, request, SUPERVISOR)
    after = repo.get(complaint.id)
    assert after.version == before.version and after.follow_up == before.follow_up
    assert after.status is Status.CLOSED


def test_no_follow_up_to_complete_without_a_low_rating(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    request = FollowUpRequest(outcome=FollowUpOutcome.UNREACHABLE, notes="nobody answered")
    with pytest.raises(IllegalTransition):
        tracking.complete_follow_up(complaint.id, request, SUPERVISOR)


def test_a_second_low_rating_while_a_follow_up_is_open_keeps_its_deadline(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=2))
    first_due = repo.get(complaint.id).follow_up.due_at  # type: ignore[union-attr]
    tracking.reopen(complaint.id, token(complaint), CustomerReopenRequest(reason="not fixed"))
    clock.advance(hours=5)
    service.resolve(
        complaint.id, ResolveRequest(outcome="upheld", summary="Fixed.", root_cause="rerun"), AGENT
    )
    tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=1))
    follow_up = repo.get(complaint.id).follow_up
    assert follow_up is not None and follow_up.due_at == first_due and follow_up.rating == 2


def test_the_customer_reopens_a_resolved_complaint(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    view = tracking.reopen(complaint.id, token(complaint), CustomerReopenRequest(reason="Money not back yet"))
    assert view.status is Status.IN_PROGRESS and not view.can_reopen
    assert [e.kind for e in view.timeline][-1] is TimelineKind.REOPENED
    stored = repo.get(complaint.id)
    assert stored.reopen_count == 1 and stored.resolved_at is None
    event = repo.events(complaint.id, 100, None).items[-1]
    assert (event.action, event.actor.id, event.data) == (
        "reopen",
        "customer",
        {"reason": "Money not back yet"},
    )
    # the reason is for the staff; the customer's page shows the milestone only
    assert "Money not back yet" not in view.model_dump_json()
    with pytest.raises(IllegalTransition):
        tracking.reopen(complaint.id, token(complaint), CustomerReopenRequest(reason="again"))


def test_a_reopen_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        CustomerReopenRequest.model_validate({"reason": "   "})


def test_customer_changes_retry_over_a_concurrent_staff_change(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    real_update = repo.update
    calls = {"n": 0}

    def racing_update(updated: Complaint, event: Any, expected_version: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:  # a staff note lands between the customer's read and write
            service.respond(complaint.id, ResponseRequest(message="note", internal=True), AGENT)
        real_update(updated, event, expected_version)

    repo.update = racing_update  # type: ignore[method-assign]
    view = tracking.feedback(complaint.id, token(complaint), FeedbackRequest(rating=5))
    assert view.feedback is not None and len(repo.get(complaint.id).feedback) == 1


# --- the page -------------------------------------------------------------------------------------


def _page(
    tracking: TrackingService,
    complaint: Complaint,
    lang: str | None = None,
    form: tracking_page.Form | None = None,
    body: str | None = None,
    token_: str | None = None,
) -> tracking_page.PageAnswer:
    return tracking_page.answer(
        tracking, complaint.id, token(complaint) if token_ is None else token_, lang, form, body
    )


def test_the_page_is_small_mobile_friendly_and_self_contained(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    status, html = _page(tracking, complaint)
    assert status == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-CN">' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert 'id="status" data-status="resolved">已办结<' in html
    assert f'id="reference">{complaint.reference}<' in html
    # deadlines in the policy's zone, the zone named: received 09:00 Shanghai, due 24 h / 48 h later
    assert "2026-03-03 09:00 (UTC+08:00)" in html and "2026-03-04 09:00 (UTC+08:00)" in html
    assert "Asia/Shanghai" in html
    assert 'id="feedback-form"' in html and html.count('name="rating"') == 5
    assert 'id="reopen-form"' in html and 'name="reason"' in html
    # relative links: work at /t/{id} behind any stage prefix
    assert f'action="{complaint.id}/feedback?token={token(complaint)}"' in html
    assert len(html) < 20_000


def test_the_page_is_english_for_an_english_customer_or_when_asked(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    assert ">Resolved<" in _page(tracking, complaint, lang="en").html
    english = submit(
        service,
        customer={"customerId": "C-2", "name": "Jane Doe", "email": "jane@example.co.uk", "language": "en",
                  "preferredContact": ["email"]},
    )  # fmt: skip
    html = _page(tracking, english).html
    assert '<html lang="en">' in html and "Received — waiting to be handled" in html
    assert '<html lang="zh-CN">' in _page(tracking, english, lang="zh-CN").html


def test_the_page_escapes_customer_and_staff_text(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = submit(service, description='<script>alert("x")</script> & <b>bold</b>')
    service.respond(complaint.id, ResponseRequest(message="<img src=x onerror=alert(1)>"), AGENT)
    html = _page(tracking, complaint).html
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_wrong_token_gets_the_same_page_whatever_the_id(
    tracking: TrackingService, service: ComplaintService
) -> None:
    complaint = submit(service)
    known = tracking_page.answer(tracking, complaint.id, "wrong", None)
    unknown = tracking_page.answer(tracking, "no-such-id", "wrong", None)
    missing = tracking_page.answer(tracking, complaint.id, None, None)
    assert known == unknown == missing
    assert known.status == 403 and complaint.reference not in known.html


def test_the_feedback_form_post_answers_with_the_page_and_thanks(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    answer = _page(
        tracking, complaint, form=tracking_page.Form.FEEDBACK, body="rating=2&comment=%E5%A4%AA%E6%85%A2"
    )
    assert answer.status == 200
    assert 'id="feedback-thanks"' in answer.html and 'id="feedback-form"' not in answer.html
    assert "回访" in answer.html
    assert repo.get(complaint.id).feedback[0].comment == "太慢"
    # relative to /t/{id}/feedback the next form posts to its sibling
    assert f'action="reopen?token={token(complaint)}"' in answer.html
    again = _page(tracking, complaint, form=tracking_page.Form.FEEDBACK, body="rating=5")
    assert again.status == 409 and 'id="notice"' in again.html


def test_a_form_post_without_a_rating_says_what_to_fix(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    answer = _page(tracking, complaint, form=tracking_page.Form.FEEDBACK, body="comment=hi")
    assert answer.status == 400 and "请选择 1 至 5 分的评分" in answer.html
    assert repo.get(complaint.id).feedback == []


def test_the_reopen_form_post_reopens(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    answer = _page(tracking, complaint, lang="en", form=tracking_page.Form.REOPEN, body="reason=Not+refunded")
    assert answer.status == 200
    assert 'data-status="in_progress"' in answer.html and "has been reopened" in answer.html
    empty = _page(tracking, complaint, form=tracking_page.Form.REOPEN, body="reason=")
    assert empty.status == 400


def test_a_form_post_with_a_wrong_token_changes_nothing(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)
    answer = _page(tracking, complaint, form=tracking_page.Form.FEEDBACK, body="rating=1", token_="nope")
    assert answer.status == 403
    assert repo.get(complaint.id).feedback == []


HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
HOSTILE_ESCAPED = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


def test_hostile_customer_text_is_escaped_by_the_template_engine(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    """The description, a comment and a reopen reason: whatever the customer typed is shown as text."""
    complaint = resolved(
        service,
        clock,
        description=HOSTILE,
        customer={"customerId": "C-3", "name": HOSTILE, "phone": CUSTOMER_PHONE, "preferredContact": ["sms"]},
    )
    rated = _page(
        tracking,
        complaint,
        form=tracking_page.Form.FEEDBACK,
        body=urlencode({"rating": "2", "comment": HOSTILE}),
    )
    reopened = _page(tracking, complaint, form=tracking_page.Form.REOPEN, body=urlencode({"reason": HOSTILE}))
    assert rated.status == 200 and reopened.status == 200
    for html in (rated.html, reopened.html, _page(tracking, complaint, lang="en").html):
        assert (
            "<img" not in html
            and "<script" not in html
            and "onerror" not in html.replace(HOSTILE_ESCAPED, "")
        )
        assert HOSTILE_ESCAPED in html


# --- the page: waiting on the customer, accepting, withdrawing (issue 12) -------------------------------


def paused_for(
    service: ComplaintService, clock: FakeClock, needed: str = "Your statement of February"
) -> Complaint:
    """Answered at T0 + 1 h, paused at T0 + 2 h for the seed's 10 days: until 12 March 11:00 Shanghai."""
    complaint = submit(service)
    clock.advance(hours=1)
    service.respond(complaint.id, ResponseRequest(message="We are looking into it."), AGENT)
    clock.advance(hours=1)
    return service.pause(complaint.id, PauseRequest(reason="need the statement", needed=needed), AGENT)


def test_while_the_bank_waits_the_page_says_what_is_needed_by_when_and_takes_the_answer(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = paused_for(service, clock)
    status, html = _page(tracking, complaint, lang="en")
    assert status == 200 and 'id="reply-form"' in html and 'name="message"' in html
    assert 'id="information-needed" class="text">Your statement of February<' in html
    assert "2026-03-12 11:00 (UTC+08:00)" in html  # reply by, in the policy's zone
    assert 'id="feedback-form"' not in html and 'id="accept-form"' not in html
    assert 'id="withdraw-form"' in html  # an open complaint may be withdrawn

    empty = _page(tracking, complaint, form=tracking_page.Form.REPLY, body="message=")
    assert empty.status == 400 and "请填写回复内容" in empty.html
    assert repo.get(complaint.id).status is Status.AWAITING_CUSTOMER

    clock.advance(hours=5)
    answered = _page(
        tracking, complaint, lang="en", form=tracking_page.Form.REPLY, body="message=Sent+by+post"
    )
    assert answered.status == 200 and 'data-status="in_progress"' in answered.html
    assert "Thank you for your answer" in answered.html and 'id="reply-form"' not in answered.html
    assert repo.get(complaint.id).paused_seconds == 5 * 3600


def test_the_customer_accepts_the_outcome_on_the_page(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = resolved(service, clock)  # resolved T0 + 3 h: 2 March 12:00 in Shanghai
    _, html = _page(tracking, complaint, lang="en")
    assert 'id="accept-form"' in html and 'id="withdraw-form"' not in html
    # it closes by itself at the end of 9 March in Shanghai unless disputed
    assert 'id="closes-at"' in html and "2026-03-09 23:59 (UTC+08:00)" in html
    answer = _page(tracking, complaint, lang="en", form=tracking_page.Form.ACCEPT)
    assert answer.status == 200 and "Thank you for accepting the outcome." in answer.html
    assert 'id="accept-form"' not in answer.html and 'id="accepted-on"' in answer.html
    assert repo.get(complaint.id).customer_acceptance is not None
    again = _page(tracking, complaint, form=tracking_page.Form.ACCEPT)
    assert again.status == 409 and 'id="notice"' in again.html


def test_withdrawing_on_the_page_needs_the_box_ticked(
    tracking: TrackingService, service: ComplaintService, repo: InMemoryComplaintRepository, clock: FakeClock
) -> None:
    complaint = submit(service)
    unconfirmed = _page(tracking, complaint, form=tracking_page.Form.WITHDRAW, body="reason=changed+my+mind")
    assert unconfirmed.status == 400 and "请勾选确认" in unconfirmed.html
    assert repo.get(complaint.id).status is Status.RECEIVED
    withdrawn = _page(
        tracking, complaint, form=tracking_page.Form.WITHDRAW, body="reason=changed+my+mind&confirm=yes"
    )
    assert withdrawn.status == 200 and 'data-status="withdrawn"' in withdrawn.html
    assert 'id="withdraw-form"' not in withdrawn.html
    stored = repo.get(complaint.id)
    assert stored.withdrawal is not None and stored.withdrawal.received_via is ReceivedVia.TRACKING_LINK


def test_what_is_needed_and_the_customers_answer_are_escaped(
    tracking: TrackingService, service: ComplaintService, clock: FakeClock
) -> None:
    complaint = paused_for(service, clock, needed=HOSTILE)
    asked = _page(tracking, complaint)
    answered = _page(tracking, complaint, form=tracking_page.Form.REPLY, body=urlencode({"message": HOSTILE}))
    assert answered.status == 200
    for html in (asked.html, answered.html):
        assert "<img" not in html and "<script" not in html
        assert HOSTILE_ESCAPED in html
