"""Hostile values in the API's parameters, headers and the token form: answered with a
400, 401 or 404 (as the schema says), never a server error, and never echoed as markup."""

import pytest
from django.urls import reverse

from api import services
from api.models import ApiToken

from ..factories import UserFactory
from ..test_hostile_input import MARKUP, PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_parameters_are_answered_as_the_schema_says(client, validated, meeting, payload):
    url = reverse("api:events")
    for query in ({"kind": payload}, {"country": payload}, {"when": payload}, {"lang": payload}):
        response = client.get(url, query)
        assert response.status_code == 400, query
        validated(response, request=False)
        assert MARKUP not in response.content.decode()
    assert client.get(url, {"page_size": payload}).status_code == 200
    response = client.get(url, {"organisation": payload})  # a slug, or refused
    assert response.status_code in (200, 400)
    validated(response, request=False)
    page = client.get(url, {"page": payload})
    assert page.status_code == 404
    validated(page, request=False)
    assert MARKUP not in page.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_keys_and_statuses_are_refused(client, validated, meeting, payload):
    url = reverse("api:event_registrations", kwargs={"slug": meeting.slug})
    if "\n" not in payload:  # HTTP has no line break inside a header
        response = client.get(url, headers={"authorization": f"Bearer {payload}"})
        assert response.status_code == 401
        validated(response, request=False)
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    key = services.api_token_create(user=organiser, name="x", scopes=["registrations:read"])[1]
    response = client.get(url, {"status": payload}, headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 400
    validated(response, request=False)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_token_form_takes_hostile_names_safely(client, db, payload):
    client.force_login(UserFactory())
    response = client.post(
        reverse("api_tokens:list"),
        {"name": payload, "scopes": ["registrations:read", payload], "expires_on": payload},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert MARKUP not in response.content.decode()
    response = client.post(
        reverse("api_tokens:list"), {"name": payload, "scopes": ["registrations:read"]}
    )
    assert response.status_code == 200
    assert MARKUP not in response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_embedding_page_takes_hostile_choices_safely(client, meeting, payload):
    client.force_login(UserFactory())
    for what in ("organisation", "event"):
        response = client.get(
            reverse("api_tokens:embed"), {"what": what, what: payload, "language": payload}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert MARKUP not in html and "data-rencontres-widget" not in html


@pytest.mark.parametrize("language", ["xx", "", "pt-br", "EN"])
def test_an_unknown_language_is_refused(client, validated, meeting, language):
    for url in (
        reverse("api:events"),
        reverse("api:event", kwargs={"slug": meeting.slug}),
        reverse("api:event_resources", kwargs={"slug": meeting.slug}),
        reverse("api:organisations"),
        reverse("api:organisation", kwargs={"slug": meeting.host.slug}),
    ):
        response = client.get(url, {"lang": language})
        assert response.status_code == 400, url
        assert "lang" in validated(response, request=False)


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v2/events/", "/api/v1/nothing/", "/api/v1/events/a%20b/"]
)
def test_unknown_api_addresses_answer_json(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/docs/" in response.json()["detail"]
    assert client.post(path).status_code == 404
