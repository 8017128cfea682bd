"""Rate limits (429, counted in the cache per IP address and per token), and the published
schema and its documentation page."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from api import services

from ..factories import UserFactory
from .conftest import wait_for_a_fresh_minute


@pytest.fixture
def low_rates(settings):
    wait_for_a_fresh_minute()
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

    def get(url, key):
        return client.get(url, headers={"authorization": f"Bearer {key}"})

    # public reads with a token count for the token, not for the address
    events = reverse("api:events")
    assert [get(events, first).status_code for _ in range(3)] == [200, 200, 429]
    assert get(events, second).status_code == 200
    assert client.get(events).status_code == 200
    # refused calls count too: the rate is checked before the scope
    registrations = reverse("api:event_registrations", kwargs={"slug": "nothing"})
    assert [get(registrations, second).status_code for _ in range(2)] == [403, 429]
    validated(get(events, first))


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
    assert schema["openapi"] == "3.1.0"
    # an online event has no venue: null is written as JSON Schema says it
    venue = schema["components"]["schemas"]["EventDetail"]["properties"]["venue"]
    assert venue == {"oneOf": [{"$ref": "#/components/schemas/Venue"}, {"type": "null"}]}
    assert "nullable" not in json.dumps(schema)  # OpenAPI 3.0's word, not 3.1's
    assert "/api/v1/events/{slug}/registrations/" in schema["paths"]
    assert "/api/v1/events/{slug}/resources/" in schema["paths"]
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


def test_the_429_message_is_in_the_language_asked(client, validated, low_rates, db):
    url = reverse("api:events")
    for _ in range(3):
        client.get(url, {"lang": "pt"})
    refused = client.get(url, {"lang": "pt"})
    assert refused.status_code == 429
    validated(refused)
    wait = int(refused["Retry-After"])
    assert (
        refused.json()["detail"]
        == f"Demasiados pedidos: tente novamente dentro de {wait} segundos."
    )
    french = client.get(url, {"lang": "fr"}).json()["detail"]
    assert french.startswith("Trop de requêtes") and "Expected" not in french


def test_the_schema_and_the_documentation_are_not_rate_limited(client, low_rates, db):
    for _ in range(5):
        assert client.get(reverse("api:schema")).status_code == 200
        assert client.get(reverse("api:docs")).status_code == 200
    assert client.get(reverse("api:events")).status_code == 200  # the budget untouched


def test_guessed_api_keys_count_against_the_address(client, validated, low_rates, db):
    guesser = {"REMOTE_ADDR": "192.0.2.9"}
    events = reverse("api:events")

    def guess(number):
        key = f"rct_guess{number}_0000000000000000000000"
        return client.get(events, headers={"authorization": f"Bearer {key}"}, **guesser)

    assert [guess(n).status_code for n in range(4)] == [401, 401, 401, 429]
    refused = guess(5)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    validated(refused, request=False)
    assert client.get(events, **guesser).status_code == 429  # the same budget
    assert client.get(events, REMOTE_ADDR="192.0.2.10").status_code == 200
