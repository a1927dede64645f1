"""Triage: every new complaint read within seconds of intake, off the intake path (docs/architecture.md
§2, "Triage").

The `ComplaintReceived` event reaches the triage function through its queue; `TriageService.triage`
reads the complaint (the model: complaints/triage/analysis.py), looks at the customer's recent
complaints (the `repeat` flag, and the same matter from another channel), applies the bank's rules
(complaints/triage/rules.py) and records it all as one audited change by the actor `triage`:
- the `triage` object (category, product, sentiment, churn risk, risk flags, sensitive, suggested team,
  model, time);
- the category and product the channel app left out (`unclassified`), marked `inferred` in the trail;
  what it gave is never overwritten;
- a sensitive complaint goes on the special path: priority `critical` with its (earlier) deadlines,
  escalated to level 1 at least, the supervisor and compliance told, `ComplaintFlagged` announced; a
  priority customer's complaint is `high` at least;
- the suggested team, when nobody has given it one (a manual PATCH wins), and, when nobody is assigned,
  the on-duty member of that team's roster with the fewest open complaints (complaints/teams);
- links to the same customer's complaints about the same matter within 30 days — the same customer id,
  or the same phone or e-mail under another id (a counter that did not find the hotline's customer) —
  both ways, never a merge: each keeps its own clock; the new one takes the earlier one's assignee
  and team, and the customer is told once that they are handled together.
Deadlines only ever move earlier here: an extension is staff's (the extend permission).

Redelivered, it records nothing twice: a complaint already read keeps its reading, and only a missing
back-link is written again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, Protocol

from complaints.core.auth import TRIAGE
from complaints.core.clock import Clock, utc_now
from complaints.core.models import (
    Category,
    Channel,
    ChurnRisk,
    Complaint,
    ComplaintLink,
    Language,
    Priority,
    Product,
    RiskFlag,
    Segment,
    SentimentLabel,
    Status,
    Triage,
    TriageSentiment,
)
from complaints.core.paging import MAX_PAGE_SIZE
from complaints.intake.lifecycle import Action
from complaints.intake.ports import ComplaintQuery, ComplaintRepository
from complaints.intake.service import ComplaintService, tightened
from complaints.sla.escalation import intake_level
from complaints.teams.roster import Roster, pick_assignee
from complaints.triage.analysis import TextAnalysis, analyse
from complaints.triage.requests import PreviewCustomer, TriagePreviewRequest
from complaints.triage.rules import TriageRules
from complaints.triage.similarity import similarity

# The customer's complaints looked at, newest first (a customer with more has the oldest left out).
HISTORY_PAGES = 4
# The same matter is linked to at most this many of the customer's earlier complaints, the most alike:
# one is the rule; a customer who wrote the same thing through several channels may have a few.
MAX_LINKS = 3


class Workloads(Protocol):
    """The teams' rosters, and how many open complaints a member holds (adapters/dynamodb/rosters)."""

    def get_roster(self, team: str) -> Roster: ...

    def open_complaints(self, assignee: str) -> int: ...


class TriageService:
    def __init__(
        self,
        complaints: ComplaintService,
        repository: ComplaintRepository,
        rules: TriageRules,
        analyser: Callable[..., TextAnalysis] = analyse,
        clock: Clock = utc_now,
        workloads: Workloads | None = None,
    ) -> None:
        self._complaints = complaints
        self._repository = repository
        self._rules = rules
        self._analyse = analyser
        self._clock = clock
        self._workloads = workloads

    # --- the event-driven step ----------------------------------------------------------------------

    def triage(self, complaint_id: str) -> Complaint:
        """Read a new complaint and act on it; a complaint already read is left as it is, but for the
        back-links its reading made (written again when a delivery failed between the two writes)."""
        complaint = self._complaints.get(complaint_id)
        if complaint.triage is None:
            complaint = self._record(complaint)
        for link in complaint.links:
            self._link_back(link.complaint_id, complaint, link.similarity)
        return complaint

    def preview(self, request: TriagePreviewRequest) -> Triage:
        """The same reading, of a text no one stored: nothing is written."""
        customer = request.customer or PreviewCustomer()
        history = self._history(customer.customer_id, None) if customer.customer_id else []
        reading, _ = self._read(
            request.description,
            request.language,
            request.channel,
            customer.segment,
            request.category,
            request.product,
            history,
        )
        return reading

    # --- reading ------------------------------------------------------------------------------------

    def _read(
        self,
        description: str,
        language: Language | None,
        channel: Channel | None,
        segment: Segment | None,
        category: Category | None,
        product: Product | None,
        history: list[Complaint],
    ) -> tuple[Triage, TextAnalysis]:
        analysis = self._analyse(description, language.value if language else None)
        flags = {RiskFlag(flag) for flag in analysis.risk_flags}
        if segment is Segment.VULNERABLE:
            flags.add(RiskFlag.VULNERABLE)
        since = self._clock() - timedelta(days=self._rules.repeat_days)
        if sum(1 for earlier in history if earlier.received_at >= since) >= self._rules.repeat_count - 1:
            flags.add(RiskFlag.REPEAT)
        sentiment = SentimentLabel(analysis.sentiment.label)
        churn = ChurnRisk(analysis.churn_risk)
        ordered = [flag for flag in RiskFlag if flag in flags]
        category = category or Category(analysis.category)
        product = product or Product(analysis.product)
        reading = Triage(
            category=category,
            product=product,
            sentiment=TriageSentiment(label=sentiment, score=analysis.sentiment.score),
            churn_risk=churn,
            risk_flags=ordered,
            sensitive=self._rules.sensitive.holds(flags, sentiment, churn, segment),
            suggested_team=self._rules.route(category, product, channel, segment, flags),
            model=analysis.model,
            at=self._clock(),
        )
        return reading, analysis

    def _history(self, customer_id: str | None, exclude: str | None) -> list[Complaint]:
        """The customer's complaints, newest first (not `exclude`, the one being read)."""
        if not customer_id:
            return []
        return [complaint for complaint in self._customer_complaints(customer_id) if complaint.id != exclude]

    def _customer_complaints(self, customer_id: str) -> Iterator[Complaint]:
        query = ComplaintQuery(customer_id=customer_id, limit=MAX_PAGE_SIZE)
        for _ in range(HISTORY_PAGES):
            page = self._repository.list(query)
            yield from page.items
            if page.next_token is None:
                return
            query = query.model_copy(update={"next_token": page.next_token})

    # --- recording ----------------------------------------------------------------------------------

    def _record(self, complaint: Complaint) -> Complaint:
        history = self._history(complaint.customer.customer_id, complaint.id)
        earlier = [item for item in history if item.received_at <= complaint.received_at]
        given_category = None if "category" in complaint.unclassified else complaint.category
        given_product = None if "product" in complaint.unclassified else complaint.product
        reading, _ = self._read(
            complaint.description,
            None,  # read from the text: a customer may write in another language than they read
            complaint.channel,
            complaint.customer.segment,
            given_category,
            given_product,
            earlier,
        )
        since = complaint.received_at - timedelta(days=self._rules.link_days)
        known = {other.id for other in earlier}
        by_contact = [
            other
            for other in self._repository.same_contact_since(complaint, since)
            if other.id not in known and other.received_at <= complaint.received_at
        ]
        links = self._same_matter(complaint, earlier + by_contact)
        owners = _assigned(history + by_contact)
        linked_owner = next(
            (owners[link.complaint_id] for link in links if link.complaint_id in owners), None
        )
        team = complaint.team or reading.suggested_team
        member = None
        if linked_owner is None and complaint.assignee is None and team and self._workloads is not None:
            member = pick_assignee(self._workloads.get_roster(team), self._workloads.open_complaints)
        data: dict[str, Any] = {
            "reference": complaint.reference,
            "inferred": list(complaint.unclassified),
            "riskFlags": [flag.value for flag in reading.risk_flags],
            "sensitive": reading.sensitive,
            "model": reading.model,
        }
        if links:
            data["linked"] = [
                {"complaintId": link.complaint_id, "reference": link.reference} for link in links
            ]

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            if current.triage is not None:
                return {}  # read meanwhile by another delivery: its reading stands
            changes: dict[str, Any] = {"triage": reading, "links": _merged(current.links, links)}
            target_class: dict[str, Any] = {}
            if "category" in current.unclassified:
                changes["category"] = reading.category
            if "product" in current.unclassified:
                target_class["product"] = reading.product
            priority = current.priority
            if reading.sensitive:
                priority = Priority.CRITICAL
                changes["escalation_level"] = max(current.escalation_level, intake_level(Priority.CRITICAL))
            elif current.customer.segment in self._rules.priority_segments and priority is Priority.NORMAL:
                priority = Priority.HIGH
            if priority is not current.priority:
                target_class["priority"] = priority
            if target_class:
                target = current.model_copy(update=target_class)
                changes |= target_class | {"deadlines": tightened(current, target)}
            if linked_owner is not None and current.assignee is None:
                # The same matter: the one who handles the earlier complaint handles this one.
                changes |= {"assignee": linked_owner.assignee, "team": linked_owner.team or current.team}
            else:
                if current.team is None and reading.suggested_team is not None:
                    changes["team"] = reading.suggested_team
                if (
                    member is not None
                    and current.assignee is None
                    and changes.get("team", current.team) == team
                ):
                    changes["assignee"] = member
                    data["assignedFromRoster"] = member
            data["team"] = changes.get("team", current.team)
            return changes

        return self._complaints.change(complaint.id, Action.TRIAGE, TRIAGE, None, mutate, data=data)

    def _same_matter(self, complaint: Complaint, earlier: list[Complaint]) -> list[ComplaintLink]:
        """The customer's complaints of the last `link_days` about the same matter, most alike first."""
        since = complaint.received_at - timedelta(days=self._rules.link_days)
        found = []
        for other in earlier:
            # Handled together only while both are being handled: not one closed or withdrawn.
            if other.received_at < since or other.status in (Status.CLOSED, Status.WITHDRAWN):
                continue
            alike = similarity(complaint.description, other.description)
            if alike >= self._rules.link_similarity:
                found.append(
                    ComplaintLink(
                        complaint_id=other.id,
                        reference=other.reference,
                        similarity=alike,
                        linked_at=self._clock(),
                    )
                )
        return sorted(found, key=lambda link: -link.similarity)[:MAX_LINKS]

    def _link_back(self, other_id: str, complaint: Complaint, alike: float) -> None:
        """The link on the earlier complaint too, once (an audited change of that complaint)."""
        if any(link.complaint_id == complaint.id for link in self._complaints.get(other_id).links):
            return
        back = ComplaintLink(
            complaint_id=complaint.id,
            reference=complaint.reference,
            similarity=alike,
            linked_at=self._clock(),
        )

        def mutate(current: Complaint, now: datetime) -> dict[str, Any]:
            return {"links": _merged(current.links, [back])}

        data = {"complaintId": complaint.id, "reference": complaint.reference, "similarity": alike}
        self._complaints.change(other_id, Action.LINK, TRIAGE, None, mutate, data=data)


def _merged(existing: list[ComplaintLink], new: list[ComplaintLink]) -> list[ComplaintLink]:
    known = {link.complaint_id for link in existing}
    return [*existing, *(link for link in new if link.complaint_id not in known)]


def _assigned(history: list[Complaint]) -> dict[str, Complaint]:
    return {complaint.id: complaint for complaint in history if complaint.assignee is not None}
