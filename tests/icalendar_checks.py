"""Every calendar we produce is read by two independent parsers and checked against the
rules calendar clients depend on."""

import re
import zoneinfo
from datetime import UTC, date, datetime

from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from events.calendar import PRODID, clean


def parse(body: bytes) -> Calendar:
    """Parse with icalendar and with ``ical`` (a strict, independent RFC 5545 parser),
    check the common rules, and return icalendar's reading."""
    text = body.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", ""), "lines end with CRLF only"
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, f"line not folded: {line!r}"
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), "control characters"

    strict = IcsCalendarStream.calendar_from_ics(text)  # raises on anything malformed
    assert strict.prodid

    calendar = Calendar.from_ical(body)
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    events = calendar.walk("VEVENT")
    for component in events:
        for name in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"):
            assert name in component, f"{name} missing in {component.get('UID')}"
        for name in ("DTSTART", "DTEND"):
            prop = component[name]
            tzid = prop.params.get("TZID")
            if tzid:
                assert tzid in tzids, f"{tzid} has no VTIMEZONE"
            else:
                assert prop.to_ical().endswith(b"Z"), f"{name} is neither TZID nor UTC"
        assert component["DTSTAMP"].to_ical().endswith(b"Z")
    assert len(strict.events) == len(events)
    return calendar


def events_by_uid(calendar: Calendar) -> dict:
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def _vtimezone_without_comment(tzid: str) -> Timezone:
    """icalendar's VTIMEZONE for 2000-2050, without the English COMMENT it adds (which the
    project leaves out: calendar applications may show it to the reader)."""
    vtimezone = Timezone.from_tzid(tzid, first_date=date(2000, 1, 1), last_date=date(2050, 1, 1))
    vtimezone.pop("COMMENT", None)
    return vtimezone


def reference_build(
    entries,
    *,
    name: str = "",
    method: str | None = None,
    dtstamp: datetime | None = None,
) -> bytes:
    """What ``events.calendar.build`` must write, made the slow and obvious way: icalendar's
    own components (``Calendar``, ``Event``, ``add()``) and its ``to_ical()``, which picks
    the value types, escapes, orders the properties and folds the lines, written here
    apart from the builder so that the tests check the builder's bytes against it."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        one_line = " ".join(clean(name).split())
        calendar.add("x-wr-calname", vText(one_line))
        calendar.add("name", vText(one_line))
    utc = method is not None
    stamp = (dtstamp or timezone.now()) if utc else dtstamp
    for entry in entries:
        calendar.add_component(_reference_component(entry, utc=utc, dtstamp=stamp))
    body = calendar.to_ical()
    tzids = sorted({entry.tzid for entry in entries if entry.tzid})
    if utc or not tzids:
        return body
    head, marker, rest = body.partition(b"BEGIN:VEVENT")
    vtimezones = b"".join(_vtimezone_without_comment(tzid).to_ical() for tzid in tzids)
    return head + vtimezones + marker + rest


def _reference_component(entry, *, utc: bool, dtstamp: datetime | None) -> Event:
    component = Event()
    component.add("uid", entry.uid)
    component.add("dtstamp", (dtstamp or entry.last_modified or timezone.now()).astimezone(UTC))
    component.add("sequence", entry.sequence)
    zone = UTC if utc or not entry.tzid else zoneinfo.ZoneInfo(entry.tzid)
    component.add("dtstart", entry.starts_at.astimezone(zone))
    component.add("dtend", entry.ends_at.astimezone(zone))
    component.add("summary", clean(entry.summary))
    if entry.description:
        component.add("description", clean(entry.description))
    if entry.location:
        component.add("location", clean(entry.location))
    if entry.url:
        component.add("url", entry.url)
    component.add("status", entry.status)
    if entry.last_modified:
        component.add("last-modified", entry.last_modified.astimezone(UTC))
    if entry.categories:
        component.add("categories", [clean(c) for c in entry.categories])
    if entry.organizer:
        organizer = vCalAddress(f"mailto:{entry.organizer}")
        if entry.organizer_name:
            organizer.params["cn"] = vText(clean(entry.organizer_name))
        component.add("organizer", organizer)
    for person in entry.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        if person.name:
            attendee.params["cn"] = vText(clean(person.name))
        attendee.params["role"] = vText(person.role)
        attendee.params["partstat"] = vText(person.partstat)
        attendee.params["rsvp"] = vText("FALSE")
        component.add("attendee", attendee, encode=0)
    return component
