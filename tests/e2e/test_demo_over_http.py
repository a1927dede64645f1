"""`make demo` against the running system: a few CFPB rows, one of each fate, loaded; the quarter's
report e-mailed; the demo's own complaints in the report's extract as it planned them; a second run
loads nothing twice. The runtime is shared with the other e2e tests, so the report's totals are
checked as at least the demo's, and the demo's complaints one by one."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import requests
from e2e_support import Api

from scripts.demo import DATA, FINAL_STATUS, OUTCOMES, Client, load, main, plans, read_rows

pytestmark = pytest.mark.xdist_group("e2e")

# One row of each kind the demo knows (Company response to consumer, Timely response?, Consumer
# disputed?), the first of each in the demo's data; the sixth row comes from a repeat complainant.
KINDS = [
    ("Closed with explanation", "Yes", "N/A"),
    ("Closed with explanation", "No", "N/A"),
    ("Closed with monetary relief", "Yes", "N/A"),
    ("Closed with non-monetary relief", "Yes", "N/A"),
    ("In progress", "Yes", "N/A"),
    ("Untimely response", "No", "N/A"),
    ("Closed with explanation", "Yes", "Yes"),
    ("Closed with explanation", "Yes", "No"),
]


def one_of_each_kind(path: Path) -> Path:
    with DATA.open(newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        rows = list(reader)
        columns = reader.fieldnames or []
    chosen = []
    for response, timely, disputed in KINDS:
        chosen.append(
            next(
                row
                for row in rows
                if (row["Company response to consumer"], row["Timely response?"], row["Consumer disputed?"])
                == (response, timely, disputed)
            )
        )
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=columns)
        writer.writeheader()
        writer.writerows(chosen)
    return path


def test_the_demo_loads_its_complaints_as_planned_and_the_report_counts_them(
    api: Api, tmp_path: Path
) -> None:
    data = one_of_each_kind(tmp_path / "kinds.csv")
    printed = io.StringIO()
    summary = main(["--url", api.url, "--count", str(len(KINDS)), "--data", str(data)], out=printed)

    assert summary.report_status == "ready and e-mailed"
    assert len(summary.loaded) == len(KINDS)
    assert len({item.plan.customer_id for item in summary.loaded}) == len(KINDS) - 1  # a repeat complainant
    for item in summary.loaded:
        assert item.status == FINAL_STATUS[item.plan.fate], (item.plan.cfpb_id, item.plan.fate)
    assert sorted(item.plan.rating for item in summary.loaded if item.plan.rating) == [2, 5]
    assert all(item.rated for item in summary.loaded if item.plan.rating)

    # the expectation, worked out from the plan: 2 of the 8 late (one answered, one not), 6 answered on
    # time; one of the two ratings satisfied; 2 closed; 6 resolved or closed
    expected = summary.expected
    assert expected.received == len(KINDS)
    assert expected.first_response_on_time_rate == pytest.approx(6 / 8)
    assert expected.satisfaction_rate == pytest.approx(1 / 2)
    assert expected.closure_rate == pytest.approx(2 / 8)
    assert expected.resolution_rate == pytest.approx(6 / 8)

    # the report counts every complaint of the quarter (other tests' too): at least the demo's
    assert summary.reported is not None and summary.reported.received >= expected.received
    extract = requests.get(summary.links["complaints.csv"], timeout=30)
    rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(extract.text))}
    for item in summary.loaded:
        row = rows[item.reference]
        assert row["status"] == FINAL_STATUS[item.plan.fate]
        answered_late = "no" if item.plan.answered else ""
        assert row["firstResponseOnTime"] == ("yes" if item.plan.on_time else answered_late)
        assert row["rating"] == (str(item.plan.rating) if item.plan.rating else "")
        assert row["outcome"] == OUTCOMES.get(item.plan.fate, "")

    output = printed.getvalue()
    assert summary.report_html and summary.report_html in output
    assert f"Report {summary.report_id}: ready and e-mailed" in output

    # a second run finds what the first loaded and changes nothing
    again = load(Client(api.url), plans(read_rows(data, len(KINDS))), lambda _: None)
    assert [(item.id, item.status) for item in again] == [(i.id, i.status) for i in summary.loaded]
