"""Fixtures the unit tests of the service share: an in-memory repository and the service on it, with
the fake clock, tracker and publisher of tests/conftest.py."""

from __future__ import annotations

import pytest
from fakes import FakeClock, FakeTracker, InMemoryComplaintRepository, RecordingPublisher, SequentialIds

from complaints.intake.service import ComplaintService


@pytest.fixture
def repo() -> InMemoryComplaintRepository:
    return InMemoryComplaintRepository()


@pytest.fixture
def service(
    repo: InMemoryComplaintRepository, clock: FakeClock, tracker: FakeTracker, publisher: RecordingPublisher
) -> ComplaintService:
    """The service on the in-memory repository, a fake tracker and a recording publisher."""
    return ComplaintService(repo, tracker, publisher, clock=clock, ids=SequentialIds())
