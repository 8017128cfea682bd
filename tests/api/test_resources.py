"""An event's published resources through the API: files and links, per programme item or
for the whole event, in the language asked; nothing unpublished, nothing of a draft."""

from datetime import timedelta

import pytest
from django.urls import reverse

from resources import services as resource_services
from resources.models import Resource

from ..factories import EventFactory, UserFactory
from ..resources.uploads import pdf_bytes, pdf_upload, png_upload
from ..test_hostile_input import MARKUP
from .conftest import wait_for_a_fresh_minute


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _publish(event):
    """The organiser publishes everything added so far, once the event is over."""
    organiser = UserFactory()
    event.organisers.add(organiser)
    return resource_services.resources_publish(
        event=event, actor=organiser, now=event.ends_at + timedelta(days=1)
    )


@pytest.fixture
def published(meeting):
    """The meeting's published resources: the slides of a workshop (titled in English and
    Portuguese), a photo of the whole event, a link; then slides not published yet."""
    workshop = meeting.programme_items.get(title_en="Mapping the actors")
    slides = resource_services.resource_add(
        event=meeting,
        item=workshop,
        kind="slides",
        titles={"en": "Mapping slides", "pt": "Diapositivos do mapeamento"},
        uploaded=pdf_upload("mapping.pdf", "Mapping"),
    )
    photo = resource_services.resource_add(
        event=meeting, item=None, kind="photo", titles={"en": "Group photo"}, uploaded=png_upload()
    )
    link = resource_services.resource_add(
        event=meeting,
        item=workshop,
        kind="link",
        titles={"fr": "Carte des acteurs"},
        url="https://maps.example.org/actors",
    )
    _publish(meeting)
    resource_services.resource_add(
        event=meeting,
        item=None,
        kind="report",
        titles={"en": "Unpublished report Sigma"},
        uploaded=pdf_upload("sigma.pdf", "Sigma"),
    )
    return {"slides": slides, "photo": photo, "link": link, "workshop": workshop}


def _url(event) -> str:
    return reverse("api:event_resources", kwargs={"slug": event.slug})


def test_the_published_resources_are_listed_and_downloadable(client, validated, meeting, published):
    response = client.get(_url(meeting))
    body = validated(response)
    assert body["count"] == 3
    by_title = {resource["title"]: resource for resource in body["results"]}
    assert set(by_title) == {"Mapping slides", "Group photo", "Carte des acteurs"}
    assert "Unpublished report Sigma" not in response.content.decode()

    slides = by_title["Mapping slides"]
    assert slides["id"] == published["slides"].pk
    assert slides["kind"] == "slides"
    assert slides["item"] == {
        "uuid": str(published["workshop"].uuid),
        "title": "Mapping the actors",
    }
    assert slides["external"] is False
    assert slides["url"] == f"http://testserver/en/resources/{published['slides'].pk}/file/"
    assert slides["content_type"] == "application/pdf"
    assert slides["file_name"] == "mapping.pdf"
    assert slides["size"] == len(pdf_bytes("Mapping"))
    assert slides["thumbnail"] is None
    assert slides["published_at"]
    download = client.get(slides["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    photo = by_title["Group photo"]
    assert photo["item"] is None
    assert photo["content_type"] == "image/png"
    thumbnail = client.get(photo["thumbnail"])
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert b"".join(thumbnail.streaming_content).startswith(b"\xff\xd8")  # a JPEG

    link = by_title["Carte des acteurs"]  # written in French only: the fallback
    assert link["external"] is True
    assert link["url"] == "https://maps.example.org/actors"
    assert link["thumbnail"] is None and link["file_name"] is None
    assert link["content_type"] is None and link["size"] is None


def test_an_event_without_published_resources_lists_none(client, validated, meeting):
    resource_services.resource_add(
        event=meeting,
        item=None,
        kind="report",
        titles={"en": "Unpublished report Sigma"},
        uploaded=pdf_upload(),
    )
    response = client.get(_url(meeting))
    assert validated(response)["results"] == []
    assert "Sigma" not in response.content.decode()


def test_titles_come_in_the_language_asked(client, validated, meeting, published):
    def titles(response):
        return {
            (resource["title"], (resource["item"] or {}).get("title"))
            for resource in validated(response)["results"]
        }

    portuguese = {
        ("Diapositivos do mapeamento", "Mapear os atores"),
        ("Group photo", None),
        ("Carte des acteurs", "Mapear os atores"),
    }
    assert titles(client.get(_url(meeting), {"lang": "pt"})) == portuguese
    response = client.get(_url(meeting), headers={"accept-language": "pt"})
    assert titles(response) == portuguese
    assert response["Content-Language"] == "pt"
    french = client.get(_url(meeting), {"lang": "fr"}, headers={"accept-language": "pt"})
    assert ("Mapping slides", "Mapping the actors") in titles(french)
    files = [r["url"] for r in validated(french)["results"] if not r["external"]]
    assert len(files) == 2
    assert all(url.startswith("http://testserver/fr/resources/") for url in files)


def test_a_draft_or_unknown_event_is_not_found(client, validated, draft):
    resource = resource_services.resource_add(
        event=draft,
        item=None,
        kind="slides",
        titles={"en": "Draft slides Omega"},
        uploaded=pdf_upload(),
    )
    Resource.objects.filter(pk=resource.pk).update(published_at=draft.starts_at)
    organiser = UserFactory()
    draft.organisers.add(organiser)
    client.force_login(organiser)  # the draft's organiser gets no draft here either
    for slug in (draft.slug, "no-such-event"):
        response = client.get(reverse("api:event_resources", kwargs={"slug": slug}))
        assert response.status_code == 404
        validated(response)
        assert "Omega" not in response.content.decode()


@pytest.mark.parametrize(
    "title",
    [
        MARKUP,
        '=HYPERLINK("http://evil.example","x")',
        "\u202eAna\u2066\u200b",
        "Ana\r\nBEGIN:VEVENT\r\nSUMMARY:x",
        "<img src=x onerror=alert(1)>&amp;",
    ],
)
def test_hostile_titles_come_back_as_plain_strings(client, validated, db, title):
    event = EventFactory(slug="hostile-resources")
    resource_services.resource_add(
        event=event, item=None, kind="other", titles={"en": title}, uploaded=pdf_upload()
    )
    _publish(event)
    response = client.get(_url(event))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    [resource] = validated(response)["results"]
    assert resource["title"] == title.strip()


def test_one_query_for_all_the_resources(
    client, validated, meeting, published, django_assert_num_queries
):
    for n in range(5):
        resource_services.resource_add(
            event=meeting,
            item=published["workshop"],
            kind="link",
            titles={"en": f"Link {n}"},
            url=f"https://example.org/{n}",
        )
    _publish(meeting)
    # the event, the count and the page: not one more per resource or programme item
    with django_assert_num_queries(3):
        body = validated(client.get(_url(meeting), {"lang": "pt"}))
    assert body["count"] == 9  # the report waiting was published too


def test_the_resources_are_rate_limited(client, validated, settings, meeting):
    wait_for_a_fresh_minute()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/minute", "token": "2/minute"},
    }
    reader = {"REMOTE_ADDR": "192.0.2.9"}
    assert [client.get(_url(meeting), **reader).status_code for _ in range(3)] == [200, 200, 429]
    validated(client.get(_url(meeting), **reader))


def test_the_event_shows_each_items_resources_and_the_whole_events(
    client, validated, meeting, published
):
    body = validated(
        client.get(reverse("api:event", kwargs={"slug": meeting.slug}), {"lang": "pt"})
    )
    assert [resource["title"] for resource in body["resources"]] == ["Group photo"]
    items = {item["title"]: item for item in body["programme"][0]["items"]}
    assert {resource["title"] for resource in items["Mapear os atores"]["resources"]} == {
        "Diapositivos do mapeamento",
        "Carte des acteurs",
    }
    assert items["Opening plenary"]["resources"] == []
    assert "Unpublished report Sigma" not in str(body)


def test_an_event_before_its_resources_lists_none(client, validated, meeting):
    body = validated(client.get(reverse("api:event", kwargs={"slug": meeting.slug})))
    assert body["resources"] == []
    assert all(item["resources"] == [] for item in body["programme"][0]["items"])
