"""The public API: events, one event's programme, listed organisations, in a language."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from events.models import Organisation

from ..factories import EventFactory, OrganisationFactory, ProgrammeItemFactory, at


def test_events_list_upcoming_public_events_and_never_a_draft(client, validated, meeting, draft):
    past = EventFactory(slug="last-year", starts_at=at(-40), title_en="Last year")
    body = validated(client.get(reverse("api:events")))
    slugs = [event["slug"] for event in body["results"]]
    assert slugs == ["saint-etienne"]
    event = body["results"][0]
    assert event["title"] == "Saint-Étienne meeting"
    assert event["host"] == {"slug": "les-rencontres", "name": "Les Rencontres"}
    assert event["places_left"] == 97
    assert event["url"].endswith("/en/events/saint-etienne/")

    past_body = validated(client.get(reverse("api:events"), {"when": "past"}))
    assert [e["slug"] for e in past_body["results"]] == [past.slug]
    every = validated(client.get(reverse("api:events"), {"when": "all"}))
    assert {e["slug"] for e in every["results"]} == {"saint-etienne", "last-year"}
    assert "secret-draft" not in str(every) and "Unannounced draft" not in str(every)


def test_events_are_filtered_by_kind_country_and_organisation(client, validated, meeting):
    other_host = OrganisationFactory(slug="budapest-partner", country="HU")
    online = EventFactory(
        slug="online-call", kind="online", venue=None, host=other_host, title_en="A call"
    )
    online.co_organisers.add(meeting.host)

    def slugs(**query):
        return sorted(
            e["slug"] for e in validated(client.get(reverse("api:events"), query))["results"]
        )

    assert slugs(kind="online") == ["online-call"]
    assert slugs(country="fr") == ["saint-etienne"]
    assert slugs(country="HU") == ["online-call"]
    assert slugs(organisation="les-rencontres") == ["online-call", "saint-etienne"]
    assert slugs(organisation="budapest-partner") == ["online-call"]
    refused = client.get(reverse("api:events"), {"kind": "party", "when": "soon"})
    assert refused.status_code == 400
    assert set(validated(refused, request=False)) == {"kind", "when"}


def test_one_event_with_its_programme_in_the_language_asked(client, validated, meeting):
    url = reverse("api:event", kwargs={"slug": meeting.slug})
    body = validated(client.get(url, {"lang": "pt"}))
    assert body["title"] == "Encontro de Saint-Étienne"
    assert body["rooms"] == ["Salle A", "Salle B"]
    [day] = body["programme"]
    assert day["date"] == meeting.local_starts_at.date().isoformat()
    titles = [item["title"] for item in day["items"]]
    # Portuguese where written, else the event's own language
    assert titles == ["Opening plenary", "Mapear os atores", "Evaluating"]
    workshop = day["items"][1]
    assert workshop["kind"] == "workshop"
    assert workshop["room"] == "Salle A"
    assert workshop["capacity"] == 20 and workshop["places_left"] == 20
    assert workshop["speakers"] == [
        {
            "name": "Maria Souza",
            "first_name": "Maria",
            "last_name": "Souza",
            "organisation": "Les Rencontres",
            "bio": "Trabalha.",
        }
    ]

    response = client.get(url, headers={"accept-language": "pt"})
    assert validated(response)["programme"][0]["items"][1]["title"] == "Mapear os atores"
    assert response["Content-Language"] == "pt"
    english = client.get(url, {"lang": "en"}, headers={"accept-language": "pt"})
    assert validated(english)["programme"][0]["items"][1]["speakers"][0]["bio"] == (
        "Works on cooperation."
    )


def test_a_draft_or_unknown_event_is_not_found(client, validated, draft):
    for slug in (draft.slug, "no-such-event"):
        response = client.get(reverse("api:event", kwargs={"slug": slug}))
        assert response.status_code == 404
        validated(response)
        assert "Unannounced" not in response.content.decode()


def test_an_organisations_logo_address_answers_with_the_image(
    client, validated, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(buffer, "PNG")
    organisation = OrganisationFactory(slug="with-logo", name="With Logo", listed=True)
    organisation.logo.save("with-logo.png", ContentFile(buffer.getvalue()))
    body = validated(client.get(reverse("api:organisation", kwargs={"slug": "with-logo"})))
    parts = urlsplit(body["logo"])
    assert (parts.scheme, parts.netloc) == ("http", "testserver")  # absolute
    assert parts.path == "/en/network/with-logo/logo/"
    image = client.get(parts.path)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (40, 30)


def test_only_listed_organisations_are_answered(client, validated, db):
    listed = OrganisationFactory(
        slug="listed-one",
        name="Listed One",
        listed=True,
        field_of_work_en="Youth work",
        field_of_work_fr="Travail de jeunesse",
        description_en="We run youth exchanges.",
        latitude="45.439700",
        longitude="4.387200",
    )
    OrganisationFactory(slug="unlisted-one", name="Unlisted One", listed=False)
    body = validated(client.get(reverse("api:organisations"), {"lang": "fr"}))
    assert [o["slug"] for o in body["results"]] == ["listed-one"]
    assert body["results"][0]["field_of_work"] == "Travail de jeunesse"
    assert body["results"][0]["description"] == "We run youth exchanges."
    assert body["results"][0]["latitude"] == "45.439700"
    assert body["results"][0]["logo"] is None
    one = validated(client.get(reverse("api:organisation", kwargs={"slug": listed.slug})))
    assert one["name"] == "Listed One"
    hidden = client.get(reverse("api:organisation", kwargs={"slug": "unlisted-one"}))
    assert hidden.status_code == 404
    validated(hidden)
    assert "Unlisted One" not in hidden.content.decode()
    assert Organisation.objects.filter(slug="unlisted-one").exists()


def test_hostile_text_comes_back_as_data(client, validated, db):
    hostile = '<script>alert("x")</script>'
    EventFactory(slug="hostile", title_en=hostile, starts_at=at(5))
    response = client.get(reverse("api:events"))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert validated(response)["results"][0]["title"] == hostile


def test_the_public_api_sets_no_cookie_and_ignores_a_session(client, validated, meeting, draft):
    """Public answers are the same for everyone: a draft's organiser logged in gets no
    draft through the public endpoints."""
    organiser = draft.organisers.model.objects.create_user("org", "org@example.org", "x")
    draft.organisers.add(organiser)
    client.force_login(organiser)
    response = client.get(reverse("api:event", kwargs={"slug": draft.slug}))
    assert response.status_code == 404
    listing = client.get(reverse("api:events"))
    assert not listing.cookies
    assert "secret-draft" not in listing.content.decode()


def test_pages_of_results(client, validated, db):
    for n in range(3):
        EventFactory(slug=f"e{n}", starts_at=at(3 + n), ends_at=at(3 + n) + timedelta(hours=2))
    body = validated(client.get(reverse("api:events"), {"page_size": 2}))
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    second = validated(client.get(body["next"]))
    assert [e["slug"] for e in second["results"]] == ["e2"]


def test_an_online_event_without_a_venue_is_answered_as_the_schema_says(client, validated, db):
    host = OrganisationFactory(slug="budapest-partner", country="HU")
    online = EventFactory(
        slug="online-call", kind="online", venue=None, host=host, title_en="A call"
    )
    ProgrammeItemFactory(event=online, title_en="Welcome", room=None)
    body = validated(client.get(reverse("api:event", kwargs={"slug": online.slug})))
    assert body["venue"] is None
    assert body["online"] is True
    assert body["rooms"] == []
    assert body["country"] == "HU" and body["city"] == ""
    assert [item["title"] for day in body["programme"] for item in day["items"]] == ["Welcome"]
    assert body["programme"][0]["items"][0]["room"] is None
