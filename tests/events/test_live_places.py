"""The places left on the event page, which htmx asks again every 30 seconds from a small
fragment address (the page shows them without JavaScript as well)."""

import re

import pytest

from events.models import Event
from registrations import services as registration_services

from ..factories import EventFactory, at, person
from .test_pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(db):
    return EventFactory(
        slug="danube-forum",
        capacity=20,
        starts_at=at(20),
        ends_at=at(21),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )


def test_the_event_page_refreshes_its_places_left(client, forum):
    page = client.get("/en/events/danube-forum/")
    html = page.content.decode()
    assert "20 places left of 20" in text(page)
    assert 'hx-get="/en/events/danube-forum/places/"' in html
    assert 'hx-trigger="every 30s"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html

    fragment = client.get("/en/events/danube-forum/places/")
    assert fragment.status_code == 200
    assert fragment.content.decode().strip() == "20 places left of 20"
    etag = fragment["ETag"]
    # Nothing changed: the browser's copy is current.
    assert (
        client.get("/en/events/danube-forum/places/", headers={"if-none-match": etag}).status_code
        == 304
    )

    registration_services.registration_create(event=forum, person=person())
    fragment = client.get("/en/events/danube-forum/places/", headers={"if-none-match": etag})
    assert fragment.status_code == 200
    assert fragment.content.decode().strip() == "19 places left of 20"
    french = client.get("/fr/events/danube-forum/places/")
    assert text(french).strip() == "19 places restantes sur 20"


def test_places_of_a_draft_or_an_event_without_limit(client, forum):
    forum.status = Event.Status.DRAFT
    forum.save()
    assert client.get("/en/events/danube-forum/places/").status_code == 404
    forum.status = Event.Status.PUBLISHED
    forum.capacity = None
    forum.save()
    page = client.get("/en/events/danube-forum/")
    assert "hx-get" not in page.content.decode()  # nothing to refresh
    assert client.get("/en/events/danube-forum/places/").content.decode().strip() == "No limit"


@pytest.mark.parametrize(
    ("language", "capacity", "full"),
    [
        ("en", 9, "Full: all 9 places are taken."),
        ("en", 1, "Full: the only place is taken."),
        ("ro", 9, "Toate cele 9 locuri sunt ocupate."),
        ("ro", 20, "Toate cele 20 de locuri sunt ocupate."),
        ("fr", 9, "Complet : les 9 places sont prises."),  # (text() folds the no-break space)
        ("pt", 9, "Os 9 lugares estão todos ocupados."),
    ],
)
def test_a_full_event_says_it_is_full_rather_than_0_places_left(
    client, forum, language, capacity, full
):
    Event.objects.filter(pk=forum.pk).update(capacity=capacity, places_taken=capacity)

    page = text(client.get(f"/{language}/events/danube-forum/"))
    fragment = text(client.get(f"/{language}/events/danube-forum/places/")).strip()

    assert full in page and fragment == full
    assert not re.search(r"\b0\b", fragment)
