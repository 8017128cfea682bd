"""The public directory of the network's organisations: only those that agreed are
listed, in the page's language, filtered, on the map, each with its page and the events
it took part in."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from events.models import Event
from registrations.models import Registration

from ..factories import EventFactory, OrganisationFactory
from .conftest import registration

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"network:{name}", kwargs=kwargs or None)


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def counts(response) -> dict[str, int]:
    body = response.content.decode()
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", body)
    return {unescape(label): int(value) for label, value in pairs}


# --- the list -----------------------------------------------------------------------------


def test_the_directory_shows_listed_organisations_in_the_pages_language(client, cries, hidden):
    response = client.get(url("directory", "fr"))
    assert response.status_code == 200
    page = text(response)
    assert "CRIES" in page
    assert "Timișoara, Roumanie" in page  # the country's full name, in French
    assert "Économie solidaire" in page
    assert "Un centre de ressources pour les initiatives solidaires." in page
    assert 'href="https://www.cries.example"' in response.content.decode()
    assert f'href="{url("organisation", "fr", slug="cries")}"' in response.content.decode()
    # the organisation that did not agree is nowhere
    assert "Discreet Collective Omega" not in page
    assert "Nobody should read" not in page
    assert "Secret gardening" not in response.content.decode()
    assert "Hongrie" not in page  # not even offered as a country to filter by


def test_texts_missing_in_a_language_fall_back_to_another(client, cries):
    response = client.get(url("directory", "hu"))
    page = text(response)
    assert "Románia" in page
    assert "A resource centre for solidarity initiatives." in page


def test_the_directory_links_from_the_site_navigation(client, cries):
    with translation.override("en"):
        home = reverse("events:list")
    response = client.get(home)
    assert f'href="{url("directory")}"' in response.content.decode()


def test_the_list_works_without_javascript_and_the_map_is_an_enhancement(client, cries):
    body = client.get(url("directory")).content.decode()
    # the list is plain HTML; the map's container is hidden until the script draws it
    assert re.search(r'<div id="network-map"[^>]*\bhidden\b', body)
    assert 'src="/static/vendor/leaflet/leaflet.js"' in body
    assert 'src="/static/js/network-map.js"' in body
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in body
    assert 'data-referrer-policy="strict-origin"' in body
    assert "© OpenStreetMap contributors" in text(client.get(url("directory")))
    # no script or style from another site
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', body)


def test_only_the_tile_server_is_added_to_the_directorys_content_security_policy(client, cries):
    policy = client.get(url("directory"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["img-src"].split() == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    # other pages keep the site's own policy
    with translation.override("en"):
        home = reverse("events:list")
    elsewhere = client.get(home)["Content-Security-Policy"]
    assert "openstreetmap" not in elsewhere


def test_the_tile_server_is_a_setting(client, cries, settings):
    settings.NETWORK_MAP_TILE_URL = "https://tiles.example.net/osm/{z}/{x}/{y}.png"
    response = client.get(url("directory"))
    assert "https://tiles.example.net/osm/{z}/{x}/{y}.png" in response.content.decode()
    assert "https://tiles.example.net" in response["Content-Security-Policy"]
    assert "tile.openstreetmap.org" not in response["Content-Security-Policy"]


# --- filters ------------------------------------------------------------------------------


@pytest.fixture
def ufisc(db):
    return OrganisationFactory(
        name="UFISC",
        slug="ufisc",
        country="FR",
        city="Paris",
        listed=True,
        field_of_work_en="Culture and the arts",
        field_of_work_fr="Culture et arts",
    )


def test_filter_by_country(client, cries, ufisc):
    page = text(client.get(url("directory", "fr"), {"country": "RO"}))
    assert "CRIES" in page
    assert "UFISC" not in page
    page = text(client.get(url("directory", "fr"), {"country": "FR"}))
    assert "UFISC" in page
    assert "CRIES" not in page


def test_filter_by_field_of_work_as_written_in_the_pages_language(client, cries, ufisc):
    response = client.get(url("directory", "fr"), {"field": "Culture et arts"})
    assert response.status_code == 200
    page = text(response)
    assert "UFISC" in page
    assert "CRIES" not in page
    # the filter offers the fields of work of the listed organisations, in French
    body = client.get(url("directory", "fr")).content.decode()
    assert '<option value="Économie solidaire">Économie solidaire</option>' in body


def test_a_filter_not_offered_is_refused(client, cries, hidden):
    response = client.get(url("directory"), {"country": "HU"})  # only the hidden one is there
    assert response.status_code == 400
    assert "Discreet Collective Omega" not in response.content.decode()
    response = client.get(url("directory"), {"field": "Secret gardening"})
    assert response.status_code == 400
    assert "Discreet Collective Omega" not in response.content.decode()


# --- the map data -------------------------------------------------------------------------


def test_the_map_data_holds_the_listed_organisations_only(client, cries, hidden, ufisc):
    data = client.get(url("map_data", "fr")).json()
    assert data["type"] == "FeatureCollection"
    names = {feature["properties"]["name"] for feature in data["features"]}
    # UFISC gave no coordinates: it is placed at its city, Paris
    assert names == {"CRIES", "UFISC"}
    cries_point = next(f for f in data["features"] if f["properties"]["name"] == "CRIES")
    assert cries_point["geometry"] == {"type": "Point", "coordinates": [21.2087, 45.7489]}
    assert cries_point["properties"]["country"] == "Roumanie"
    assert cries_point["properties"]["url"] == "/fr/network/cries/"
    paris = next(f for f in data["features"] if f["properties"]["name"] == "UFISC")
    longitude, latitude = paris["geometry"]["coordinates"]
    assert round(latitude) == 49 and round(longitude) == 2
    assert "Discreet" not in str(data)


def test_the_map_data_follows_the_filters(client, cries, ufisc):
    data = client.get(url("map_data"), {"country": "FR"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["UFISC"]


def test_an_organisation_without_a_known_place_is_listed_but_not_on_the_map(client, cries):
    OrganisationFactory(name="Nowhere Lab", country="FR", city="Zzyzxville", listed=True)
    assert "Nowhere Lab" in text(client.get(url("directory")))
    data = client.get(url("map_data")).json()
    assert "Nowhere Lab" not in str(data)


# --- an organisation's page -------------------------------------------------------------


def test_an_unlisted_organisation_has_no_page(client, hidden, admin_client):
    assert client.get(url("organisation", slug=hidden.slug)).status_code == 404
    # not even for a superuser or its own coordinator: the directory is public
    assert admin_client.get(url("organisation", slug=hidden.slug)).status_code == 404
    client.force_login(hidden.coordinator)
    assert client.get(url("organisation", slug=hidden.slug)).status_code == 404


def test_an_organisations_page_counts_the_events_it_took_part_in(client, cries, past_event):
    hosted = past_event(host=cries, title_en="Training in Timisoara")
    co_organised = past_event(title_en="Closing event in Paris")
    co_organised.co_organisers.add(cries)
    sent_to = EventFactory(title_en="Meeting in Nagyvazsony")
    draft = EventFactory(host=cries, status=Event.Status.DRAFT, title_en="Unannounced Draft")
    for status in (Registration.Status.CONFIRMED, Registration.Status.CONFIRMED):
        registration(sent_to, cries, status)
    registration(co_organised, cries, Registration.Status.CANCELLED, attended=True)  # was there
    registration(sent_to, cries, Registration.Status.PENDING)  # not sent (yet)
    registration(sent_to, cries, Registration.Status.WAITLISTED)
    registration(sent_to, cries, Registration.Status.CANCELLED)
    registration(draft, cries)  # a draft counts for nothing
    registration(sent_to, OrganisationFactory(name="Another one"))  # not theirs
    unrelated = EventFactory(title_en="Someone else's gathering")

    response = client.get(url("organisation", slug="cries"))
    assert response.status_code == 200
    assert counts(response) == {
        "Events hosted": 1,
        "Events co-organised": 1,
        "Events it sent people to": 2,
        "People sent": 3,
    }
    page = text(response)
    assert "Training in Timisoara" in page
    assert "Closing event in Paris" in page
    assert "Meeting in Nagyvazsony" in page
    assert "Unannounced Draft" not in page
    assert unrelated.title_en not in page
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.S)
    by_title = {
        title: unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split()))
        for row in rows
        for title in (sent_to.title_en, hosted.title_en)
        if title in row
    }
    assert by_title[sent_to.title_en].endswith("Sending organisation 2")
    assert by_title[hosted.title_en].endswith("Host 0")


def test_an_organisations_page_in_another_language(client, cries, past_event):
    past_event(host=cries, title_en="Training", title_ro="Formare la Timișoara")
    response = client.get(url("organisation", "ro", slug="cries"))
    page = text(response)
    assert "Formare la Timișoara" in page
    assert "Evenimente găzduite" in page
    assert "Timișoara, România" in page


def test_a_cancelled_event_is_not_counted(client, cries, past_event):
    past_event(host=cries, status=Event.Status.CANCELLED, title_en="Called off")
    response = client.get(url("organisation", slug="cries"))
    assert counts(response)["Events hosted"] == 0
    assert "Called off" not in text(response)


# --- hostile text -------------------------------------------------------------------------

HOSTILE = '<script>alert("owned")</script><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped_everywhere(client, past_event):
    organisation = OrganisationFactory(
        name=f"Evil {HOSTILE}",
        slug="evil",
        city=f"City {HOSTILE}",
        listed=True,
        latitude="45.000000",
        longitude="5.000000",
        field_of_work_en=f"Work {HOSTILE}",
        description_en=f"About {HOSTILE}",
    )
    past_event(host=organisation, title_en=f"Event {HOSTILE}")
    for response in (
        client.get(url("directory")),
        client.get(url("organisation", slug="evil")),
    ):
        body = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in body
    response = client.get(url("map_data"))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["features"][0]["properties"]["name"] == f"Evil {HOSTILE}"


# --- reads ----------------------------------------------------------------------------------


def test_the_directory_and_a_page_read_the_same_number_of_queries_for_more_organisations(
    client, cries, past_event, django_assert_max_num_queries
):
    def many(count):
        for _number in range(count):
            organisation = OrganisationFactory(
                listed=True, latitude="45.000000", longitude="5.000000"
            )
            past_event(host=organisation).co_organisers.add(cries)
            registration(past_event(), cries)

    many(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url("directory"))
        client.get(url("map_data"))
        client.get(url("organisation", slug="cries"))
    many(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("directory"))
        client.get(url("map_data"))
        assert counts(client.get(url("organisation", slug="cries")))["People sent"] == 10
