"""The documented example script (docs/api_example.py, standard library only) reads the
programme and the registrations through the API of a running server."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from api import services
from registrations.models import Registration
from resources import services as resource_services

from ..factories import EventFactory, ProgrammeItemFactory, UserFactory, at
from ..http import Browser
from ..resources.uploads import pdf_upload
from .conftest import wait_for_a_fresh_minute

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api_example.py"


def _script(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _run(*args) -> str:
    done = _script(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _refused(*args) -> str:
    """The one line the script prints when the site refuses: no traceback, status 1."""
    done = _script(*args)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_script_reads_the_programme_through_the_api(live_server, transactional_db, meeting):
    listing = _run(live_server.url)
    assert "saint-etienne  Saint-Étienne meeting" in listing

    programme = _run(live_server.url, "saint-etienne", "--lang", "pt")
    assert programme.startswith("Encontro de Saint-Étienne (Paris, FR)")
    assert "Mapear os atores [Salle A] (20 places left)" in programme
    assert "Maria Souza" in programme
    assert "Resources" not in programme  # nothing published yet

    workshop = meeting.programme_items.get(title_en="Mapping the actors")
    slides = resource_services.resource_add(
        event=meeting,
        item=workshop,
        kind="slides",
        titles={"en": "Mapping slides", "pt": "Diapositivos do mapeamento"},
        uploaded=pdf_upload("mapping.pdf"),
    )
    resource_services.resource_add(
        event=meeting,
        item=None,
        kind="link",
        titles={"en": "Photos"},
        url="https://photos.example.org/",
    )
    publisher = UserFactory()
    meeting.organisers.add(publisher)
    resource_services.resources_publish(
        event=meeting, actor=publisher, now=meeting.ends_at + timedelta(days=1)
    )
    programme = _run(live_server.url, "saint-etienne", "--lang", "pt")
    assert "[slides] Diapositivos do mapeamento (Mapear os atores)" in programme
    assert f"{live_server.url}/pt/resources/{slides.pk}/file/" in programme
    assert "[link] Photos\n        https://photos.example.org/" in programme

    organiser = meeting.organisers.model.objects.create_user("o", "o@example.org", "x")
    meeting.organisers.add(organiser)
    Registration.objects.create(
        event=meeting,
        status="confirmed",
        email="ana@example.org",
        first_name="Ana",
        last_name="Popescu",
        language="ro",
        privacy_consent_version="1",
    )
    _token, key = services.api_token_create(
        user=organiser, name="script", scopes=["registrations:read"]
    )
    counted = _run(live_server.url, "saint-etienne", "--token", key)
    assert "Registrations you may see: 1 (1 confirmed)" in counted


def test_the_script_prints_the_times_the_events_page_shows(live_server, transactional_db):
    """An evening in São Paulo, past midnight in Paris (the server's time zone): the
    script prints the event's day and its items' times as the event's page does."""
    zone = "America/Sao_Paulo"
    event = EventFactory(
        slug="sao-paulo",
        title_en="São Paulo evening",
        timezone=zone,
        starts_at=at(20, "21:00", zone),
        ends_at=at(20, "23:30", zone),
    )
    ProgrammeItemFactory(
        event=event,
        title_en="Night walk",
        room=None,
        starts_at=at(20, "21:30", zone),
        ends_at=at(20, "22:30", zone),
    )
    day = at(20, "21:00", zone).date().isoformat()
    assert f"{day}  sao-paulo  São Paulo evening" in _run(live_server.url)
    programme = _run(live_server.url, "sao-paulo")
    assert f"\n{day}\n  21:30 Night walk\n" in programme
    page = Browser(live_server.url).get("/en/events/sao-paulo/")[1]
    assert "21:30" in page


def test_the_script_says_in_one_line_what_the_site_refused(
    live_server, transactional_db, meeting, settings
):
    wait_for_a_fresh_minute(margin=40)  # the whole test in one minute of the rate limit
    guessed = "rct_madeup_000000000000000000000000000000"
    assert "the API token was refused: This API key is not valid. (401)" in _refused(
        live_server.url, "saint-etienne", "--token", guessed
    )
    stranger = UserFactory()
    _token, key = services.api_token_create(
        user=stranger, name="script", scopes=["registrations:read"]
    )
    line = _refused(live_server.url, "saint-etienne", "--token", key)
    assert "/api/v1/events/saint-etienne/registrations/: No such event." in line
    assert "(404)" in line
    assert "(404)" in _refused(live_server.url, "no-such-event")
    assert "invalid choice: 'xx'" in _script(live_server.url, "--lang", "xx").stderr

    # The requests above count in this minute's window: the next is one too many.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "1/minute", "token": "1/minute"},
    }
    assert "too many requests: try again" in _refused(live_server.url)


def test_the_script_says_its_own_words_stay_in_english():
    assert "the script's own words stay in English" in " ".join(_run("--help").split())
