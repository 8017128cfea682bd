"""Every form that takes an email address refuses what it cannot store, with a message in
the user's language, and then stores nothing and sends nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.validators import EmailValidator
from django.utils import translation

from notifications.models import OutgoingMessage
from registrations.models import Registration

from ..events.test_pages import text
from ..factories import EventFactory, OrganisationFactory, UserFactory, at, form_fields
from ..outbox import deliver_outbox
from .test_delegations import delegation_post

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"
# 262 characters: valid for Django's validator (up to 320), too long for the 254-character
# address columns. allauth used to keep its first 254 characters, which have no "@".
TOO_LONG = "a" * 250 + "@example.org"
WITHOUT_AT = "someone.example.org"
BAD_ADDRESSES = [pytest.param(TOO_LONG, id="too-long"), pytest.param(WITHOUT_AT, id="no-at")]

TOO_LONG_MESSAGE = {
    "en": "An email address can have at most 254 characters (this one has 262).",
    "fr": "Une adresse e-mail compte au plus 254 caractères (celle-ci en compte 262).",
}


def expected_message(address: str, language: str) -> str:
    if address == TOO_LONG:
        return TOO_LONG_MESSAGE[language]
    with translation.override(language):  # Django's own words (they vary between releases)
        return str(EmailValidator.message)


def assert_nothing_sent():
    assert not OutgoingMessage.objects.exists()
    deliver_outbox()
    assert mail.outbox == []


@pytest.fixture
def verified_user(db):
    user = UserFactory(email="rita@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_sign_up_refuses_an_address_it_cannot_store(client, address, language):
    response = client.post(
        f"/{language}/accounts/signup/",
        {"email": address, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert expected_message(address, language) in text(response)
    assert not get_user_model().objects.exists()
    assert not EmailAddress.objects.exists()
    assert_nothing_sent()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_adding_an_address_refuses_one_it_cannot_store(client, verified_user, address):
    client.force_login(verified_user)
    response = client.post("/fr/accounts/email/", {"action_add": "", "email": address})
    assert response.status_code == 200
    assert expected_message(address, "fr") in text(response)
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["rita@example.org"]
    assert_nothing_sent()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_logging_in_refuses_an_address_no_account_can_have(client, verified_user, address):
    response = client.post("/fr/accounts/login/", {"login": address, "password": PASSWORD})
    assert response.status_code == 200
    assert expected_message(address, "fr") in text(response)
    assert "_auth_user_id" not in client.session
    assert_nothing_sent()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_password_reset_refuses_an_address_it_cannot_store(client, verified_user, address):
    response = client.post("/fr/accounts/password/reset/", {"email": address})
    assert response.status_code == 200
    assert expected_message(address, "fr") in text(response)
    assert_nothing_sent()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_login_by_code_refuses_an_address_it_cannot_store(client, verified_user, address):
    response = client.post("/fr/accounts/login/code/", {"email": address})
    assert response.status_code == 200
    assert expected_message(address, "fr") in text(response)
    assert_nothing_sent()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_registration_form_refuses_an_address_it_cannot_store(client, address):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))
    response = client.post(
        f"/fr/events/{event.slug}/register/", form_fields(email=address, language="fr")
    )
    message = (
        "Assurez-vous que cette valeur comporte au plus 254 caractères"
        if address == TOO_LONG
        else expected_message(address, "fr")
    )
    assert message in text(response)
    assert not Registration.objects.exists()
    assert_nothing_sent()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_delegation_form_refuses_an_address_it_cannot_store(client, address):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))
    organisation = OrganisationFactory()
    coordinator = UserFactory()
    organisation.coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/fr/coordinator/{organisation.slug}/{event.slug}/",
        delegation_post([("Rita", "Kandikó", "rita@example.org"), ("Bence", "Tóth", address)]),
    )
    message = (
        "Assurez-vous que cette valeur comporte au plus 254 caractères"
        if address == TOO_LONG
        else expected_message(address, "fr")
    )
    assert message in text(response)
    assert not Registration.objects.exists()
    assert_nothing_sent()


def test_sign_up_keeps_the_longest_address_it_can_store_whole(client):
    longest = "a" * 242 + "@example.org"  # 254 characters
    response = client.post(
        "/en/accounts/signup/", {"email": longest, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert get_user_model().objects.get().email == longest
    assert EmailAddress.objects.get().email == longest
    deliver_outbox()
    assert mail.outbox[0].to == [longest]
