"""What a cold tester found in the mobility reports: the project report's sensitive
column, unknown values stated as known, a local participant's travel days, a link label
promising a column the file lacks, and a date of birth outliving the setting."""

import pytest

from mobility.models import MobilityDetails, MobilitySettings
from mobility.services import mobility_settings_get_or_create

from ..events.test_pages import text
from ..factories import UserFactory
from .conftest import register
from .test_projects import coopterr  # noqa: F401 (a fixture)
from .test_workspace_pages import delegations, sheet, travels  # noqa: F401

pytestmark = pytest.mark.django_db


def lines_of(rows):
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_the_project_report_offers_fewer_opportunities_to_organisers_of_every_activity(
    client,
    coopterr,  # noqa: F811
):
    marta = coopterr.timisoara.registrations.get(first_name="Marta")
    MobilityDetails.objects.filter(registration=marta).update(fewer_opportunities=True)
    organiser = UserFactory()
    coopterr.timisoara.organisers.add(organiser)
    coopterr.timisoara.hungary.coordinators.add(organiser)
    client.force_login(organiser)
    # Organiser of the Timișoara training, only a coordinator at the Rome meeting (which
    # does not let coordinators see it).
    overview = client.get("/en/projects/coopterr/overview/")
    assert "with fewer opportunities" not in text(overview)
    rows = sheet(client.get("/en/projects/coopterr/report.xlsx?sensitive=1"))
    assert "Fewer opportunities" not in rows[0]
    # Organiser of every activity: offered, and in the file when chosen.
    coopterr.rome.organisers.add(organiser)
    assert "with fewer opportunities" in text(client.get("/en/projects/coopterr/overview/"))
    assert "Fewer opportunities" not in sheet(client.get("/en/projects/coopterr/report.xlsx"))[0]
    rows = sheet(client.get("/en/projects/coopterr/report.xlsx?sensitive=1"))
    people = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert people["Marta Tester"]["Fewer opportunities"] == "yes"
    assert people["Bence Tester"]["Fewer opportunities"] == "no"


def test_a_coordinator_gets_fewer_opportunities_in_the_project_report_only_where_allowed(
    client,
    coopterr,  # noqa: F811
):
    client.force_login(coopterr.timisoara.hu_coordinator)
    rows = sheet(client.get("/en/projects/coopterr/report.xlsx?sensitive=1"))
    assert "Fewer opportunities" not in rows[0]
    for event in (coopterr.timisoara, coopterr.rome):
        settings = mobility_settings_get_or_create(event=event)
        settings.coordinators_see_fewer_opportunities = True
        settings.save()
    assert "with fewer opportunities" in text(client.get("/en/projects/coopterr/overview/"))
    rows = sheet(client.get("/en/projects/coopterr/report.xlsx?sensitive=1"))
    assert "Fewer opportunities" in rows[0]
    assert sorted(row[2] for row in rows[1:]) == ["Bence Tester", "Rita Tester"]


def test_reports_leave_unknown_travel_values_blank(client, delegations):  # noqa: F811
    bence = delegations.people["bence"]
    travels(bence, "Budapest", "HU", "")  # "I do not know yet"
    client.force_login(delegations.organiser)
    lines = lines_of(sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx")))
    for name in ("Bence Tester", "Gabor Tester"):  # means unknown; no details at all
        line = lines[name]
        assert (line["Green travel"], line["Travel days"], line["Travel grant (EUR)"]) == (
            None,
            None,
            None,
        ), name
    marta = lines["Marta Tester"]
    assert (marta["Green travel"], marta["Travel days"], marta["Travel grant (EUR)"]) == (
        "yes",
        2,
        410,
    )


def test_a_local_participant_has_no_travel_days_nor_green_travel(client, timisoara):
    ioana = register(timisoara, "Ioana", timisoara.romania)
    travels(ioana, "Timişoara", "RO", "bike")
    client.force_login(timisoara.organiser)
    line = lines_of(sheet(client.get(f"/en/workspace/{timisoara.slug}/mobility/report.xlsx")))[
        "Ioana Tester"
    ]
    assert line["Distance (km)"] < 10
    assert (line["Green travel"], line["Travel days"], line["Travel grant (EUR)"]) == (
        "no",
        0,
        0,
    )
    page = text(client.get(f"/en/r/{ioana.secret}/mobility/"))
    assert "Green travel No" in page and "Funded travel days 0" in page


def test_the_sensitive_link_names_only_the_columns_the_file_has(client, delegations):  # noqa: F811
    MobilitySettings.objects.filter(event=delegations).update(
        coordinators_see_fewer_opportunities=True
    )
    client.force_login(delegations.hu_coordinator)
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "with fewer opportunities" in page and "date of birth" not in page
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx?sensitive=1"))
    assert "Fewer opportunities" in rows[0] and "Date of birth" not in rows[0]
    client.force_login(delegations.organiser)
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "with fewer opportunities and date of birth" in page
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx?sensitive=1"))
    assert "Date of birth" in rows[0]


def test_no_longer_asking_the_date_of_birth_erases_those_given(client, delegations):  # noqa: F811
    from datetime import date

    marta = delegations.people["marta"]
    MobilityDetails.objects.filter(registration=marta).update(date_of_birth=date(1990, 5, 1))
    client.force_login(delegations.organiser)
    page = text(client.get(f"/en/workspace/{delegations.slug}/setup/mobility/"))
    assert "Unticking it erases the dates of birth already given." in page
    settings = MobilitySettings.objects.get(event=delegations)
    response = client.post(
        f"/en/workspace/{delegations.slug}/setup/mobility/",
        {"band_table": settings.band_table_id},
        follow=True,
    )
    assert "The date of birth is no longer asked: the one given is erased." in text(response)
    assert MobilityDetails.objects.get(registration=marta).date_of_birth is None
    page = text(client.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "date of birth" not in page
    rows = sheet(client.get(f"/en/workspace/{delegations.slug}/mobility/report.xlsx?sensitive=1"))
    assert "Date of birth" not in rows[0]
