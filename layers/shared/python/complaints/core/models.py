"""The complaint, its customer and its audit trail (docs/architecture.md §2).

Field names are camelCase on the wire and snake_case in Python; every model refuses unknown fields so
a typo in a channel app is an error, not silently ignored data.

What text may hold: one rule, applied by type (`NoControls`, `CleanText`, `Normalised`), for every
text a caller sends:

* Control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). They have no place in
  a complaint: NUL and the C1 set break or confuse downstream systems (CSV, SMS gateways, e-mail
  headers), ESC starts terminal escape sequences in anyone's log viewer, and a CR or LF inside a
  name lets a value forge extra lines in logs and exports. Long texts keep the two a person types,
  tab and line feed (a carriage return becomes a line feed, so Windows line breaks survive).
* Bidirectional embedding, override and isolate controls: U+202A–U+202E (LRE, RLE, PDF, LRO, RLO) and
  U+2066–U+2069 (LRI, RLI, FSI, PDI). They make text display in an order other than the one it is
  stored in ("Trojan Source", CVE-2021-42574): a name or a reason can read one way to the agent and
  another to the system or to the regulator's extract. No legitimate complaint text needs them;
  Arabic or Hebrew text displays correctly without them.
* Kept: the bidi marks U+200E (LRM), U+200F (RLM) and U+061C (ALM). They are invisible strong
  characters that only set the direction of the neutral characters next to them, they cannot reorder
  other text, and they are what a keyboard inserts to write mixed right-to-left and Latin text
  correctly; refusing them would refuse real names. Identifiers refuse them anyway: their pattern
  admits word characters only.

Names and identifiers (`NoControls`: a customer's name, subcategory, root cause, customerId,
assignee, team) refuse these characters with a 400 naming the field, since a name altered silently
is a different name. Free texts (`CleanText`: description, messages, summaries, reasons, comments,
notes) have them removed, since a complaint pasted from an e-mail or a PDF often carries stray
control characters and must still be taken in. Identifiers are also NFKC-normalised (`Identifier`,
`E164Phone`): the full-width "Ｃ－１２３" a Chinese input method types is the same customer as "C-123".
Names and texts are not: NFKC would rewrite what the customer wrote (² becomes 2, ﬁ becomes fi).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel


class Channel(StrEnum):
    COUNTER = "counter"
    PHONE_BANKING = "phone_banking"
    ONLINE_BANKING = "online_banking"
    MOBILE_APP = "mobile_app"
    HOTLINE = "hotline"
    EMAIL = "email"
    SELF_SERVICE = "self_service"


class Category(StrEnum):
    SERVICE = "service"
    PRODUCT = "product"
    TECHNICAL = "technical"
    CONDUCT = "conduct"


class Product(StrEnum):
    DEPOSIT = "deposit"
    CREDIT_CARD = "credit_card"
    LOAN = "loan"
    MORTGAGE = "mortgage"
    WEALTH = "wealth"
    INSURANCE = "insurance"
    PAYMENT = "payment"
    OTHER = "other"


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class Complexity(StrEnum):
    SIMPLE = "simple"
    COMPLEX = "complex"


class Status(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    AWAITING_CUSTOMER = "awaiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class ContactMethod(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class Language(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


class Segment(StrEnum):
    RETAIL = "retail"
    PRIVATE = "private"
    BUSINESS = "business"
    VULNERABLE = "vulnerable"


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"


class SlaPolicyName(StrEnum):
    SEED = "seed"
    CBIRC_2020 = "cbirc-2020"
    FCA_DISP = "fca-disp"
    CFPB = "cfpb"


# An ISO-8601 date first: pydantic would also take a number (or a string of digits) as Unix time.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_8601(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be an ISO-8601 date and time with a zone, e.g. 2026-11-28T09:00:00Z")


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone, e.g. 2026-11-28T09:00:00Z")
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, BeforeValidator(_iso_8601), AfterValidator(_as_utc)]
"""A timestamp that must name its zone; it is kept and returned in UTC."""

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEPT_IN_TEXTS = frozenset("\t\n")


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _unsafe(char: str) -> bool:
    return _is_control(char) or char in _BIDI_CONTROLS


def _refuse_unsafe(value: Any) -> Any:
    """Refuse a name or identifier holding a control or bidi override character (module docstring).
    Leading and trailing whitespace (a line feed after a pasted name, say) is stripped anyway."""
    if isinstance(value, str):
        for position, char in enumerate(value.strip()):
            if _unsafe(char):
                kind = "bidirectional control" if char in _BIDI_CONTROLS else "control"
                raise ValueError(
                    f"must not contain {kind} characters (U+{ord(char):04X} at position {position + 1})"
                )
    return value


def _strip_unsafe(value: Any) -> Any:
    """A free text without control or bidi override characters; tab and line feed are kept and a
    carriage return (alone or before a line feed) becomes one line feed (module docstring)."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return "".join(char for char in value if char in _KEPT_IN_TEXTS or not _unsafe(char))
    return value


def _nfkc(value: Any) -> Any:
    """NFKC-normalised, then checked like a name (module docstring)."""
    if isinstance(value, str):
        return _refuse_unsafe(unicodedata.normalize("NFKC", value))
    return value


NoControls = BeforeValidator(_refuse_unsafe)
"""For names: refuses control and bidi override characters, naming the field."""
CleanText = BeforeValidator(_strip_unsafe)
"""For free texts: strips control (but tab and line feed) and bidi override characters."""
Normalised = BeforeValidator(_nfkc)
"""For identifiers: NFKC, then refuses control and bidi override characters."""

# E.164: a plus, a country code that does not start with 0, at most 15 digits in all (ASCII digits:
# `\d` would take any script's digits; full-width ones are folded by NFKC first).
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def _e164(value: str) -> str:
    if not _E164.match(value):
        raise ValueError("must be an E.164 number such as +8613912345678 (plus, country code, number)")
    return value


E164Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    Normalised,
    AfterValidator(_e164),
    Field(json_schema_extra={"pattern": _E164.pattern, "examples": ["+8613912345678"]}),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControls]
"""A name or label: no control or bidi override characters."""
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w.@:-]+$"),
    Normalised,
]
"""An id a person types (customerId, assignee, team): NFKC-normalised, word characters and . @ : -."""
DESCRIPTION_MAX_LENGTH = 50_000
"""The longest complaint description taken in, in characters. Real complaints run long (CFPB
narratives of over 20,000 characters); 50,000 Chinese characters are 150 KB of UTF-8 in the complaint
item and in its receipt's audit event, and 300 KB JSON-escaped in the intake's idempotency record, each
under DynamoDB's 400 KB item (docs/architecture.md §5, "Sizes")."""
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=DESCRIPTION_MAX_LENGTH), CleanText
]
"""The complaint as the customer tells it, a free text: control (but tab and line feed) and bidi
override characters are removed."""
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), CleanText]
"""A message to the customer or a resolution summary, a free text cleaned like a description. It stays
at 5,000 characters: it travels in the domain events on the bus (EventBridge takes 256 KB per
PutEvents of up to 10) and in the customer's e-mail."""


class ApiModel(BaseModel):
    """camelCase on the wire, unknown fields refused."""

    # defer_build: a model's validator is built when first used, not at import, so a cold start pays
    # only for the models its first request touches (docs/decisions.md, "Cold starts load what a
    # route needs").
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        use_enum_values=False,
        defer_build=True,
    )

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class Customer(ApiModel):
    customer_id: Identifier
    name: ShortText
    phone: E164Phone | None = None
    email: EmailStr | None = None
    preferred_contact: list[ContactMethod] = Field(default_factory=lambda: [ContactMethod.SMS])
    language: Language = Language.ZH_CN
    segment: Segment = Segment.RETAIL
    erased: bool = Field(
        default=False,
        description="set by an erasure only: the personal data was pseudonymised and the customer can "
        "no longer be reached through this record",
    )

    @model_validator(mode="after")
    def _reachable_by_preferred_contact(self) -> Customer:
        if self.erased:
            return self
        if self.phone is None and self.email is None:
            raise ValueError("give the customer's phone or email: the bank must be able to reply")
        if ContactMethod.SMS in self.preferred_contact and self.phone is None:
            raise ValueError("preferredContact includes sms but no phone is given")
        if ContactMethod.EMAIL in self.preferred_contact and self.email is None:
            raise ValueError("preferredContact includes email but no email is given")
        return self


class Deadlines(ApiModel):
    first_response_due_at: UtcDatetime
    resolution_due_at: UtcDatetime
    solution_plan_due_at: UtcDatetime | None = Field(
        default=None,
        description="when the customer is owed a solution plan (what will be done, by when): the seed "
        "policy's milestone for complex complaints; null where the policy sets none",
    )


class SolutionPlan(ApiModel):
    """What the bank will do about a complex complaint and by when (POST …/solution-plan): the customer
    is told it, and its date is the resolution deadline, within the policy's limit."""

    plan: LongText = Field(description="what will be done, in words the customer reads")
    resolve_by: UtcDatetime = Field(
        description="when the complaint will be resolved: its resolution deadline"
    )
    given_at: UtcDatetime = Field(description="when this plan (the latest revision) was given")
    given_by: str
    first_given_at: UtcDatetime = Field(
        description="when the first plan was given: whether the milestone was met (a revision keeps it)"
    )


class Redress(ApiModel):
    amount: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "CNY"
    description: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), CleanText] | None
    ) = None


class Resolution(ApiModel):
    outcome: Outcome
    summary: LongText
    root_cause: ShortText
    redress: Redress | None = None


class Breach(ApiModel):
    deadline: Literal["firstResponse", "solutionPlan", "resolution", "stillOpen"] = Field(
        description="the escalation step whose deadline passed unmet"
    )
    due_at: UtcDatetime
    detected_at: UtcDatetime


Rating = Annotated[int, Field(ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied)")]


class Feedback(ApiModel):
    """The customer's rating of one resolution, given once through the tracking link."""

    rating: Rating
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), CleanText] | None = (
        None
    )
    at: UtcDatetime
    resolution_number: Annotated[
        int, Field(ge=1, description="the resolution it rates: 1 for the first, 2 after one reopen …")
    ]


class FollowUpStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"


class FollowUpOutcome(StrEnum):
    SATISFIED = "satisfied"
    STILL_DISSATISFIED = "still_dissatisfied"
    UNREACHABLE = "unreachable"


class FollowUp(ApiModel):
    """回访: a supervisor calls back a customer who rated a resolution 3 or less.

    A task of the complaint's team: `team` is the team the complaint was with when it opened (the
    intake queue's `intake` when it had none), assigned to that team's supervisors until one of them
    (or a manager) takes it or names who calls (`assignee`); whoever completes it is `completedBy`
    (docs/decisions.md, "Feedback and follow-up")."""

    status: FollowUpStatus
    rating: Rating = Field(description="the rating that opened it")
    opened_at: UtcDatetime
    due_at: UtcDatetime
    team: str | None = Field(
        default=None, description="the team whose supervisors take it (absent on follow-ups opened before)"
    )
    assignee: Identifier | None = Field(
        default=None,
        description="the supervisor (or manager) who is to make the call, once one takes it or is named "
        "(POST …/follow-up/assignee); until then the team's supervisors share it",
    )
    escalated_at: UtcDatetime | None = Field(
        default=None, description="when the SLA sweep escalated it to the managers, overdue"
    )
    completed_at: UtcDatetime | None = None
    completed_by: str | None = None
    outcome: FollowUpOutcome | None = None
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), CleanText] | None = None


class ScanStatus(StrEnum):
    """What the malware scanner found in an attached file (complaints/attachments)."""

    PENDING = "pending"  # the scanner's verdict has not arrived yet (or the file was never uploaded)
    NOT_SCANNED = "not_scanned"  # no scanner runs where it is stored (the local runtime)
    CLEAN = "clean"
    THREATS_FOUND = "threats_found"
    UNSUPPORTED = "unsupported"  # the scanner cannot read it (e.g. a password-protected file)
    FAILED = "failed"  # the scan failed or could not reach the file


class Attachment(ApiModel):
    """Evidence (a statement, a screenshot) attached to a complaint by its customer, the channel app that
    submitted it or staff. The file lives in the attachments bucket under a key the server chose."""

    id: str
    file_name: str = Field(description="the name it downloads under, sanitised")
    content_type: str = Field(description="one of the allowed types (complaints/attachments/rules.py)")
    size: Annotated[int, Field(ge=1, description="bytes; the upload must be exactly this size")]
    added_by: str = Field(description="a staff user, the channel app's client id, or `customer`")
    added_at: UtcDatetime
    scan_status: ScanStatus
    scanned_at: UtcDatetime | None = Field(default=None, description="when the scanner gave its verdict")
    scanned_version: str | None = Field(
        default=None, description="the stored version of the file the verdict is about; a download serves it"
    )


class ReceivedVia(StrEnum):
    """How a customer's request (a withdrawal, their acceptance of the outcome) reached the bank."""

    PHONE = "phone"
    LETTER = "letter"
    BRANCH = "branch"
    EMAIL = "email"
    ONLINE_BANKING = "online_banking"
    MOBILE_APP = "mobile_app"
    # The customer themselves, through the tracking link: set by the link's routes, never by staff.
    TRACKING_LINK = "tracking_link"


class CustomerRequest(ApiModel):
    """What the customer asked for or agreed to, as it reached the bank: a complaint is withdrawn, or
    closed before its cooling-off period ends, only on such a record (docs/architecture.md §2)."""

    received_via: ReceivedVia
    received_at: UtcDatetime = Field(description="when the customer's request reached the bank")
    recorded_by: str = Field(description="the staff user or channel app that recorded it, or `customer`")


class LegalHold(ApiModel):
    """A complaint kept for litigation or an investigation: compliance places and lifts it."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), CleanText]
    placed_by: str
    placed_at: UtcDatetime


class RiskFlag(StrEnum):
    """What triage found in a complaint that a bank must not miss (complaints/triage)."""

    REGULATOR = "regulator"  # a regulator, or a complaint to one, is named
    LITIGATION = "litigation"  # a lawyer, a lawsuit, a court
    MEDIA = "media"  # the press, social media
    VULNERABLE = "vulnerable"  # age, illness, disability, bereavement, financial hardship
    FRAUD = "fraud"  # a scam, identity theft, unauthorised transactions
    DISCRIMINATION = "discrimination"
    REPEAT = "repeat"  # the customer's third complaint within 90 days


class SentimentLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class ChurnRisk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class TriageSentiment(ApiModel):
    label: SentimentLabel
    score: float = Field(ge=-1, le=1, description="polarity, from -1 (most negative) to 1")


class Triage(ApiModel):
    """What triage read in the complaint, seconds after intake (the actor `triage`; complaints/triage)."""

    category: Category
    product: Product
    sentiment: TriageSentiment
    churn_risk: ChurnRisk
    risk_flags: list[RiskFlag] = Field(default_factory=list)
    sensitive: bool = Field(description="on the special path: made critical, supervisor and compliance told")
    suggested_team: str | None = Field(default=None, description="the team the routing table names")
    model: str = Field(
        description="the trained model's name and version and the risk-flag rules' version, "
        "complaint-guard-triage/1.<hash>+rules.<n>"
    )
    at: UtcDatetime


class ComplaintLink(ApiModel):
    """Another complaint of the same customer about the same matter (from another channel, within 30
    days): linked, never merged; each keeps its own clock."""

    complaint_id: str
    reference: str
    similarity: float = Field(ge=0, le=1, description="how alike the two descriptions are")
    linked_at: UtcDatetime


CaseTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), CleanText]
CaseLessonText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), CleanText
]
CaseTag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), CleanText]


class LibraryMark(ApiModel):
    """A resolved complaint a supervisor made a case of the case library, with the lesson it teaches
    (complaints/cases)."""

    title: CaseTitle
    lesson: CaseLessonText
    tags: list[CaseTag] = Field(default_factory=list, max_length=10)
    marked_by: str
    marked_at: UtcDatetime


class Complaint(ApiModel):
    id: str
    reference: str
    status: Status
    channel: Channel
    category: Category
    subcategory: ShortText | None = None
    product: Product
    priority: Priority
    complexity: Complexity
    customer: Customer
    description: Description
    received_at: UtcDatetime
    created_at: UtcDatetime
    updated_at: UtcDatetime
    sla_policy: SlaPolicyName
    deadlines: Deadlines
    first_responded_at: UtcDatetime | None = None
    resolved_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None
    withdrawn_at: UtcDatetime | None = None
    paused_at: UtcDatetime | None = None
    paused_until: UtcDatetime | None = Field(
        default=None,
        description="while awaiting the customer: when the pause ends at the latest (the policy's limit); "
        "the clock then restarts by itself",
    )
    pause_needed: Annotated[str, StringConstraints(max_length=1000), CleanText] | None = Field(
        default=None, description="while awaiting the customer: what the bank needs from them"
    )
    pause_reminded_at: UtcDatetime | None = Field(
        default=None, description="when the customer was reminded, halfway through the current pause"
    )
    paused_seconds: Annotated[int, Field(ge=0, description="time spent awaiting the customer")] = 0
    extensions: Annotated[
        int,
        Field(
            ge=0,
            description="extensions of a deadline: by POST …/extend, and by a triage that moved one later",
        ),
    ] = 0
    triage_extensions: Annotated[
        int,
        Field(
            ge=0,
            description="of `extensions`, those granted by moving a deadline later rather than by POST "
            "…/extend: a triage (PATCH), a revised solution plan",
        ),
    ] = 0
    reopened_at: UtcDatetime | None = Field(
        default=None, description="when it was last reopened: its resolution deadline counts from then"
    )
    closes_at: UtcDatetime | None = Field(
        default=None,
        description="while resolved: when it closes by itself (the policy's cooling-off period) unless the "
        "customer disputes it",
    )
    customer_acceptance: CustomerRequest | None = Field(
        default=None, description="the customer accepted the current outcome: it may be closed at once"
    )
    withdrawal: CustomerRequest | None = Field(
        default=None, description="the customer's request to withdraw the complaint, as it reached the bank"
    )
    assignee: Identifier | None = None
    team: Identifier | None = None
    escalation_level: Annotated[int, Field(ge=0, le=3)] = 0
    breaches: list[Breach] = Field(default_factory=list)
    sla_steps: dict[str, UtcDatetime] = Field(
        default_factory=dict,
        description="when the SLA tracker took each escalation step (firstResponse, solutionPlan, "
        "resolution, stillOpen)",
    )
    at_risk_warned: dict[str, UtcDatetime] = Field(
        default_factory=dict, description="when the 80 % warning of each deadline was sent"
    )
    tracker_generation: Annotated[int, Field(ge=1, description="restarts of the SLA tracker + 1")] = 1
    solution_plan: SolutionPlan | None = Field(
        default=None, description="the solution plan given to the customer (the latest, when revised)"
    )
    resolution: Resolution | None = None
    reopen_count: Annotated[int, Field(ge=0)] = 0
    feedback: list[Feedback] = Field(default_factory=list, description="the customer's ratings, oldest first")
    follow_up: FollowUp | None = None
    attachments: list[Attachment] = Field(
        default_factory=list, description="evidence attached to it, oldest first (POST …/attachments)"
    )
    unclassified: list[Literal["category", "product"]] = Field(
        default_factory=list,
        description="what the channel app left out at intake: triage fills it in (marked inferred)",
    )
    triage: Triage | None = Field(default=None, description="what triage read in it, seconds after intake")
    links: list[ComplaintLink] = Field(
        default_factory=list, description="the same customer's complaints about the same matter"
    )
    legal_hold: LegalHold | None = Field(
        default=None, description="set by compliance: kept whatever its age, and never erased, while held"
    )
    library_case: LibraryMark | None = Field(
        default=None, description="a case of the case library: the lesson a supervisor drew from it"
    )
    retain_until: UtcDatetime | None = Field(
        default=None,
        description="when the record may be deleted (the retention schedule, from when it ended); "
        "null while it is open or held",
    )
    erased_at: UtcDatetime | None = Field(
        default=None, description="when the customer's personal data was erased (pseudonymised)"
    )
    submitted_by: str
    version: Annotated[int, Field(ge=1)] = 1


class Actor(ApiModel):
    id: str
    roles: list[str]


class FieldChange(ApiModel):
    before: Any = None
    after: Any = None


class AuditEvent(ApiModel):
    """One entry of a complaint's append-only audit trail."""

    id: str
    complaint_id: str
    version: int
    action: str
    actor: Actor
    at: UtcDatetime
    changes: dict[str, FieldChange] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)

    def after(self, field: str) -> Any:
        """The value a field changed to (None when this event did not change it)."""
        change = self.changes.get(field)
        return None if change is None else change.after


class Finding(StrEnum):
    JUSTIFIED = "justified"
    UNJUSTIFIED = "unjustified"


class AccountabilityStatus(StrEnum):
    OPEN = "open"
    REVIEWED = "reviewed"


class AccountabilityTrigger(StrEnum):
    """Why a record was opened: one record per occasion, so a complaint may have several."""

    MISSED_FIRST_RESPONSE = "missed_first_response"
    MISSED_SOLUTION_PLAN = "missed_solution_plan"
    MISSED_RESOLUTION = "missed_resolution"
    REOPENED_HANDLING_WRONG = "reopened_handling_wrong"
    OPENED_BY_SUPERVISOR = "opened_by_supervisor"


class AccountabilityRecord(ApiModel):
    """Opened by the SLA tracker when a first-response, solution-plan or resolution deadline passes unmet,
    by a reopen because the handling was wrong, or by a supervisor or manager by hand; a supervisor or
    manager from outside the team it names reviews it (was it the handler's doing, and what follows).

    Its id is `<complaintId>.<version>`: the complaint version whose audit event opened it, unique per
    complaint, so each occasion has a record of its own (records opened before this scheme: the
    complaint id alone, always a missed resolution)."""

    id: str
    complaint_id: str
    reference: str
    trigger: AccountabilityTrigger = AccountabilityTrigger.MISSED_RESOLUTION
    deadline: str | None = Field(default=None, description="the missed deadline (tracker records)")
    due_at: UtcDatetime | None = Field(default=None, description="when that deadline fell due")
    reason: str | None = Field(default=None, description="the reopen reason or the finding sought")
    evidence: str | None = None
    attachment_ids: list[str] = Field(default_factory=list)
    opened_by: str | None = Field(default=None, description="who opened it by hand (None: the system)")
    assignee: str
    team: str
    status: AccountabilityStatus
    opened_at: UtcDatetime
    finding: Finding | None = None
    action: str | None = None
    reviewed_by: str | None = None
    reviewed_at: UtcDatetime | None = None
    version: int = 1
