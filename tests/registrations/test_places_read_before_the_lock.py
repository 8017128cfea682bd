"""The registration form reads the event before its submission is handled; the rules
count and check under the event's lock, whatever that earlier read said. When something
happened in between (the event filled up, a place freed, a workshop filled, the window
closed, a question was added), the person ends up exactly as if they had registered after
it: right status, right counters, right emails."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, ProgrammeItem
from notifications.models import Kind, OutgoingMessage
from registrations import services
from registrations.models import Registration, WorkshopChoice

from ..factories import OrganisationFactory, ProgrammeItemFactory, QuotaFactory, person

pytestmark = pytest.mark.django_db


def as_read_by_the_form(event):
    """The event as the form's request reads it, before anyone else changes anything."""
    return Event.objects.get(pk=event.pk)


def emails_of(registration):
    return sorted(
        OutgoingMessage.objects.filter(registration=registration).values_list("kind", flat=True)
    )


def held(event):
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING)


def test_the_event_filled_up_after_the_form_read_it(open_event):
    """Capacity 3: the form saw a free place, someone took the last one meanwhile."""
    seen = as_read_by_the_form(open_event)
    for _ in range(3):
        services.registration_create(event=open_event, person=person())

    late, created = services.registration_create(
        event=seen, person=person(email="late@example.org")
    )

    assert created and late.status == "waitlisted"
    assert Registration.objects.get(email="late@example.org").status == "waitlisted"
    open_event.refresh_from_db()
    assert open_event.places_taken == held(open_event).count() == 3
    assert Kind.CONFIRMED not in emails_of(late) and Kind.REMINDER not in emails_of(late)
    assert emails_of(late) == [Kind.WAITLISTED]
    assert Registration.objects.filter(email="late@example.org").count() == 1


def test_a_place_freed_after_the_form_read_the_event_full(open_event):
    first, *_others = (
        services.registration_create(event=open_event, person=person())[0] for _ in range(3)
    )
    seen = as_read_by_the_form(open_event)
    assert seen.places_left == 0
    services.registration_cancel(registration=first)

    lucky, _created = services.registration_create(
        event=seen, person=person(email="lucky@example.org")
    )

    assert lucky.status == "confirmed"
    open_event.refresh_from_db()
    assert open_event.places_taken == held(open_event).count() == 3
    assert Kind.CONFIRMED in emails_of(lucky) and Kind.WAITLISTED not in emails_of(lucky)


def test_a_workshop_filled_after_the_form_read_it(open_event):
    workshop = ProgrammeItemFactory(
        event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Mapping", capacity=1
    )
    ProgrammeItemFactory(event=open_event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Budgets")
    seen = as_read_by_the_form(open_event)
    seen_workshop = ProgrammeItem.objects.get(pk=workshop.pk)
    services.registration_create(event=open_event, person=person(workshops=[workshop]))

    late, _created = services.registration_create(
        event=seen, person=person(email="late@example.org", workshops=[seen_workshop])
    )

    assert late.status == "confirmed"
    assert late.workshop_choices.get().status == WorkshopChoice.Status.WAITLISTED
    workshop.refresh_from_db()
    assert workshop.places_taken == 1
    assert WorkshopChoice.objects.filter(item=workshop, status="confirmed").count() == 1


def test_places_reserved_after_the_form_read_the_event(open_event):
    """Capacity 3, one place taken; a quota of two for a partner appears meanwhile: the
    place the form saw free is reserved now, so an outsider goes on the waiting list."""
    services.registration_create(event=open_event, person=person())
    seen = as_read_by_the_form(open_event)
    QuotaFactory(event=open_event, organisation=OrganisationFactory(), places=2)

    outsider, _created = services.registration_create(event=seen, person=person())

    assert outsider.status == "waitlisted"


def test_the_window_closed_after_the_form_read_the_event(open_event):
    seen = as_read_by_the_form(open_event)
    Event.objects.filter(pk=open_event.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(services.RegistrationError, match="Registration closed on"):
        services.registration_create(event=seen, person=person(email="late@example.org"))

    assert not Registration.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_a_repeated_submission_read_before_the_first_was_written(open_event):
    """Two submissions of one person, both read before either was written."""
    first_read, second_read = as_read_by_the_form(open_event), as_read_by_the_form(open_event)
    one, created_one = services.registration_create(
        event=first_read, person=person(email="a@example.org")
    )
    two, created_two = services.registration_create(
        event=second_read, person=person(email="A@example.org ")
    )

    assert (created_one, created_two) == (True, False)
    assert one.pk == two.pk
    assert held(open_event).count() == 1
    assert emails_of(one).count(Kind.CONFIRMED) == 1


def test_registering_again_after_cancelling_from_an_old_read(open_event):
    seen = as_read_by_the_form(open_event)
    registration, _created = services.registration_create(
        event=open_event, person=person(email="b@example.org")
    )
    services.registration_cancel(registration=registration)

    again, created = services.registration_create(event=seen, person=person(email="b@example.org"))

    assert not created and again.pk == registration.pk and again.status == "cancelled"
    open_event.refresh_from_db()
    assert open_event.places_taken == 0


def test_a_required_question_added_after_the_form_read_the_event(open_event):
    from ..factories import QuestionFactory

    seen = as_read_by_the_form(open_event)
    QuestionFactory(event=open_event, label_en="Arrival by train?", required=True)

    with pytest.raises(services.RegistrationError, match="Arrival by train"):
        services.registration_create(event=seen, person=person())

    assert not Registration.objects.exists()
    assert not OutgoingMessage.objects.exists()
