"""The case library over the api function on moto: a complaint's most similar past cases (same
product line, resolved, none of the customer's personal data), marking a resolved complaint as a
library case with its lesson (audited, once, supervisors and managers only), and searching the
library."""

from __future__ import annotations

from typing import Any

import pytest
from api_events import Call, intake_body, staff_claims

AGENT = staff_claims("agent-1", "agent team:intake")
OTHER_AGENT = staff_claims("agent-2", "agent team:cards")
SUPERVISOR = staff_claims("sup-1", "supervisor team:intake")
CARDS_SUPERVISOR = staff_claims("sup-2", "supervisor team:cards")
MANAGER = staff_claims("mgr-1", "manager")
CHANNEL_APP = {"client_id": "mobile-app", "scope": "complaint-guard/complaints.submit"}

DOUBLE_DEBIT = (
    "My card payment of 500 CNY at the supermarket was debited twice on 20 November. The duplicate "
    "charge has not been reversed and my statement shows both debits."
)
DOUBLE_DEBIT_AGAIN = (
    "The supermarket card payment was debited twice, a duplicate charge of 320 CNY, and the second "
    "debit still shows on my statement a week later."
)
BRANCH_QUEUE = "The branch queue took two hours and the teller was rude about my passport renewal."
ZH_DOUBLE_DEBIT = "我在超市刷卡消费被重复扣款两次，第二笔扣款至今没有退回，账单上仍显示两笔。"
ZH_DOUBLE_DEBIT_AGAIN = "超市刷卡被重复扣款，第二笔重复扣款还没有退回到我的账户。"


@pytest.fixture
def caller_claims() -> dict[str, Any]:
    return CHANNEL_APP


def submit(call: Call, description: str, product: str = "credit_card", **customer: str) -> dict[str, Any]:
    person = {
        "customerId": customer.get("customer_id", "C-1001"),
        "name": customer.get("name", "Ann Lee"),
        "phone": customer.get("phone", "+8613800000000"),
        "preferredContact": ["sms"],
    }
    reply = call(
        "POST", "/v1/complaints", intake_body(description=description, product=product, customer=person)
    )
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.body
    return created


def resolve(call: Call, complaint: dict[str, Any], summary: str, root_cause: str) -> dict[str, Any]:
    reply = call(
        "POST",
        f"/v1/complaints/{complaint['id']}/resolve",
        {
            "outcome": "upheld",
            "summary": summary,
            "rootCause": root_cause,
            "redress": {"amount": "500.00", "currency": "CNY"},
            "version": complaint["version"],
        },
        claims=AGENT,
    )
    assert reply.status == 200, reply.body
    resolved: dict[str, Any] = reply.body
    return resolved


def test_a_handler_sees_the_most_similar_resolved_cases_without_personal_data(call: Call) -> None:
    past = submit(call, DOUBLE_DEBIT, name="Wang Fang", phone="+8613911112222", customer_id="C-PAST")
    resolve(call, past, "Refunded the duplicate debit; the acquirer's retry was at fault.", "acquirer retry")
    unrelated = submit(call, BRANCH_QUEUE, customer_id="C-OTHER")
    resolve(call, unrelated, "Apologised; queue staffing reviewed.", "staffing")
    still_open = submit(call, DOUBLE_DEBIT, customer_id="C-OPEN")  # not resolved: no lesson yet
    other_line = submit(call, DOUBLE_DEBIT, product="deposit", customer_id="C-DEP")
    resolve(call, other_line, "Refunded.", "acquirer retry")
    new = submit(call, DOUBLE_DEBIT_AGAIN, customer_id="C-NEW")

    reply = call("GET", f"/v1/complaints/{new['id']}/similar", claims=AGENT)

    assert reply.status == 200, reply.body
    found = reply.body
    assert found["product"] == "credit_card"
    ids = [case["complaintId"] for case in found["items"]]
    assert ids[0] == past["id"]
    assert unrelated["id"] not in ids  # shares no telling word
    assert still_open["id"] not in ids and other_line["id"] not in ids and new["id"] not in ids
    case = found["items"][0]
    assert case["outcome"] == "upheld" and case["rootCause"] == "acquirer retry"
    assert case["summary"].startswith("Refunded the duplicate debit")
    assert case["redress"]["amount"] in ("500.00", 500, "500")
    assert 0.1 <= case["similarity"] < 1
    assert case["daysToResolve"] >= 0 and case["libraryCase"] is None
    # Nothing of the customer: no name, phone, customer id or description anywhere in the answer.
    text = str(found)
    for personal in ("Wang Fang", "+8613911112222", "C-PAST", "supermarket"):
        assert personal not in text
    assert found["compared"] == 2  # the two resolved credit-card complaints, not itself


def test_chinese_complaints_find_their_chinese_precedent(call: Call) -> None:
    past = submit(call, ZH_DOUBLE_DEBIT, customer_id="C-ZH1")
    resolve(call, past, "已退回重复扣款。", "收单机构重复请求")
    new = submit(call, ZH_DOUBLE_DEBIT_AGAIN, customer_id="C-ZH2")
    items = call("GET", f"/v1/complaints/{new['id']}/similar", claims=AGENT).body["items"]
    assert [case["complaintId"] for case in items] == [past["id"]]


def test_similar_cases_are_for_staff_who_may_read_the_complaint(call: Call) -> None:
    new = submit(call, DOUBLE_DEBIT)
    assert call("GET", f"/v1/complaints/{new['id']}/similar", claims=CHANNEL_APP).status == 403
    # Another team's agent may not read this intake complaint, so not its similar cases either.
    assert call("GET", f"/v1/complaints/{new['id']}/similar", claims=OTHER_AGENT).status in (403, 404)
    assert call("GET", "/v1/complaints/nope/similar", claims=AGENT).status == 404
    too_many = call("GET", f"/v1/complaints/{new['id']}/similar", claims=AGENT, query={"limit": "21"})
    assert too_many.status == 400 and "limit" in str(too_many.body)


def test_a_reopened_complaint_leaves_the_past_cases_until_resolved_again(call: Call) -> None:
    past = submit(call, DOUBLE_DEBIT, customer_id="C-PAST")
    resolved = resolve(call, past, "Refunded the duplicate debit.", "acquirer retry")
    new = submit(call, DOUBLE_DEBIT_AGAIN, customer_id="C-NEW")
    assert call("GET", f"/v1/complaints/{new['id']}/similar", claims=AGENT).body["items"]
    reopened = call(
        "POST",
        f"/v1/complaints/{past['id']}/reopen",
        {"reason": "the refund never arrived", "version": resolved["version"]},
        claims=AGENT,
    )
    assert reopened.status == 200, reopened.body
    assert call("GET", f"/v1/complaints/{new['id']}/similar", claims=AGENT).body["items"] == []


def test_a_supervisor_marks_a_resolved_complaint_as_a_library_case_once(call: Call) -> None:
    past = submit(call, DOUBLE_DEBIT, name="Wang Fang", customer_id="C-PAST")
    resolved = resolve(call, past, "Refunded the duplicate debit.", "acquirer retry")
    lesson = {
        "complaintId": past["id"],
        "title": "Duplicate card debits from acquirer retries",
        "lesson": "Check the acquirer's retry log first: refund at once when the second debit has the same "
        "authorisation code.",
        "tags": ["cards", "refund"],
        "version": resolved["version"],
    }

    assert call("POST", "/v1/cases", lesson, claims=AGENT).status == 403  # agents do not mark
    assert call("POST", "/v1/cases", lesson, claims=CARDS_SUPERVISOR).status in (403, 404)  # not their team
    marked = call("POST", "/v1/cases", lesson, claims=SUPERVISOR)

    assert marked.status == 201, marked.body
    case = marked.body
    assert case["title"] == lesson["title"] and case["markedBy"] == "sup-1"
    assert case["rootCause"] == "acquirer retry" and "Wang Fang" not in str(case)
    # The supervisor's retry (its answer lost) gets the case, not a refusal; nothing is written twice.
    retried = call("POST", "/v1/cases", lesson, claims=SUPERVISOR)
    assert retried.status == 201 and retried.body == case
    again = call("POST", "/v1/cases", {**lesson, "version": None}, claims=MANAGER)
    assert again.status == 409 and again.body["error"] == "already_a_case"
    # On the complaint's trail, by the supervisor.
    events = call("GET", f"/v1/complaints/{past['id']}/events", claims=SUPERVISOR).body["items"]
    marks = [event for event in events if event["action"] == "mark_library_case"]
    assert [event["actor"]["id"] for event in marks] == ["sup-1"]
    # A similar complaint's handler sees the lesson with the case.
    new = submit(call, DOUBLE_DEBIT_AGAIN, customer_id="C-NEW")
    (similar,) = call("GET", f"/v1/complaints/{new['id']}/similar", claims=AGENT).body["items"]
    assert similar["libraryCase"]["lesson"].startswith("Check the acquirer's retry log")


def test_only_a_resolved_complaint_becomes_a_case_and_bad_input_names_the_field(call: Call) -> None:
    still_open = submit(call, DOUBLE_DEBIT)
    body = {"complaintId": still_open["id"], "title": "t", "lesson": "l"}
    refused = call("POST", "/v1/cases", body, claims=SUPERVISOR)
    assert refused.status == 409 and "received" in refused.body["message"]
    missing = call("POST", "/v1/cases", {"complaintId": still_open["id"], "title": "t"}, claims=SUPERVISOR)
    assert missing.status == 400 and "lesson" in str(missing.body)
    unknown = call("POST", "/v1/cases", {**body, "complaintId": "nope"}, claims=SUPERVISOR)
    assert unknown.status == 404


def test_the_library_is_searched_by_words_product_and_when_marked(call: Call) -> None:
    cases = []
    for description, product, title, text in (
        (DOUBLE_DEBIT, "credit_card", "Duplicate card debits", "Refund duplicate debits at once."),
        (BRANCH_QUEUE, "deposit", "Rude teller at a branch", "Coach tellers; apologise in writing."),
    ):
        complaint = submit(call, description, product=product)
        resolved = resolve(call, complaint, "Handled.", "process gap")
        marked = call(
            "POST",
            "/v1/cases",
            {"complaintId": complaint["id"], "title": title, "lesson": text, "version": resolved["version"]},
            claims=SUPERVISOR,
        )
        assert marked.status == 201, marked.body
        cases.append(marked.body)

    everything = call("GET", "/v1/cases", claims=OTHER_AGENT).body  # any staff, any team
    assert everything["total"] == 2
    assert [case["title"] for case in everything["items"]] == [
        "Rude teller at a branch",
        "Duplicate card debits",
    ]
    debits = call("GET", "/v1/cases", claims=AGENT, query={"q": "duplicate debit"}).body
    assert [case["title"] for case in debits["items"]] == ["Duplicate card debits"]
    deposits = call("GET", "/v1/cases", claims=AGENT, query={"product": "deposit"}).body
    assert [case["title"] for case in deposits["items"]] == ["Rude teller at a branch"]
    later = cases[1]["markedAt"]
    since = call("GET", "/v1/cases", claims=AGENT, query={"markedFrom": later}).body
    assert [case["title"] for case in since["items"]] == ["Rude teller at a branch"]
    bad = call("GET", "/v1/cases", claims=AGENT, query={"markedFrom": "yesterday"})
    assert bad.status == 400 and "markedFrom" in str(bad.body)
    assert call("GET", "/v1/cases", claims=CHANNEL_APP).status == 403
