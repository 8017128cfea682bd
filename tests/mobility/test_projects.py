"""Projects and series: a project's public page and calendar of activities, its overview
per partner and per activity, and one beneficiary-report spreadsheet for all its
activities; a series page listing its editions with their programmes."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from events.models import Event
from mobility.models import Project, ProjectActivity, Series, SeriesEdition

from ..events.test_pages import text
from ..factories import EventFactory, ProgrammeItemFactory, UserFactory, at
from .conftest import register
from .test_workspace_pages import travels

pytestmark = pytest.mark.django_db


@pytest.fixture
def coopterr(timisoara):
    """COOPTERR: the Timișoara training and a project meeting in Rome, with a project
    coordinator, and a draft activity nobody outside its team sees."""
    project = Project.objects.create(
        slug="coopterr",
        name="COOPTERR",
        programme="Erasmus+",
        action="KA2 cooperation partnership in adult education",
        grant_agreement_number="2020-1-FR01-KA204-080000",
        starts_on=date(2020, 9, 1),
        ends_on=date(2023, 4, 30),
        coordinating_organisation=timisoara.romania,
    )
    project.partners.add(timisoara.romania, timisoara.hungary, timisoara.portugal)
    ProjectActivity.objects.create(
        project=project, event=timisoara, type=ProjectActivity.Type.TRAINING
    )
    rome = EventFactory(
        slug="rome",
        kind=Event.Kind.PROJECT_MEETING,
        title_en="Project meeting in Rome",
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    ProjectActivity.objects.create(
        project=project, event=rome, type=ProjectActivity.Type.PROJECT_MEETING
    )
    draft = EventFactory(slug="secret-draft", status=Event.Status.DRAFT, title_en="Draft plan")
    ProjectActivity.objects.create(
        project=project, event=draft, type=ProjectActivity.Type.MULTIPLIER
    )
    marta = register(timisoara, "Marta", timisoara.portugal)
    travels(marta, "Lisboa", "PT", "train")
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "plane")
    rita = register(rome, "Rita", timisoara.hungary)
    travels(rita, "Budapest", "HU", "train")
    project.coordinator = UserFactory(email="coordinator@coopterr.example")
    project.coordinators.add(project.coordinator)
    project.timisoara, project.rome = timisoara, rome
    return project


def test_the_project_page_shows_its_partners_and_calendar_of_activities(client, coopterr):
    page = text(client.get("/en/projects/coopterr/"))
    assert "COOPTERR" in page and "2020-1-FR01-KA204-080000" in page
    assert "Largo Residências" in page and "Fekete Sereg" in page
    assert "Training in Timișoara" in page and "Project meeting in Rome" in page
    assert "Learning, teaching and training activity" in page
    assert "Draft plan" not in page


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fr", "Activité d’apprentissage, d’enseignement et de formation"),
        ("ro", "Activitate de învățare, predare și formare"),
        ("hu", "Tanulási, oktatási és képzési tevékenység"),
        ("pt", "Atividade de aprendizagem, ensino e formação"),
        ("it", "Attività di apprendimento, insegnamento e formazione"),
    ],
)
def test_the_activity_type_is_the_programme_guides_name(client, coopterr, language, name):
    assert name in text(client.get(f"/{language}/projects/coopterr/"))


def test_done_when_the_project_coordinator_exports_one_report_for_every_activity(client, coopterr):
    client.force_login(coopterr.coordinator)
    response = client.get("/en/projects/coopterr/report.xlsx")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = [
        list(row)
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert rows[0][:3] == ["Activity", "Activity type", "Participant"]
    assert "Fewer opportunities" not in rows[0]
    people = sorted((row[0], row[2]) for row in rows[1:])
    assert people == [
        ("Project meeting in Rome", "Rita Tester"),
        ("Training in Timișoara", "Bence Tester"),
        ("Training in Timișoara", "Marta Tester"),
    ]


def test_the_project_overview_totals_per_partner_and_per_activity(client, coopterr):
    client.force_login(coopterr.coordinator)
    page = text(client.get("/en/projects/coopterr/overview/"))
    # Timișoara: 4 days + 2 travel days each; Marta green (Lisbon, 410), Bence by plane
    # (Budapest, 180). Rome: Rita has no venue coordinates to compute from.
    assert "Largo Residências 1 6 1 410" in page
    assert "Training in Timișoara 2 12 1 590" in page
    assert "Draft plan" not in page


def test_a_partner_coordinator_sees_only_their_delegation_in_the_project(client, coopterr):
    client.force_login(coopterr.timisoara.hu_coordinator)
    page = text(client.get("/en/projects/coopterr/overview/"))
    assert "Fekete Sereg" in page and "Largo" not in page
    response = client.get("/en/projects/coopterr/report.xlsx")
    names = [
        row[2]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sorted(names) == ["Bence Tester", "Rita Tester"]


def test_the_project_overview_refuses_those_outside_it(client, coopterr):
    assert client.get("/en/projects/coopterr/overview/").status_code == 302
    client.force_login(UserFactory())
    for path in ("overview/", "report.xlsx"):
        response = client.get(f"/en/projects/coopterr/{path}")
        assert response.status_code == 404
        assert b"Marta" not in response.content


def test_a_series_page_lists_its_editions_with_their_programmes(client, db):
    series = Series.objects.create(slug="rencontres", name="Rencontres nationales")
    redon = EventFactory(title_en="Rencontres in Redon", starts_at=at(-400), ends_at=at(-399))
    avignon = EventFactory(title_en="Rencontres in Avignon")
    draft = EventFactory(title_en="Next edition", status=Event.Status.DRAFT)
    for event in (redon, avignon, draft):
        SeriesEdition.objects.create(series=series, event=event)
    ProgrammeItemFactory(event=avignon, title_en="Opening plenary")
    page = text(client.get("/en/series/rencontres/"))
    assert page.index("Rencontres in Redon") < page.index("Rencontres in Avignon")
    assert "Opening plenary" in page
    assert "Next edition" not in page


def test_a_series_description_and_a_projects_action_are_written_in_each_language(client, coopterr):
    """A superuser writes them in each language (the admin's language tabs); every visitor
    reads them in their own."""
    series = Series.objects.create(
        slug="rencontres",
        name="Rencontres nationales",
        description_en="The national meetings of the network.",
        description_hu="A hálózat országos találkozói.",
    )
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    form = client.get(f"/en/admin/mobility/series/{series.pk}/change/").content.decode()
    assert 'name="description_pt"' in form and 'name="description_it"' in form
    form = client.get(f"/en/admin/mobility/project/{coopterr.pk}/change/").content.decode()
    assert 'name="action_fr"' in form and 'name="action_ro"' in form
    client.logout()
    coopterr.action_fr = "Partenariat de coopération dans l’éducation des adultes"
    coopterr.save()

    assert "A hálózat országos találkozói." in text(client.get("/hu/series/rencontres/"))
    assert "The national meetings of the network." in text(client.get("/en/series/rencontres/"))
    french = text(client.get("/fr/projects/coopterr/"))
    assert "Partenariat de coopération dans l’éducation des adultes" in french
    assert "KA2 cooperation partnership" not in french
    assert "KA2 cooperation partnership" in text(client.get("/it/projects/coopterr/"))


def test_an_activitys_mobility_page_links_to_its_project_overview(client, coopterr):
    client.force_login(coopterr.timisoara.organiser)
    page = client.get(f"/en/workspace/{coopterr.timisoara.slug}/mobility/").content.decode()
    assert 'href="/en/projects/coopterr/overview/"' in page
    overview = text(client.get("/en/projects/coopterr/overview/"))
    assert "Training in Timișoara" in overview and "Project meeting in Rome" not in overview


def test_the_event_page_links_to_its_project_and_series(client, coopterr):
    page = client.get(f"/en/events/{coopterr.timisoara.slug}/").content.decode()
    assert '<a href="/en/projects/coopterr/"><bdi>COOPTERR</bdi></a>' in page
    assert "(Learning, teaching and training activity)" in page
    assert "/en/series/" not in page
    # Added to a series later: the cached page shows it at the next request.
    cycle = Series.objects.create(slug="rencontres", name="Rencontres <cycle>")
    SeriesEdition.objects.create(series=cycle, event=coopterr.timisoara)
    page = client.get(f"/en/events/{coopterr.timisoara.slug}/").content.decode()
    assert '<a href="/en/series/rencontres/"><bdi>Rencontres &lt;cycle&gt;</bdi></a>' in page
    page = text(client.get(f"/fr/events/{coopterr.timisoara.slug}/"))
    assert "Projet et cycle" in page
    # Both pages are public.
    assert "Training in Timișoara" in text(client.get("/en/series/rencontres/"))
    assert "Training in Timișoara" in text(client.get("/en/projects/coopterr/"))
    # An event of neither says nothing of them.
    ProjectActivity.objects.filter(event=coopterr.timisoara).delete()
    SeriesEdition.objects.filter(event=coopterr.timisoara).delete()
    page = client.get(f"/en/events/{coopterr.timisoara.slug}/").content.decode()
    assert "/en/projects/" not in page and "/en/series/" not in page


def test_the_project_overview_counts_unknown_means_apart(client, coopterr):
    gabor = register(coopterr.timisoara, "Gabor", coopterr.timisoara.hungary)
    travels(gabor, "Budapest", "HU", "")
    client.force_login(coopterr.coordinator)
    page = text(client.get("/en/projects/coopterr/overview/"))
    # Gábor adds his 6 days but no grant (Bence's plane: 180): 590 as before.
    assert "Training in Timișoara 3 18 1 590 " in page
    assert "1 person does not know their means of transport yet" in page
