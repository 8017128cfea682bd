import pytest

from ..factories import EventFactory, at


@pytest.fixture
def open_event(db):
    """A published event whose registration is open now."""
    return EventFactory(
        registration_opens_at=at(-10),
        registration_closes_at=at(15),
        capacity=3,
    )
