"""The follow-ups (回访) to call: the list a supervisor works from (GET /v1/follow-ups).

A follow-up is owed by the team the complaint was with when the low rating opened it
(`followUp.team`); any supervisor of that team takes it (docs/decisions.md, "Feedback and follow-up").
Supervisors list their teams' follow-ups, managers every team's; `team` narrows either to one team
(another team's, for a supervisor: 403), `assignee` to those one person is to make (`me`: the caller's)."""

from __future__ import annotations

from typing import Protocol

from complaints.core import access
from complaints.core.auth import Caller, Permission
from complaints.core.errors import Forbidden
from complaints.core.models import Complaint, FollowUpStatus
from complaints.core.paging import Page

# `assignee=me`: the follow-ups the caller is to make.
ME = "me"


class FollowUpStore(Protocol):
    def list_follow_ups(
        self,
        status: FollowUpStatus,
        teams: frozenset[str] | None,
        assignee: str | None,
        limit: int,
        next_token: str | None,
    ) -> Page[Complaint]: ...


class FollowUps:
    def __init__(self, store: FollowUpStore) -> None:
        self._store = store

    def list(
        self,
        status: FollowUpStatus,
        team: str | None,
        limit: int,
        next_token: str | None,
        caller: Caller,
        assignee: str | None = None,
    ) -> Page[Complaint]:
        caller.require(Permission.REVIEW)
        scope = access.list_scope(caller)
        if team is not None and scope is not None and team not in scope:
            raise Forbidden(
                f"supervisors list the follow-ups of their own teams (yours: "
                f"{', '.join(sorted(scope)) or 'none'}), not team {team}'s"
            )
        teams = frozenset({team}) if team is not None else scope
        if teams is not None and not teams:
            raise Forbidden("supervisors list the follow-ups of their own teams, and you belong to none")
        mine = caller.id if assignee == ME else assignee
        return self._store.list_follow_ups(status, teams, mine, limit, next_token)
