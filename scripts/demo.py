"""`make demo`: play a quarter's worth of real complaints with known outcomes into a running system.

Talks HTTP only, as a channel app, an agent, the customers and a manager would (tokens from the local
runtime's `/_local/tokens`). Each row of `demo_data/cfpb_sample.csv` (real CFPB complaints) becomes a
complaint whose fate its CFPB columns decide:

- `Timely response?`: Yes → received an hour ago and answered now (on time); No → received two days
  ago and answered now, or never (late: the SLA tracker escalates it);
- `Company response to consumer`: monetary relief → upheld and closed; non-monetary relief →
  partially upheld and closed; explanation → not upheld, resolved (left for the customer to accept);
  closed → not upheld and closed (each closed once the customer accepted the outcome on the phone, as
  the agent records); in progress → answered, left open; untimely response → unanswered;
- `Consumer disputed?`: Yes → the customer rates 2 through the tracking link, No → 5.

It then asks for the current quarter's report, waits until it is e-mailed, and prints the KPIs it
expects from what it did next to the report's. Running it again loads nothing twice: it finds the
complaints it loaded before by customer and text, and takes only the steps not yet taken.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import requests

DATA = Path(__file__).resolve().parent / "demo_data" / "cfpb_sample.csv"
REPORT_TIMEZONE = "Asia/Shanghai"  # cdk.json: report_timezone
DESCRIPTION_MAX = 50_000  # complaints.core.models.DESCRIPTION_MAX_LENGTH
SHORT_TEXT_MAX = 200  # complaints.core.models.ShortText
ON_TIME_AGE = timedelta(hours=1)
LATE_AGE = timedelta(days=2)  # past the 24 h first-response deadline of every normal complaint
REPORT_WAIT_SECONDS = 180.0
RETRIES = 5
TRACKING_LINK = r"/t/{id}\?token=([\w.-]+)"
# Made-up customers: names from this list, phones +86139000xxxxx, e-mails at example.com.
NAMES = ("Zhang Wei", "Wang Fang", "Chen Jie", "Li Lei", "Liu Yang", "Zhao Min", "Sun Li", "Zhou Jun")
REPEAT_EVERY = 6  # every sixth complaint comes from the customer of the complaint three rows earlier

CHANNELS = {
    "Web": "online_banking",
    "Phone": "hotline",
    "Email": "email",
    "Postal mail": "counter",
    "Fax": "counter",
    "Referral": "counter",
}
PRODUCTS = {
    "Checking or savings account": "deposit",
    "Bank account or service": "deposit",
    "Credit card or prepaid card": "credit_card",
    "Credit card": "credit_card",
    "Mortgage": "mortgage",
    "Debt collection": "loan",
    "Student loan": "loan",
    "Vehicle loan or lease": "loan",
    "Payday loan, title loan, or personal loan": "loan",
    "Payday loan": "loan",
    "Consumer Loan": "loan",
    "Money transfer, virtual currency, or money service": "payment",
}
TEAMS = {"deposit": "branch-ops", "credit_card": "cards", "payment": "payments", "mortgage": "lending"}
# The category of an issue, by the first of these words it contains (else service).
CATEGORY_WORDS = (
    ("conduct", ("communication tactics", "threatened", "false statements", "harass", "abusive")),
    ("technical", ("online", "mobile", "website", "electronic", "app ")),
    (
        "product",
        ("fee", "interest", "terms", "charged", "rate", "advertising", "payoff", "loan modification"),
    ),
)


class Fate(StrEnum):
    """What the bank does with a complaint, from the CFPB's `Company response to consumer`."""

    UPHELD_CLOSED = "upheld, closed"
    PARTIALLY_UPHELD_CLOSED = "partially upheld, closed"
    NOT_UPHELD_CLOSED = "not upheld, closed"
    NOT_UPHELD_RESOLVED = "not upheld, resolved"
    ANSWERED_OPEN = "answered, open"
    UNANSWERED = "unanswered"


FATES = {
    "Closed with monetary relief": Fate.UPHELD_CLOSED,
    "Closed with non-monetary relief": Fate.PARTIALLY_UPHELD_CLOSED,
    "Closed": Fate.NOT_UPHELD_CLOSED,
    "Closed with explanation": Fate.NOT_UPHELD_RESOLVED,
    "In progress": Fate.ANSWERED_OPEN,
    "Untimely response": Fate.UNANSWERED,
}
OUTCOMES = {
    Fate.UPHELD_CLOSED: "upheld",
    Fate.PARTIALLY_UPHELD_CLOSED: "partially_upheld",
    Fate.NOT_UPHELD_CLOSED: "not_upheld",
    Fate.NOT_UPHELD_RESOLVED: "not_upheld",
}
CLOSED = {Fate.UPHELD_CLOSED, Fate.PARTIALLY_UPHELD_CLOSED, Fate.NOT_UPHELD_CLOSED}
FINAL_STATUS = {
    **dict.fromkeys(CLOSED, "closed"),
    Fate.NOT_UPHELD_RESOLVED: "resolved",
    Fate.ANSWERED_OPEN: "in_progress",
    Fate.UNANSWERED: "received",
}


@dataclass(frozen=True)
class Plan:
    """One CFPB row as a complaint to submit and what happens to it."""

    cfpb_id: str
    body: dict[str, Any]  # the intake body, without receivedAt
    on_time: bool
    fate: Fate
    root_cause: str
    rating: int | None  # what the customer gives through the tracking link, if anything

    @property
    def customer_id(self) -> str:
        return str(self.body["customer"]["customerId"])

    @property
    def answered(self) -> bool:
        return self.fate is not Fate.UNANSWERED

    @property
    def resolved(self) -> bool:
        return self.fate in OUTCOMES


@dataclass
class Loaded:
    plan: Plan
    id: str
    reference: str
    received_at: datetime
    status: str
    rated: bool


@dataclass(frozen=True)
class Kpis:
    received: int
    first_response_on_time_rate: float | None
    satisfaction_rate: float | None
    closure_rate: float | None
    resolution_rate: float | None


@dataclass
class DemoSummary:
    period: str
    loaded: list[Loaded]
    by_outcome: Counter[str]
    expected: Kpis
    report_id: str
    report_status: str
    reported: Kpis | None
    report_html: str | None
    links: dict[str, str] = field(default_factory=dict)


# --- from a CFPB row to a plan ----------------------------------------------------------------------


def read_rows(path: Path, count: int) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    if count > len(rows):
        raise SystemExit(f"--count: at most {len(rows)} (the rows of {path.name})")
    return rows[:count]


def trimmed(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def category_of(issue: str) -> str:
    lowered = issue.lower()
    for category, words in CATEGORY_WORDS:
        if any(word in lowered for word in words):
            return category
    return "service"


def customer(number: int) -> dict[str, Any]:
    """A clearly fake customer: the same number always gives the same person."""
    name = NAMES[number % len(NAMES)]
    contact = (["sms", "email"], ["sms"], ["email"])[number % 3]
    return {
        "customerId": f"C-DEMO-{number:04d}",
        "name": name,
        "phone": f"+86139000{number:05d}",
        "email": f"{name.lower().replace(' ', '.')}.{number}@example.com",
        "preferredContact": contact,
        "language": "en" if number % 4 else "zh-CN",
    }


def plan_of(row: dict[str, str], number: int) -> Plan:
    """The complaint of the `number`th row (0-based)."""
    repeat = number % REPEAT_EVERY == REPEAT_EVERY - 1
    narrative = row["Consumer complaint narrative"].strip()
    issue = row["Issue"].strip() or row["Product"]
    # Rows sent by phone, post, fax or referral carry no narrative: their issue says what went wrong.
    description = narrative or f"{row['Product']}: {issue}. {row['Sub-issue']}".strip(". ") + "."
    older = "Older American" in row["Tags"]
    body: dict[str, Any] = {
        "channel": CHANNELS.get(row["Submitted via"], "counter"),
        "customer": customer(number - 3 if repeat else number) | ({"segment": "vulnerable"} if older else {}),
        "description": trimmed(description, DESCRIPTION_MAX),
        "category": category_of(issue),
        "product": PRODUCTS.get(row["Product"], "other"),
        "priority": "high" if row["Tags"] else "normal",
    }
    if row["Sub-product"].strip():
        body["subcategory"] = trimmed(row["Sub-product"], SHORT_TEXT_MAX)
    fate = FATES.get(row["Company response to consumer"], Fate.NOT_UPHELD_RESOLVED)
    disputed = row["Consumer disputed?"]
    rating = {"Yes": 2, "No": 5}.get(disputed) if fate in OUTCOMES else None
    return Plan(
        cfpb_id=row["Complaint ID"],
        body=body,
        on_time=row["Timely response?"] == "Yes",
        fate=fate,
        root_cause=trimmed(" — ".join(p for p in (issue, row["Sub-issue"].strip()) if p), SHORT_TEXT_MAX),
        rating=rating,
    )


def plans(rows: Iterable[dict[str, str]]) -> list[Plan]:
    return [plan_of(row, number) for number, row in enumerate(rows)]


# --- the calls ----------------------------------------------------------------------------------------


class DemoError(RuntimeError):
    pass


class VersionConflict(DemoError):
    """Someone else (the SLA tracker escalating it) changed the complaint meanwhile."""


class Client:
    """The running system over HTTP, a bearer token per role."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()
        answer = self.session.get(f"{self.url}/_local/tokens", timeout=10)
        if answer.status_code != 200:
            raise DemoError(f"{self.url} is not the local runtime (`make run`): /_local/tokens → {answer}")
        self.tokens: dict[str, str] = answer.json()

    def call(
        self,
        method: str,
        path: str,
        role: str | None = "agent",
        expect: Iterable[int] = (200, 201, 202),
        **kw: Any,
    ) -> dict[str, Any]:
        """The JSON answer; a 503 (busy, nothing changed) or a stale version is retried."""
        headers = kw.pop("headers", {})
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        for attempt in range(RETRIES):
            answer = self.session.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kw)
            if answer.status_code in set(expect):
                result: dict[str, Any] = answer.json()
                return result
            if answer.status_code != 503 or attempt == RETRIES - 1:
                break
            time.sleep(0.2 * (attempt + 1))
        if answer.status_code == 409 and answer.json().get("error") == "version_conflict":
            raise VersionConflict(f"{method} {path}: {answer.json()['message']}")
        raise DemoError(f"{method} {path} → {answer.status_code} {answer.text[:500]}")

    def outbox(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.session.get(f"{self.url}/_local/outbox", timeout=30).json()
        return entries


def find_or_submit(client: Client, plan: Plan, now: datetime) -> dict[str, Any]:
    """The complaint of this row: the one loaded by an earlier run, or a new one."""
    listed = client.call("GET", "/v1/complaints", params={"customerId": plan.customer_id, "limit": 100})
    items: list[dict[str, Any]] = listed["items"]
    for item in items:
        if item["description"] == plan.body["description"]:
            return item
    received_at = now - (ON_TIME_AGE if plan.on_time else LATE_AGE)
    body = plan.body | {"receivedAt": received_at.isoformat(timespec="seconds").replace("+00:00", "Z")}
    return client.call(
        "POST",
        "/v1/complaints",
        role="channel_app",
        json=body,
        headers={"Idempotency-Key": f"demo-{plan.customer_id}-cfpb-{plan.cfpb_id}"},
    )


def work(client: Client, plan: Plan, complaint: dict[str, Any]) -> dict[str, Any]:
    """Take the steps of the plan not taken yet, as an agent would; returns the complaint after them."""
    for _ in range(RETRIES - 1):
        try:
            return steps(client, plan, complaint)
        except VersionConflict:
            complaint = client.call("GET", f"/v1/complaints/{complaint['id']}")
    return steps(client, plan, complaint)


def steps(client: Client, plan: Plan, complaint: dict[str, Any]) -> dict[str, Any]:
    path = f"/v1/complaints/{complaint['id']}"
    if complaint["status"] == "received" and plan.answered:
        message = "Thank you for telling us. We have your complaint and are looking into it."
        complaint = client.call("POST", f"{path}/responses", json={"message": message})
    if complaint["status"] == "acknowledged":
        team = TEAMS.get(plan.body["product"], "customer-care")
        complaint = client.call(
            "PATCH", path, json={"assignee": f"demo.{team}", "team": team, "version": complaint["version"]}
        )
    if plan.resolved and complaint["status"] in ("received", "acknowledged", "in_progress"):
        resolution: dict[str, Any] = {
            "outcome": OUTCOMES[plan.fate],
            "summary": f"Investigated: {plan.root_cause}. Outcome: {OUTCOMES[plan.fate].replace('_', ' ')}.",
            "rootCause": plan.root_cause,
        }
        if plan.fate is Fate.UPHELD_CLOSED:
            resolution["redress"] = {
                "amount": "200.00",
                "currency": "CNY",
                "description": "refund and goodwill",
            }
        complaint = client.call("POST", f"{path}/resolve", json=resolution)
    if plan.fate in CLOSED and complaint["status"] == "resolved":
        # closed before its cooling-off period ends only with the customer's acceptance, recorded here
        accepted = {"receivedVia": "phone", "receivedAt": complaint["resolvedAt"]}
        complaint = client.call("POST", f"{path}/close", json=accepted)
    return complaint


def tracking_tokens(client: Client, ids: set[str], seconds: float = 60.0) -> dict[str, str]:
    """The token of each complaint's tracking link, from its receipt in the outbox (sent asynchronously)."""
    found: dict[str, str] = {}
    deadline = time.monotonic() + seconds
    while ids - set(found) and time.monotonic() < deadline:
        bodies = [str(entry.get("body", "")) for entry in client.outbox()]
        for complaint_id in ids - set(found):
            link = re.compile(TRACKING_LINK.format(id=re.escape(complaint_id)))
            if match := next(filter(None, (link.search(body) for body in bodies)), None):
                found[complaint_id] = match.group(1)
        if ids - set(found):
            time.sleep(1)
    if missing := ids - set(found):
        raise DemoError(f"no receipt with a tracking link in the outbox for {sorted(missing)}")
    return found


def rate(client: Client, loaded: list[Loaded]) -> None:
    """The customers who rate their resolution do it through the link in their receipt."""
    waiting = [item for item in loaded if item.plan.rating is not None and not item.rated]
    tokens = tracking_tokens(client, {item.id for item in waiting}) if waiting else {}
    for item in waiting:
        comment = "Thank you." if item.plan.rating == 5 else "I do not accept this answer."
        client.call(
            "POST",
            f"/v1/track/{item.id}/feedback",
            role=None,
            params={"token": tokens[item.id]},
            json={"rating": item.plan.rating, "comment": comment},
        )
        item.rated = True


# --- the quarter and its figures -----------------------------------------------------------------------


def quarter_of(moment: datetime) -> tuple[str, datetime, datetime]:
    """The quarter (e.g. 2026-Q4) of `moment` in the bank's time zone, and its [start, end) in UTC."""
    zone = ZoneInfo(REPORT_TIMEZONE)
    local = moment.astimezone(zone)
    number = (local.month - 1) // 3 + 1
    first = date(local.year, 3 * number - 2, 1)
    after = date(local.year + 1, 1, 1) if number == 4 else date(local.year, 3 * number + 1, 1)

    def midnight(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

    return f"{local.year}-Q{number}", midnight(first), midnight(after)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def expected_kpis(loaded: list[Loaded]) -> Kpis:
    """The KPIs of README "Measuring the service", worked out from the plans alone."""
    plans_ = [item.plan for item in loaded]
    answered_on_time = sum(p.answered and p.on_time for p in plans_)
    # answered late, or unanswered past the deadline (received two days ago); unanswered and not yet
    # due does not count
    late = sum(not p.on_time for p in plans_)
    rated = [p.rating for p in plans_ if p.rating is not None]
    return Kpis(
        received=len(plans_),
        first_response_on_time_rate=ratio(answered_on_time, answered_on_time + late),
        satisfaction_rate=ratio(sum(r >= 4 for r in rated), len(rated)),
        closure_rate=ratio(sum(p.fate in CLOSED for p in plans_), len(plans_)),
        resolution_rate=ratio(sum(p.resolved for p in plans_), len(plans_)),
    )


def wait_until_emailed(client: Client, report_id: str, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        report = client.call("GET", f"/v1/reports/{report_id}", role="manager")
        if report.get("emailedAt") or report["status"] == "failed" or time.monotonic() > deadline:
            return report
        time.sleep(1)


def reported_kpis(client: Client, report: dict[str, Any], period: str) -> Kpis | None:
    """The report's headline, and its resolution rate from its kpis.csv."""
    headline = report.get("headline")
    if not headline:
        return None
    resolution_rate: float | None = None
    if link := report.get("links", {}).get("kpis.csv"):
        extract = client.session.get(link, timeout=30)
        for row in csv.DictReader(io.StringIO(extract.text)):
            if row["kpi"] == "resolutionRate" and row[period]:
                resolution_rate = float(row[period])
    return Kpis(
        received=headline["received"],
        first_response_on_time_rate=headline["firstResponseOnTimeRate"],
        satisfaction_rate=headline["satisfactionRate"],
        closure_rate=headline["closureRate"],
        resolution_rate=resolution_rate,
    )


# --- the run -------------------------------------------------------------------------------------------


def load(client: Client, plans_: list[Plan], say: Callable[[str], None]) -> list[Loaded]:
    now = datetime.now(UTC)
    loaded: list[Loaded] = []
    for number, plan in enumerate(plans_, start=1):
        complaint = work(client, plan, find_or_submit(client, plan, now))
        loaded.append(
            Loaded(
                plan=plan,
                id=complaint["id"],
                reference=complaint["reference"],
                received_at=datetime.fromisoformat(complaint["receivedAt"].replace("Z", "+00:00")),
                status=complaint["status"],
                rated=bool(complaint.get("feedback")),
            )
        )
        if number % 10 == 0 or number == len(plans_):
            say(f"  {number}/{len(plans_)} complaints loaded")
    rate(client, loaded)
    return loaded


def percent(value: float | int | None) -> str:
    if value is None:
        return "—"
    return str(value) if isinstance(value, int) else f"{value:.1%}"


def print_summary(summary: DemoSummary, out: TextIO) -> None:
    print(f"\nLoaded {len(summary.loaded)} complaints (CFPB rows) — by outcome:", file=out)
    for outcome, number in summary.by_outcome.most_common():
        print(f"  {number:4d}  {outcome}", file=out)
    customers = Counter(item.plan.customer_id for item in summary.loaded)
    ratings = Counter(item.plan.rating for item in summary.loaded if item.plan.rating is not None)
    print(
        f"  repeat complainants: {sum(n > 1 for n in customers.values())}; "
        f"ratings: {ratings[5]} × 5, {ratings[2]} × 2",
        file=out,
    )
    print(f"\nReport {summary.report_id}: {summary.report_status}", file=out)
    print(f"  {'KPI':32} {'expected (demo only)':>22} {'report':>10}", file=out)
    reported = summary.reported
    for name in Kpis.__dataclass_fields__:
        mine = getattr(summary.expected, name)
        theirs = getattr(reported, name) if reported else None
        print(f"  {name:32} {percent(mine):>22} {percent(theirs):>10}", file=out)
    if reported and reported.received != summary.expected.received:
        print(
            f"  (the report counts every complaint of {summary.period}: "
            f"{reported.received - summary.expected.received} more than the demo loaded)",
            file=out,
        )
    if summary.report_html:
        print(f"\nOpen the report in a browser:\n  {summary.report_html}", file=out)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> DemoSummary:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:3000", help="the running system (`make run`)")
    parser.add_argument("--count", type=int, default=60, help="how many CFPB complaints to load (≤ 200)")
    parser.add_argument("--data", type=Path, default=DATA, help="the CFPB extract to replay")
    parser.add_argument("--report-wait", type=float, default=REPORT_WAIT_SECONDS, help="seconds")
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    client = Client(args.url)
    say(f"Loading {args.count} CFPB complaints into {client.url} …")
    loaded = load(client, plans(read_rows(args.data, args.count)), say)

    period, start, end = quarter_of(datetime.now(UTC))
    in_quarter = [item for item in loaded if start <= item.received_at < end]
    if len(in_quarter) < len(loaded):
        say(f"  {len(loaded) - len(in_quarter)} were received before {period} began: not in its report")
    say(f"Asking for the {period} report …")
    asked = client.call("POST", "/v1/reports", role="manager", json={"period": period})
    report = wait_until_emailed(client, asked["id"], args.report_wait)
    summary = DemoSummary(
        period=period,
        loaded=loaded,
        by_outcome=Counter(
            f"{'on time' if item.plan.on_time else 'late'}, {item.plan.fate.value}" for item in loaded
        ),
        expected=expected_kpis(in_quarter),
        report_id=report["id"],
        report_status=report["status"] + (" and e-mailed" if report.get("emailedAt") else ""),
        reported=reported_kpis(client, report, period),
        report_html=report.get("links", {}).get("report.html"),
        links=report.get("links", {}),
    )
    print_summary(summary, out)
    return summary


if __name__ == "__main__":
    result = main()
    sys.exit(0 if result.report_status.startswith("ready") else 1)
