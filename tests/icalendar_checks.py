"""Every calendar we produce is read by two independent parsers and checked against the
rules calendar clients depend on."""

import re

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar


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
