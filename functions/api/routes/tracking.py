"""The customer's tracking link (JSON under /v1/track, the HTML page under /t) and the follow-up (回访)
of a low rating. The link's token is the credential: these routes take no Cognito token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from resolver import (
    HTML_PAGE,
    PUBLIC,
    ComplaintId,
    IfMatch,
    LazyModule,
    LinkedComplaintId,
    PageLanguage,
    TrackingToken,
    caller,
    page_response,
    public_responses,
    responses,
    with_version,
)

from complaints.composition import api as composition
from complaints.core.auth import Permission
from complaints.core.models import (
    Complaint,
    FollowUpStatus,
)
from complaints.core.paging import MAX_PAGE_SIZE, Page

# Named by the signatures only, read when a route first serves (resolver.LazyModule): an intake's cold
# start does not load the tracking service.
if TYPE_CHECKING:
    from complaints.tracking import service as tracking_models
else:
    tracking_models = LazyModule("complaints.tracking.service")

router = Router()  # type: ignore[no-untyped-call]
tracking = composition.tracking_service


@router.get(
    "/v1/track/<complaint_id>",
    summary="The complaint as its customer sees it",
    tags=["tracking"],
    responses=public_responses(404),
    security=PUBLIC,
)
def track(complaint_id: ComplaintId, token: TrackingToken = None) -> tracking_models.TrackingView:
    return tracking().view(complaint_id, token)


@router.post(
    "/v1/track/<complaint_id>/feedback",
    summary="Rate the resolution (once per resolution); 3 or less opens a follow-up",
    tags=["tracking"],
    responses=public_responses(404, 409),
    security=PUBLIC,
)
def give_feedback(
    complaint_id: ComplaintId,
    body: Annotated[tracking_models.FeedbackRequest, Body()],
    token: TrackingToken = None,
) -> tracking_models.TrackingView:
    return tracking().feedback(complaint_id, token, body)


@router.post(
    "/v1/track/<complaint_id>/reopen",
    summary="The customer disputes the resolution and reopens the complaint",
    tags=["tracking"],
    responses=public_responses(404, 409),
    security=PUBLIC,
)
def customer_reopen(
    complaint_id: ComplaintId,
    body: Annotated[tracking_models.CustomerReopenRequest, Body()],
    token: TrackingToken = None,
) -> tracking_models.TrackingView:
    return tracking().reopen(complaint_id, token, body)


@router.post(
    "/v1/track/<complaint_id>/reply",
    summary="The customer answers while the bank waits on them (the clock restarts)",
    description="`message`, and the ids of files attached first (POST /v1/track/{id}/attachments). "
    "Only while the complaint awaits the customer (409 otherwise).",
    tags=["tracking"],
    responses=public_responses(404, 409),
    security=PUBLIC,
)
def customer_reply(
    complaint_id: ComplaintId,
    body: Annotated[tracking_models.CustomerReplyRequest, Body()],
    token: TrackingToken = None,
) -> tracking_models.TrackingView:
    return tracking().reply(complaint_id, token, body)


@router.post(
    "/v1/track/<complaint_id>/accept",
    summary="The customer accepts the outcome (staff may then close the complaint)",
    tags=["tracking"],
    responses=public_responses(404, 409),
    security=PUBLIC,
)
def customer_accept(complaint_id: ComplaintId, token: TrackingToken = None) -> tracking_models.TrackingView:
    return tracking().accept(complaint_id, token)


@router.post(
    "/v1/track/<complaint_id>/withdraw",
    summary="The customer withdraws the complaint",
    tags=["tracking"],
    responses=public_responses(404, 409),
    security=PUBLIC,
)
def customer_withdraw(
    complaint_id: ComplaintId,
    body: Annotated[tracking_models.CustomerWithdrawRequest, Body()],
    token: TrackingToken = None,
) -> tracking_models.TrackingView:
    return tracking().withdraw(complaint_id, token, body)


@router.get(
    "/t/<complaint_id>",
    summary="The tracking page behind the link in every message (HTML, zh-CN or en)",
    tags=["tracking"],
    responses=HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_view(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang)


@router.post(
    "/t/<complaint_id>/feedback",
    summary="The page's rating form (form post: rating, comment); answers with the page",
    tags=["tracking"],
    responses=HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_feedback(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="feedback")


@router.post(
    "/t/<complaint_id>/reopen",
    summary="The page's reopen form (form post: reason); answers with the page",
    tags=["tracking"],
    responses=HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_reopen(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="reopen")


@router.post(
    "/t/<complaint_id>/accept",
    summary="The page's form to accept the outcome (form post); answers with the page",
    tags=["tracking"],
    responses=HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_accept(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="accept")


@router.post(
    "/t/<complaint_id>/reply",
    summary="The page's answer form while the bank waits (form post: message); answers with the page",
    tags=["tracking"],
    responses=HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_reply(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="reply")


@router.post(
    "/t/<complaint_id>/withdraw",
    summary="The page's withdrawal form (form post: confirm=yes, reason); answers with the page",
    tags=["tracking"],
    responses=HTML_PAGE,
    security=PUBLIC,
)
def tracking_page_withdraw(
    complaint_id: LinkedComplaintId, token: TrackingToken = None, lang: PageLanguage = None
) -> Response[str]:
    return _tracking_page(complaint_id, token, lang, form="withdraw")


# The tracking page's module is imported by the page routes only: the API's other routes never pay for it.


def _tracking_page(
    complaint_id: str, token: str | None, lang: str | None, form: str | None = None
) -> Response[str]:
    """The page (`form` None) or the answer to one of its form posts (tracking/page.py's `Form`)."""
    from complaints.tracking import page as tracking_page

    posted = tracking_page.Form(form) if form else None
    body = router.current_event.decoded_body if posted else None
    return page_response(tracking_page.answer(tracking(), complaint_id, token, lang, posted, body))


@router.post(
    "/v1/complaints/<complaint_id>/follow-up",
    summary="Complete the follow-up (回访) of a low rating (supervisor, manager)",
    description=(
        "Supervisors and managers, on the complaints of their teams. With outcome `still_dissatisfied` "
        "and `reopen: true` a resolved complaint is reopened as well (the notes are the reason; 409 when "
        "it is not resolved, and nothing is recorded)."
    ),
    tags=["satisfaction"],
    responses=responses(404, 409),
)
def complete_follow_up(
    complaint_id: ComplaintId,
    body: Annotated[tracking_models.FollowUpRequest, Body()],
    if_match: IfMatch = None,
) -> Complaint:
    return tracking().complete_follow_up(
        complaint_id, with_version(body, if_match), caller(Permission.REVIEW)
    )


@router.post(
    "/v1/complaints/<complaint_id>/follow-up/assignee",
    summary="Take an open follow-up (回访), or name who of the team makes the call (supervisor, manager)",
    description=(
        "Supervisors and managers, on the complaints of their teams. `assignee` left out: the caller "
        "takes it; a user name: that supervisor is to call (they are told: the supervisor topic, "
        "attribute `assignee`); null: back to the team's supervisors. 409 when no follow-up is open."
    ),
    tags=["satisfaction"],
    responses=responses(404, 409),
)
def assign_follow_up(
    complaint_id: ComplaintId,
    body: Annotated[tracking_models.FollowUpAssignment, Body()],
    if_match: IfMatch = None,
) -> Complaint:
    return tracking().assign_follow_up(complaint_id, with_version(body, if_match), caller(Permission.REVIEW))


@router.get(
    "/v1/follow-ups",
    summary="The follow-ups (回访) to call, soonest due first (supervisor, manager)",
    description=(
        "The complaints whose follow-up has `status` (`open` by default): supervisors see their teams' "
        "(a follow-up is owed by the team the complaint was with when it opened), managers every "
        "team's; `team` narrows to one team (another team's, for a supervisor: 403); `assignee` to "
        "the follow-ups one person is to make (`me`: the caller's)."
    ),
    tags=["satisfaction"],
    responses=responses(),
)
def list_follow_ups(
    status: Annotated[FollowUpStatus, Query()] = FollowUpStatus.OPEN,
    team: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[Complaint]:
    staff = caller(Permission.REVIEW)
    return composition.follow_ups().list(status, team, limit, next_token, staff, assignee=assignee)
