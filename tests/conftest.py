import pytest

from .factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organiser(db):
    return UserFactory(email="organiser@example.org")
