import pytest
from django.core.cache import caches

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the caches: every test starts from nothing."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organiser(db):
    return UserFactory(email="organiser@example.org")
