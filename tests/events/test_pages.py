"""Public pages: the event list, past events, the event page, in several languages."""

import re

import pytest

from events.models import Event, ProgrammeItem

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The visible text of a page, whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_root_redirects_to_the_browsers_language_on_first_visit(client):
    response = client.get("/", headers={"accept-language": "ro-RO,ro;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/ro/"


def test_event_list_shows_upcoming_events_first_and_hides_past_ones(client):
    EventFactory(title_en="Later meeting", starts_at=at(40), ends_at=at(41))
    EventFactory(title_en="Sooner meeting", starts_at=at(5), ends_at=at(6))
    EventFactory(title_en="Old meeting", starts_at=at(-30), ends_at=at(-29))
    page = text(client.get("/en/"))
    assert page.index("Sooner meeting") < page.index("Later meeting")
    assert "Old meeting" not in page

    past = text(client.get("/en/events/past/"))
    assert "Old meeting" in past
    assert "Sooner meeting" not in past


def test_event_list_shows_dates_city_kind_and_places_left(client):
    venue = VenueFactory(city="Timișoara", country="RO")
    EventFactory(
        title_en="Training",
        kind=Event.Kind.TRAINING,
        venue=venue,
        capacity=30,
        timezone="Europe/Bucharest",
        starts_at=at(12, "09:00", "Europe/Bucharest"),
        ends_at=at(15, "17:00", "Europe/Bucharest"),
    )
    page = text(client.get("/en/"))
    assert "Timișoara, Romania" in page
    assert "Transnational training or mobility" in page
    assert "30 places left" in page


def test_an_events_days_in_one_month_share_its_name_in_each_language(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    budapest = ZoneInfo("Europe/Budapest")
    EventFactory(
        title_en="Training",
        timezone="Europe/Budapest",
        starts_at=datetime(2027, 3, 4, 9, 0, tzinfo=budapest),
        ends_at=datetime(2027, 3, 5, 17, 0, tzinfo=budapest),
    )
    assert "4–5 March 2027" in text(client.get("/en/"))
    assert "2027. március 4–5." in text(client.get("/hu/"))
    assert "4–5 mars 2027" in text(client.get("/fr/"))


def test_event_list_filters_by_kind_and_country(client):
    EventFactory(
        title_en="Romanian training",
        kind=Event.Kind.TRAINING,
        venue=VenueFactory(country="RO", city="Timișoara"),
    )
    EventFactory(
        title_en="Hungarian training",
        kind=Event.Kind.TRAINING,
        venue=VenueFactory(country="HU", city="Nagyvázsony"),
    )
    EventFactory(
        title_en="French meeting",
        kind=Event.Kind.NATIONAL_MEETING,
        venue=VenueFactory(country="FR"),
    )
    page = text(client.get("/en/", {"kind": "training"}))
    assert "Romanian training" in page and "Hungarian training" in page
    assert "French meeting" not in page

    page = text(client.get("/en/", {"kind": "training", "country": "HU"}))
    assert "Hungarian training" in page
    assert "Romanian training" not in page


def test_malformed_filter_gets_a_clear_message_in_the_users_language(client):
    EventFactory(title_en="Some meeting")
    response = client.get("/fr/", {"kind": "<script>", "country": "XX"})
    assert response.status_code == 400
    assert "Ce filtre n’est pas valide" in text(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_unknown_event_is_a_404_in_the_users_language(client):
    response = client.get("/fr/events/no-such-event/")
    assert response.status_code == 404
    assert "Page introuvable" in text(response)


def test_draft_is_visible_only_to_its_organisers(client):
    organiser = UserFactory()
    draft = EventFactory(title_en="Secret draft", status=Event.Status.DRAFT)
    draft.organisers.add(organiser)
    url = f"/en/events/{draft.slug}/"

    assert client.get(url).status_code == 404
    assert "Secret draft" not in text(client.get("/en/"))

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert "Secret draft" not in text(client.get("/en/"))

    client.force_login(organiser)
    response = client.get(url)
    assert response.status_code == 200
    assert "only the organising team sees this page" in text(response)
    assert "Secret draft" in text(client.get("/en/"))


def test_times_are_shown_in_the_events_time_zone_with_the_zone_named(client):
    # 09:00 in Bucharest is 08:00 in Paris (the site's default zone) and 07:00 UTC.
    event = EventFactory(
        title_en="Training in Timișoara",
        title_fr="Formation à Timișoara",
        timezone="Europe/Bucharest",
        starts_at=at(30, "09:00", "Europe/Bucharest"),
        ends_at=at(33, "17:00", "Europe/Bucharest"),
    )
    ProgrammeItemFactory(
        event=event,
        title_fr="Ouverture",
        starts_at=at(30, "09:30", "Europe/Bucharest"),
        ends_at=at(30, "10:30", "Europe/Bucharest"),
    )
    page = text(client.get(f"/fr/events/{event.slug}/"))
    assert "Formation à Timișoara" in page
    assert "9 h 00" in page and "17 h 00" in page  # French times; text() folds no-break spaces
    assert "9 h 30–10 h 30" in page
    assert not re.search(r"(?<!\d)[78] h 00", page)  # Paris and UTC times
    assert "UTC+02:00" in page and "Europe/Bucharest" not in page
    assert "fuseau horaire" in page


@pytest.mark.parametrize(
    ("language", "title", "chrome"),
    [
        ("en", "Territorial cooperation training", "Programme"),
        ("fr", "Formation à la coopération territoriale", "Programme"),
        ("ro", "Formare în cooperare teritorială", "Program"),
        ("hu", "Területi együttműködés képzés", "Program"),
        ("pt", "Formação em cooperação territorial", "Programa"),
        ("it", "Formazione sulla cooperazione territoriale", "Programma"),
    ],
)
def test_event_page_in_each_language(client, language, title, chrome):
    event = EventFactory(
        title_en="Territorial cooperation training",
        title_fr="Formation à la coopération territoriale",
        title_ro="Formare în cooperare teritorială",
        title_hu="Területi együttműködés képzés",
        title_pt="Formação em cooperação territorial",
        title_it="Formazione sulla cooperazione territoriale",
    )
    response = client.get(f"/{language}/events/{event.slug}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    page = text(response)
    assert title in page
    assert chrome in page


def test_content_missing_in_a_language_falls_back_to_the_events_default_language(client):
    event = EventFactory(
        default_language="fr",
        title_fr="Rencontres nationales",
        title_en="National meetings",
        summary_fr="Deux journées à Saint-Étienne.",
    )
    page = text(client.get(f"/hu/events/{event.slug}/"))
    # Hungarian is missing: the event's own default language (French) is shown, not English.
    assert "Rencontres nationales" in page
    assert "Deux journées à Saint-Étienne." in page


def test_programme_shows_parallel_sessions_side_by_side_by_room_with_speakers(client):
    venue = VenueFactory(name="Le Fil", city="Saint-Étienne", address="20 boulevard Thiers")
    big, small = (
        RoomFactory(venue=venue, name="Grande salle", position=0),
        RoomFactory(venue=venue, name="Club", position=1),
    )
    event = EventFactory(venue=venue, starts_at=at(10, "09:00"), ends_at=at(11, "18:00"))
    speaker = SpeakerFactory(name="Jason Nardi", organisation=OrganisationFactory(name="RIPESS"))
    plenary = ProgrammeItemFactory(
        event=event,
        title_en="Opening plenary",
        room=big,
        starts_at=at(10, "09:30"),
        ends_at=at(10, "10:30"),
        language="fr",
    )
    plenary.speakers.add(speaker)
    ProgrammeItemFactory(
        event=event,
        title_en="Workshop on shared jobs",
        room=small,
        kind=ProgrammeItem.Kind.WORKSHOP,
        capacity=20,
        starts_at=at(10, "11:00"),
        ends_at=at(10, "12:30"),
    )
    ProgrammeItemFactory(
        event=event,
        title_en="Workshop on places",
        room=big,
        kind=ProgrammeItem.Kind.WORKSHOP,
        starts_at=at(10, "11:00"),
        ends_at=at(10, "12:30"),
    )
    ProgrammeItemFactory(
        event=event,
        title_en="Closing",
        room=big,
        starts_at=at(11, "16:00"),
        ends_at=at(11, "17:00"),
    )

    response = client.get(f"/en/events/{event.slug}/")
    html = response.content.decode()
    page = text(response)
    assert html.count('class="slot parallel"') == 1
    # Side by side in room order: the big room's workshop comes first.
    assert page.index("Workshop on places") < page.index("Workshop on shared jobs")
    assert "Speaker: Jason Nardi (RIPESS)" in page  # one speaker: singular
    assert "In French" in page
    assert "20 places left" in page
    assert page.index("Opening plenary") < page.index("Closing")
    assert len(re.findall(r'class="programme-day"', html)) == 2
    assert "20 boulevard Thiers" in page
    assert "openstreetmap.org" in html


def test_user_text_is_escaped_on_pages(client):
    event = EventFactory(title_en='<script>alert("x")</script>', summary_en="<b>bold</b>")
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<b>bold</b>" not in html


def test_the_language_switcher_names_each_language_as_it_writes_itself(client):
    page = client.get("/fr/").content.decode()
    switcher = page[page.index('class="languages"') :]
    names = re.findall(r'hreflang="\w+"[^>]*>([^<]+)</a>', switcher)
    assert names == ["English", "Français", "Română", "Magyar", "Português", "Italiano"]
