"""What the bank decides about what triage read: when a complaint is sensitive (the special path), which
team a complaint goes to (the routing table), who is a priority customer (the priority lane) and when
two complaints of one customer are the same matter. The numbers and tables are the bank's: cdk.json
`triage`, validated at synth (an unknown team or field fails there) and at cold start (`TRIAGE`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from complaints.core.models import (
    Category,
    Channel,
    ChurnRisk,
    Identifier,
    Product,
    RiskFlag,
    Segment,
    SentimentLabel,
)

_CHURN_ORDER = (ChurnRisk.LOW, ChurnRisk.MEDIUM, ChurnRisk.HIGH)


class RoutingRule(BaseModel):
    """One row of the routing table: every condition given must hold; the first row that matches wins."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    team: Identifier
    category: Category | None = None
    product: Product | None = None
    channel: Channel | None = None
    segment: Segment | None = None
    flag: RiskFlag | None = None

    def matches(
        self,
        category: Category,
        product: Product,
        channel: Channel | None,
        segment: Segment | None,
        flags: Collection[RiskFlag],
    ) -> bool:
        return (
            (self.category is None or self.category is category)
            and (self.product is None or self.product is product)
            and (self.channel is None or self.channel is channel)
            and (self.segment is None or self.segment is segment)
            and (self.flag is None or self.flag in flags)
        )


class SensitiveRule(BaseModel):
    """When a complaint goes on the special path (priority critical, supervisor and compliance told)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    # Any of these flags makes it sensitive.
    flags: tuple[RiskFlag, ...] = (RiskFlag.REGULATOR, RiskFlag.LITIGATION, RiskFlag.MEDIA, RiskFlag.FRAUD)
    # Negative sentiment with a churn risk at least this (None: sentiment never makes it sensitive).
    negative_with_churn: ChurnRisk | None = ChurnRisk.HIGH
    # A vulnerable customer (the `vulnerable` flag, or the customer's segment).
    vulnerable: bool = True

    def holds(
        self,
        flags: Collection[RiskFlag],
        sentiment: SentimentLabel,
        churn: ChurnRisk,
        segment: Segment | None,
    ) -> bool:
        if any(flag in flags for flag in self.flags):
            return True
        if self.vulnerable and (RiskFlag.VULNERABLE in flags or segment is Segment.VULNERABLE):
            return True
        threshold = self.negative_with_churn
        return (
            threshold is not None
            and sentiment is SentimentLabel.NEGATIVE
            and _CHURN_ORDER.index(churn) >= _CHURN_ORDER.index(threshold)
        )


class TriageRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    sensitive: SensitiveRule = SensitiveRule()
    # The bank's teams: every team a rule names must be one of them.
    teams: tuple[Identifier, ...] = ()
    routing: tuple[RoutingRule, ...] = ()
    # Priority customers (the priority lane): these segments go to `priority_team`, priority high at least.
    priority_segments: tuple[Segment, ...] = (Segment.PRIVATE,)
    priority_team: Identifier | None = None
    # The same matter: a complaint of the same customer within `link_days` whose description is at
    # least this alike is linked to it.
    link_days: int = Field(default=30, ge=1, le=365)
    link_similarity: float = Field(default=0.5, gt=0, le=1)
    # `repeat`: the customer's `repeat_count`-th complaint within `repeat_days`.
    repeat_days: int = Field(default=90, ge=1, le=365)
    repeat_count: int = Field(default=3, ge=2, le=20)

    @model_validator(mode="after")
    def _teams_are_known(self) -> Self:
        named = [rule.team for rule in self.routing] + ([self.priority_team] if self.priority_team else [])
        unknown = sorted({team for team in named if team not in self.teams})
        if unknown:
            raise ValueError(
                f"routing names teams that are not in `teams`: {', '.join(unknown)} "
                f"(teams: {', '.join(self.teams) or 'none'})"
            )
        return self

    def route(
        self,
        category: Category,
        product: Product,
        channel: Channel | None,
        segment: Segment | None,
        flags: Collection[RiskFlag],
    ) -> str | None:
        """The team the complaint goes to: the priority lane's for a priority customer, else the first
        routing row that matches; None when no row does (the unassigned queue)."""
        if segment in self.priority_segments and self.priority_team is not None:
            return self.priority_team
        for rule in self.routing:
            if rule.matches(category, product, channel, segment, flags):
                return rule.team
        return None
