"""Mobility rules: distance, Erasmus+ distance band, travel grant, travel days, emissions
(pure computations), and the writes of participants' details and events' settings.

Decisions, from the Erasmus+ programme guide 2021 (the band table shipped with the data
migration) and documented in the README:

- Distance: one way, great circle from the city of origin to the venue, on a sphere of
  the Earth's mean radius (6371 km, as the Commission's distance calculator), cut to whole
  kilometres: 99.9 km is in the band of 10–99 km. Under 10 km there is no travel grant.
- Green travel: "low-emission means of transport for the main part of the travel, such as
  bus, train or car-pooling" (guide 2021, part B). Which means count is data
  (``MeansOfTransport.green_travel``): train, bus, shared car, bike and other sustainable
  means are shipped as green; plane, car driven alone and boat are not. A green traveller
  gets the band's green unit cost where the guide gives one (100–3999 km), else the
  standard one.
- Nearer than the first band (under 10 km: a local participant): no travel grant, no
  funded travel days, no green travel.
- Funded travel days: up to 2 (one to go, one to come back); with green travel, up to 6
  (the guide's "up to 4 additional travel days"). The days counted are the days spent
  travelling as the participant's arrival and departure show them: each way at least one
  day, the days from arrival to the activity's first day, and from its last day to
  departure; capped at 2, or 6 for green travel.
- Emissions: the return journey (twice the one-way distance) times the means' factor;
  a flight longer than the means' long-haul distance (DESNZ: 3,700 km one way) takes its
  long-haul factor.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from registrations.models import Registration, Role

from .cities import City
from .models import (
    BandTable,
    DistanceBand,
    MeansOfTransport,
    MobilityDetails,
    MobilitySettings,
    Project,
    ProjectActivity,
    Series,
    SeriesEdition,
)

EARTH_RADIUS_KM = 6371.0
MIN_FUNDED_KM = 10
TRAVEL_DAYS = 2
TRAVEL_DAYS_GREEN = 6


class MobilityError(Exception):
    """A rule refused the change; the message is for the user."""


# --- pure computations --------------------------------------------------------------


def distance_km(
    *, from_latitude: float, from_longitude: float, to_latitude: float, to_longitude: float
) -> float:
    """Great-circle distance in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (from_latitude, from_longitude, to_latitude, to_longitude)
    )
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def band_containing(*, bands: list[DistanceBand], km: int) -> DistanceBand | None:
    """The band that whole-kilometre distance ``km`` falls in (edges included)."""
    for band in bands:
        if km >= band.min_km and (band.max_km is None or km <= band.max_km):
            return band
    return None


def travel_days(
    *, green: bool, arrival: date | None, departure: date | None, first_day: date, last_day: date
) -> int:
    """Funded travel days (see the module's notes): 2, or up to 6 with green travel."""
    if not green:
        return TRAVEL_DAYS
    going = max(1, (first_day - arrival).days) if arrival else 1
    coming_back = max(1, (departure - last_day).days) if departure else 1
    return min(TRAVEL_DAYS_GREEN, going + coming_back)


@dataclass(frozen=True)
class Travel:
    """What the product computes for one participant's travel."""

    km: int | None  # one way, whole kilometres; None when origin or venue is unknown
    band: DistanceBand | None
    green: bool
    unit_cost: Decimal  # the travel grant: green unit cost where it applies
    green_amount: Decimal | None  # the green unit cost, when the person travels green
    travel_days: int
    emissions_kg: Decimal | None  # return journey
    long_haul: bool = False  # the emissions use the means' long-haul factor

    @property
    def band_label(self) -> str:
        return str(self.band) if self.band else ""

    def report_values(self, details: MobilityDetails | None) -> tuple:
        """Green travel, travel days and travel grant as reports state them: None (not
        known) while the city of origin or the means of transport is not known."""
        if self.km is None or details is None or not details.means:
            return None, None, None
        return self.green, self.travel_days, self.unit_cost


def travel_compute(
    *,
    details: MobilityDetails | None,
    event: Event,
    bands: list[DistanceBand],
    means: dict[str, MeansOfTransport],
) -> Travel:
    """The distance, band, grant, travel days and emissions of one person's travel to
    ``event`` (its venue with coordinates), from ``bands`` of the event's table and the
    ``means`` data by code. Reads nothing from the database."""
    venue = event.venue
    known = (
        details is not None
        and details.origin_latitude is not None
        and venue is not None
        and venue.latitude is not None
    )
    means_row = means.get(details.means) if details is not None and details.means else None
    green = bool(means_row and means_row.green_travel)
    first_day, last_day = event.local_starts_at.date(), event.local_ends_at.date()
    arrival = event.local(details.arrival_at).date() if details and details.arrival_at else None
    departure = (
        event.local(details.departure_at).date() if details and details.departure_at else None
    )
    days = travel_days(
        green=green, arrival=arrival, departure=departure, first_day=first_day, last_day=last_day
    )
    if not known:
        return Travel(None, None, green, Decimal(0), None, days, None)
    km = int(
        distance_km(
            from_latitude=float(details.origin_latitude),
            from_longitude=float(details.origin_longitude),
            to_latitude=float(venue.latitude),
            to_longitude=float(venue.longitude),
        )
    )
    band = band_containing(bands=bands, km=km) if km >= MIN_FUNDED_KM else None
    if band is None and bands:
        # Below the first band (a local participant): no travel, no travel days to fund.
        green, days = False, 0
    green_amount = band.green_unit_cost if band and green and band.green_unit_cost else None
    unit_cost = green_amount or (band.unit_cost if band else Decimal(0))
    long_haul = bool(
        means_row
        and means_row.long_haul_from_km is not None
        and means_row.long_haul_grams_co2e_per_km is not None
        and km > means_row.long_haul_from_km
    )
    factor = (
        means_row.long_haul_grams_co2e_per_km
        if long_haul
        else means_row.grams_co2e_per_km
        if means_row
        else None
    )
    emissions = (
        (Decimal(2 * km) * factor / 1000).quantize(Decimal("0.1")) if factor is not None else None
    )
    return Travel(km, band, green, unit_cost, green_amount, days, emissions, long_haul)


# --- writes -------------------------------------------------------------------------


def is_mobility(event: Event) -> bool:
    return event.kind == Event.Kind.TRAINING


def newest_band_table() -> BandTable | None:
    """The band table an event's mobility settings start with."""
    return BandTable.objects.order_by("-year", "pk").first()


@transaction.atomic
def mobility_settings_get_or_create(*, event: Event) -> MobilitySettings:
    """An event's mobility settings, made with the newest band table the first time
    (``selectors.settings_of`` reads them without writing)."""
    settings, _created = MobilitySettings.objects.get_or_create(
        event=event, defaults={"band_table": newest_band_table()}
    )
    return settings


@transaction.atomic
def mobility_settings_update(
    *,
    event: Event,
    band_table: BandTable | None,
    asks_date_of_birth: bool,
    coordinators_see_fewer_opportunities: bool = False,
    locked: bool | None = None,
    project: Project | None = None,
    activity_type: str = "",
    series: Series | None = None,
    now: datetime | None = None,
) -> MobilitySettings:
    """Save an event's mobility settings (its setup page). ``locked``: lock or unlock
    the participants' travel details (None: leave as it is); ``project`` with its
    ``activity_type``, and ``series``: what the event belongs to (None: nothing). Not
    asking the date of birth any more erases those given; the settings returned say how
    many (``erased_dates_of_birth``)."""
    settings = MobilitySettings.objects.select_for_update().get(
        pk=mobility_settings_get_or_create(event=event).pk
    )
    settings.band_table = band_table
    settings.asks_date_of_birth = asks_date_of_birth
    # A date of birth does not outlive the setting that collected it: erased when the
    # event stops asking it (nobody would see it, nor could the participant clear it).
    settings.erased_dates_of_birth = (
        0
        if asks_date_of_birth
        else MobilityDetails.objects.filter(
            registration__event=event, date_of_birth__isnull=False
        ).update(date_of_birth=None)
    )
    settings.coordinators_see_fewer_opportunities = coordinators_see_fewer_opportunities
    if locked is not None and locked != settings.locked:
        settings.locked_at = (now or timezone.now()) if locked else None
    settings.save()
    if project is None:
        if ProjectActivity.objects.filter(event=event).delete()[0]:
            Event.objects.filter(pk=event.pk).content_changed()
    else:
        ProjectActivity.objects.update_or_create(
            event=event, defaults={"project": project, "type": activity_type}
        )
    if series is None:
        if SeriesEdition.objects.filter(event=event).delete()[0]:
            Event.objects.filter(pk=event.pk).content_changed()
    else:
        SeriesEdition.objects.update_or_create(event=event, defaults={"series": series})
    return settings


@transaction.atomic
def mobility_lock(*, event: Event, locked: bool, now: datetime | None = None) -> MobilitySettings:
    """Lock (or unlock) the participants' travel details of an event."""
    settings = MobilitySettings.objects.select_for_update().get(
        pk=mobility_settings_get_or_create(event=event).pk
    )
    settings.locked_at = (now or timezone.now()) if locked else None
    settings.save(update_fields=["locked_at"])
    return settings


@dataclass(frozen=True)
class DetailsInput:
    """What a participant enters about their travel."""

    origin: City | None  # None: not given yet
    arrival_at: datetime | None
    departure_at: datetime | None
    means: str
    needs_visa_letter: bool
    accommodation_nights: int | None
    room_sharing: str
    date_of_birth: date | None = None
    fewer_opportunities: bool = False


@transaction.atomic
def mobility_details_save(
    *, registration: Registration, data: DetailsInput, first: bool = False
) -> MobilityDetails:
    """Save a participant's travel details, unless the organisers locked them (checked
    under the settings row's lock, so a lock taken meanwhile wins). ``first``: given with
    a new registration, in its transaction: the lock stops changes, not the details a
    newcomer gives when registering."""
    settings = MobilitySettings.objects.select_for_update().get(
        pk=mobility_settings_get_or_create(event=registration.event).pk
    )
    if settings.locked and not first:
        raise MobilityError(
            _("The organisers have locked the travel details; write to them to change yours.")
        )
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.REJECTED):
        raise MobilityError(_("This registration is cancelled."))
    return _details_write(registration=registration, settings=settings, data=data)


@transaction.atomic
def mobility_details_correct(
    *, registration: Registration, data: DetailsInput, role: str
) -> MobilityDetails:
    """An organiser corrects one person's travel details, fewer-opportunities answer and
    role, locked or not (the lock stops participants, not the organisers)."""
    settings = MobilitySettings.objects.select_for_update().get(
        pk=mobility_settings_get_or_create(event=registration.event).pk
    )
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if role not in Role.values:
        raise MobilityError(_("Choose a role."))
    if registration.role != role:
        registration.role = role
        registration.save(update_fields=["role", "updated_at"])
    return _details_write(registration=registration, settings=settings, data=data)


def _details_write(
    *, registration: Registration, settings: MobilitySettings, data: DetailsInput
) -> MobilityDetails:
    details, _created = MobilityDetails.objects.get_or_create(registration=registration)
    origin = data.origin
    details.origin_geonameid = origin.geonameid if origin else None
    details.origin_city = origin.name if origin else ""
    details.origin_country = origin.country if origin else ""
    details.origin_latitude = origin.latitude if origin else None
    details.origin_longitude = origin.longitude if origin else None
    details.arrival_at = data.arrival_at
    details.departure_at = data.departure_at
    details.means = data.means
    details.needs_visa_letter = data.needs_visa_letter
    details.accommodation_nights = data.accommodation_nights
    details.room_sharing = data.room_sharing
    if settings.asks_date_of_birth:
        details.date_of_birth = data.date_of_birth
    # The registration's role is the one source of truth (the registration form asks it;
    # organisers change it); kept here too as grant evidence (``personal_data``).
    details.accompanying_person = registration.role == Role.ACCOMPANYING
    details.fewer_opportunities = data.fewer_opportunities
    details.save()
    return details


def copy_configuration(*, source: Event, copy: Event) -> None:
    """A copy of an event stays in its project (as the same kind of activity) and in its
    series, with the same mobility settings; its travel details start unlocked."""
    settings = MobilitySettings.objects.filter(event=source).first()
    if settings is not None:
        MobilitySettings.objects.create(
            event=copy,
            band_table=settings.band_table,
            asks_date_of_birth=settings.asks_date_of_birth,
            coordinators_see_fewer_opportunities=settings.coordinators_see_fewer_opportunities,
        )
    activity = ProjectActivity.objects.filter(event=source).first()
    if activity is not None:
        ProjectActivity.objects.create(event=copy, project=activity.project, type=activity.type)
    edition = SeriesEdition.objects.filter(event=source).first()
    if edition is not None:
        SeriesEdition.objects.create(event=copy, series=edition.series)
