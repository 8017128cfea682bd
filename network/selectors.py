"""Reads of the network's public directory, and who may edit an organisation's entry.

Only organisations that agreed to be listed (``Organisation.listed``) exist here: the
list, each organisation's page, its logo and the map data all start from
``listed_organisations()``. An organisation's part in events counts published events
only, and the people it sent are its confirmed registrations and those whose attendance
was recorded.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from events.collation import sorted_countries
from events.i18n import active_language, localized_value
from events.models import Event, Organisation
from mobility.cities import city_find
from registrations.models import Attendance, Registration


def listed_organisations() -> QuerySet[Organisation]:
    """Every organisation that agreed to appear in the public directory."""
    return Organisation.objects.filter(listed=True)


@dataclass(frozen=True)
class Entry:
    """One organisation as the directory shows it, in the active language."""

    organisation: Organisation
    field_of_work: str
    description: str
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def organisation_coordinates(organisation: Organisation) -> tuple[Decimal, Decimal] | None:
    """Its own coordinates, or else those of its city (the offline list of places)."""
    if organisation.latitude is not None and organisation.longitude is not None:
        return organisation.latitude, organisation.longitude
    city = organisation_city(organisation)
    if city is not None:
        return city.latitude, city.longitude
    return None


def organisation_city(organisation: Organisation):
    """Its city in the offline list of places, found by its name in the active language or
    else in any other ("Lisszabon", "Lisbon", "Lisboa"); None if no name is known there."""
    codes = [active_language(), *settings.MODELTRANSLATION_LANGUAGES]
    names = dict.fromkeys(getattr(organisation, f"city_{code}", None) for code in codes)
    for name in names:
        if name:
            city = city_find(name=name, country=organisation.country.code)
            if city is not None:
                return city
    return None


def _entry(organisation: Organisation) -> Entry:
    coordinates = organisation_coordinates(organisation) or (None, None)
    return Entry(
        organisation=organisation,
        field_of_work=localized_value(organisation, "field_of_work"),
        description=localized_value(organisation, "description"),
        latitude=coordinates[0],
        longitude=coordinates[1],
    )


def directory_entries(*, country: str = "", field_of_work: str = "") -> list[Entry]:
    """The listed organisations, by name, filtered by country (ISO code) and by field of
    work (as written in the active language). The network has dozens of organisations,
    not thousands: the translated field is compared after the read."""
    organisations = listed_organisations()
    if country:
        organisations = organisations.filter(country=country)
    entries = [_entry(organisation) for organisation in organisations.order_by("name")]
    if field_of_work:
        wanted = field_of_work.casefold()
        entries = [entry for entry in entries if entry.field_of_work.casefold() == wanted]
    return entries


def directory_countries() -> list[tuple[str, str]]:
    """(code, name in the active language) of the countries of listed organisations."""
    codes = {o.country.code for o in listed_organisations().only("country")}
    return sorted_countries(codes)


def directory_fields_of_work() -> list[str]:
    """The fields of work of listed organisations, in the active language."""
    values = {
        localized_value(organisation, "field_of_work") for organisation in listed_organisations()
    }
    return sorted((value for value in values if value), key=str.casefold)


def directory_entry(*, slug: str) -> Entry:
    """A listed organisation's entry; ``Organisation.DoesNotExist`` for any other."""
    return _entry(listed_organisations().get(slug=slug))


# --- an organisation's part in the network's events --------------------------------------


def people_sent(organisation: Organisation) -> QuerySet[Registration]:
    """The people the organisation sent: confirmed, or present (attendance recorded)."""
    attended = Attendance.objects.filter(registration=OuterRef("pk"))
    return Registration.objects.filter(organisation=organisation).filter(
        Q(status=Registration.Status.CONFIRMED) | Q(Exists(attended))
    )


@dataclass
class Participation:
    event: Event
    hosted: bool = False
    co_organised: bool = False
    people: int = 0


@dataclass
class EventRecord:
    """What an organisation did in the network's published events."""

    rows: list[Participation] = field(default_factory=list)

    @property
    def hosted(self) -> int:
        return sum(1 for row in self.rows if row.hosted)

    @property
    def co_organised(self) -> int:
        return sum(1 for row in self.rows if row.co_organised)

    @property
    def sent_to(self) -> int:
        return sum(1 for row in self.rows if row.people)

    @property
    def people(self) -> int:
        return sum(row.people for row in self.rows)


def organisation_events(organisation: Organisation) -> EventRecord:
    """The published events the organisation hosted, co-organised or sent people to,
    latest first, each with what it did and how many people it sent."""
    published = Event.objects.filter(status=Event.Status.PUBLISHED)
    counts: dict[int, int] = {}
    for event_id in (
        people_sent(organisation).filter(event__in=published).values_list("event_id", flat=True)
    ):
        counts[event_id] = counts.get(event_id, 0) + 1
    took_part = Q(host=organisation) | Q(co_organisers=organisation) | Q(pk__in=list(counts))
    events = (
        published.filter(took_part)
        .distinct()
        .select_related("host", "venue")
        .order_by("-starts_at")
    )
    co_organised = set(
        Event.co_organisers.through.objects.filter(organisation=organisation).values_list(
            "event_id", flat=True
        )
    )
    return EventRecord(
        rows=[
            Participation(
                event=event,
                hosted=event.host_id == organisation.pk,
                co_organised=event.pk in co_organised,
                people=counts.get(event.pk, 0),
            )
            for event in events
        ]
    )


# --- who may edit an organisation's directory entry --------------------------------------


def entries_editable_by(user) -> QuerySet[Organisation]:
    """The organisations whose directory entry ``user`` may edit: superusers every one,
    an organisation's coordinators their own, nobody else any."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(coordinators=user)


def may_edit_entries(user) -> bool:
    return entries_editable_by(user).exists()
