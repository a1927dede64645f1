"""A team's roster: its members and who of them is on duty. Triage gives a complaint routed to the team
to the on-duty member with the fewest open complaints (`pick_assignee`); a supervisor of the team (or a
manager) keeps the roster (`PUT /v1/teams/{team}/members`), every member of the team may read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, Self

from pydantic import Field, model_validator

from complaints.core import access
from complaints.core.auth import Caller, Permission
from complaints.core.clock import Clock, utc_now
from complaints.core.errors import Forbidden, VersionConflict
from complaints.core.models import ApiModel, Identifier, UtcDatetime


class RosterMember(ApiModel):
    id: Identifier = Field(description="the member's user name (their Cognito username)")
    on_duty: bool = Field(default=True, description="takes new complaints now")


class Roster(ApiModel):
    team: Identifier
    members: list[RosterMember] = Field(default_factory=list)
    updated_at: UtcDatetime | None = None
    updated_by: str | None = None
    version: int = Field(default=0, ge=0, description="0: no roster kept yet")


class RosterRequest(ApiModel):
    members: list[RosterMember] = Field(max_length=200)
    version: int | None = Field(default=None, ge=0, description="the version you read (0: none yet)")

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        seen = [member.id for member in self.members]
        twice = sorted({member for member in seen if seen.count(member) > 1})
        if twice:
            raise ValueError(f"members: listed more than once: {', '.join(twice)}")
        return self


class RosterStore(Protocol):
    def get_roster(self, team: str) -> Roster:
        """The team's roster (version 0 and no members when none is kept)."""

    def put_roster(self, roster: Roster, expected_version: int) -> None:
        """Raises VersionConflict when the stored roster is not at `expected_version`."""


class Rosters:
    def __init__(self, store: RosterStore, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    def read(self, team: str, caller: Caller) -> Roster:
        if not access.reads_bank_wide(caller) and team not in caller.teams:
            raise Forbidden(f"you read the rosters of your own teams, not team {team}'s")
        return self._store.get_roster(team)

    def replace(self, team: str, request: RosterRequest, caller: Caller) -> Roster:
        """The supervisors of the team and the managers keep its roster; a stale version is a 409."""
        caller.require(Permission.REVIEW)
        if not access.reads_bank_wide(caller) and team not in caller.teams:
            raise Forbidden(f"you keep the rosters of your own teams, not team {team}'s")
        current = self._store.get_roster(team)
        if request.version is not None and request.version != current.version:
            raise VersionConflict(
                f"the roster is at version {current.version}, not {request.version}: read it again",
                [{"field": "version", "message": f"current version is {current.version}"}],
            )
        roster = Roster(
            team=team,
            members=request.members,
            updated_at=self._clock(),
            updated_by=caller.id,
            version=current.version + 1,
        )
        self._store.put_roster(roster, expected_version=current.version)
        return roster


def pick_assignee(roster: Roster, open_complaints: Callable[[str], int]) -> str | None:
    """The on-duty member with the fewest open complaints (the roster's order breaks a tie); None when
    nobody is on duty."""
    on_duty = [member.id for member in roster.members if member.on_duty]
    if not on_duty:
        return None
    loads = {member: open_complaints(member) for member in on_duty}
    return min(on_duty, key=lambda member: (loads[member], on_duty.index(member)))
