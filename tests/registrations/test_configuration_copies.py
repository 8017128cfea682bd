"""Each process keeps a copy of an event's registration configuration (questions, quotas,
workshops, reminder schedule) between requests. Whatever organisers change must show on
the very next request, as if nothing were kept; and the copy must really be used."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, ProgrammeItem
from notifications.models import Kind, OutgoingMessage, ReminderSchedule
from registrations import services
from registrations.models import QuestionOption, Registration

from ..events.test_pages import text
from ..factories import (
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    QuotaFactory,
    RoomFactory,
    at,
    form_fields,
    person,
)

pytestmark = pytest.mark.django_db


def url(event):
    return f"/en/events/{event.slug}/register/"


def data(**overrides):
    return form_fields(**{"language": "en", **overrides})


def test_a_question_added_after_the_form_was_shown_is_asked_and_required(client, open_event):
    assert "Arrival by train?" not in text(client.get(url(open_event)))

    question = QuestionFactory(event=open_event, label_en="Arrival by train?", required=True)

    assert "Arrival by train?" in text(client.get(url(open_event)))
    response = client.post(url(open_event), data())
    assert response.status_code == 400
    assert f'id="id_question_{question.pk}_error"' in response.content.decode()
    assert not Registration.objects.exists()


def test_an_option_added_to_a_question_shows_on_the_next_request(client, open_event):
    question = QuestionFactory(event=open_event, label_en="Meal", kind="single")
    QuestionOption.objects.create(question=question, label_en="Vegetarian")
    assert "Vegan" not in text(client.get(url(open_event)))

    QuestionOption.objects.create(question=question, label_en="Vegan")

    assert "Vegan" in text(client.get(url(open_event)))


def test_a_quota_added_after_the_form_was_shown_reserves_its_places(client, open_event):
    """Capacity 3: once two places are reserved for a partner, only one is left for the
    others, even for a process that showed the form before the quota existed."""
    client.get(url(open_event))
    QuotaFactory(event=open_event, organisation=OrganisationFactory(), places=2)

    client.post(url(open_event), data(email="first@example.org"))
    client.post(url(open_event), data(email="second@example.org"))

    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"first@example.org": "confirmed", "second@example.org": "waitlisted"}


def test_a_renamed_room_and_workshop_show_on_the_next_request(client, open_event):
    room = RoomFactory(venue=open_event.venue, name="Salle verte")
    workshop = ProgrammeItemFactory(
        event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Mapping", room=room
    )
    ProgrammeItemFactory(event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Budgets")
    assert "Mapping (Salle verte)" in text(client.get(url(open_event)))

    room.name = "Salle bleue"
    room.save()
    workshop.title_en = "Cartography"
    workshop.save()

    page = text(client.get(url(open_event)))
    assert "Cartography (Salle bleue)" in page
    assert "Mapping" not in page


def test_places_taken_since_the_form_was_shown_show_at_once(client, open_event):
    """Counters are never taken from the copy: the event and its workshops are full as
    soon as they are."""
    workshop = ProgrammeItemFactory(
        event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Mapping", capacity=1
    )
    ProgrammeItemFactory(event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Budgets")
    page = text(client.get(url(open_event)))
    assert "The event is full" not in page
    assert "Mapping (full: waiting list)" not in page

    for _ in range(3):  # capacity 3
        services.registration_create(event=open_event, person=person(workshops=[workshop]))

    page = text(client.get(url(open_event)))
    assert "The event is full" in page
    assert "Mapping (full: waiting list)" in page


def test_an_event_changed_or_closed_since_the_form_was_shown_says_so(client, open_event):
    client.get(url(open_event))

    open_event.title_en = "Rencontres nationales 2027"
    open_event.save()
    assert "Register for Rencontres nationales 2027" in text(client.get(url(open_event)))

    Event.objects.filter(pk=open_event.pk).update(registration_closes_at=at(-1))
    response = client.post(url(open_event), data())
    assert "Registration closed on" in text(response)
    assert not Registration.objects.exists()


def test_an_event_made_a_draft_is_no_longer_shown_to_the_public(client, open_event):
    assert client.get(url(open_event)).status_code == 200

    open_event.status = Event.Status.DRAFT
    open_event.save()

    assert client.get(url(open_event)).status_code == 404
    assert client.post(url(open_event), data()).status_code == 404
    assert not Registration.objects.exists()


def test_a_reminder_schedule_set_after_the_form_was_shown_plans_the_reminders(client, open_event):
    client.get(url(open_event))
    ReminderSchedule.objects.create(event=open_event, days_before=3, local_time=time(18, 0))

    client.post(url(open_event), data())

    reminders = OutgoingMessage.objects.filter(kind=Kind.REMINDER)
    assert list(reminders.values_list("dedupe_key", flat=True)) == ["reminder:3d"]


def test_the_copy_is_used_while_nothing_changes(client, open_event):
    """The second submission reads the event with one small statement before the lock:
    no query of its questions, quotas, workshops or schedule."""
    QuestionFactory(event=open_event, label_en="Arrival by train?")
    QuotaFactory(event=open_event, places=1)
    client.post(url(open_event), data(email="first@example.org"))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(open_event), data(email="second@example.org"))

    assert response.status_code == 302
    statements = [query["sql"] for query in queries.captured_queries]
    tables = ("registrations_question", "registrations_quota", "notifications_reminderschedule")
    reading_configuration = [
        sql
        for sql in statements
        if sql.lstrip().startswith("SELECT") and any(f'FROM "{table}"' in sql for table in tables)
    ]
    # The places held per partner are counted under the lock (that is a count of
    # registrations, not the configuration); nothing else reads those tables.
    assert reading_configuration == []
    assert Registration.objects.filter(email="second@example.org").exists()
