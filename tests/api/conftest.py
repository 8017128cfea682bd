"""The API's tests: every answer is checked against the schema the site publishes."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from events.models import Event

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    at,
)


def wait_for_a_fresh_minute(margin: float = 15) -> None:
    """The API's limits count per minute of the clock: a test that fills a limit in a
    minute's last seconds would see its count start again half-way, so it waits for the
    next minute first."""
    seconds_left = 60 - time.time() % 60
    if seconds_left < margin:
        time.sleep(seconds_left + 0.1)


@pytest.fixture
def published_schema(db) -> dict:
    """The schema as anyone downloads it from /api/schema/."""
    response = Client().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def openapi(published_schema) -> OpenAPI:
    return OpenAPI.from_dict(published_schema)


@pytest.fixture
def validated(openapi):
    """``validated(response)``: the response's JSON, after checking the request and the
    response against the published schema (path, parameters, credentials, status, body).
    ``request=False`` for a request made wrong on purpose (no key, an unknown value): only
    the answer is checked."""

    def check(response, *, request=True):
        made = DjangoOpenAPIRequest(response.wsgi_request)
        if request:
            openapi.validate_request(made)
        openapi.validate_response(made, DjangoOpenAPIResponse(response))
        return response.json()

    return check


@pytest.fixture
def meeting(db):
    """A published two-day meeting in Saint-Étienne with a programme: a plenary and two
    parallel workshops, one with a speaker and a bio in two languages."""
    host = OrganisationFactory(name="Les Rencontres", slug="les-rencontres", listed=True)
    event = EventFactory(
        slug="saint-etienne",
        title_en="Saint-Étienne meeting",
        title_pt="Encontro de Saint-Étienne",
        summary_en="Two days together",
        host=host,
        starts_at=at(20, "09:00"),
    )
    room_a = RoomFactory(venue=event.venue, name="Salle A", position=1)
    room_b = RoomFactory(venue=event.venue, name="Salle B", position=2)
    ProgrammeItemFactory(event=event, title_en="Opening plenary", room=room_a)
    speaker = SpeakerFactory(
        name="Maria Souza", organisation=host, bio_en="Works on cooperation.", bio_pt="Trabalha."
    )
    workshop = ProgrammeItemFactory(
        event=event,
        kind="workshop",
        title_en="Mapping the actors",
        title_pt="Mapear os atores",
        starts_at=at(20, "11:00"),
        room=room_a,
        capacity=20,
    )
    workshop.speakers.add(speaker)
    ProgrammeItemFactory(
        event=event, kind="workshop", title_en="Evaluating", starts_at=at(20, "11:00"), room=room_b
    )
    Event.objects.filter(pk=event.pk).update(places_taken=3)
    event.refresh_from_db()
    return event


@pytest.fixture
def draft(db):
    return EventFactory(slug="secret-draft", title_en="Unannounced draft", status="draft")


@pytest.fixture
def team_user(db):
    return UserFactory(email="team@example.org")
