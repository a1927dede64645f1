"""The period of a quarterly report: a calendar quarter of the bank's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from complaints.core.errors import InvalidInput

REPORT_TIMEZONE = "Asia/Shanghai"
# Reports start here: no complaint is older, and a quarter's days stay within what datetime holds.
FIRST_YEAR = 1970
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")

Period = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-Q[1-4]$"),
    Field(description="a calendar quarter, `YYYY-Qn`, e.g. `2026-Q3`", examples=["2026-Q3"]),
]


# --- the period -------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text)
        if not match or int(match.group(1)) < FIRST_YEAR:
            raise InvalidInput.for_field("period", f"must be a quarter from {FIRST_YEAR} on, like 2026-Q3")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, moment: datetime, timezone: str) -> Quarter:
        local = moment.astimezone(ZoneInfo(timezone))
        return cls(local.year, (local.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the quarter's local calendar days."""
        zone = ZoneInfo(timezone)

        def midnight(day: date) -> datetime:
            return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

        return midnight(self.first_day), midnight(self.next().first_day)

    def months(self) -> list[str]:
        return [f"{self.year}-{3 * self.number - 2 + offset:02d}" for offset in range(3)]
