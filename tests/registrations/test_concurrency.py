"""Places hold when many people register at the same moment, through real HTTP requests.

Each request runs in its own thread of a live server, on the real database. On
PostgreSQL the event row lock serialises the counting; the control test turns the lock
off and shows the overbooking it prevents. On SQLite, BEGIN IMMEDIATE serialises writers.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import Event, ProgrammeItem
from notifications.models import Kind, OutgoingMessage
from registrations.models import Registration, WorkshopChoice

from ..factories import EventFactory, OrganisationFactory, ProgrammeItemFactory, QuotaFactory, at
from ..http import Browser

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 40


@pytest.fixture
def no_rate_limit(settings):
    settings.REGISTRATION_RATE_LIMIT = "100000/m/ip"


@pytest.fixture
def crowded_event(db):
    event = EventFactory(capacity=10, registration_opens_at=at(-3), registration_closes_at=at(10))
    event.workshop = ProgrammeItemFactory(event=event, kind=ProgrammeItem.Kind.WORKSHOP, capacity=4)
    event.partner = OrganisationFactory(name="Largo")
    QuotaFactory(event=event, organisation=event.partner, places=3)
    return event


def burst(live_server, event, emails, organisation=None):
    """Every client loads the form, then all submit at the same instant."""
    barrier = threading.Barrier(len(emails))
    path = f"/en/events/{event.slug}/register/"

    def one(email):
        browser = Browser(live_server.url)
        data = {
            "first_name": "Ana",
            "last_name": "P",
            "email": email,
            "role": "participant",
            "organisation_name": "Org",
            "language": "en",
            "privacy_consent": "on",
            "workshop_0": str(event.workshop.pk),
        }
        if organisation:
            data["organisation"] = str(organisation.pk)
        _status, _html = browser.get(path)
        barrier.wait(timeout=60)
        return browser.post_form(path, data)[0]

    with ThreadPoolExecutor(max_workers=len(emails)) as pool:
        return list(pool.map(one, emails))


def held(event):
    return Registration.objects.filter(event=event, status__in=["confirmed", "pending"])


def test_capacity_quota_and_workshop_places_hold_under_a_burst(
    live_server, crowded_event, no_rate_limit
):
    outsiders = [f"outsider{n}@example.org" for n in range(CLIENTS)]
    statuses = burst(live_server, crowded_event, outsiders)
    members = [f"member{n}@example.org" for n in range(6)]
    statuses += burst(live_server, crowded_event, members, organisation=crowded_event.partner)
    assert set(statuses) == {302}, "every attempt gets an answer: confirmed or waiting list"

    event = Event.objects.get(pk=crowded_event.pk)
    assert held(event).count() == event.places_taken == 10
    # Three places were reserved for the partner and went to its members.
    assert held(event).filter(organisation=crowded_event.partner).count() == 3
    assert held(event).filter(organisation__isnull=True).count() == 7
    assert Registration.objects.filter(event=event, status="waitlisted").count() == CLIENTS + 6 - 10
    workshop = ProgrammeItem.objects.get(pk=crowded_event.workshop.pk)
    confirmed_choices = WorkshopChoice.objects.filter(item=workshop, status="confirmed").count()
    assert confirmed_choices == workshop.places_taken == 4
    # Each person has the one email of the status they ended with.
    first_emails = {
        registration.email: sorted(
            OutgoingMessage.objects.filter(
                registration=registration, kind__in=[Kind.CONFIRMED, Kind.WAITLISTED]
            ).values_list("kind", flat=True)
        )
        for registration in Registration.objects.filter(event=event)
    }
    expected = {
        registration.email: [Kind.CONFIRMED if registration.holds_place else Kind.WAITLISTED]
        for registration in Registration.objects.filter(event=event)
    }
    assert first_emails == expected
    reminders = OutgoingMessage.objects.filter(registration__event=event, kind=Kind.REMINDER)
    assert set(reminders.values_list("registration__status", flat=True)) == {"confirmed"}


def test_a_double_click_storm_makes_one_registration(live_server, crowded_event, no_rate_limit):
    statuses = burst(live_server, crowded_event, ["same@example.org"] * 12)
    assert set(statuses) == {302}
    assert Registration.objects.filter(event=crowded_event).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks to turn off")
def test_control_without_the_lock_the_event_is_overbooked(live_server, no_rate_limit, settings):
    """The same burst with the event lock turned off: the recount races and places are
    sold twice. This is what the lock in registrations.services prevents.

    The race is only possible while places are left, so each round uses a fresh event.
    """
    settings.REGISTRATIONS_LOCK_EVENT = False
    overbooked = 0
    for round_number in range(6):
        event = EventFactory(
            capacity=5, registration_opens_at=at(-3), registration_closes_at=at(10)
        )
        event.workshop = ProgrammeItemFactory(event=event, kind=ProgrammeItem.Kind.WORKSHOP)
        burst(live_server, event, [f"r{round_number}-{n}@example.org" for n in range(CLIENTS)])
        overbooked = held(event).count() - 5
        if overbooked > 0:
            break
    assert overbooked > 0, "without the lock, concurrent requests should oversell"
