"""Files near the size limit (RESOURCES_MAX_UPLOAD_MB, 25 MB): one just under is stored,
one just over is refused in the user's language; and the shipped proxy configurations
let both reach the site, so that the refusal is the site's own."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.models import Resource

from .uploads import pdf_bytes, setup_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
MB = 1024 * 1024


def pdf_of(megabytes: int) -> SimpleUploadedFile:
    """A PDF of exactly that size: a real one, padded with a comment after its end."""
    content = pdf_bytes("Annual report")
    padding = megabytes * MB - len(content) - 2
    return SimpleUploadedFile("report.pdf", content + b"%" + b"x" * padding + b"\n")


def upload(client, event, file, language="en"):
    data = {"item": "", "kind": "report", "title_en": "Annual report", "url": "", "file": file}
    return client.post(setup_url(event, language), data)


def test_the_limit_is_25_mb_by_default():
    assert settings.RESOURCES_MAX_UPLOAD_BYTES == 25 * MB


def test_a_24_mb_file_is_stored(organiser_client, past_event):
    response = upload(organiser_client, past_event, pdf_of(24))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.size == 24 * MB
    assert resource.content_type == "application/pdf"
    assert resource.file.size == 24 * MB


def test_a_26_mb_file_is_refused_in_the_users_language(organiser_client, past_event):
    response = upload(organiser_client, past_event, pdf_of(26), language="fr")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Ce fichier est trop volumineux (26,0\xa0Mio)\xa0: les fichiers jusqu’à 25,0\xa0Mio "
        "sont acceptés." in page
    )
    assert not Resource.objects.exists()


def _megabytes(pattern: str, path: str) -> int:
    text = (ROOT / path).read_text()
    values = re.findall(pattern, text, flags=re.MULTILINE)
    assert len(values) == 1, (path, values)
    return int(values[0])


def test_the_shipped_proxies_let_a_file_over_the_limit_reach_the_site():
    """nginx refuses bodies over 1 MB by default, with its own English page; the
    shipped configurations take a file over the limit plus its form, and buffer it."""
    limit = settings.RESOURCES_MAX_UPLOAD_BYTES // MB
    nginx = _megabytes(r"^\s*client_max_body_size (\d+)m;", "deploy/nginx.conf")
    caddy = _megabytes(r"^\s*max_size (\d+)MB$", "deploy/Caddyfile")
    buffered = _megabytes(r"^\s*request_buffers (\d+)MB$", "deploy/Caddyfile")
    assert nginx >= limit + 2 and caddy >= limit + 2 and buffered >= limit + 2
    assert "proxy_request_buffering on;" in (ROOT / "deploy/nginx.conf").read_text()
    # gunicorn's timeout (the shipped commands) is shorter than the proxies'
    for path in ("Dockerfile", "docker-compose.yml"):
        assert '"--timeout", "120"' in (ROOT / path).read_text(), path
    assert _megabytes(r"proxy_read_timeout (\d+)s;", "deploy/nginx.conf") > 120
    assert _megabytes(r"response_header_timeout (\d+)s", "deploy/Caddyfile") > 120
