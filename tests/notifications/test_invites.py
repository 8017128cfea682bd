"""Invites attached to emails, and the personal feed, staying right as things change."""

import email
import email.policy
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import ProgrammeItem
from events.services import event_save, programme_item_save
from notifications.models import Kind, OutgoingMessage
from notifications.rendering import build_email, invite, organiser_address
from registrations import services as registrations
from registrations.models import PersonalFeed, Registration
from registrations.selectors import registration_workshops

from ..factories import EventFactory, ProgrammeItemFactory, RoomFactory, VenueFactory, at, person
from ..icalendar_checks import events_by_uid, parse
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db

BUCHAREST = "Europe/Bucharest"


@pytest.fixture
def training(db):
    venue = VenueFactory(name="CRIES", city="Timișoara", country="RO")
    event = EventFactory(
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        timezone=BUCHAREST,
        venue=venue,
        capacity=1,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(33, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    event.room_a = RoomFactory(venue=venue, name="Atelier 1")
    event.room_b = RoomFactory(venue=venue, name="Sala mare")
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        room=event.room_a,
        starts_at=at(30, "11:00", BUCHAREST),
        ends_at=at(30, "12:30", BUCHAREST),
    )
    return event


def sent_email(kind, registration):
    row = OutgoingMessage.objects.get(registration=registration, kind=kind)
    deliver_outbox()
    return next(e for e in mail.outbox if e.extra_headers["Message-ID"] == row.message_id)


def invite_of(message):
    """The text/calendar part, read back from the raw MIME message as a client would."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    attachments = [part for part in parsed.walk() if (part.get_filename() or "").endswith(".ics")]
    assert len(parts) == 1 and len(attachments) == 1
    method = parts[0].get_param("method")
    body = parts[0].get_content().encode()
    calendar = parse(body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert str(calendar["METHOD"]) == method
    [component] = calendar.walk("VEVENT")
    return method, component


def test_the_confirmation_carries_an_invite_gmail_and_outlook_show(training):
    registration = registrations.registration_create(
        event=training,
        person=person(
            email="ana@example.org", first_name="Ana", workshops=[training.workshop], language="ro"
        ),
    )[0]
    method, invite = invite_of(sent_email(Kind.CONFIRMED, registration))
    assert method == "REQUEST"
    assert str(invite["UID"]) == f"registration-{registration.uuid}@rencontres"
    assert invite["DTSTART"].to_ical().endswith(b"Z"), "invites are in UTC"
    assert str(invite["ORGANIZER"]) == "mailto:rencontres@localhost"
    assert str(invite["ATTENDEE"]) == "mailto:ana@example.org"
    assert invite["ATTENDEE"].params["CN"] == "Ana Popescu"
    assert str(invite["SUMMARY"]) == "Formare la Timișoara"
    assert "CRIES" in str(invite["LOCATION"])
    assert "/en/events/" not in str(invite["URL"]) and "/ro/events/" in str(invite["URL"])
    assert "Mapping (Atelier 1)" in str(invite["DESCRIPTION"])


def test_the_invite_keeps_its_uid_and_raises_its_sequence_then_cancels(training):
    registration = registrations.registration_create(
        event=training, person=person(workshops=[training.workshop])
    )[0]
    _method, first = invite_of(sent_email(Kind.CONFIRMED, registration))

    training.workshop.room = training.room_b
    programme_item_save(item=training.workshop, changed=["room"])
    method, moved = invite_of(sent_email(Kind.WORKSHOP_CHANGED, registration))
    assert method == "REQUEST"
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    assert "Mapping (Sala mare)" in str(moved["DESCRIPTION"])

    registrations.registration_cancel(registration=registration)
    method, cancelled = invite_of(sent_email(Kind.CANCELLED, registration))
    assert method == "CANCEL"
    assert cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] > moved["SEQUENCE"]
    assert cancelled["STATUS"] == "CANCELLED"
    # the participant declined it (they were "accepted"; never "tentative" once cancelled)
    assert first["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert cancelled["ATTENDEE"].params["PARTSTAT"] == "DECLINED"


def test_an_event_cancelled_sends_a_cancel_with_the_same_uid(training):
    registration = registrations.registration_create(event=training, person=person())[0]
    _method, first = invite_of(sent_email(Kind.CONFIRMED, registration))
    training.status = "cancelled"
    event_save(event=training, changed=["status"])
    method, cancelled = invite_of(sent_email(Kind.EVENT_CANCELLED, registration))
    assert (method, cancelled["UID"]) == ("CANCEL", first["UID"])
    assert cancelled["SEQUENCE"] > first["SEQUENCE"]


def test_a_waiting_list_email_carries_no_invite(training):
    registrations.registration_create(event=training, person=person())
    waiting = registrations.registration_create(event=training, person=person())[0]
    message = sent_email(Kind.WAITLISTED, waiting)
    assert not any("calendar" in str(alt[1]) for alt in message.alternatives)


def personal_feed(client, registration, language="en"):
    page = client.get(f"/{language}/r/{registration.secret}/").content.decode()
    path = re.search(r'href="https?://testserver(/\w\w/calendar/personal/[^"]+\.ics)"', page).group(
        1
    )
    response = client.get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    return path, events_by_uid(parse(response.content))


def test_done_when_feed_and_email_follow_a_moved_workshop_then_a_cancellation(client, training):
    # A participant subscribes to their personal feed and picks a workshop.
    registration = registrations.registration_create(
        event=training, person=person(email="ana@example.org")
    )[0]
    _path, entries = personal_feed(client, registration)
    assert list(entries) == [f"registration-{registration.uuid}@rencontres"]
    registrations.registration_update_workshops(
        registration=registration, workshops=[training.workshop]
    )
    _method, chosen_invite = invite_of(sent_email(Kind.WORKSHOPS_CHANGED, registration))
    path, entries = personal_feed(client, registration)
    choice_uid = next(uid for uid in entries if uid.startswith("choice-"))
    before = entries[choice_uid]
    assert "Atelier 1" in str(before["LOCATION"])

    # The organiser moves it to another room and time.
    workshop = training.workshop
    workshop.room = training.room_b
    workshop.starts_at = at(31, "14:00", BUCHAREST)
    workshop.ends_at = at(31, "15:30", BUCHAREST)
    programme_item_save(item=workshop, changed=["room", "starts_at", "ends_at"])

    entries = events_by_uid(parse(client.get(path).content))
    after = entries[choice_uid]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert "Sala mare" in str(after["LOCATION"])
    assert after["DTSTART"].params["TZID"] == BUCHAREST
    assert after["DTSTART"].to_ical().decode().endswith("T140000")
    _method, moved_invite = invite_of(sent_email(Kind.WORKSHOP_CHANGED, registration))
    assert moved_invite["UID"] == chosen_invite["UID"]
    assert moved_invite["SEQUENCE"] > chosen_invite["SEQUENCE"]

    # A cancellation removes it from the feed.
    registrations.registration_cancel(registration=registration)
    assert events_by_uid(parse(client.get(path).content)) == {}


def test_waiting_list_places_are_tentative_in_the_feed(client, training):
    registrations.registration_create(event=training, person=person())
    waiting = registrations.registration_create(
        event=training, person=person(workshops=[training.workshop])
    )[0]
    _path, entries = personal_feed(client, waiting)
    assert {str(e["STATUS"]) for e in entries.values()} == {"TENTATIVE"}


def test_the_feed_secret_is_long_unguessable_and_can_be_reset(client, training):
    registration = registrations.registration_create(event=training, person=person())[0]
    path, _entries = personal_feed(client, registration)
    feed = PersonalFeed.objects.get(email=registration.email)
    assert len(feed.secret) >= 43  # 256 bits in URL-safe base64; at least 128 required
    other_last = "B" if feed.secret.endswith("A") else "A"
    tampered = path.replace(feed.secret, feed.secret[:-1] + other_last)
    assert client.get(tampered).status_code == 404
    assert client.get(f"/en/calendar/personal/{feed.pk}.wrong.ics").status_code == 404

    client.post(f"/en/r/{registration.secret}/new-calendar/")
    assert client.get(path).status_code == 404
    new_path, _entries = personal_feed(client, registration)
    assert new_path != path


def test_the_personal_feed_answers_304_while_nothing_changes(client, training):
    registration = registrations.registration_create(event=training, person=person())[0]
    path, _entries = personal_feed(client, registration)
    etag = client.get(path)["ETag"]
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304
    registrations.registration_update_workshops(
        registration=registration, workshops=[training.workshop]
    )
    assert client.get(path, headers={"if-none-match": etag}).status_code == 200


def test_drafts_and_cancelled_registrations_never_appear(client, training):
    registration = registrations.registration_create(
        event=training, person=person(email="same@example.org")
    )[0]
    other = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(10))
    cancelled = registrations.registration_create(
        event=other, person=person(email="same@example.org")
    )[0]
    registrations.registration_cancel(registration=cancelled)
    draft = EventFactory(status="draft")
    Registration.objects.create(
        event=draft, email="same@example.org", status="confirmed", first_name="A", last_name="B"
    )
    _path, entries = personal_feed(client, registration)
    assert list(entries) == [f"registration-{registration.uuid}@rencontres"]


def email_queries(message_row):
    """Queries of rendering one email (and its invite), from the row as the claim reads it."""
    message = OutgoingMessage.objects.select_related("registration__event__venue", "event").get(
        pk=message_row.pk
    )
    with CaptureQueriesContext(connection) as captured:
        email_message = build_email(message)
    return len(captured), email_message


def test_the_invite_reads_nothing_the_email_has_read(training):
    more = [
        ProgrammeItemFactory(
            event=training,
            kind=ProgrammeItem.Kind.WORKSHOP,
            title_en=f"Workshop {n}",
            room=training.room_b,
            starts_at=at(31 + n, "11:00", BUCHAREST),
            ends_at=at(31 + n, "12:30", BUCHAREST),
        )
        for n in range(2)
    ]
    registration = registrations.registration_create(
        event=training, person=person(workshops=[training.workshop])
    )[0]
    one, _email = email_queries(OutgoingMessage.objects.get(kind=Kind.CONFIRMED))
    registrations.registration_update_workshops(
        registration=registration, workshops=[training.workshop, *more]
    )
    three, email_message = email_queries(OutgoingMessage.objects.get(kind=Kind.WORKSHOPS_CHANGED))
    assert one == three, "a fixed number of queries, whatever the number of workshops"
    _method, component = invite_of(email_message)
    description = str(component["DESCRIPTION"])
    assert "Mapping (Atelier 1)" in description
    assert "Workshop 0 (Sala mare)" in description and "Workshop 1 (Sala mare)" in description

    message = OutgoingMessage.objects.select_related("registration__event__venue", "event").get(
        kind=Kind.WORKSHOPS_CHANGED
    )
    workshops = registration_workshops(registration)
    organiser = organiser_address(training)
    with CaptureQueriesContext(connection) as captured:
        method, ics = invite(message, workshops=workshops, organiser=organiser)
    assert len(captured) == 0
    [again] = parse(ics).walk("VEVENT")
    assert (method, str(again["UID"]), str(again["DESCRIPTION"])) == (
        "REQUEST",
        str(component["UID"]),
        description,
    )
