"""Secrets of private links never reach a log line, a cache or another site."""

import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from config.gunicorn import RedactingLogger
from registrations import services

from .factories import EventFactory, at, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(db):
    event = EventFactory(
        registration_opens_at=at(-5),
        registration_closes_at=at(20),
        starts_at=at(30),
        ends_at=at(31),
    )
    return services.registration_create(event=event, person=person())[0]


@pytest.fixture
def request_log(caplog):
    """What Django's request logger writes ("Not Found: …", "Forbidden: …")."""
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_not_found_log_line_of_a_wrong_secret_shows_no_secret(client, request_log):
    response = client.get("/en/r/Zq8v-guessed-or-retired-secret/details/")
    assert response.status_code == 404
    assert "Not Found: /en/r/<secret>/details/" in request_log.text
    assert "Zq8v-guessed-or-retired-secret" not in request_log.text


def test_not_found_log_line_of_a_wrong_personal_feed_shows_no_secret(client, request_log):
    response = client.get("/fr/calendar/personal/999.Zq8v-retired-feed-secret.ics")
    assert response.status_code == 404
    assert "Not Found: /fr/calendar/personal/<secret>" in request_log.text
    assert "Zq8v-retired-feed-secret" not in request_log.text


@pytest.fixture
def gunicorn_logger(tmp_path):
    """gunicorn's logger as config/gunicorn.py configures it, writing to files in tmp_path."""
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    yield RedactingLogger(config)
    for name in ("gunicorn.access", "gunicorn.error"):
        log = logging.getLogger(name)
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()


def test_gunicorn_access_log_shows_no_secret(gunicorn_logger, tmp_path):
    secret = "Zq8v-the-participants-own-secret"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/en/r/{secret}/cancel/",
        "PATH_INFO": f"/en/r/{secret}/cancel/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://rencontres.example.org/en/r/{secret}/",
        "HTTP_USER_AGENT": "Firefox",
    }
    request = SimpleNamespace(
        headers=[("REFERER", environ["HTTP_REFERER"])],
        method="POST",
        uri=environ["RAW_URI"],
        path=environ["PATH_INFO"],
        query="",
        version=(1, 1),
    )
    response = SimpleNamespace(
        status="302 Found", headers=[], response_length=0, sent=0, status_code=302
    )
    gunicorn_logger.access(response, request, environ, timedelta(seconds=0.01))
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert len(lines) == 1
    assert secret not in lines[0]
    assert '"POST /en/r/<secret>/cancel/ HTTP/1.1" 302' in lines[0]
    assert "https://rencontres.example.org/en/r/<secret>/" in lines[0]


def test_gunicorn_error_log_shows_no_secret(gunicorn_logger, tmp_path):
    gunicorn_logger.error("Error handling request %s", "/en/r/Zq8v-the-participants-own-secret/")
    text = (tmp_path / "error.log").read_text()
    assert "Error handling request /en/r/<secret>/" in text
    assert "Zq8v" not in text


def test_private_page_and_its_actions_are_never_stored_nor_sent_to_other_sites(
    client, registration
):
    for path in (
        f"/en/r/{registration.secret}/",
        f"/en/r/{registration.secret}/details/",
        f"/en/r/{registration.secret}/attendees/",
        "/en/r/Zq8v-no-such-secret/",
    ):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"], path
        assert response["Referrer-Policy"] == "same-origin", path
    response = client.post(f"/en/r/{registration.secret}/new-link/")
    assert "no-store" in response["Cache-Control"]


def test_personal_feed_is_never_stored(client, registration):
    page = client.get(f"/en/r/{registration.secret}/").content.decode()
    path = re.search(r'(/en/calendar/personal/[^"]+\.ics)', page).group(1)
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached(client, registration):
    response = client.get("/en/")
    assert "no-store" not in response.get("Cache-Control", "")
