"""The one builder of every calendar: feeds (network, organisation, event, personal) and
emailed invites. Apps above build ``Entry`` values; this module turns them into iCalendar
with the icalendar library's components, which escape every value, order the
properties and fold the lines.

Rules (RFC 5545, and what Gmail, Outlook and Apple Calendar accept):
- every component has a stable UID (from a UUID, never a title), a DTSTAMP and a SEQUENCE
  that goes up when time or place change;
- feeds carry local times with their TZID and a VTIMEZONE; invites carry UTC times;
- control characters, which no escaping makes legal, are removed from user text first;
  an address or a URL with a line break in it is refused.
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
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as ICalEvent
from icalendar.parser import Contentline

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
def _vtimezone(tzid: str) -> Timezone:
    """A VTIMEZONE covering 2000-2050; building one is slow, so each is built once.
    icalendar adds an English COMMENT ("This timezone only works from…") that calendar
    applications may show to the reader: it is left out."""
    vtimezone = Timezone.from_tzid(tzid, first_date=date(2000, 1, 1), last_date=date(2050, 1, 1))
    vtimezone.pop("COMMENT", None)
    return vtimezone


def fold(line: bytes) -> bytes:
    """One content line folded as icalendar folds it (RFC 5545, 3.1): physical lines of
    at most 75 octets, cut between UTF-8 characters, never inside a two-character escape."""
    return Contentline(line.decode("utf-8")).to_ical()


def _one_line(value: str) -> str:
    """An address or URL: refused when it would break the line it is written on."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in a calendar value: {value[:80]!r}")
    return value


def _address(email: str, name: str = "", **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{_one_line(email)}")
    if name:
        address.params["cn"] = vText(clean(name))
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _vevent(entry: Entry, *, utc: bool, dtstamp: datetime | None) -> ICalEvent:
    zone = UTC if utc or not entry.tzid else zoneinfo.ZoneInfo(entry.tzid)
    component = ICalEvent()
    component.add("uid", entry.uid)
    # An invite is stamped when it is sent; a feed entry when its information last changed
    # (RFC 5545, 3.8.7.2), so that a feed that has not changed stays byte for byte the same.
    component.add("dtstamp", (dtstamp or entry.last_modified or timezone.now()).astimezone(UTC))
    component.add("sequence", entry.sequence)
    component.add("dtstart", entry.starts_at.astimezone(zone))
    component.add("dtend", entry.ends_at.astimezone(zone))
    component.add("summary", clean(entry.summary))
    if entry.description:
        component.add("description", clean(entry.description))
    if entry.location:
        component.add("location", clean(entry.location))
    if entry.url:
        component.add("url", _one_line(entry.url))
    component.add("status", entry.status)
    if entry.last_modified:
        component.add("last-modified", entry.last_modified.astimezone(UTC))
    if entry.categories:
        component.add("categories", [clean(category) for category in entry.categories])
    if entry.organizer:
        component.add("organizer", _address(entry.organizer, entry.organizer_name))
    for person in entry.attendees:
        attendee = _address(
            person.email, person.name, role=person.role, partstat=person.partstat, rsvp="FALSE"
        )
        component.add("attendee", attendee, encode=0)
    return component


def build(
    entries: list[Entry],
    *,
    name: str = "",
    method: str | None = None,
    dtstamp: datetime | None = None,
) -> bytes:
    """An iCalendar document. ``method`` (REQUEST or CANCEL) makes it an invite, in UTC."""
    document = Calendar()
    document.add("prodid", PRODID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    if method:
        document.add("method", method)
    if name:
        one_line = " ".join(clean(name).split())
        document.add("x-wr-calname", vText(one_line))
        document.add("name", vText(one_line))
    utc = method is not None
    stamp = (dtstamp or timezone.now()) if utc else dtstamp
    if not utc:
        # VTIMEZONEs go before the components that refer to them.
        for tzid in sorted({entry.tzid for entry in entries if entry.tzid}):
            document.add_component(_vtimezone(tzid))
    for entry in entries:
        document.add_component(_vevent(entry, utc=utc, dtstamp=stamp))
    return document.to_ical()


# --- entries for what the events app knows ------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def event_location(event: Event, language: str | None = None) -> str:
    """Where the event is held, its city named in ``language`` (else the active one)."""
    if event.venue_id:
        with _language(language) if language else contextlib.nullcontext():
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
    with _language(language):  # the reader's language, whichever is active
        kind = str(event.get_kind_display())
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
        location=event_location(event, language),
        url=url,
        status="CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED",
        last_modified=event.updated_at,
        categories=[kind],
    )


def item_location(
    item: ProgrammeItem, venue: str | None = None, language: str | None = None
) -> str:
    """Where the item is, named in ``language`` (else the active one): its room and the
    event's venue; or its other location alone (a site visit, a dinner: held outside the
    venue, whose address would send people to the wrong place); else the venue."""
    event = item.event
    language = language or translation.get_language()
    if not item.room_id and (elsewhere := item.i18n.in_language("location", language)):
        return elsewhere
    room = item.room.i18n.in_language("name", language) if item.room_id else ""
    venue = event_location(event, language) if venue is None else venue
    return ", ".join(part for part in (room, venue) if part)


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
    names = [
        f"{speaker.name_in(language)} ({speaker.organisation.name})"
        if speaker.organisation_id
        else speaker.name_in(language)
        for speaker in item.speakers.all()
    ]
    speakers = ", ".join(names)
    url = url or event_url(event, language)
    lines = [item.i18n.in_language("description", language)]
    with _language(language):
        if speakers:
            label = translation.ngettext("Speaker: %(names)s", "Speakers: %(names)s", len(names))
            lines.append(label % {"names": speakers})
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
        location=item_location(item, venue, language),
        url=url,
        status=status
        or (
            "CANCELLED" if item.cancelled or event.status == Event.Status.CANCELLED else "CONFIRMED"
        ),
        last_modified=item.updated_at,
        categories=[kind],
    )
