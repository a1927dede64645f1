"""Fixtures the unit tests of the service share: a fake clock at T0 (also the intake's "now"), an
in-memory repository, a recording tracker and publisher, and the service on them."""

from __future__ import annotations

import pytest
from fakes import T0, FakeClock, FakeTracker, InMemoryComplaintRepository, RecordingPublisher, SequentialIds

from complaints.intake.service import ComplaintService


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(T0)
    # The intake command checks receivedAt against "now"; make that the same fake now.
    monkeypatch.setattr("complaints.intake.commands.utc_now", fake)
    return fake


@pytest.fixture
def repo() -> InMemoryComplaintRepository:
    return InMemoryComplaintRepository()


@pytest.fixture
def tracker() -> FakeTracker:
    return FakeTracker()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def service(
    repo: InMemoryComplaintRepository, clock: FakeClock, tracker: FakeTracker, publisher: RecordingPublisher
) -> ComplaintService:
    """The service on the in-memory repository, a fake tracker and a recording publisher."""
    return ComplaintService(repo, tracker, publisher, clock=clock, ids=SequentialIds())
