"""A second native reading of the mobility pages and files (issue #17): the emissions
estimate's source in the reader's language, the lock's time zone as an offset, and the
titles and names of the files organisers and participants download."""

import io
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from django.utils import translation
from pypdf import PdfReader

from mobility import services as mobility_services
from registrations.models import Attendance

from ..events.test_pages import text
from .conftest import register
from .test_documents import held_in_the_past
from .test_workspace_pages import travels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def filename(response) -> str:
    assert response.status_code == 200, response.status_code
    return unquote(response["Content-Disposition"])


def test_the_emissions_source_is_a_sentence_in_the_readers_language(client, timisoara):
    bence = register(timisoara, "Bence", timisoara.hungary, language="hu")
    travels(bence, "Budapest", "HU", "plane")
    response = client.get(f"/hu/r/{bence.secret}/mobility/")
    page = text(response)
    assert "E közlekedési eszköz kibocsátási tényezője: 156 g CO2e utaskilométerenként." in page
    assert "Forrás: UK Government GHG conversion factors for company reporting (DESNZ)" in page
    assert "(DESNZ)</a></cite>, 2024</small>" in response.content.decode()
    assert "business travel" not in page and "radiative forcing" not in page
    page = text(client.get(f"/fr/r/{bence.secret}/mobility/"))
    assert "Facteur d’émission de ce moyen de transport" in page
    assert "156 g CO2e par passager-km." in page


def test_the_lock_is_labelled_with_the_offset_of_its_own_moment(client, timisoara):
    # Locked in summer (UTC+3 in Bucharest) for a training held in winter (UTC+2).
    mobility_services.mobility_lock(
        event=timisoara, locked=True, now=datetime(2026, 7, 14, 22, 30, tzinfo=UTC)
    )
    client.force_login(timisoara.organiser)
    page = text(client.get(f"/hu/workspace/{timisoara.slug}/setup/mobility/"))
    assert "2026. július 15., 01:30 (UTC+03:00)" in page, page
    assert "Europe/Bucharest" not in page


def test_mobility_files_are_named_and_titled_in_the_readers_language(client, timisoara):
    bence = register(timisoara, "Bence", timisoara.hungary, language="hu")
    travels(bence, "Budapest", "HU", "train", needs_visa_letter=True)
    response = client.get(f"/hu/r/{bence.secret}/mobility/visa-letter.pdf?language=ro")
    assert "meghivolevel-training-in-timisoara-ro.pdf" in filename(response)
    client.force_login(timisoara.organiser)
    response = client.get(f"/hu/workspace/{timisoara.slug}/mobility/rooming.xlsx")
    assert "szobabeosztas-training-in-timisoara.xlsx" in filename(response)
    response = client.get(f"/pt/workspace/{timisoara.slug}/mobility/arrivals.xlsx")
    assert "chegadas-e-partidas-training-in-timisoara.xlsx" in filename(response)

    held_in_the_past(timisoara)
    Attendance.objects.create(registration=bence, day=timisoara.local_starts_at.date())
    response = client.get(f"/it/workspace/{timisoara.slug}/mobility/certificates.pdf")
    assert "attestati-training-in-timisoara.pdf" in filename(response)
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Attestato di partecipazione"
    assert "Tester Bence" in reader.pages[0].extract_text()  # his own, Hungarian certificate
    response = client.get(f"/hu/r/{bence.secret}/certificate.pdf")
    assert "reszveteli-igazolas-training-in-timisoara.pdf" in filename(response)
