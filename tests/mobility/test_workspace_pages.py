"""Organisers and partner coordinators: the mobility overview per sending organisation
and the spreadsheets, with the workspace's permission checks and the sensitive fields
only where they are allowed."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from events.models import Event
from mobility import cities
from mobility.models import BandTable, DistanceBand, MobilityDetails, MobilitySettings
from mobility.services import DetailsInput, mobility_details_save
from registrations import personal_data

from ..events.test_pages import text
from ..factories import EventFactory, UserFactory
from .conftest import register

pytestmark = pytest.mark.django_db


def travels(registration, city, country, means, **extra):
    event = registration.event
    return mobility_details_save(
        registration=registration,
        data=DetailsInput(
            origin=cities.city_find(name=city, country=country),
            arrival_at=event.starts_at - timedelta(days=1),
            departure_at=event.ends_at + timedelta(days=1),
            means=means,
            needs_visa_letter=extra.pop("needs_visa_letter", False),
            accommodation_nights=5,
            room_sharing=extra.pop("room_sharing", ""),
            **extra,
        ),
    )


@pytest.fixture
def delegations(timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    travels(marta, "Lisboa", "PT", "train", fewer_opportunities=True)
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "train", room_sharing='=HYPERLINK("http://x")')
    zsofi = register(timisoara, "Zsofi", timisoara.hungary, role="accompanying")
    travels(zsofi, "Szeged", "HU", "plane", fewer_opportunities=True)
    register(timisoara, "Gabor", timisoara.hungary)  # no travel details yet
    timisoara.people = {"marta": marta, "bence": bence, "zsofi": zsofi}
    return timisoara


def sheet(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return [list(row) for row in rows]


def overview_row(page: str, name: str) -> str:
    return page.split(name, 1)[1].split("Fekete" if name != "Fekete Sereg" else "Largo")[0]


def test_done_when_the_hungarian_coordinator_sees_their_delegations_grant_estimate(
    client, delegations
):
    client.force_login(delegations.hu_coordinator)
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    # Bence (Budapest, train: 210) and Zsófi (Szeged, plane: 180); Gábor has no city yet.
    assert "Fekete Sereg 3 1 1 355 390" in page
    assert "Largo" not in page and "2,602" not in page  # another organisation's people
    assert "Fewer opportunities" not in page  # the event does not allow it
    assert "Lock the travel details" not in page  # organisers only


def test_a_coordinator_sees_fewer_opportunities_where_the_mobility_settings_allow_it(
    client, delegations
):
    # The event's general "sensitive data" setting does not open it ...
    Event.objects.filter(pk=delegations.pk).update(coordinators_see_sensitive_data=True)
    client.force_login(delegations.hu_coordinator)
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "Fewer opportunities" not in page
    # ... the mobility setting does (organisers set it on the setup page).
    MobilitySettings.objects.filter(event=delegations).update(
        coordinators_see_fewer_opportunities=True
    )
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "Fewer opportunities" in page
    assert "Fekete Sereg 3 1 1 1 355" in page


def test_the_organiser_sees_every_delegation_and_the_totals(client, delegations):
    client.force_login(delegations.organiser)
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "Fekete Sereg 3 1 1 1 355 390" in page
    assert "Largo Residências 1 0 1 1 2,602 410" in page
    assert "Total 4 1 2 2 2,957 800" in page


def test_the_organiser_exports_the_beneficiary_report(client, delegations):
    client.force_login(delegations.organiser)
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx"))
    header, lines = rows[0], {row[0]: row for row in rows[1:]}
    assert header[:4] == [
        "Participant",
        "Sending organisation",
        "Sending country",
        "City of origin",
    ]
    assert "Fewer opportunities" not in header and "Date of birth" not in header
    marta = dict(zip(header, lines["Marta Tester"], strict=True))
    assert marta["Sending organisation"] == "Largo Residências"
    assert marta["City of origin"] == "Lisbon"
    assert marta["Receiving organisation"] == "CRIES"
    assert marta["Receiving city"] == "Timișoara"
    assert marta["Distance band"] == "2000–2999 km"
    assert marta["Green travel"] == "yes"
    assert marta["Travel days"] == 2
    assert marta["Travel grant (EUR)"] == 410
    assert marta["Start date"].date() == delegations.local_starts_at.date() - timedelta(days=1)

    chosen = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx?sensitive=1"))
    assert "Fewer opportunities" in chosen[0]


def test_a_coordinator_cannot_ask_for_sensitive_columns_the_event_does_not_allow(
    client, delegations
):
    client.force_login(delegations.hu_coordinator)
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx?sensitive=1"))
    assert "Fewer opportunities" not in rows[0]
    assert sorted(row[0] for row in rows[1:]) == ["Bence Tester", "Gabor Tester", "Zsofi Tester"]


def test_the_rooming_list_keeps_typed_text_as_text(client, delegations):
    client.force_login(delegations.organiser)
    response = client.get(f"/en/workspace/{delegations.slug}/mobility/rooming.xlsx")
    rows = sheet(response)
    bence = next(row for row in rows if row[0] == "Bence Tester")
    assert bence[4:] == [5, '=HYPERLINK("http://x")']
    workbook = load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_the_arrivals_board_lists_arrivals_and_departures_in_time_order(client, delegations):
    client.force_login(delegations.organiser)
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/arrivals.xlsx"))
    assert [row[1] for row in rows[1:]] == ["Arrival"] * 3 + ["Departure"] * 3
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


@pytest.mark.parametrize(
    "path",
    [
        "mobility/",
        "mobility/report.xlsx",
        "mobility/youthpass.xlsx",
        "mobility/rooming.xlsx",
        "mobility/arrivals.xlsx",
        "mobility/certificates.pdf",
        "mobility/visa-letters.pdf",
    ],
)
def test_mobility_pages_refuse_those_outside_the_event(client, delegations, path):
    url = f"/en/workspace/{delegations.slug}/{path}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    other_event = EventFactory(kind=Event.Kind.TRAINING)
    stranger = UserFactory()
    other_event.organisers.add(stranger)
    client.force_login(stranger)
    response = client.get(url)
    assert response.status_code == 404
    assert b"Marta" not in response.content and b"Lisbon" not in response.content


def test_only_organisers_lock_or_change_the_settings(client, delegations):
    client.force_login(delegations.hu_coordinator)
    for path in ("lock/", "settings/"):
        response = client.post(f"/en/workspace/{delegations.slug}/mobility/{path}", {"locked": "1"})
        assert response.status_code == 404
    client.force_login(delegations.organiser)
    client.post(f"/en/workspace/{delegations.slug}/mobility/lock/", {"locked": "1"})
    assert "Travel details are locked." in text(
        client.get(f"/en/workspace/{delegations.slug}/mobility/")
    )


def test_a_meeting_that_is_not_a_mobility_has_no_mobility_pages(client, delegations):
    meeting = EventFactory()
    meeting.organisers.add(delegations.organiser)
    client.force_login(delegations.organiser)
    assert client.get(f"/en/workspace/{meeting.slug}/mobility/").status_code == 404
    assert "Mobility" not in text(client.get(f"/en/workspace/{meeting.slug}/"))
    assert "Mobility" in text(client.get(f"/en/workspace/{delegations.slug}/"))


def test_travel_details_are_in_the_persons_copy_and_erased_with_it(delegations):
    marta = delegations.people["marta"]
    subject = personal_data.subject_of_registration(marta)
    copy = personal_data.person_export(subject=subject)
    assert copy["mobility"][0]["city_of_origin"] == "Lisbon"
    assert copy["mobility"][0]["fewer_opportunities"] is True
    personal_data.person_erase(subject=subject)
    # She was never checked in: nothing of her travel is grant evidence.
    assert not MobilityDetails.objects.filter(registration=marta).exists()


def test_the_organiser_chooses_the_programme_years_distance_bands(client, delegations):
    """A later guide's table, added by a superuser, chosen by the event's organisers."""
    table = BandTable.objects.create(name="Erasmus+ 2027", year=2027, source="A later guide")
    DistanceBand.objects.create(table=table, min_km=10, max_km=499, unit_cost=100)
    DistanceBand.objects.create(table=table, min_km=500, unit_cost=500, green_unit_cost=600)
    client.force_login(delegations.organiser)
    client.post(
        f"/en/workspace/{delegations.slug}/setup/mobility/",
        {"band_table": table.pk, "asks_date_of_birth": "on"},
    )
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "Distance bands and unit costs: Erasmus+ 2027." in page
    assert "Largo Residências 1 0 1 1 2,602 600" in page
    assert "Fekete Sereg 3 1 1 1 355 200" in page


def test_the_youthpass_spreadsheet_lists_the_participants_names_and_dates(client, delegations):
    client.force_login(delegations.hu_coordinator)
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/youthpass.xlsx"))
    assert rows[0][:3] == ["First name", "Last name", "Email"]
    assert sorted(row[2] for row in rows[1:]) == [
        "bence@example.org",
        "gabor@example.org",
        "zsofi@example.org",
    ]
    assert rows[1][6].date() == delegations.local_starts_at.date()
