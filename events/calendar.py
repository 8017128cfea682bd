"""The one builder of every calendar: feeds (network, organisation, event, personal) and
emailed invites. Apps above build ``Entry`` values; this module turns them into iCalendar.

Rules (RFC 5545, and what Gmail, Outlook and Apple Calendar accept):
- every component has a stable UID (from a UUID, never a title), a DTSTAMP and a SEQUENCE
  that goes up when time or place change;
- feeds carry local times with their TZID and a VTIMEZONE; invites carry UTC times;
- commas, semicolons, backslashes and newlines are escaped and long lines folded;
  control characters, which no escaping makes legal, are removed from user text first.

How: every value is encoded by icalendar's own property types (``vText`` escapes TEXT,
``vDatetime`` writes times and their TZID, ``vCalAddress`` with ``Parameters`` writes
addresses with quoted, RFC 6868-escaped names, ``vCategory``, ``vInt``, ``vUri``), and
VTIMEZONEs are icalendar's. This module writes only the line around each value
(``NAME;PARAMS:VALUE``, properties in icalendar's canonical order) and folds it (RFC 5545
3.1: at most 75 octets, between UTF-8 characters, CRLF and a space; two-character escapes
kept on one line, as icalendar folds). Building icalendar ``Component`` trees and calling
their ``to_ical()`` wrote the same bytes but took 158 ms of CPU for the 500-item feed of
bench/calendars.py (type inference in ``add()``, a ``Contentline`` per property, folding
character by character) against 38 ms this way. tests/events/test_calendar.py checks that
the output is byte for byte what icalendar's own ``Calendar.to_ical()`` writes.
"""

import contextlib
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Timezone, vCalAddress, vCategory, vDatetime, vInt, vText, vUri

from .models import Event, ProgrammeItem

PRODID = "-//Rencontres//Event registration//EN"
UID_DOMAIN = "rencontres"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """User text made safe for a calendar: control characters removed, CR LF unified."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


@dataclass
class Attendee:
    email: str
    name: str = ""
    partstat: str = "NEEDS-ACTION"
    role: str = "REQ-PARTICIPANT"


@dataclass
class Entry:
    """One calendar component, whatever it describes."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    tzid: str
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    last_modified: datetime | None = None
    categories: list[str] = field(default_factory=list)
    organizer: str = ""
    organizer_name: str = ""
    attendees: list[Attendee] = field(default_factory=list)


def uid(kind: str, value) -> str:
    return f"{kind}-{value}@{UID_DOMAIN}"


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes:
    """A VTIMEZONE covers 2000-2050; building one is slow, so each is built once."""
    return Timezone.from_tzid(
        tzid, first_date=date(2000, 1, 1), last_date=date(2050, 1, 1)
    ).to_ical()


# --- writing content lines ---------------------------------------------------------------

FOLD_OCTETS = 74  # octets of content per physical line (the leading space makes 75)


def fold(line: bytes) -> bytes:
    """One content line folded (RFC 5545, 3.1): physical lines of at most 75 octets,
    continued with CRLF and a space, cut between UTF-8 characters only. As icalendar does,
    a cut that would fall just after a backslash or a caret moves one character back, so
    that a two-character escape (TEXT ``\\,`` ``\\;`` ``\\n``, RFC 6868 ``^'``) stays on
    one line (any cut is valid: unfolding removes CRLF and the space)."""
    if len(line) <= FOLD_OCTETS:
        return line
    parts = []
    start, length = 0, len(line)
    while length - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while line[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character
            end -= 1
        if line[end - 1] in b"\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _line(name: bytes, value) -> bytes:
    """``NAME;PARAMS:VALUE`` from an icalendar property value, folded."""
    params = value.params.to_ical() if value.params else b""
    line = (
        name + b";" + params + b":" + value.to_ical() if params else name + b":" + value.to_ical()
    )
    if b"\r" in line or b"\n" in line:  # TEXT is escaped; an address or URI must not break
        raise ValueError(f"line break in a calendar value: {line[:80]!r}")
    return fold(line)


def _address(email: str, params: dict[str, str]) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _vevent(entry: Entry, *, utc: bool, dtstamp: datetime | None) -> list[bytes]:
    """The lines of one VEVENT, properties in icalendar's canonical order for a VEVENT
    (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, then the others alphabetically)."""
    zone = UTC if utc or not entry.tzid else zoneinfo.ZoneInfo(entry.tzid)
    # An invite is stamped when it is sent; a feed entry when its information last changed
    # (RFC 5545, 3.8.7.2), so that a feed that has not changed stays byte for byte the same.
    stamp = vDatetime((dtstamp or entry.last_modified or timezone.now()).astimezone(UTC))
    lines = [
        b"BEGIN:VEVENT",
        _line(b"SUMMARY", vText(clean(entry.summary))),
        _line(b"DTSTART", vDatetime(entry.starts_at.astimezone(zone))),
        _line(b"DTEND", vDatetime(entry.ends_at.astimezone(zone))),
        _line(b"DTSTAMP", stamp),
        _line(b"UID", vText(entry.uid)),
        _line(b"SEQUENCE", vInt(entry.sequence)),
    ]
    for person in entry.attendees:
        params = {"CN": clean(person.name)} if person.name else {}
        params |= {"ROLE": person.role, "PARTSTAT": person.partstat, "RSVP": "FALSE"}
        lines.append(_line(b"ATTENDEE", _address(person.email, params)))
    if entry.categories:
        lines.append(_line(b"CATEGORIES", vCategory([clean(c) for c in entry.categories])))
    if entry.description:
        lines.append(_line(b"DESCRIPTION", vText(clean(entry.description))))
    if entry.last_modified:
        lines.append(_line(b"LAST-MODIFIED", vDatetime(entry.last_modified.astimezone(UTC))))
    if entry.location:
        lines.append(_line(b"LOCATION", vText(clean(entry.location))))
    if entry.organizer:
        params = {"CN": clean(entry.organizer_name)} if entry.organizer_name else {}
        lines.append(_line(b"ORGANIZER", _address(entry.organizer, params)))
    lines.append(_line(b"STATUS", vText(entry.status)))
    if entry.url:
        lines.append(_line(b"URL", vUri(entry.url)))
    lines.append(b"END:VEVENT")
    return lines


def build(
    entries: list[Entry],
    *,
    name: str = "",
    method: str | None = None,
    dtstamp: datetime | None = None,
) -> bytes:
    """An iCalendar document. ``method`` (REQUEST or CANCEL) makes it an invite, in UTC."""
    lines = [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        _line(b"PRODID", vText(PRODID)),
        b"CALSCALE:GREGORIAN",
    ]
    if method:
        lines.append(_line(b"METHOD", vText(method)))
    if name:
        one_line = vText(" ".join(clean(name).split()))
        lines += [_line(b"NAME", one_line), _line(b"X-WR-CALNAME", one_line)]
    utc = method is not None
    stamp = (dtstamp or timezone.now()) if utc else dtstamp
    if not utc:
        # VTIMEZONEs go before the components that refer to them.
        tzids = sorted({entry.tzid for entry in entries if entry.tzid})
        lines += [_vtimezone(tzid).removesuffix(b"\r\n") for tzid in tzids]
    for entry in entries:
        lines += _vevent(entry, utc=utc, dtstamp=stamp)
    lines.append(b"END:VCALENDAR")
    return b"\r\n".join(lines) + b"\r\n"


# --- entries for what the events app knows ------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def event_location(event: Event) -> str:
    if event.venue_id:
        return f"{event.venue.name}, {event.venue.full_address}"
    return event.online_url


@lru_cache(maxsize=16)
def _kind_labels(language: str) -> dict[str, str]:
    """Programme item kinds named in a language, translated once (not once per item)."""
    with translation.override(language):
        return {value: str(label) for value, label in ProgrammeItem.Kind.choices}


def _language(language: str):
    """Switch languages only when needed: a feed is built in the request's language."""
    if language == translation.get_language():
        return contextlib.nullcontext()
    return translation.override(language)


def event_url(event: Event, language: str) -> str:
    if language == translation.get_language():
        return absolute(reverse("events:detail", kwargs={"slug": event.slug}))
    with translation.override(language):
        return absolute(reverse("events:detail", kwargs={"slug": event.slug}))


def event_entry(event: Event, language: str) -> Entry:
    url = event_url(event, language)
    description = "\n\n".join(
        part for part in (event.i18n.in_language("summary", language), url) if part
    )
    return Entry(
        uid=uid("event", event.uuid),
        sequence=event.sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        tzid=event.timezone,
        summary=event.i18n.in_language("title", language),
        description=description,
        location=event_location(event),
        url=url,
        status="CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED",
        last_modified=event.updated_at,
        categories=[str(event.get_kind_display())],
    )


def item_location(item: ProgrammeItem, venue: str | None = None) -> str:
    event = item.event
    place = item.room.name if item.room_id else item.location
    venue = event_location(event) if venue is None else venue
    return ", ".join(part for part in (place, venue) if part)


def item_entry(
    item: ProgrammeItem,
    language: str,
    *,
    uid_value: str | None = None,
    sequence: int | None = None,
    status: str | None = None,
    url: str | None = None,
    venue: str | None = None,
) -> Entry:
    event = item.event
    speakers = ", ".join(
        f"{speaker.name} ({speaker.organisation.name})" if speaker.organisation_id else speaker.name
        for speaker in item.speakers.all()
    )
    url = url or event_url(event, language)
    lines = [item.i18n.in_language("description", language)]
    with _language(language):
        if speakers:
            lines.append(translation.gettext("Speakers: %(names)s") % {"names": speakers})
        kind = _kind_labels(translation.get_language())[item.kind]
    lines.append(url)
    return Entry(
        uid=uid_value or uid("item", item.uuid),
        sequence=item.sequence if sequence is None else sequence,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        tzid=event.timezone,
        summary=item.i18n.in_language("title", language),
        description="\n\n".join(line for line in lines if line),
        location=item_location(item, venue),
        url=url,
        status=status or ("CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"),
        last_modified=item.updated_at,
        categories=[kind],
    )
