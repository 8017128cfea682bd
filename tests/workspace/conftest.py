"""Fixtures of the workspace's setup tests: an event and its organiser."""

import pytest

from ..factories import EventFactory, UserFactory, at


@pytest.fixture
def event(db):
    """A published training in English, French and Romanian, registration open."""
    event = EventFactory(
        slug="timisoara",
        title_en="Training in Timișoara",
        timezone="Europe/Bucharest",
        default_language="en",
        languages=["en", "fr", "ro"],
        capacity=40,
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    event.organiser = UserFactory(email="organiser@example.org")
    event.organisers.add(event.organiser)
    return event


@pytest.fixture
def organiser_client(client, event):
    """Logged in as the event's organiser: no staff flag, no group, no model permission."""
    user = event.organiser
    assert not user.is_staff and not user.is_superuser
    assert not user.user_permissions.exists() and not user.groups.exists()
    client.force_login(user)
    return client
