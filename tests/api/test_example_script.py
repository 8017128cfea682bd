"""The documented example script (docs/api_example.py, standard library only) reads the
programme and the registrations through the API of a running server."""

import subprocess
import sys
from pathlib import Path

from api import services
from registrations.models import Registration

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api_example.py"


def _run(*args) -> str:
    done = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_script_reads_the_programme_through_the_api(live_server, transactional_db, meeting):
    listing = _run(live_server.url)
    assert "saint-etienne  Saint-Étienne meeting" in listing

    programme = _run(live_server.url, "saint-etienne", "--lang", "pt")
    assert programme.startswith("Encontro de Saint-Étienne (Paris, FR)")
    assert "Mapear os atores [Salle A] (20 places left)" in programme
    assert "Maria Souza" in programme

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
