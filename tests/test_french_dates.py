"""French dates and times as French typography writes them (issue 17): "1er mars", never
"1 mars"; "9 h 00", "11 h 15", never "09:00"; on the page, in the email, its calendar invite
and the sign-in sheet."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from pypdf import PdfReader

from events.formats import date_format, date_range, weekday_date
from events.models import Event, ProgrammeItem
from registrations import services as registrations

from .events.test_pages import text
from .factories import (
    EventFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    at,
    person,
)
from .test_languages import invite_of, sent_email

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def paris(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def meeting(db):
    """A meeting on Monday 1 March 2027 from 09:00, a workshop 11:15–12:30 that day."""
    event = EventFactory(
        slug="lyon",
        title_en="Network meeting",
        kind=Event.Kind.NATIONAL_MEETING,
        venue=VenueFactory(name="La Cordée", city="Lyon", country="FR"),
        starts_at=paris(1, "09:00"),
        ends_at=paris(2, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        languages=["fr", "en"],
    )
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        starts_at=paris(1, "11:15"),
        ends_at=paris(1, "12:30"),
    )
    event.workshop.speakers.add(SpeakerFactory(name="Olivier Martin"))
    event.organiser = UserFactory()
    event.organisers.add(event.organiser)
    return event


def test_the_first_of_the_month_is_premier_in_french_and_primo_in_italian():
    first = datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)
    with translation.override("fr"):
        assert date_format(first) == "1er mars 2027"
        assert date_format(first, "DATETIME_FORMAT") == f"1er mars 2027 à 9{NBSP}h{NBSP}00"
        assert date_format(date(2027, 3, 11)) == "11 mars 2027"
        assert date_format(date(2027, 3, 21)) == "21 mars 2027"
        assert weekday_date(first) == "lundi 1er mars 2027"
        assert date_format(first, "SHORT_DATE_FORMAT") == "01/03/2027"
    with translation.override("it"):
        assert date_format(first) == "1º marzo 2027"
        assert weekday_date(first) == "lunedì 1º marzo 2027"
        assert date_format(date(2027, 3, 11)) == "11 marzo 2027"
    with translation.override("en"):
        assert date_format(first, "DATETIME_FORMAT") == "1 March 2027, 09:00"


def test_the_french_event_page_writes_1er_and_french_times(client, meeting):
    page = text(client.get(f"/fr/events/{meeting.slug}/"))  # text() folds no-break spaces
    assert "1er mars 2027 à 9 h 00" in page
    assert "lundi 1er mars 2027" in page
    assert "11 h 15–12 h 30" in page
    assert "Avec : Olivier Martin" in page
    assert "09:00" not in page and "11:15" not in page and " 1 mars" not in page


def test_the_french_confirmation_and_its_invite_write_1er_and_french_times(meeting):
    registration, _created = registrations.registration_create(
        event=meeting,
        person=person(email="ana@example.org", language="fr", workshops=[meeting.workshop]),
    )
    message = sent_email(registration)
    body = message.body
    assert f"Quand{NBSP}: 1er mars 2027 à 9{NBSP}h{NBSP}00" in body
    assert f"1er mars 2027, 11{NBSP}h{NBSP}15–12{NBSP}h{NBSP}30 · Mapping" in body
    assert "09:00" not in body and " 1 mars" not in body
    description = str(invite_of(message)["DESCRIPTION"])
    assert f"01/03/2027 11{NBSP}h{NBSP}15–12{NBSP}h{NBSP}30 Mapping" in description


def test_the_french_sign_in_sheet_names_the_1st_of_the_month(client, meeting):
    registrations.registration_create(event=meeting, person=person(email="ana@example.org"))
    client.force_login(meeting.organiser)
    response = client.post(f"/fr/workspace/{meeting.slug}/export/", {"format": "signin"})
    first_day = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Feuille d’émargement · lundi 1er mars 2027" in " ".join(first_day.split())


@pytest.mark.parametrize(
    ("language", "same_month", "two_months"),
    [
        ("en", "4–5 January 2027", "30 January 2027 – 2 February 2027"),
        ("fr", "1er–3 janvier 2027", "30 janvier 2027 – 2 février 2027"),
        ("hu", "2027. január 4–5.", "2027. január 30. – 2027. február 2."),
        ("ro", "4–5 ianuarie 2027", "30 ianuarie 2027 – 2 februarie 2027"),
        ("pt", "4–5 de janeiro de 2027", "30 de janeiro de 2027 – 2 de fevereiro de 2027"),
        ("it", "20–21 gennaio 2020", "30 gennaio 2027 – 2 febbraio 2027"),
    ],
)
def test_the_days_of_one_month_share_its_name_and_year(language, same_month, two_months):
    starts = {"fr": 1, "it": 20}.get(language, 4)
    ends = {"fr": 3, "it": 21}.get(language, 5)
    year = 2020 if language == "it" else 2027
    with translation.override(language):
        assert date_range(date(year, 1, starts), date(year, 1, ends)) == same_month
        assert date_range(date(2027, 1, 30), date(2027, 2, 2)) == two_months
        assert date_range(date(2027, 1, 4), date(2027, 1, 4)) == date_format(date(2027, 1, 4))
