"""An event's mobility settings are edited by its organisers on the workspace's setup
pages: the programme year's distance bands, what the registration form asks, whether
partner coordinators see "fewer opportunities", the lock, the project and the series."""

from datetime import date, timedelta

import pytest

from mobility.models import (
    BandTable,
    DistanceBand,
    MobilitySettings,
    Project,
    ProjectActivity,
    Series,
    SeriesEdition,
)

from ..events.test_pages import text
from ..factories import EventFactory, OrganisationFactory, UserFactory
from ..html_forms import form_values
from .test_workspace_pages import delegations  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def setup_form(**overrides):
    values = {
        "band_table": BandTable.objects.get(year=2021).pk,
        "asks_date_of_birth": "on",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def test_the_setup_navigation_of_a_training_leads_to_its_mobility_settings(client, timisoara):
    client.force_login(timisoara.organiser)
    page = client.get(f"/en/workspace/{timisoara.slug}/setup/registration/").content.decode()
    assert f'href="/en/workspace/{timisoara.slug}/setup/mobility/"' in page
    response = client.get(f"/en/workspace/{timisoara.slug}/setup/mobility/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    for label in (
        "Distance bands of the programme year",
        "Ask the date of birth",
        "Partner coordinators see who is a participant with fewer opportunities",
        "Lock the travel details",
        "Project",
        "Series",
    ):
        assert label in page, label
    # In the organiser's language too.
    assert "Definições de mobilidade" in text(
        client.get(f"/pt/workspace/{timisoara.slug}/setup/mobility/")
    )
    # Who is an accompanying person is the role chosen when registering: no setting.
    assert "Ask whether the person is an accompanying person" not in page
    assert "Accompanying persons are those who chose the role “Accompanying person”" in page


def test_a_meeting_that_is_no_mobility_has_no_mobility_settings(client, timisoara):
    meeting = EventFactory()
    meeting.organisers.add(timisoara.organiser)
    client.force_login(timisoara.organiser)
    page = client.get(f"/en/workspace/{meeting.slug}/setup/registration/").content.decode()
    assert "/setup/mobility/" not in page
    assert client.get(f"/en/workspace/{meeting.slug}/setup/mobility/").status_code == 404


def test_the_organiser_saves_what_the_form_asks_and_who_sees_what(client, delegations):  # noqa: F811
    table = BandTable.objects.create(name="Erasmus+ 2027", year=2027, source="A later guide")
    DistanceBand.objects.create(table=table, min_km=10, unit_cost=100)
    client.force_login(delegations.organiser)
    response = client.post(
        f"/en/workspace/{delegations.slug}/setup/mobility/",
        setup_form(
            band_table=table.pk,
            asks_date_of_birth=None,
            coordinators_see_fewer_opportunities="on",
            locked="on",
        ),
    )
    assert response.status_code == 302
    settings = MobilitySettings.objects.get(event=delegations)
    assert settings.band_table == table
    assert settings.asks_date_of_birth is False
    assert settings.coordinators_see_fewer_opportunities is True
    assert settings.locked
    # What participants and coordinators notice:
    assert "Date of birth" not in text(client.get(f"/en/events/{delegations.slug}/register/"))
    marta = delegations.people["marta"]
    page = text(client.get(f"/en/r/{marta.secret}/mobility/"))
    assert "The organisers have locked the travel details" in page
    coordinator = client.__class__()
    coordinator.force_login(delegations.hu_coordinator)
    page = text(coordinator.get(f"/en/workspace/{delegations.slug}/mobility/"))
    assert "Fewer opportunities" in page
    # Unlocking: saved without the box.
    client.post(f"/en/workspace/{delegations.slug}/setup/mobility/", setup_form())
    assert not MobilitySettings.objects.get(event=delegations).locked


def test_the_organiser_links_the_event_to_its_project_and_series(client, timisoara):
    ours = Project.objects.create(
        slug="coopterr",
        name="COOPTERR",
        starts_on=date(2020, 9, 1),
        ends_on=date(2023, 4, 30),
        coordinating_organisation=OrganisationFactory(),
    )
    ours.partners.add(timisoara.host)
    strangers = Project.objects.create(
        slug="other",
        name="Someone else's project",
        starts_on=date(2020, 9, 1),
        ends_on=date(2023, 4, 30),
        coordinating_organisation=OrganisationFactory(),
    )
    cycle = Series.objects.create(slug="rencontres", name="Rencontres")
    earlier = EventFactory()
    earlier.organisers.add(timisoara.organiser)
    SeriesEdition.objects.create(series=cycle, event=earlier)
    other_cycle = Series.objects.create(slug="other", name="Another network's cycle")
    client.force_login(timisoara.organiser)
    url = f"/en/workspace/{timisoara.slug}/setup/mobility/"
    page = text(client.get(url))
    assert "COOPTERR" in page and "Rencontres" in page
    assert "Someone else's project" not in page and "Another network's cycle" not in page

    # A project needs the activity type.
    response = client.post(url, setup_form(project=ours.pk))
    assert response.status_code == 200
    assert "Choose the activity type in the project." in text(response)
    assert not ProjectActivity.objects.exists()

    # Others' projects and series cannot be chosen, even by a hand-made request.
    response = client.post(url, setup_form(project=strangers.pk, activity_type="training"))
    assert response.status_code == 200 and not ProjectActivity.objects.exists()
    client.post(url, setup_form(series=other_cycle.pk))
    assert not SeriesEdition.objects.filter(event=timisoara).exists()

    client.post(url, setup_form(project=ours.pk, activity_type="training", series=cycle.pk))
    activity = ProjectActivity.objects.get(event=timisoara)
    assert (activity.project, activity.type) == (ours, "training")
    assert SeriesEdition.objects.get(event=timisoara).series == cycle
    # Emptied: the event leaves both.
    client.post(url, setup_form())
    assert not ProjectActivity.objects.filter(event=timisoara).exists()
    assert not SeriesEdition.objects.filter(event=timisoara).exists()


def test_a_copy_of_the_event_stays_in_its_project_and_series(client, timisoara):
    project = Project.objects.create(
        slug="coopterr",
        name="COOPTERR",
        starts_on=date(2020, 9, 1),
        ends_on=date(2030, 4, 30),
        coordinating_organisation=OrganisationFactory(),
    )
    project.partners.add(timisoara.host)
    cycle = Series.objects.create(slug="trainings", name="Trainings of the network")
    earlier = EventFactory()
    earlier.organisers.add(timisoara.organiser)
    SeriesEdition.objects.create(series=cycle, event=earlier)
    client.force_login(timisoara.organiser)
    setup = f"/en/workspace/{timisoara.slug}/setup/mobility/"
    client.post(
        setup,
        setup_form(
            project=project.pk,
            activity_type="training",
            series=cycle.pk,
            asks_date_of_birth=None,
            coordinators_see_fewer_opportunities="on",
            locked="on",
        ),
    )
    assert MobilitySettings.objects.get(event=timisoara).locked_at is not None

    response = client.post(
        "/en/workspace/new/",
        {
            "action": "copy",
            "copy-source": timisoara.pk,
            "copy-slug": "timisoara-next",
            "copy-first_day": (timisoara.local_starts_at.date() + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302

    page = client.get("/en/workspace/timisoara-next/setup/mobility/").content.decode()
    copy = timisoara.__class__.objects.get(slug="timisoara-next")
    activity = ProjectActivity.objects.get(event=copy)
    assert (activity.project, activity.type) == (project, "training")
    assert SeriesEdition.objects.get(event=copy).series == cycle
    assert form_values(page)["project"] == [str(project.pk)]
    assert form_values(page)["series"] == [str(cycle.pk)]
    settings = MobilitySettings.objects.get(event=copy)
    assert not settings.asks_date_of_birth and settings.coordinators_see_fewer_opportunities
    assert settings.locked_at is None  # the copy's participants fill in their details
    # The source keeps its own links.
    assert ProjectActivity.objects.get(event=timisoara).project == project


def test_coordinators_and_other_organisers_get_no_mobility_settings(client, timisoara):
    url = f"/en/workspace/{timisoara.slug}/setup/mobility/"
    for user in (timisoara.hu_coordinator, UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, setup_form(locked="on")).status_code == 404
    assert not MobilitySettings.objects.filter(event=timisoara, locked_at__isnull=False).exists()
