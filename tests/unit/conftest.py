"""Fixtures the unit tests of the service share: an in-memory repository and the service on it, with
the fake clock and tracker of tests/conftest.py."""

from __future__ import annotations

import pytest
from fakes import FakeClock, FakeTracker, InMemoryComplaintRepository, SequentialIds

from complaints.intake.service import ComplaintService


@pytest.fixture
def repo() -> InMemoryComplaintRepository:
    return InMemoryComplaintRepository()


@pytest.fixture
def service(repo: InMemoryComplaintRepository, clock: FakeClock, tracker: FakeTracker) -> ComplaintService:
    """The service on the in-memory repository and a fake tracker."""
    return ComplaintService(repo, tracker, clock=clock, ids=SequentialIds())
