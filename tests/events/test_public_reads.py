"""The most-read pages (the event page, the calendar feeds) cost a fixed number of
queries whatever the programme's size, answer a revalidation with a 304 after one query,
and show an edit at the next request: their cached bodies are keyed on the content's last
change, so nothing has to be invalidated."""

import time
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from events.models import ProgrammeItem
from events.selectors import event_version
from events.services import programme_item_cancel, programme_item_save
from registrations.services import registration_create

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    person,
)

pytestmark = pytest.mark.django_db

# Queries of a page once its content (or a feed once its body) is in the cache: the
# version of the event's page, in one query. A logged-in reader adds the session, the
# user, and the menu's "am I a coordinator?".
WARM_ANONYMOUS = 1
WARM_LOGGED_IN = 4
# The first request of a version also reads the event, its items, and their speakers with
# their organisations (two prefetches), its co-organisers and its programme's changes, the
# places reserved for partners (the places open to everyone), the network's identity
# (kept in the cache after that, keyed on its last change), and what the apps above add:
# its published resources, its project and its series.
COLD_EVENT = WARM_ANONYMOUS + 11
# The event's calendar reads the event, its items and their speakers.
COLD_EVENT_FEED = WARM_ANONYMOUS + 4


def event_with_programme(items: int):
    venue = VenueFactory()
    rooms = [RoomFactory(venue=venue, name=f"Room {n}", position=n) for n in range(3)]
    event = EventFactory(venue=venue)
    for number in range(items):
        item = ProgrammeItemFactory(
            event=event,
            title_en=f"Session number {number}",
            room=rooms[number % 3],
            starts_at=event.starts_at + timedelta(minutes=10 * number),
            ends_at=event.starts_at + timedelta(minutes=10 * number + 30),
        )
        item.speakers.add(SpeakerFactory(organisation=OrganisationFactory()))
    return event


def page_url(event, language="en") -> str:
    return f"/{language}/events/{event.slug}/"


def feed_url(event, language="en") -> str:
    return f"/{language}/calendar/events/{event.slug}.ics"


@pytest.mark.parametrize("items", [1, 30])
def test_event_page_queries_do_not_grow_with_the_programme(
    client, django_assert_num_queries, items
):
    event = event_with_programme(items)
    with django_assert_num_queries(COLD_EVENT):
        assert client.get(page_url(event)).status_code == 200
    with django_assert_num_queries(WARM_ANONYMOUS):
        response = client.get(page_url(event))
    assert f"Session number {items - 1}" in response.content.decode()


@pytest.mark.parametrize("items", [1, 30])
def test_logged_in_readers_get_the_cached_programme(client, django_assert_num_queries, items):
    event = event_with_programme(items)
    client.get(page_url(event))  # an anonymous reader renders the programme
    client.force_login(UserFactory())
    with django_assert_num_queries(WARM_LOGGED_IN):
        response = client.get(page_url(event))
    assert f"Session number {items - 1}" in response.content.decode()
    assert "Log out" in response.content.decode()


@pytest.mark.parametrize("items", [1, 30])
def test_feeds_queries_do_not_grow_with_the_programme(client, django_assert_num_queries, items):
    event = event_with_programme(items)
    EventFactory.create_batch(3)
    with django_assert_num_queries(COLD_EVENT_FEED):
        assert client.get(feed_url(event)).status_code == 200
    with django_assert_num_queries(WARM_ANONYMOUS):
        response = client.get(feed_url(event))
    assert f"Session number {items - 1}" in response.content.decode()

    network = "/en/calendar/rencontres.ics"
    with django_assert_num_queries(2):  # the version, then the events
        assert client.get(network).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(network).content.count(b"BEGIN:VEVENT") == 4

    organisation = f"/en/calendar/organisations/{event.host.slug}.ics"
    with django_assert_num_queries(3):  # the version, the organisation, its events
        assert client.get(organisation).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(organisation).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        page_url,
        feed_url,
        lambda event: "/en/calendar/rencontres.ics",
        lambda event: f"/en/calendar/organisations/{event.host.slug}.ics",
    ],
)
def test_a_revalidation_is_answered_304_after_one_query(client, django_assert_num_queries, url):
    event = event_with_programme(5)
    first = client.get(url(event))
    assert first["ETag"]
    with django_assert_num_queries(1):
        again = client.get(url(event), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    if url is page_url:
        # the page goes by its ETag alone (its version turns with the clock too), and
        # browsers revalidate it each time instead of guessing a lifetime
        assert "Last-Modified" not in first and first["Cache-Control"] == "no-cache"
        assert again["Cache-Control"] == "no-cache"
        return
    assert first["Last-Modified"]
    with django_assert_num_queries(1):
        again = client.get(url(event), headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304


def test_an_edited_programme_shows_at_the_next_request(client):
    event = event_with_programme(3)
    item = event.programme_items.get(title_en="Session number 1")
    other_room = RoomFactory(venue=event.venue, name="Salle des fêtes")
    before = {url: client.get(url) for url in (page_url(event), feed_url(event))}

    item.title_en = "Renamed session"
    item.starts_at += timedelta(hours=2)
    item.ends_at += timedelta(hours=2)
    item.room = other_room
    programme_item_save(item=item, changed=["title_en", "starts_at", "ends_at", "room"])
    page, feed = client.get(page_url(event)).content.decode(), client.get(feed_url(event))
    assert "Renamed session" in page and "Session number 1" not in page
    assert "Salle des fêtes" in page
    assert "11:10" in page  # was 09:10
    assert b"Renamed session" in feed.content and b"Salle des f" in feed.content
    assert feed["ETag"] != before[feed_url(event)]["ETag"]

    other_room.name = "Grand hall"
    other_room.save()
    speaker = item.speakers.get()
    speaker.first_name, speaker.last_name = "Renamed", "speaker"
    speaker.save()
    page = client.get(page_url(event)).content.decode()
    assert "Grand hall" in page and "Renamed speaker" in page
    assert b"Renamed speaker" in client.get(feed_url(event)).content

    item.delete()
    page = client.get(page_url(event)).content.decode()
    assert "Renamed session" not in page
    assert b"Renamed session" not in client.get(feed_url(event)).content


def test_each_language_gets_its_own_cached_body(client):
    event = EventFactory()
    ProgrammeItemFactory(event=event, title_en="Opening plenary", title_fr="Plénière d'ouverture")
    for _round in range(2):  # rendered, then read from the cache
        assert "Opening plenary" in client.get(page_url(event, "en")).content.decode()
        french = client.get(page_url(event, "fr")).content.decode()
        assert "Plénière d&#x27;ouverture" in french and "Opening plenary" not in french
        assert b"Opening plenary" in client.get(feed_url(event, "en")).content
        assert "Plénière d'ouverture" in client.get(feed_url(event, "fr")).content.decode()


def test_places_taken_in_a_workshop_show_at_the_next_request(client):
    event = EventFactory()
    workshop = ProgrammeItemFactory(
        event=event, kind=ProgrammeItem.Kind.WORKSHOP, capacity=20, title_en="Workshop"
    )
    assert "20 places left" in client.get(page_url(event)).content.decode()
    for _number in range(5):  # the registration service writes the counters with update()
        registration_create(event=event, person=person(workshops=[workshop]))
    assert "15 places left" in client.get(page_url(event)).content.decode()


def version(event):
    return event_version(user=AnonymousUser(), slug=event.slug)


def test_what_the_pages_show_changes_their_version_whatever_path_wrote_it(client):
    """Every write that changes what an event's page or calendar shows moves its
    version (the ETag and the key of the cached bodies), through a model's save or
    delete, a form's many-to-many, or a service's update(); another event's stays."""
    event = event_with_programme(2)
    other = event_with_programme(1)
    item = event.programme_items.order_by("pk").first()
    speaker, room = item.speakers.get(), item.room
    organisation = speaker.organisation
    writes = {
        "room renamed": lambda: setattr(room, "name", "Aula") or room.save(),
        "speaker renamed": lambda: setattr(speaker, "last_name", "Nou") or speaker.save(),
        "speaker's organisation renamed": lambda: (
            setattr(organisation, "name", "Nouă") or organisation.save()
        ),
        "venue renamed": lambda: setattr(event.venue, "name", "Casa") or event.venue.save(),
        "speaker added": lambda: item.speakers.add(SpeakerFactory()),
        "speakers cleared": lambda: item.speakers.clear(),
        "co-organiser added": lambda: event.co_organisers.add(OrganisationFactory()),
        "item added": lambda: ProgrammeItemFactory(event=event),
        "item cancelled": lambda: programme_item_cancel(item=item, actor=None),
        "item deleted": lambda: item.delete(),
    }
    for what, write in writes.items():
        before, unrelated = version(event), version(other)
        time.sleep(0.002)
        write()
        after = version(event)
        assert after.page.token != before.page.token, what
        assert after.programme.token != before.programme.token, what
        assert version(other) == unrelated, what
    workshop = ProgrammeItemFactory(event=event, kind=ProgrammeItem.Kind.WORKSHOP, capacity=5)
    before = version(event)
    time.sleep(0.002)
    registration_create(event=event, person=person(workshops=[workshop]))
    assert version(event).page.token != before.page.token, "a workshop place taken"


def test_a_reader_with_a_message_waiting_gets_the_page_rendered_for_them(client):
    """Anonymous readers share one cached page, but not one who has a message waiting."""
    event = EventFactory(title_en="Forum of the network")
    assert "Forum of the network" in client.get(page_url(event)).content.decode()
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "Your registration is cancelled.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    page = client.get(page_url(event)).content.decode()

    assert "Your registration is cancelled." in page and "Forum of the network" in page
    client.cookies.pop("messages")
    assert "Your registration is cancelled." not in client.get(page_url(event)).content.decode()


def test_a_page_that_shows_a_message_is_not_revalidated_against_the_plain_one(client):
    event = event_with_programme(1)
    plain = client.get(page_url(event))
    client.force_login(UserFactory())
    assert client.post("/en/accounts/logout/").status_code == 302  # a message for the next page
    shown = client.get(page_url(event), headers={"if-none-match": plain["ETag"]})
    assert shown.status_code == 200
    assert "ETag" not in shown
    assert "You are logged out." in shown.content.decode()
