"""The sending country of the beneficiary report, the project report and the Youthpass
sheet: the participant's country, else their sending organisation's."""

import pytest

from mobility.models import Project, ProjectActivity
from registrations import services

from ..factories import person
from .test_workspace_pages import sheet, travels

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(timisoara):
    registration = services.registration_create(
        event=timisoara,
        person=person(
            first_name="Anna",
            last_name="Nagy",
            email="anna@example.org",
            organisation=timisoara.hungary,
            country="",
        ),
    )[0]
    travels(registration, "Budapest", "HU", "train")
    return registration


def test_the_beneficiary_report_falls_back_to_the_sending_organisations_country(
    client, timisoara, anna
):
    assert not anna.country
    client.force_login(timisoara.organiser)
    rows = sheet(client.get(f"/en/workspace/{timisoara.slug}/mobility/report.xlsx"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Sending country"] == "Hungary"
    rows = sheet(client.get(f"/en/workspace/{timisoara.slug}/mobility/youthpass.xlsx"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Country"] == "Hungary"


def test_the_project_report_too(client, timisoara, anna):
    project = Project.objects.create(
        slug="coopterr",
        name="COOPTERR",
        starts_on=timisoara.local_starts_at.date(),
        ends_on=timisoara.local_ends_at.date(),
        coordinating_organisation=timisoara.romania,
    )
    ProjectActivity.objects.create(
        project=project, event=timisoara, type=ProjectActivity.Type.TRAINING
    )
    client.force_login(timisoara.organiser)
    rows = sheet(client.get("/en/projects/coopterr/report.xlsx"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Sending country"] == "Hungary"


def test_the_youthpass_sheet_names_the_language_in_the_readers_language(client, timisoara, anna):
    client.force_login(timisoara.organiser)
    rows = sheet(client.get(f"/fr/workspace/{timisoara.slug}/mobility/youthpass.xlsx"))
    languages = {row[5] for row in rows[1:]}
    assert "Roumain" in languages, languages
    assert "ro" not in languages
