"""Registering and managing a registration through the pages, as a person does."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from events.models import ProgrammeItem
from registrations.models import Registration

from ..events.test_pages import text
from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    UserFactory,
    at,
    form_fields,
)
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(db):
    event = EventFactory(
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        timezone="Europe/Bucharest",
        capacity=20,
        starts_at=at(30, "09:00", "Europe/Bucharest"),
        ends_at=at(33, "17:00", "Europe/Bucharest"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    slot = {
        "event": event,
        "kind": ProgrammeItem.Kind.WORKSHOP,
        "starts_at": at(30, "11:00", "Europe/Bucharest"),
        "ends_at": at(30, "12:30", "Europe/Bucharest"),
    }
    event.workshop_a = ProgrammeItemFactory(
        title_en="Mapping", title_ro="Cartografiere", capacity=1, **slot
    )
    event.workshop_b = ProgrammeItemFactory(
        title_en="Governance", title_ro="Guvernanță", capacity=10, **slot
    )
    return event


def form_data(event, **overrides):
    return form_fields(**{"workshop_0": str(event.workshop_a.pk), **overrides})


def register_url(event, language="en"):
    return f"/{language}/events/{event.slug}/register/"


def test_a_person_without_account_registers_in_romanian_and_manages_it(client, training):
    page = client.get(register_url(training, "ro"))
    assert page.status_code == 200
    assert "Cartografiere" in text(page)

    response = client.post(register_url(training, "ro"), form_data(training))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert response["Location"] == f"/ro/events/{training.slug}/register/sent/"
    assert registration.language == "ro"
    assert registration.workshop_choices.get().item == training.workshop_a

    # The private link comes in the confirmation email, in her language.
    deliver_outbox()
    link = f"/ro/r/{registration.secret}/"
    assert any(link in email.body for email in mail.outbox)
    manage = client.get(link)
    page = text(manage)
    assert "Înscrierea dumneavoastră este confirmată" in page or "confirmat" in page.lower()
    assert "Cartografiere" in page

    # Change the workshop from the private page.
    client.post(link, {"workshop_0": str(training.workshop_b.pk)})
    assert registration.workshop_choices.get().item == training.workshop_b

    # Cancel it.
    client.post(f"/ro/r/{registration.secret}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    training.refresh_from_db()
    assert training.places_taken == 0


def test_double_submission_gives_one_registration(client, training):
    first = client.post(register_url(training), form_data(training))
    second = client.post(register_url(training), form_data(training, email="ANA@example.org"))
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1


def test_a_full_workshop_puts_the_choice_on_its_waiting_list_then_promotes_it(client, training):
    client.post(register_url(training), form_data(training, email="first@example.org"))
    client.post(register_url(training), form_data(training, email="second@example.org"))
    second = Registration.objects.get(email="second@example.org")
    assert second.workshop_choices.get().status == "waitlisted"
    page = text(client.get(f"/en/r/{second.secret}/"))
    assert "Mapping" in page and "On the waiting list" in page

    first = Registration.objects.get(email="first@example.org")
    client.post(f"/en/r/{first.secret}/cancel/")
    assert second.workshop_choices.get().status == "confirmed"


def test_a_full_event_offers_the_waiting_list_with_its_position(client, training):
    training.capacity = 1
    training.save()
    client.post(register_url(training), form_data(training, email="first@example.org"))
    page = text(client.get(register_url(training)))
    assert "waiting list" in page
    assert "Join the waiting list" in text(client.get(f"/en/events/{training.slug}/"))
    client.post(register_url(training), form_data(training, email="second@example.org"))
    second = Registration.objects.get(email="second@example.org")
    page = text(client.get(f"/en/r/{second.secret}/"))
    assert "You are on the waiting list, in position 1" in page


def test_field_errors_appear_next_to_their_field_in_the_users_language(client, training):
    response = client.post(register_url(training, "fr"), {"email": "not-an-address"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="id_first_name_error"[^>]*>\s*<li>Ce champ est obligatoire', html)
    assert re.search(r'id="id_email_error"[^>]*>\s*<li>Saisissez une adresse e-mail valide', html)
    assert not Registration.objects.exists()


def test_the_country_list_is_named_in_the_readers_language(client, training):
    french = client.get(register_url(training, "fr")).content.decode()
    hungarian = client.get(register_url(training, "hu")).content.decode()
    assert '<option value="DE">Allemagne</option>' in french
    assert '<option value="DE">Németország</option>' in hungarian
    # Sorted by the names the reader sees: Allemagne comes before Belgique in French.
    assert french.index(">Allemagne<") < french.index(">Belgique<")


def test_an_unknown_country_code_is_refused_next_to_its_field(client, training):
    response = client.post(register_url(training), form_data(training, country="XX"))
    assert response.status_code == 400
    assert re.search(r'id="id_country_error"[^>]*>\s*<li>Select a valid choice', response.text)
    assert not Registration.objects.exists()


def test_oversize_input_is_refused(client, training):
    response = client.post(register_url(training), form_data(training, first_name="A" * 101))
    assert response.status_code == 400
    assert "at most 100 characters" in text(response)
    assert not Registration.objects.exists()


def test_the_honeypot_stops_bots(client, training):
    response = client.post(register_url(training), form_data(training, website="http://spam"))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_floods_are_rate_limited_per_address_and_ip(client, training, settings):
    settings.REGISTRATION_RATE_LIMIT = "4/10m/ip,2/10m/key"
    for _number in range(2):
        client.post(register_url(training), form_data(training, email="same@example.org"))
    limited = client.post(register_url(training), form_data(training, email="same@example.org"))
    assert limited.status_code == 429
    assert "Too many registrations" in text(limited)
    client.post(register_url(training), form_data(training, email="other@example.org"))
    limited = client.post(register_url(training), form_data(training, email="third@example.org"))
    assert limited.status_code == 429
    assert Registration.objects.count() == 2


def test_a_closed_registration_window_says_when_it_closed(client, training):
    training.registration_opens_at = at(-20)
    training.registration_closes_at = at(-3, "18:00")
    training.save()
    response = client.get(register_url(training))
    assert "Registration closed on" in text(response)
    response = client.post(register_url(training), form_data(training))
    assert not Registration.objects.exists()


def test_an_invalid_private_link_is_a_clear_404(client):
    response = client.get("/en/r/not-a-real-secret/")
    assert response.status_code == 404


def test_a_logged_in_user_gets_the_form_prefilled_and_finds_registrations_by_verified_email(
    client, training
):
    # Registered anonymously first, with the address the account later verifies.
    client.post(register_url(training), form_data(training, email="mihaela@example.org"))
    user = UserFactory(email="mihaela@example.org", first_name="Mihaela", last_name="Vețan")
    EmailAddress.objects.create(user=user, email="mihaela@example.org", verified=True, primary=True)
    client.force_login(user)
    form = client.get(register_url(training)).content.decode()
    assert 'value="Mihaela"' in form
    page = text(client.get("/en/my/registrations/"))
    assert "Training in Timișoara" in page
    assert "Confirmed" in page


def test_registrations_with_an_unverified_address_do_not_show_on_the_account(client, training):
    client.post(register_url(training), form_data(training, email="victim@example.org"))
    attacker = UserFactory(email="victim@example.org")
    EmailAddress.objects.create(user=attacker, email="victim@example.org", verified=False)
    client.force_login(attacker)
    assert "Training in Timișoara" not in text(client.get("/en/my/registrations/"))


def test_profile_sets_the_language_used_for_emails(client, training):
    user = UserFactory()
    client.force_login(user)
    partner = OrganisationFactory(name="Fekete Sereg", country="HU")
    response = client.post(
        "/en/my/profile/",
        {
            "first_name": "Rita",
            "last_name": "Kandikó",
            "organisation": partner.pk,
            "organisation_name": "",
            "country": "HU",
            "preferred_language": "hu",
        },
    )
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.preferred_language == "hu"
    form = client.get(register_url(training)).content.decode()
    assert re.search(r'<option value="hu" selected>', form)


def test_a_partner_organisation_is_picked_from_the_list_and_an_unknown_one_refused(
    client, training
):
    partner = OrganisationFactory(name="Fekete Sereg", slug="fekete-sereg", country="HU")
    page = text(client.get(register_url(training)))
    assert "Fekete Sereg" in page

    refused = client.post(
        register_url(training), form_data(training, organisation="999999", organisation_name="")
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["organisation"] == [
        "Choose an organisation from the list."
    ]
    assert not Registration.objects.exists()

    response = client.post(
        register_url(training),
        form_data(training, organisation=str(partner.pk), organisation_name=""),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.organisation == partner
    assert registration.organisation_name == "Fekete Sereg"


def test_the_form_plans_the_organisers_reminder_schedule_and_morning_digest(client, training):
    """The schedule comes with the event's own query on the form's path (not read by the
    reminder planning): what it plans must be what the organisers set."""
    from datetime import time

    from django.utils import timezone

    from notifications.models import Kind, NotificationSettings, OutgoingMessage, ReminderSchedule

    ReminderSchedule.objects.create(event=training, days_before=3, local_time=time(18, 0))
    ReminderSchedule.objects.create(event=training, days_before=10, local_time=time(8, 15))
    NotificationSettings.objects.create(event=training, daily_digest=True, digest_time=time(7, 0))
    client.post(register_url(training), form_data(training))
    rows = OutgoingMessage.objects.filter(registration=Registration.objects.get())

    def local(row):
        return timezone.localtime(row.due_at, row.event.tz).strftime("%d %H:%M")

    start = timezone.localtime(training.starts_at, training.tz)
    reminders = rows.filter(kind=Kind.REMINDER).order_by("due_at")
    assert [(r.dedupe_key, local(r)) for r in reminders] == [
        ("reminder:10d", f"{(start - timezone.timedelta(days=10)):%d} 08:15"),
        ("reminder:3d", f"{(start - timezone.timedelta(days=3)):%d} 18:00"),
    ]
    digests = rows.filter(kind=Kind.DIGEST).order_by("due_at")
    assert [local(d)[-5:] for d in digests] == ["07:00"] * 4  # a four-day event

    # Without a schedule of its own: 7 and 1 days before at 9:00, and no digest.
    other = EventFactory(
        starts_at=training.starts_at,
        ends_at=training.ends_at,
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    data = form_data(training, email="marie@example.org")
    del data["workshop_0"]
    client.post(register_url(other), data)
    rows = OutgoingMessage.objects.filter(registration__event=other)
    assert sorted(r.dedupe_key for r in rows.filter(kind=Kind.REMINDER)) == [
        "reminder:1d",
        "reminder:7d",
    ]
    assert {local(r)[-5:] for r in rows.filter(kind=Kind.REMINDER)} == {"09:00"}
    assert not rows.filter(kind=Kind.DIGEST).exists()


def test_registering_again_from_the_link_chooses_the_workshops_again(client, training):
    client.post(register_url(training), form_data(training, email="again@example.org"))
    registration = Registration.objects.get(email="again@example.org")
    link = f"/en/r/{registration.secret}/"
    client.post(f"{link}cancel/")
    assert not registration.workshop_choices.exists()
    page = client.get(link).content.decode()
    assert 'name="workshop_0"' in page  # the register-again form asks for them

    refused = client.post(f"{link}register-again/", follow=True)
    assert "Choose your workshops to register again." in refused.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"

    client.post(f"{link}register-again/", {"workshop_0": str(training.workshop_b.pk)})

    registration.refresh_from_db()
    assert registration.status == "confirmed"
    choice = registration.workshop_choices.get()
    assert (choice.item, choice.status) == (training.workshop_b, "confirmed")
    training.workshop_b.refresh_from_db()
    assert training.workshop_b.places_taken == 1
    assert "Governance" in client.get(link).content.decode()


def test_strangers_flooding_an_address_do_not_keep_its_verified_owner_out(
    client, training, settings
):
    settings.REGISTRATION_RATE_LIMIT = "100/10m/ip,2/10m/key"
    for _number in range(3):
        Client().post(register_url(training), form_data(training, email="owner@example.org"))
    owner = UserFactory(email="owner@example.org")
    EmailAddress.objects.create(user=owner, email="owner@example.org", verified=True, primary=True)
    client.force_login(owner)

    response = client.post(register_url(training), form_data(training, email="owner@example.org"))

    registration = Registration.objects.get(email="owner@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/en/r/{registration.secret}/"
