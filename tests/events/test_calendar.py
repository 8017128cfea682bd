"""Public calendar feeds: the network, one event, one organisation."""

from datetime import UTC, datetime, timedelta

import pytest

from events import calendar
from events.models import Event, ProgrammeItem
from events.services import programme_item_cancel, programme_item_save

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RoomFactory,
    SpeakerFactory,
    VenueFactory,
    at,
)
from ..icalendar_checks import events_by_uid, parse, reference_build

pytestmark = pytest.mark.django_db

BUCHAREST = "Europe/Bucharest"


def feed(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, parse(response.content)


def test_network_feed_has_upcoming_and_recent_events_but_no_drafts(client):
    upcoming = EventFactory(title_en="Upcoming")
    recent = EventFactory(title_en="Recent", starts_at=at(-40), ends_at=at(-39))
    EventFactory(title_en="Long ago", starts_at=at(-200), ends_at=at(-199))
    EventFactory(title_en="Draft", status=Event.Status.DRAFT)
    cancelled = EventFactory(title_en="Called off", status=Event.Status.CANCELLED)

    response, calendar = feed(client, "/en/calendar/rencontres.ics")
    entries = events_by_uid(calendar)
    titles = {str(component["SUMMARY"]) for component in entries.values()}
    assert titles == {"Upcoming", "Recent", "Called off"}
    assert entries[f"event-{upcoming.uuid}@rencontres"]["STATUS"] == "CONFIRMED"
    assert entries[f"event-{cancelled.uuid}@rencontres"]["STATUS"] == "CANCELLED"
    assert f"event-{recent.uuid}@rencontres" in entries
    assert "max-age=900" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_event_feed_lists_each_programme_item_with_room_and_speakers(client):
    venue = VenueFactory(name="Le Fil", city="Saint-Étienne", address="20 boulevard Thiers")
    event = EventFactory(
        venue=venue,
        title_en="National meeting",
        title_fr="Rencontres nationales",
        default_language="fr",
    )
    item = ProgrammeItemFactory(
        event=event,
        title_fr="Atelier emploi",
        title_en="Jobs workshop",
        room=RoomFactory(venue=venue, name="Club"),
        kind=ProgrammeItem.Kind.WORKSHOP,
    )
    item.speakers.add(
        SpeakerFactory(name="Jason Nardi", organisation=OrganisationFactory(name="RIPESS"))
    )
    _response, calendar = feed(client, f"/fr/calendar/events/{event.slug}.ics")
    entries = events_by_uid(calendar)
    assert len(entries) == 2
    workshop = entries[f"item-{item.uuid}@rencontres"]
    assert str(workshop["SUMMARY"]) == "Atelier emploi"
    assert str(workshop["LOCATION"]).startswith("Club, Le Fil, 20 boulevard Thiers")
    assert "Jason Nardi (RIPESS)" in str(workshop["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == "Rencontres nationales"

    _response, calendar = feed(client, f"/en/calendar/events/{event.slug}.ics")
    assert str(events_by_uid(calendar)[f"item-{item.uuid}@rencontres"]["SUMMARY"]) == (
        "Jobs workshop"
    )


def test_feeds_fall_back_to_the_events_default_language(client):
    event = EventFactory(default_language="fr", title_fr="Rencontres nationales", title_en="")
    _response, calendar = feed(client, f"/hu/calendar/events/{event.slug}.ics")
    assert str(events_by_uid(calendar)[f"event-{event.uuid}@rencontres"]["SUMMARY"]) == (
        "Rencontres nationales"
    )


def test_drafts_have_no_feed(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(f"/en/calendar/events/{draft.slug}.ics").status_code == 404


def test_organisation_feed_has_the_events_it_hosts(client):
    cries = OrganisationFactory(slug="cries")
    hosted = EventFactory(host=cries)
    EventFactory()
    _response, calendar = feed(client, "/en/calendar/organisations/cries.ics")
    assert list(events_by_uid(calendar)) == [f"event-{hosted.uuid}@rencontres"]


def test_a_multi_day_event_across_the_daylight_saving_change_keeps_local_times(client):
    # Romania moves to summer time on the last Sunday of March 2027 (28 March).
    tz = __import__("zoneinfo").ZoneInfo(BUCHAREST)
    event = EventFactory(
        timezone=BUCHAREST,
        starts_at=datetime(2027, 3, 26, 9, 0, tzinfo=tz),
        ends_at=datetime(2027, 3, 30, 17, 0, tzinfo=tz),
    )
    before = ProgrammeItemFactory(
        event=event,
        starts_at=datetime(2027, 3, 26, 9, 0, tzinfo=tz),
        ends_at=datetime(2027, 3, 26, 10, 0, tzinfo=tz),
    )
    after = ProgrammeItemFactory(
        event=event,
        starts_at=datetime(2027, 3, 29, 9, 0, tzinfo=tz),
        ends_at=datetime(2027, 3, 29, 10, 0, tzinfo=tz),
    )
    response, calendar = feed(client, f"/en/calendar/events/{event.slug}.ics")
    text = response.content.decode()
    assert "DTSTART;TZID=Europe/Bucharest:20270326T090000" in text
    assert "DTSTART;TZID=Europe/Bucharest:20270329T090000" in text
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    entries = events_by_uid(calendar)
    winter = entries[f"item-{before.uuid}@rencontres"]["DTSTART"].dt.astimezone(UTC)
    summer = entries[f"item-{after.uuid}@rencontres"]["DTSTART"].dt.astimezone(UTC)
    assert (winter.hour, summer.hour) == (7, 6)


def test_text_with_every_special_character_survives_both_parsers(client):
    nasty = 'Commas, semicolons; back\\slash "quotes"\nnew line\x07bell\x1b é 🎭 ' + "x" * 120
    event = EventFactory(title_en=nasty, summary_en=nasty)
    response, calendar = feed(client, f"/en/calendar/events/{event.slug}.ics")
    component = events_by_uid(calendar)[f"event-{event.uuid}@rencontres"]
    expected = nasty.replace("\x07", "").replace("\x1b", "")
    assert str(component["SUMMARY"]) == expected
    raw = response.content.decode()
    assert "Commas\\, semicolons\\; back\\\\slash" in raw
    assert "\\nnew line" in raw


def test_sequence_goes_up_when_time_or_place_change_and_the_uid_stays(client):
    event = EventFactory()
    item = ProgrammeItemFactory(event=event)
    url = f"/en/calendar/events/{event.slug}.ics"
    _response, before = feed(client, url)
    item.starts_at += timedelta(hours=1)
    item.ends_at += timedelta(hours=1)
    programme_item_save(item=item, changed=["starts_at", "ends_at"])
    _response, after = feed(client, url)
    uid = f"item-{item.uuid}@rencontres"
    assert events_by_uid(after)[uid]["SEQUENCE"] == events_by_uid(before)[uid]["SEQUENCE"] + 1


def test_clients_that_poll_get_304_until_something_changes(client):
    event = EventFactory()
    url = f"/en/calendar/events/{event.slug}.ics"
    first = client.get(url)
    etag = first["ETag"]
    assert etag
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert (
        client.get(url.replace("/en/", "/fr/"), headers={"if-none-match": etag}).status_code == 200
    )
    ProgrammeItemFactory(event=event, title_en="New session")
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"New session" in changed.content


def test_event_page_offers_subscription_links(client):
    event = EventFactory()
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert f"webcal://testserver/en/calendar/events/{event.slug}.ics" in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ftestserver" in html
    assert "https://outlook.live.com/calendar/0/addfromweb?url=webcal" in html


# --- the builder itself: the same bytes as icalendar's own serialisation ----------------

SPECIAL = (
    'Commas, semicolons; colon: back\\slash "quotes" ^caret\nnew line\r\nCRLF\x07\x00\x1b é 🎭'
)


def entries_of_every_kind():
    paris = __import__("zoneinfo").ZoneInfo("Europe/Paris")
    start = datetime(2027, 3, 26, 9, 0, tzinfo=paris)
    stamp = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    long_text = "Atelier « économie solidaire » – Șerban, Ödön; ça\\va " * 6
    return [
        calendar.Entry(
            uid="event-1@rencontres",
            sequence=3,
            starts_at=start,
            ends_at=start + timedelta(days=3),
            tzid="Europe/Paris",
            summary=SPECIAL,
            description=SPECIAL + "\n\n" + long_text,
            location=long_text,
            url="https://rencontres.example.org/fr/events/x/",
            last_modified=stamp,
            categories=["Rencontre, nationale", "Formation; ^ été"],
        ),
        calendar.Entry(
            uid="item-2@rencontres",
            sequence=0,
            starts_at=start.astimezone(UTC),
            ends_at=(start + timedelta(hours=1)).astimezone(UTC),
            tzid="Europe/Bucharest",
            summary="🎭" * 40,  # 4-octet characters on every fold
            description="é" * 150,  # 2-octet characters on every fold
            status="TENTATIVE",
        ),
        calendar.Entry(
            uid="item-3@rencontres",
            sequence=1,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            tzid="",  # no zone: UTC
            # backslashes and carets where the lines fold
            summary="\\" * 80 + "x;" * 40 + "^" * 80,
            last_modified=stamp,
            status="CANCELLED",
            organizer="reply@example.org",
            organizer_name=SPECIAL,
            attendees=[
                calendar.Attendee(email="ana@example.org", name='Ana "Ani" Popescu; de Paris'),
                calendar.Attendee(email="ödön@example.org", name="Ödön " * 30, partstat="ACCEPTED"),
                calendar.Attendee(email="no.name@example.org"),
            ],
        ),
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"name": "Rencontres; all, events\nof the network 🎭 " * 3},
        {},
        {"method": "REQUEST", "dtstamp": datetime(2027, 2, 3, 4, 5, 6, tzinfo=UTC)},
        {"method": "CANCEL", "dtstamp": datetime(2027, 2, 3, 4, 5, 6, tzinfo=UTC)},
    ],
)
def test_the_builder_writes_byte_for_byte_what_icalendar_writes(options):
    entries = entries_of_every_kind()
    body = calendar.build(entries, **options)
    assert body == reference_build(entries, **options)
    parsed = parse(body)  # both parsers, CRLF, folding, TZID or UTC
    read = events_by_uid(parsed)
    assert str(read["event-1@rencontres"]["SUMMARY"]) == calendar.clean(SPECIAL)
    assert str(read["item-2@rencontres"]["SUMMARY"]) == "🎭" * 40
    assert str(read["item-2@rencontres"]["DESCRIPTION"]) == "é" * 150
    assert str(read["item-3@rencontres"]["SUMMARY"]) == "\\" * 80 + "x;" * 40 + "^" * 80
    if options.get("method"):
        attendees = read["item-3@rencontres"]["ATTENDEE"]
        assert [a.params.get("CN") for a in attendees] == [
            'Ana "Ani" Popescu; de Paris',
            ("Ödön " * 30).strip(),
            None,
        ]
        assert read["item-3@rencontres"]["ORGANIZER"].params["CN"] == calendar.clean(SPECIAL)


def test_text_with_every_special_character_is_escaped_and_control_characters_dropped():
    [entry] = entries_of_every_kind()[:1]
    entry.description = ""
    body = calendar.build([entry]).decode()
    unfolded = body.replace("\r\n ", "")
    assert (
        'SUMMARY:Commas\\, semicolons\\; colon: back\\\\slash "quotes" ^caret\\nnew line\\nCRLF'
        " é 🎭\r\n" in unfolded
    )
    assert "CATEGORIES:Rencontre\\, nationale,Formation\\; ^ été\r\n" in unfolded


@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc"])
@pytest.mark.parametrize("piece", ["é", "€", "🎭", "\\,", "\\;", "\\n", "^'", "^n", "x\\\\"])
def test_long_lines_fold_at_75_octets_between_utf8_characters_and_escapes(prefix, piece):
    line = ("DESCRIPTION:" + prefix + piece * 100).encode()
    folded = calendar.fold(line)
    physical = folded.split(b"\r\n")
    assert len(physical) > 2
    for number, part in enumerate(physical):
        assert len(part) <= 75
        assert part.decode("utf-8")  # each line is whole characters
        assert part.startswith(b" ") == (number > 0)
        if piece != "x\\\\":  # a two-character escape is never cut in two
            assert not part.endswith((b"\\", b"^")), part
    assert folded.replace(b"\r\n ", b"") == line


def test_short_lines_are_not_folded():
    assert calendar.fold(b"X" * 74) == b"X" * 74
    assert calendar.fold(b"X" * 75) == b"X" * 74 + b"\r\n X"


@pytest.mark.parametrize("field", ["organizer", "attendee", "url", "uid"])
def test_a_line_break_in_an_address_or_uri_is_refused_not_written(field):
    [entry] = entries_of_every_kind()[:1]
    evil = "x@example.org\r\nATTENDEE:mailto:evil@example.org"
    if field == "organizer":
        entry.organizer = evil
    elif field == "attendee":
        entry.attendees = [calendar.Attendee(email=evil)]
    elif field == "url":
        entry.url = "https://example.org/\nX-EVIL:1"
    else:
        entry.uid = "a\nb"  # a UID is TEXT: escaped, never a line break
        assert b"UID:a\\nb\r\n" in calendar.build([entry])
        return
    with pytest.raises(ValueError):
        calendar.build([entry], method="REQUEST")


def test_an_unchanged_feed_is_the_same_bytes_at_every_poll(client):
    event = EventFactory()
    item = ProgrammeItemFactory(event=event)
    url = f"/en/calendar/events/{event.slug}.ics"
    first = client.get(url).content
    assert client.get(url).content == first
    component = events_by_uid(parse(first))[f"item-{item.uuid}@rencontres"]
    item.refresh_from_db()
    assert component["DTSTAMP"].dt == item.updated_at.replace(microsecond=0)
    assert component["LAST-MODIFIED"].dt == item.updated_at.replace(microsecond=0)


def test_a_cancelled_workshop_reads_cancelled_in_the_event_feed(client):
    event = EventFactory(title_en="National meeting")
    kept = ProgrammeItemFactory(event=event, title_en="Kept", kind=ProgrammeItem.Kind.WORKSHOP)
    called_off = ProgrammeItemFactory(
        event=event, title_en="Called off", kind=ProgrammeItem.Kind.WORKSHOP
    )
    url = f"/en/calendar/events/{event.slug}.ics"
    first, _calendar = feed(client, url)
    programme_item_cancel(item=called_off, actor=None)
    # a subscriber holding the earlier copy gets the new one, not a 304
    _response, calendar = feed(client, url, if_none_match=first["ETag"])
    entries = events_by_uid(calendar)
    assert entries[f"item-{called_off.uuid}@rencontres"]["STATUS"] == "CANCELLED"
    assert entries[f"item-{kept.uuid}@rencontres"]["STATUS"] == "CONFIRMED"


def test_an_item_held_elsewhere_is_located_there_not_at_the_venue(client):
    venue = VenueFactory(name="Le Fil", city="Saint-Étienne", address="20 boulevard Thiers")
    event = EventFactory(venue=venue, title_en="National meeting")
    room = RoomFactory(venue=venue, name="Grande salle")
    in_room = ProgrammeItemFactory(event=event, title_en="Plenary", room=room)
    visit = ProgrammeItemFactory(
        event=event, title_en="Site visit", room=None, location_en="Cluster Culture, rue Balay"
    )
    _response, calendar = feed(client, f"/en/calendar/events/{event.slug}.ics")
    entries = events_by_uid(calendar)
    assert str(entries[f"item-{visit.uuid}@rencontres"]["LOCATION"]) == "Cluster Culture, rue Balay"
    plenary = str(entries[f"item-{in_room.uuid}@rencontres"]["LOCATION"])
    assert plenary.startswith("Grande salle, Le Fil") and "20 boulevard Thiers" in plenary
