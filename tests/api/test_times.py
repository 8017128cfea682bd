"""The API writes an event's moments on the event's own clock (the offset of its time
zone), as its pages show them, not on the server's (settings.TIME_ZONE, Paris)."""

from datetime import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from api import services
from registrations.models import Registration
from resources import services as resource_services

from ..factories import EventFactory, ProgrammeItemFactory, UserFactory, at
from ..resources.uploads import pdf_upload

ZONE = "America/Sao_Paulo"  # 4 or 5 hours behind Paris, all year


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def faraway(db):
    """A meeting in São Paulo from 09:00 local time, a workshop at 10:30 local time."""
    assert settings.TIME_ZONE != ZONE
    event = EventFactory(
        slug="sao-paulo",
        title_en="São Paulo meeting",
        timezone=ZONE,
        starts_at=at(20, "09:00", ZONE),
        ends_at=at(20, "18:00", ZONE),
    )
    ProgrammeItemFactory(
        event=event,
        kind="workshop",
        title_en="Mapping the actors",
        starts_at=at(20, "10:30", ZONE),
        ends_at=at(20, "12:00", ZONE),
    )
    return event


def local(moment: datetime) -> str:
    """What the API must say: the clock time and offset of São Paulo."""
    return moment.isoformat()


def test_an_events_times_are_on_its_own_clock(client, validated, faraway):
    page = client.get(reverse("events:detail", kwargs={"slug": faraway.slug})).content.decode()
    assert "10:30" in page  # the workshop's time as the page shows it

    listed = validated(client.get(reverse("api:events")))["results"][0]
    assert listed["timezone"] == ZONE
    assert listed["starts_at"] == local(at(20, "09:00", ZONE))
    assert listed["starts_at"][11:16] == "09:00"
    assert listed["ends_at"] == local(at(20, "18:00", ZONE))

    body = validated(client.get(reverse("api:event", kwargs={"slug": faraway.slug})))
    assert body["starts_at"] == listed["starts_at"]
    [day] = body["programme"]
    [workshop] = day["items"]
    assert workshop["starts_at"] == local(at(20, "10:30", ZONE))
    assert workshop["starts_at"][11:16] == "10:30"
    assert workshop["ends_at"] == local(at(20, "12:00", ZONE))
    # The same moment, whatever the clock it is written on.
    assert datetime.fromisoformat(workshop["starts_at"]) == at(20, "10:30", ZONE)


def test_resources_and_registrations_are_dated_on_the_events_clock(client, validated, faraway):
    workshop = faraway.programme_items.get()
    resource_services.resource_add(
        event=faraway,
        item=workshop,
        kind="slides",
        titles={"en": "Mapping slides"},
        uploaded=pdf_upload("mapping.pdf"),
    )
    organiser = UserFactory()
    faraway.organisers.add(organiser)
    published = at(22, "20:15", ZONE)  # past midnight in Paris: another day there
    resource_services.resources_publish(event=faraway, actor=organiser, now=published)

    listed = validated(client.get(reverse("api:event_resources", kwargs={"slug": faraway.slug})))
    assert listed["results"][0]["published_at"] == local(published)
    body = validated(client.get(reverse("api:event", kwargs={"slug": faraway.slug})))
    [item] = body["programme"][0]["items"]
    assert item["resources"][0]["published_at"] == local(published)

    registration = Registration.objects.create(
        event=faraway,
        status="confirmed",
        email="ana@example.org",
        first_name="Ana",
        last_name="Souza",
        language="pt",
        privacy_consent_version="1",
    )
    registered = at(-1, "21:40", ZONE)
    Registration.objects.filter(pk=registration.pk).update(created_at=registered)
    _token, key = services.api_token_create(
        user=organiser, name="script", scopes=["registrations:read"]
    )
    rows = validated(
        client.get(
            reverse("api:event_registrations", kwargs={"slug": faraway.slug}),
            headers={"authorization": f"Bearer {key}"},
        )
    )["results"]
    assert rows[0]["registered_at"] == local(registered)
