"""Teams: each team's roster — who is on it and on duty — that triage assigns new complaints from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from resolver import LazyModule, caller, responses

from complaints.composition import api as composition
from complaints.core.auth import Permission

# Named by the signatures only, read when a route first serves (resolver.LazyModule): not at cold start.
if TYPE_CHECKING:
    from complaints.teams import roster
else:
    roster = LazyModule("complaints.teams.roster")

router = Router()  # type: ignore[no-untyped-call]
Team = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[\w.@:-]+$")]


@router.get(
    "/v1/teams/<team>/members",
    summary="A team's roster (its members)",
    description="Staff of the team, and managers and compliance. Version 0 and no members: none kept yet.",
    tags=["teams"],
    responses=responses(),
)
def read_roster(team: Team) -> roster.Roster:
    return composition.rosters().read(team, caller(Permission.READ))


@router.put(
    "/v1/teams/<team>/members",
    summary="Replace a team's roster (supervisors of the team, managers)",
    description="`members`: `[{id, onDuty}]`, each once. Triage gives a complaint routed to the team to "
    "the on-duty member with the fewest open complaints. `version`: the version read (0 for a team "
    "with no roster yet); a stale one is a 409.",
    tags=["teams"],
    responses=responses(409),
)
def replace_roster(team: Team, body: Annotated[roster.RosterRequest, Body()]) -> roster.Roster:
    return composition.rosters().replace(team, body, caller(Permission.REVIEW))
