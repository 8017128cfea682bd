"""Nobody can lock another person out, and behind the reverse proxy rate limits count the
real client's address (``TRUSTED_PROXY_COUNT``), never one a client made up."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from registrations.models import Registration

from ..factories import UserFactory
from ..outbox import deliver_outbox
from .test_pages import form_data, register_url, training  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"
PROXY = "10.0.0.2"


@pytest.fixture
def owner(db):
    user = UserFactory(email="owner@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, email, password, **environ):
    return client.post("/en/accounts/login/", {"login": email, "password": password}, **environ)


def behind_proxies(settings, count):
    """What TRUSTED_PROXY_COUNT=count in the environment sets."""
    settings.TRUSTED_PROXY_COUNT = count
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count


def test_wrong_passwords_for_someone_else_do_not_stop_the_owner_logging_in(
    client, django_user_model, owner
):
    attacker = client.__class__()
    for _attempt in range(20):
        log_in(attacker, owner.email, "guess", REMOTE_ADDR=ATTACKER)
    refused = log_in(attacker, owner.email, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert "_auth_user_id" not in attacker.session
    assert "Too many failed login attempts" in refused.content.decode()

    log_in(client, owner.email, PASSWORD, REMOTE_ADDR=OWNER)
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_wrong_passwords_for_someone_else_do_not_stop_a_login_by_code(client, owner):
    attacker = client.__class__()
    for _attempt in range(20):
        log_in(attacker, owner.email, "guess", REMOTE_ADDR=ATTACKER)
    response = client.post("/en/accounts/login/code/", {"email": owner.email}, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    deliver_outbox()
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    client.post(response["Location"], {"code": code}, REMOTE_ADDR=OWNER)
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_sign_up_with_a_known_and_a_new_address_shows_the_same_page_and_sends_one_email(
    client, owner
):
    def sign_up(email):
        visitor = client.__class__()
        response = visitor.post(
            "/en/accounts/signup/",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
            follow=True,
        )
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return response.redirect_chain, response.status_code, page.replace(email, "EMAIL")

    known = sign_up(owner.email)
    new = sign_up("newcomer@example.org")
    assert known == new
    deliver_outbox()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "newcomer@example.org",
        "owner@example.org",
    ]


def test_login_failures_behind_the_proxy_count_each_client_apart(client, settings, owner):
    behind_proxies(settings, 1)
    first = client.__class__()
    for number in range(10):
        log_in(
            first,
            f"someone{number}@example.org",
            "guess",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    refused = log_in(first, owner.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert "Too many failed login attempts" in refused.content.decode()

    log_in(client, owner.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER)
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_login_failures_without_a_trusted_proxy_ignore_a_made_up_forwarded_for(
    client, settings, owner
):
    behind_proxies(settings, 0)
    for number in range(10):
        log_in(client, f"someone{number}@example.org", "guess", REMOTE_ADDR=ATTACKER)
    refused = log_in(
        client, owner.email, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def register(client, event, email, **environ):
    return client.post(register_url(event), form_data(event, email=email), **environ)


def test_registrations_behind_the_proxy_count_each_client_apart(client, settings, training):  # noqa: F811
    behind_proxies(settings, 1)
    settings.REGISTRATION_RATE_LIMIT = "2/10m/ip"
    for number in range(2):
        register(
            client,
            training,
            f"a{number}@example.org",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ATTACKER}",
        )
    limited = register(
        client, training, "a3@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert limited.status_code == 429
    other = register(
        client, training, "b@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert other.status_code == 302
    assert Registration.objects.count() == 3


def test_registrations_without_a_trusted_proxy_ignore_a_made_up_forwarded_for(
    client,
    settings,
    training,  # noqa: F811
):
    behind_proxies(settings, 0)
    settings.REGISTRATION_RATE_LIMIT = "2/10m/ip"
    for number in range(2):
        register(client, training, f"a{number}@example.org", REMOTE_ADDR=ATTACKER)
    spoofed = register(
        client, training, "a3@example.org", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert spoofed.status_code == 429
    assert Registration.objects.count() == 2


def test_registrations_go_through_uncounted_while_redis_is_away(client, settings, training):  # noqa: F811
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens
    settings.REGISTRATION_RATE_LIMIT = "1/10m/ip"

    first = register(client, training, "a1@example.org")
    second = register(client, training, "a2@example.org")

    assert (first.status_code, second.status_code) == (302, 302)
    assert Registration.objects.count() == 2
