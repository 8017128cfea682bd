"""Test data factories, in one place for every test module."""

import zoneinfo
from datetime import datetime, timedelta
from uuid import uuid4

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import Event, Organisation, ProgrammeItem, Room, Speaker, Venue


def at(days: int, hhmm: str = "09:00", tz: str = "Europe/Paris") -> datetime:
    """An aware datetime ``days`` from today at local time ``hhmm`` in ``tz``."""
    day = timezone.localdate() + timedelta(days=days)
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zoneinfo.ZoneInfo(tz))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.LazyAttribute(lambda user: user.email)
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    country = "FR"
    city = "Paris"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "221 rue de Belleville"
    postcode = "75019"
    city = "Paris"
    country = "FR"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    """``name="Eszter Horváth"`` is a shortcut for the given and family name (split on the
    last space, as the migration split the names of existing speakers)."""

    class Meta:
        model = Speaker

    first_name = "Speaker"
    last_name = factory.Sequence(str)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if "name" in kwargs:
            kwargs["first_name"], _space, kwargs["last_name"] = kwargs.pop("name").rpartition(" ")
        return kwargs


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.NATIONAL_MEETING
    status = Event.Status.PUBLISHED
    title_en = factory.Sequence(lambda n: f"Event {n}")
    host = factory.SubFactory(OrganisationFactory)
    venue = factory.SubFactory(VenueFactory)
    timezone = "Europe/Paris"
    starts_at = factory.LazyFunction(lambda: at(20, "09:00"))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(days=1, hours=8))
    capacity = 100
    default_language = "en"
    languages = factory.LazyFunction(lambda: ["en", "fr"])


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    kind = ProgrammeItem.Kind.PLENARY
    title_en = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(lambda item: item.event.starts_at)
    ends_at = factory.LazyAttribute(lambda item: item.starts_at + timedelta(hours=1))


def form_fields(**overrides) -> dict:
    """What a person types into the registration form, as the browser posts it."""
    values = {
        "first_name": "Ana",
        "last_name": "Popescu",
        "email": "ana@example.org",
        "organisation_name": "Asociația Exemplu",
        "country": "RO",
        "role": "participant",
        "language": "ro",
        "privacy_consent": "on",
    }
    values.update(overrides)
    return values


def person(**overrides):
    """What a participant types into the form, as the service receives it."""
    from registrations.services import Person

    values = {
        "email": f"someone.{uuid4().hex[:8]}@example.org",
        "first_name": "Ana",
        "last_name": "Popescu",
        "organisation_name": "Asociația Exemplu",
        "country": "RO",
        "language": "ro",
        "privacy_consent": True,
    }
    values.update(overrides)
    return Person(**values)


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registrations.Quota"

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    places = 2


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registrations.Question"

    event = factory.SubFactory(EventFactory)
    label_en = factory.Sequence(lambda n: f"Question {n}")
