"""One page of a listing and its opaque token for the next."""

from __future__ import annotations

from typing import Generic, TypeVar

from complaints.core.models import (
    ApiModel,
)

T = TypeVar("T")

MAX_PAGE_SIZE = 100


class Page(ApiModel, Generic[T]):
    items: list[T]
    next_token: str | None = None
