"""Rate limits (429, counted in the cache per IP address and per token), and the published
schema and its documentation page."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from api import services

from ..factories import UserFactory


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/minute", "token": "2/minute"},
    }


def test_anonymous_readers_are_limited_per_ip_address(client, validated, low_rates, db):
    url = reverse("api:events")
    reader = {"REMOTE_ADDR": "192.0.2.1"}
    for _ in range(3):
        assert client.get(url, **reader).status_code == 200
    refused = client.get(url, **reader)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    validated(refused)
    # another address has its own count
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_each_token_is_limited_on_its_own(client, validated, low_rates, db):
    user = UserFactory()
    first = services.api_token_create(user=user, name="one", scopes=[])[1]
    second = services.api_token_create(user=user, name="two", scopes=[])[1]
    url = reverse("api:events")

    def get(key):
        return client.get(url, headers={"authorization": f"Bearer {key}"})

    # the public endpoints read no credentials: every call counts for the address
    assert get(first).status_code == 200
    url = reverse("api:event_registrations", kwargs={"slug": "nothing"})
    assert [get(first).status_code for _ in range(3)] == [403, 403, 429]
    assert get(second).status_code == 403  # the other token has its own count
    validated(get(first))


def test_the_published_schema_is_valid_openapi_without_warnings(tmp_path):
    """What CI runs (.ci/run): drf-spectacular validates the schema and fails on warnings."""
    target = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(target),
    )
    schema = json.loads(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/events/{slug}/registrations/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_the_documentation_page_is_served_by_the_site(client, published_schema, db):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "<style>" not in html  # nothing inline (CSP)
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert page["Content-Security-Policy"].count("'self'") >= 3
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()
    assert published_schema["info"]["title"] == "Rencontres API"
