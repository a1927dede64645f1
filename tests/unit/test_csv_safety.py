"""Report CSVs cannot run (issue 11, item 7): a cell a spreadsheet would read as a formula is
written as text, with OWASP's leading single quote; numbers and dates are left as they are."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from complaints.core.models import AccountabilityRecord, AccountabilityStatus
from complaints.reporting.extracts import (
    COMPLAINT_COLUMNS,
    csv_safe,
    csv_writer,
    iso_utc,
    write_accountability_csv,
)

STARTS = ("=", "+", "-", "@", "\t", "\r")
OPENED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("start", [*STARTS, "＝", "＋", "－", "＠"])
def test_a_text_that_would_start_a_formula_is_quoted(start: str) -> None:
    assert csv_safe(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "value",
    [
        0,
        17,
        -3,
        0.25,
        -0.5,
        Decimal("-12.50"),
        "-12",
        "+3.5",
        "",
        "2026-03-02T01:00:00Z",
        "2026-Q1",
        "batch replay",
        "a=b",
        "'=already quoted",
        None,
    ],
)
def test_numbers_dates_and_plain_texts_are_untouched(value: object) -> None:
    assert csv_safe(value) == value


@pytest.mark.parametrize("start", STARTS)
def test_root_cause_team_and_subcategory_come_out_neutralised(start: str) -> None:
    """A complaints.csv row as the aggregation writes it, through the one CSV writer."""
    sink = io.StringIO()
    writer = csv_writer(sink)
    writer.writerow(COMPLAINT_COLUMNS)
    row = dict.fromkeys(COMPLAINT_COLUMNS, "")
    row |= {
        "reference": "CG-260302-ABC123",
        "receivedAt": iso_utc(OPENED),
        "subcategory": f"{start}cmd|' /C calc'!A0",
        "team": f"{start}SUM(1+1)",
        "rootCause": f"{start}1+2",
        "escalationLevel": 2,
        "breaches": 0,
    }
    writer.writerow(row[column] for column in COMPLAINT_COLUMNS)
    header, written = rows(sink.getvalue())
    cells = dict(zip(header, written, strict=True))
    assert cells["subcategory"] == f"'{start}cmd|' /C calc'!A0"
    assert cells["team"] == f"'{start}SUM(1+1)"
    assert cells["rootCause"] == f"'{start}1+2"
    assert cells["receivedAt"] == "2026-03-02T01:00:00Z"
    assert (cells["escalationLevel"], cells["breaches"]) == ("2", "0")


@pytest.mark.parametrize("start", STARTS)
def test_the_accountability_extract_is_neutralised(start: str) -> None:
    record = AccountabilityRecord(
        id="acc-1",
        complaint_id="c-1",
        reference="CG-260302-ABC123",
        deadline="resolution",
        due_at=OPENED,
        assignee=f"{start}agent",
        team=f"{start}cards",
        status=AccountabilityStatus.REVIEWED,
        opened_at=OPENED,
        action=f"{start}coaching",
    )
    sink = io.StringIO()
    write_accountability_csv([record], sink)
    _, written = rows(sink.getvalue())
    assert written[3:5] == [f"'{start}cards", f"'{start}agent"]
    assert written[5] == "2026-03-02T01:00:00Z"
    assert written[8] == f"'{start}coaching"
