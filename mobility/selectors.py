"""Reads of mobility data. Who sees what goes through ``registrations.selectors``'
``workspace_access``: organisers see every participant, a partner coordinator their own
organisation's; the date of birth only where ``access.sees_sensitive_data``, "fewer
opportunities" only where ``sees_fewer_opportunities``."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from events.models import Event
from registrations import selectors as registration_selectors
from registrations.models import Registration, Role
from registrations.selectors import WorkspaceAccess

from . import services
from .models import (
    DistanceBand,
    MeansOfTransport,
    MobilityDetails,
    MobilitySettings,
    Project,
    ProjectActivity,
    Series,
    SeriesEdition,
)


@dataclass(frozen=True)
class Rates:
    """The data an event's computations read: its bands and the means of transport."""

    bands: list[DistanceBand]
    means: dict[str, MeansOfTransport]


def settings_of(event: Event) -> MobilitySettings:
    """An event's mobility settings; until an organiser saves them (or a participant saves
    travel details), the defaults, unsaved: the newest table of distance bands."""
    settings = MobilitySettings.objects.filter(event=event).select_related("band_table").first()
    if settings is None:
        settings = MobilitySettings(event=event, band_table=services.newest_band_table())
    return settings


def sees_fewer_opportunities(*, access: WorkspaceAccess, settings: MobilitySettings) -> bool:
    """Who is a participant with fewer opportunities: the event's organisers, and its
    partner coordinators (for their own people) where the mobility settings allow it."""
    if access.is_organiser:
        return True
    return access.role == "coordinator" and settings.coordinators_see_fewer_opportunities


def report_sensitive_columns(
    *, access: WorkspaceAccess, settings: MobilitySettings
) -> tuple[bool, bool]:
    """Which sensitive columns the user may add to an event's beneficiary report: "fewer
    opportunities", and the date of birth (only while the event asks it)."""
    return (
        sees_fewer_opportunities(access=access, settings=settings),
        access.sees_sensitive_data and settings.asks_date_of_birth,
    )


def project_sees_fewer_opportunities(*, visible: list[tuple[Event, WorkspaceAccess]]) -> bool:
    """Whether the user may add "fewer opportunities" to the whole project's report: only
    where they may see it in every activity included (organisers of each; coordinators
    where each event allows it), as in each event's own report."""
    return bool(visible) and all(
        sees_fewer_opportunities(access=access, settings=settings_of(event))
        for event, access in visible
    )


def linkable_projects(*, event: Event):
    """The projects an organiser may make the event an activity of: those its host
    organisation coordinates or is a partner of (and the one it belongs to)."""
    linked = Q(activities__event=event)
    if event.host_id is None:
        return Project.objects.filter(linked).distinct()
    return Project.objects.filter(
        Q(coordinating_organisation=event.host_id) | Q(partners=event.host_id) | linked
    ).distinct()


def linkable_series(*, user, event: Event):
    """The series an organiser may add the event to: those with an edition they organise
    (a superuser: every series)."""
    if user.is_superuser:
        return Series.objects.all()
    return Series.objects.filter(
        Q(editions__event__organisers=user) | Q(editions__event=event)
    ).distinct()


def rates_of(settings: MobilitySettings) -> Rates:
    bands = (
        list(DistanceBand.objects.filter(table_id=settings.band_table_id))
        if settings.band_table_id
        else []
    )
    means = {row.means: row for row in MeansOfTransport.objects.all()}
    return Rates(bands, means)


def details_of(registration: Registration) -> MobilityDetails | None:
    return MobilityDetails.objects.filter(registration=registration).first()


def contact_email(event: Event) -> str:
    """Where participants write to the organisers: the event's contact address, else the
    network's."""
    from events.selectors import network_identity

    return event.contact_email or network_identity().email


def means_data(details: MobilityDetails | None) -> MeansOfTransport | None:
    """What the computations know of someone's means of transport (its emission factor
    and source), None while it is not known."""
    if details is None or not details.means:
        return None
    return MeansOfTransport.objects.filter(means=details.means).first()


def travel_of(
    *, registration: Registration, settings: MobilitySettings, details: MobilityDetails | None
) -> services.Travel:
    rates = rates_of(settings)
    return services.travel_compute(
        details=details, event=registration.event, bands=rates.bands, means=rates.means
    )


@dataclass
class Row:
    """One participant's line in the organisers' mobility pages and exports."""

    registration: Registration
    details: MobilityDetails | None
    travel: services.Travel


def is_accompanying(row: Row) -> bool:
    """An accompanying person: the registration's role says it (the one source of truth);
    after erasure, the evidence kept with the travel details."""
    if row.details is not None and row.details.evidence_only_since is not None:
        return row.details.accompanying_person
    return row.registration.role == Role.ACCOMPANYING


def mobility_rows(*, access: WorkspaceAccess, event: Event) -> list[Row]:
    """The participants holding a place that ``access`` may see, with their travel, by
    organisation and name."""
    settings = settings_of(event)
    rates = rates_of(settings)
    registrations = (
        registration_selectors.participants(access=access, event=event)
        .filter(status__in=Registration.HOLDING)
        .select_related("organisation", "mobility", "event__venue")
        .order_by("organisation_name", "last_name", "first_name", "pk")
    )
    rows = []
    for registration in registrations:
        details = getattr(registration, "mobility", None)
        travel = services.travel_compute(
            details=details, event=event, bands=rates.bands, means=rates.means
        )
        rows.append(Row(registration, details, travel))
    return rows


@dataclass
class OrganisationTotals:
    name: str
    participants: int = 0
    accompanying: int = 0
    fewer_opportunities: int | None = 0  # None when not shown to this user
    green: int = 0
    km: int = 0
    grant: Decimal = field(default_factory=Decimal)
    emissions_kg: Decimal = field(default_factory=Decimal)
    missing: int = 0  # without a known city of origin
    means_unknown: int = 0  # means of transport not known yet ("I do not know yet")


def mobility_overview(*, access: WorkspaceAccess, event: Event) -> list[OrganisationTotals]:
    """Totals per sending organisation, then a last line with the sum. Someone whose
    means of transport is not known yet is counted apart (``means_unknown``): neither
    green nor not, and left out of the grant (green or not decides it) and emissions."""
    totals: dict[str, OrganisationTotals] = {}
    overall = OrganisationTotals(name="")
    fewer = sees_fewer_opportunities(access=access, settings=settings_of(event))
    for row in mobility_rows(access=access, event=event):
        name = row.registration.organisation_label
        for line in (totals.setdefault(name, OrganisationTotals(name=name)), overall):
            line.participants += 1
            if is_accompanying(row):
                line.accompanying += 1
            if fewer:
                if row.details and row.details.fewer_opportunities:
                    line.fewer_opportunities += 1
            else:
                line.fewer_opportunities = None
            means_known = bool(row.details and row.details.means)
            if not means_known:
                line.means_unknown += 1
            if row.travel.km is None:
                line.missing += 1
                continue
            line.km += row.travel.km
            if means_known:
                line.green += int(row.travel.green)
                line.grant += row.travel.unit_cost
                line.emissions_kg += row.travel.emissions_kg or 0
    if not fewer:
        overall.fewer_opportunities = None
    return [*sorted(totals.values(), key=lambda line: line.name.casefold()), overall]


# --- projects and series ------------------------------------------------------------


def project_access(*, user, project: Project) -> list[tuple[Event, WorkspaceAccess]]:
    """The project's activities ``user`` may see, each with what they may see of it: every
    participant for superusers and the project's coordinators (sensitive fields never:
    those stay with each event's own rules), else what the workspace gives them per event
    (their events as organisers, their delegations as partner coordinators)."""
    if not user.is_authenticated:
        return []
    events = [
        activity.event
        for activity in project.activities.select_related("event__venue", "event__host")
    ]
    whole = user.is_superuser or project.coordinators.filter(pk=user.pk).exists()
    visible = []
    for event in events:
        if whole and event.status != Event.Status.DRAFT:
            visible.append((event, WorkspaceAccess("project", None, sees_sensitive_data=False)))
            continue
        access = registration_selectors.workspace_access(user=user, event=event)
        if access is not None:
            visible.append((event, access))
    return visible


@dataclass
class Totals:
    name: str
    participants: int = 0
    mobility_days: int = 0
    green: int = 0
    grant: Decimal = field(default_factory=Decimal)
    emissions_kg: Decimal = field(default_factory=Decimal)
    means_unknown: int = 0


def _add(line: Totals, row: Row, event: Event) -> None:
    """One person in a line of totals; as in ``mobility_overview``, someone whose means of
    transport is not known yet is counted apart, not in the grant nor the emissions (their
    mobility days count the 2 travel days anyone has)."""
    activity_days = (event.local_ends_at.date() - event.local_starts_at.date()).days + 1
    line.participants += 1
    line.mobility_days += activity_days + row.travel.travel_days
    if not (row.details and row.details.means):
        line.means_unknown += 1
        return
    line.green += int(row.travel.green)
    line.grant += row.travel.unit_cost
    line.emissions_kg += row.travel.emissions_kg or 0


def project_overview(*, visible: list[tuple[Event, WorkspaceAccess]]) -> dict:
    """Totals per partner (sending organisation) and per activity, and the rows of each
    activity, for the activities and people in ``visible``. Mobility days are the
    activity's days plus the funded travel days."""
    by_partner: dict[str, Totals] = {}
    by_activity: list[tuple[Event, Totals]] = []
    overall = Totals(name="")
    rows: list[tuple[Event, Row]] = []
    for event, access in visible:
        activity = Totals(name=str(event))
        for row in mobility_rows(access=access, event=event):
            name = row.registration.organisation_label
            for line in (by_partner.setdefault(name, Totals(name=name)), activity, overall):
                _add(line, row, event)
            rows.append((event, row))
        by_activity.append((event, activity))
    return {
        "by_partner": sorted(by_partner.values(), key=lambda line: line.name.casefold()),
        "by_activity": by_activity,
        "total": overall,
        "rows": rows,
    }


def series_editions(series: Series) -> list[Event]:
    """A series' published editions in time order, each with its programme."""
    return list(
        Event.objects.published()
        .filter(series_edition__series=series)
        .select_related("venue", "host")
        .prefetch_related("programme_items")
        .order_by("starts_at")
    )


def project_public_activities(project: Project) -> list[ProjectActivity]:
    return list(
        project.activities.filter(
            event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
        )
        .select_related("event__venue", "event__host")
        .order_by("event__starts_at")
    )


# --- the public event page ----------------------------------------------------------


def event_project_and_series(
    *, event: Event
) -> tuple[ProjectActivity | None, SeriesEdition | None]:
    """What the public event page links to: the event's project (with its activity type)
    and series. Both pages are public."""
    activity = ProjectActivity.objects.select_related("project").filter(event=event).first()
    edition = SeriesEdition.objects.select_related("series").filter(event=event).first()
    return activity, edition
