"""Knowing someone's email address opens nothing: the public registration form answers
the same for a new and a known address, and the private link goes only to the address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from notifications.models import Kind, OutgoingMessage
from registrations.models import Registration

from ..events.test_pages import text
from ..factories import UserFactory, at, form_fields
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def url(event):
    return f"/en/events/{event.slug}/register/"


def submit(event, client=None, **fields):
    return (client or Client()).post(url(event), form_fields(**{"language": "en", **fields}))


@pytest.fixture
def victim(open_event):
    """Ana registered herself, from her own browser."""
    submit(open_event, email="ana.victim@example.org", first_name="Ana", last_name="Victim")
    deliver_outbox()
    mail.outbox.clear()
    return Registration.objects.get(email="ana.victim@example.org")


def page_without_tokens(response) -> str:
    return CSRF.sub("", response.content.decode())


def private_links(response) -> list[str]:
    return re.findall(r"/r/[A-Za-z0-9_-]{20,}/", response.content.decode())


def link_emails(registration):
    return OutgoingMessage.objects.filter(registration=registration, kind=Kind.PRIVATE_LINK)


def test_a_known_address_does_not_open_its_registration_to_someone_else(open_event, victim):
    attacker = Client()
    response = submit(open_event, attacker, email="ANA.Victim@Example.org ", first_name="Mallory")

    assert response.status_code == 302
    assert victim.secret not in response["Location"]
    page = attacker.get(response["Location"])
    assert victim.secret not in page.content.decode() and not private_links(page)
    assert attacker.get(f"/en/r/{victim.secret}/").status_code == 200  # (the secret works)
    before = Registration.objects.get(pk=victim.pk)
    assert (before.first_name, before.status, before.secret) == ("Ana", "confirmed", victim.secret)


def test_a_known_address_gets_its_private_link_by_email(open_event, victim):
    submit(open_event, email="ana.victim@example.org", first_name="Mallory")

    assert link_emails(victim).count() == 1
    deliver_outbox()
    [email] = mail.outbox
    assert email.to == ["ana.victim@example.org"]
    assert "Your private link" in email.subject
    assert f"/en/r/{victim.secret}/" in email.body
    assert "Hello Ana," in email.body and "Mallory" not in email.body


def test_after_a_link_reset_a_known_address_still_gets_nothing(open_event, victim):
    owner = Client()
    owner.post(f"/en/r/{victim.secret}/new-link/")
    victim.refresh_from_db()

    attacker = Client()
    response = submit(open_event, attacker, email="ana.victim@example.org")
    page = attacker.get(response["Location"], follow=True)

    assert victim.secret not in response["Location"]
    assert victim.secret not in page.content.decode() and not private_links(page)
    deliver_outbox()
    assert [email.to for email in mail.outbox] == [["ana.victim@example.org"]]
    assert f"/en/r/{victim.secret}/" in mail.outbox[0].body


def test_a_cancelled_registration_is_not_reopened_by_the_public_form(open_event, victim):
    Client().post(f"/en/r/{victim.secret}/cancel/")

    response = submit(open_event, email="ana.victim@example.org", first_name="Mallory")

    assert response.status_code == 302 and victim.secret not in response["Location"]
    victim.refresh_from_db()
    assert (victim.status, victim.first_name, victim.last_name) == ("cancelled", "Ana", "Victim")
    open_event.refresh_from_db()
    assert open_event.places_taken == 0
    assert Registration.objects.filter(event=open_event).count() == 1


def test_a_new_and_a_known_address_get_the_same_answer(open_event, victim):
    new_client, known_client = Client(), Client()
    new = submit(open_event, new_client, email="someone.new@example.org")
    known = submit(open_event, known_client, email="ana.victim@example.org")

    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    new_page, known_page = new_client.get(new["Location"]), known_client.get(known["Location"])
    assert new_page.status_code == known_page.status_code == 200
    assert [t.name for t in new_page.templates] == [t.name for t in known_page.templates]
    assert page_without_tokens(new_page) == page_without_tokens(known_page)
    assert "Check your email" in text(new_page)
    # Each one's link goes by email: the confirmation, and the private link sent again.
    new_registration = Registration.objects.get(email="someone.new@example.org")
    deliver_outbox()
    by_address = {email.to[0]: email.body for email in mail.outbox}
    assert f"/en/r/{new_registration.secret}/" in by_address["someone.new@example.org"]
    assert f"/en/r/{victim.secret}/" in by_address["ana.victim@example.org"]


def test_a_logged_in_owner_of_the_verified_address_goes_to_the_registration(open_event, victim):
    owner = UserFactory(email="ana.victim@example.org")
    EmailAddress.objects.create(user=owner, email="ana.victim@example.org", verified=True)
    client = Client()
    client.force_login(owner)

    response = submit(open_event, client, email="Ana.Victim@example.org", first_name="Anna")

    assert response["Location"] == f"/en/r/{victim.secret}/"
    assert not link_emails(victim).exists()  # shown at once, no email needed
    victim.refresh_from_db()
    assert victim.first_name == "Ana"
    assert Registration.objects.count() == 1


def test_only_a_verified_owner_is_sent_straight_to_a_new_registration(open_event):
    owner = UserFactory(email="rita@example.org")
    EmailAddress.objects.create(user=owner, email="rita@example.org", verified=True)
    unverified = UserFactory(email="joe@example.org")
    EmailAddress.objects.create(user=unverified, email="joe@example.org", verified=False)
    clients = {user.email: Client() for user in (owner, unverified)}
    for user in (owner, unverified):
        clients[user.email].force_login(user)

    verified = submit(open_event, clients["rita@example.org"], email="rita@example.org")
    other = submit(open_event, clients["joe@example.org"], email="joe@example.org")

    rita = Registration.objects.get(email="rita@example.org")
    assert verified["Location"] == f"/en/r/{rita.secret}/"
    assert rita.user == owner
    joe = Registration.objects.get(email="joe@example.org")
    assert joe.secret not in other["Location"]
    assert "Check your email" in text(clients["joe@example.org"].get(other["Location"]))
    assert joe.user is None  # not on that account's list until it verifies the address


def test_a_logged_in_user_with_the_address_unverified_gets_nothing(open_event, victim):
    attacker = UserFactory(email="ana.victim@example.org")
    EmailAddress.objects.create(user=attacker, email="ana.victim@example.org", verified=False)
    client = Client()
    client.force_login(attacker)

    response = submit(open_event, client, email="ana.victim@example.org", first_name="Mallory")

    assert victim.secret not in response["Location"]
    assert not private_links(client.get(response["Location"]))
    victim.refresh_from_db()
    assert (victim.first_name, victim.user) == ("Ana", None)
    assert link_emails(victim).count() == 1


def test_a_cancelled_registration_is_made_again_from_its_own_link(open_event, victim):
    owner = Client()
    owner.post(f"/en/r/{victim.secret}/cancel/")
    page = text(owner.get(f"/en/r/{victim.secret}/"))
    assert "Register again" in page

    owner.post(f"/en/r/{victim.secret}/register-again/")

    victim.refresh_from_db()
    assert (victim.status, victim.first_name) == ("confirmed", "Ana")
    open_event.refresh_from_db()
    assert open_event.places_taken == 1
    assert "Your registration is confirmed." in text(owner.get(f"/en/r/{victim.secret}/"))


def test_registering_again_from_the_link_waits_when_the_event_is_full(open_event, victim):
    Client().post(f"/en/r/{victim.secret}/cancel/")
    for number in range(3):
        submit(open_event, email=f"other{number}@example.org")

    Client().post(f"/en/r/{victim.secret}/register-again/")

    victim.refresh_from_db()
    assert victim.status == "waitlisted"
    open_event.refresh_from_db()
    assert open_event.places_taken == 3


def test_registering_again_is_refused_once_registration_has_closed(open_event, victim):
    Client().post(f"/en/r/{victim.secret}/cancel/")
    open_event.registration_opens_at, open_event.registration_closes_at = at(-9), at(-1)
    open_event.save()

    page = text(Client().post(f"/en/r/{victim.secret}/register-again/", follow=True))

    assert "Registration closed on" in page
    victim.refresh_from_db()
    assert victim.status == "cancelled"


@pytest.mark.parametrize(
    ("language", "leave", "give"),
    [
        ("en", "If you cancel, you leave the waiting list.", "Your place"),
        ("ro", "Dacă anulați, ieșiți de pe lista de așteptare.", "Locul dumneavoastră"),
    ],
)
def test_someone_on_the_waiting_list_is_told_cancelling_leaves_it(
    open_event, victim, language, leave, give
):
    for number in range(2):
        submit(open_event, email=f"other{number}@example.org")
    submit(open_event, email="waiting@example.org", first_name="Wanda")
    waiting = Registration.objects.get(email="waiting@example.org")
    assert waiting.status == "waitlisted"

    private_page = text(Client().get(f"/{language}/r/{waiting.secret}/"))
    cancel_page = text(Client().get(f"/{language}/r/{waiting.secret}/cancel/"))
    confirmed_page = text(Client().get(f"/{language}/r/{victim.secret}/"))

    assert leave in private_page and give not in private_page
    assert leave in cancel_page and give not in cancel_page
    assert give in confirmed_page and leave not in confirmed_page
