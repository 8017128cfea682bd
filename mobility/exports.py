"""The organisers' mobility spreadsheets: the Erasmus+ beneficiary report's mobility
activities, a rooming list, an arrivals and departures board. Rows come from
``selectors.mobility_rows`` (only the people the user may see); sensitive columns (date of
birth, fewer opportunities) only when asked for by someone who may see them.

Cells are typed (dates, numbers); everything a person typed is written as a text cell, so
that nothing is ever read as a formula or a link."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import Event
from registrations.exports import XLSX_TYPE, workbook_bytes

from .selectors import Row, is_accompanying

SPREADSHEET = XLSX_TYPE


def _local(event: Event, moment: datetime | None) -> datetime | None:
    return event.local(moment) if moment else None


def sending_country(registration) -> str:
    """The participant's country, else their sending organisation's."""
    if registration.country:
        return registration.country.name
    organisation = registration.organisation
    if organisation is not None and organisation.country:
        return organisation.country.name
    return ""


def _report_headers(fewer: bool, birth: bool) -> list[str]:
    headers = [
        _("Participant"),
        _("Sending organisation"),
        _("Sending country"),
        _("City of origin"),
        _("Receiving organisation"),
        _("Receiving country"),
        _("Receiving city"),
        _("Start date"),
        _("End date"),
        _("Distance (km)"),
        _("Distance band"),
        _("Green travel"),
        _("Travel days"),
        _("Travel grant (EUR)"),
        _("Accompanying person"),
    ]
    if fewer:
        headers.append(_("Fewer opportunities"))
    if birth:
        headers.append(_("Date of birth"))
    return headers


def _report_line(event: Event, row: Row, fewer: bool, birth: bool) -> list:
    registration, details, travel = row.registration, row.details, row.travel
    venue = event.venue
    start = _local(event, details.arrival_at) if details else None
    end = _local(event, details.departure_at) if details else None
    start_day = (start or event.local_starts_at).date()
    # Never an end before the start, even with details typed before dates were checked.
    end_day = max((end or event.local_ends_at).date(), start_day)
    line = [
        registration.full_name,
        registration.organisation_label,
        sending_country(registration),
        details.origin_city if details else "",
        event.host.name,
        venue.country.name if venue else "",
        venue.city if venue else "",
        start_day,
        end_day,
        travel.km,
        travel.band_label,
        *travel.report_values(details),
        is_accompanying(row),
    ]
    if fewer:
        line.append(bool(details and details.fewer_opportunities))
    if birth:
        line.append(details.date_of_birth if details else None)
    return line


def beneficiary_report(
    *, event: Event, rows: list[Row], fewer: bool = False, birth: bool = False
) -> bytes:
    """One line per participant, laid out as the mobility activities of the Erasmus+
    beneficiary report."""
    return workbook_bytes(
        title=_("Mobility activities"),
        headers=_report_headers(fewer, birth),
        rows=(_report_line(event, row, fewer, birth) for row in rows),
    )


def project_report(*, project, rows: list[tuple[Event, Row]], fewer: bool = False) -> bytes:
    """The beneficiary report of a whole project: every activity's lines, each with its
    activity and type first; "fewer opportunities" only when asked for by someone who may
    see it in every activity (``selectors.project_sees_fewer_opportunities``)."""
    headers = [_("Activity"), _("Activity type"), *_report_headers(fewer, False)]

    def lines():
        for event, row in rows:
            activity = getattr(event, "project_activity", None)
            yield [
                event.i18n.title,
                activity.get_type_display() if activity else "",
                *_report_line(event, row, fewer, False),
            ]

    return workbook_bytes(title=project.name, headers=headers, rows=lines())


def youthpass_participants(*, event: Event, rows: list[Row]) -> bytes:
    """The participants as Youthpass certificates need them: names, email, organisation,
    country, language, and the dates of their stay."""
    headers = [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Sending organisation"),
        _("Country"),
        _("Language"),
        _("Start date"),
        _("End date"),
    ]
    lines = (
        [
            row.registration.first_name,
            row.registration.last_name,
            row.registration.email,
            row.registration.organisation_label,
            sending_country(row.registration),
            str(row.registration.get_language_display()),
            event.local_starts_at.date(),
            event.local_ends_at.date(),
        ]
        for row in rows
        if row.registration.anonymised_at is None
    )
    return workbook_bytes(title="Youthpass", headers=headers, rows=lines)


def rooming_list(*, event: Event, rows: list[Row]) -> bytes:
    headers = [
        _("Participant"),
        _("Organisation"),
        _("Arrival"),
        _("Departure"),
        _("Accommodation nights"),
        _("Room-sharing wishes"),
    ]
    lines = (
        [
            row.registration.full_name,
            row.registration.organisation_label,
            _local(event, row.details.arrival_at) if row.details else None,
            _local(event, row.details.departure_at) if row.details else None,
            row.details.accommodation_nights if row.details else None,
            row.details.room_sharing if row.details else "",
        ]
        for row in rows
    )
    return workbook_bytes(title=_("Rooming list"), headers=headers, rows=lines)


def arrivals_board(*, event: Event, rows: list[Row]) -> bytes:
    """Every arrival and departure in time order: for the pick-ups."""
    moves = []
    for row in rows:
        if row.details is None:
            continue
        for moment, label in (
            (row.details.arrival_at, pgettext("travel", "Arrival")),
            (row.details.departure_at, pgettext("travel", "Departure")),
        ):
            if moment:
                moves.append((moment, label, row))
    moves.sort(key=lambda move: (move[0], move[2].registration.full_name))
    headers = [
        _("When"),
        _("Arrival or departure"),
        _("Participant"),
        _("Organisation"),
        _("From"),
        _("Main means of transport"),
    ]
    lines = (
        [
            event.local(moment),
            label,
            row.registration.full_name,
            row.registration.organisation_label,
            row.details.origin_city,
            row.details.get_means_display() if row.details.means else "",
        ]
        for moment, label, row in moves
    )
    return workbook_bytes(title=_("Arrivals and departures"), headers=headers, rows=lines)
