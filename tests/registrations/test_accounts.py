"""Accounts with django-allauth: verified sign-up, login by code, no address enumeration."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from ..factories import UserFactory
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"


def signup(client, email, language="en"):
    return client.post(
        f"/{language}/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_requires_a_verified_address(client):
    response = signup(client, "Rita@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = get_user_model().objects.get(email__iexact="rita@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    deliver_outbox()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)

    # Not verified yet: logging in with the password is held back.
    response = client.post(
        "/en/accounts/login/", {"login": "rita@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session

    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_texts_and_emails_are_in_the_users_language(client):
    signup(client, "marta@example.org", language="pt")
    deliver_outbox()
    assert mail.outbox[0].subject
    assert "e-mail" in mail.outbox[0].body.lower() or "email" in mail.outbox[0].body.lower()
    page = client.get("/pt/accounts/login/").content.decode()
    assert 'lang="pt"' in page
    assert "Palavra-passe" in page or "Senha" in page


def test_sign_up_does_not_reveal_that_an_address_has_an_account(client):
    existing = UserFactory(email="known@example.org")
    EmailAddress.objects.create(
        user=existing, email="known@example.org", verified=True, primary=True
    )
    known = signup(client, "known@example.org")
    unknown = signup(client.__class__(), "unknown@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    existing = UserFactory(email="known@example.org")
    EmailAddress.objects.create(
        user=existing, email="known@example.org", verified=True, primary=True
    )
    known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_log_in_by_a_one_time_code_sent_by_email(client):
    user = UserFactory(email="paulo@example.org")
    EmailAddress.objects.create(user=user, email="paulo@example.org", verified=True, primary=True)
    response = client.post("/en/accounts/login/code/", {"email": "paulo@example.org"})
    assert response.status_code == 302
    deliver_outbox()
    body = mail.outbox[-1].body
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)
    assert "Rencontres" in body
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get("/en/my/registrations/")
    assert page.status_code == 200


def test_failed_logins_are_rate_limited(client):
    user = UserFactory(email="target@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="target@example.org", verified=True)
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": "target@example.org", "password": "wrong"})
    # Even the right password is refused until the limit expires.
    response = client.post(
        "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
