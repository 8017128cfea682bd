import pytest
from django.core.cache import cache

from registrations.selectors import event_configurations_forget

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache, and each process keeps the registration
    forms' event configurations (keyed by the rows' versions, which a rolled-back database
    can repeat): every test starts from nothing, as a new process would."""
    cache.clear()
    event_configurations_forget()
    yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organiser(db):
    return UserFactory(email="organiser@example.org")
