"""Model rules hold in the database, not only in forms."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event

from ..factories import EventFactory, ProgrammeItemFactory, RoomFactory, at

pytestmark = pytest.mark.django_db


def test_event_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(starts_at=at(10, "12:00"), ends_at=at(10, "11:00"))


def test_event_registration_closing_before_it_opens_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(registration_opens_at=at(5), registration_closes_at=at(2))


def test_event_slugs_are_unique():
    EventFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(slug="same")


def test_event_cannot_hold_more_confirmed_places_than_its_capacity():
    event = EventFactory(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(places_taken=3)


def test_programme_item_outside_its_event_is_refused_by_the_database():
    event = EventFactory(starts_at=at(10, "09:00"), ends_at=at(10, "18:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeItemFactory(event=event, starts_at=at(10, "17:30"), ends_at=at(10, "19:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeItemFactory(event=event, starts_at=at(10, "08:00"), ends_at=at(10, "10:00"))


def test_programme_item_moved_outside_its_event_is_refused_by_the_database():
    event = EventFactory(starts_at=at(10, "09:00"), ends_at=at(10, "18:00"))
    item = ProgrammeItemFactory(event=event, starts_at=at(10, "10:00"), ends_at=at(10, "11:00"))
    item.ends_at = at(11, "11:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_programme_item_ending_before_it_starts_is_refused_by_the_database():
    event = EventFactory(starts_at=at(10, "09:00"), ends_at=at(10, "18:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeItemFactory(event=event, starts_at=at(10, "11:00"), ends_at=at(10, "10:00"))


def test_programme_item_within_its_event_is_accepted():
    event = EventFactory(starts_at=at(10, "09:00"), ends_at=at(10, "18:00"))
    item = ProgrammeItemFactory(event=event, starts_at=at(10, "09:00"), ends_at=at(10, "18:00"))
    assert item.pk


def test_forms_explain_the_rules_in_plain_words():
    event = EventFactory.build(starts_at=at(10, "12:00"), ends_at=at(10, "11:00"), venue=None)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "end after it starts" in str(error.value)
    assert "needs a venue" in str(error.value)


def test_moving_an_event_away_from_its_programme_is_explained_before_saving():
    event = EventFactory(starts_at=at(10, "09:00"), ends_at=at(10, "18:00"))
    ProgrammeItemFactory(event=event, starts_at=at(10, "16:00"), ends_at=at(10, "18:00"))
    event.ends_at = event.ends_at - timedelta(hours=3)
    with pytest.raises(ValidationError, match="outside the event"):
        event.clean()


def test_room_must_belong_to_the_event_venue():
    event = EventFactory()
    item = ProgrammeItemFactory.build(event=event, room=RoomFactory())
    with pytest.raises(ValidationError, match="room of the event"):
        item.clean()
