"""What a Romanian reviewer of issue #17 still met: a woman presenting a session labelled
„Vorbitor:”, places "left" rather than free, a roommate and a town "you travel from" said
word for word, a check-in said in the masculine (or with "(ă)")."""

import pytest
from django.core import mail

from events.models import Event, ProgrammeItem
from registrations import services

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
from .outbox import deliver_outbox

pytestmark = pytest.mark.django_db

BUCHAREST = "Europe/Bucharest"


@pytest.fixture
def timisoara(db):
    """A training of 30 places in Timișoara (a mobility), six of them taken, with a plenary
    presented by one woman and a workshop of 15 places."""
    event = EventFactory(
        slug="timisoara",
        kind=Event.Kind.TRAINING,
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        venue=VenueFactory(name="CRIES", city="Timișoara", country="RO"),
        timezone=BUCHAREST,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(33, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        capacity=30,
        languages=["en", "ro", "fr"],
    )
    plenary = ProgrammeItemFactory(
        event=event,
        title_en="Day 1: peer-to-peer session",
        title_ro="Ziua 1: învățare între egali",
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(30, "10:45", BUCHAREST),
    )
    plenary.speakers.add(SpeakerFactory(name="Mihaela Vețan"))
    ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Workshop A1",
        title_ro="Atelierul A1",
        starts_at=at(30, "11:00", BUCHAREST),
        ends_at=at(30, "12:30", BUCHAREST),
        capacity=15,
    )
    for number in range(6):
        services.registration_create(
            event=event, person=person(email=f"delegate{number}@example.org")
        )
    return event


def test_the_event_page_names_the_speaker_without_a_gender_and_counts_free_places(
    client, timisoara
):
    page = text(client.get(f"/ro/events/{timisoara.slug}/"))
    assert "Prezintă: Mihaela Vețan" in page
    assert "Vorbitor" not in page
    assert "24 de locuri libere din 30" in page
    assert "15 locuri libere" in page
    assert "rămas" not in page
    timisoara.capacity = 7
    timisoara.save()
    assert "1 loc liber din 7" in text(client.get(f"/ro/events/{timisoara.slug}/"))


def test_the_calendar_names_the_speaker_without_a_gender(client, timisoara):
    feed = client.get(f"/ro/calendar/events/{timisoara.slug}.ics").content.decode()
    feed = feed.replace("\r\n ", "")
    assert "Prezintă: Mihaela Vețan" in feed
    assert "Vorbitor" not in feed


def test_the_travel_questions_read_as_a_romanian_form_asks_them(client, timisoara):
    page = text(client.get(f"/ro/events/{timisoara.slug}/register/"))
    for label in (
        "Țara de plecare",
        "Localitatea de plecare",
        "Sosire (data și ora locală)",
        "Preferințe privind împărțirea camerei",
        "Fac parte dintre participanții cu mai puține oportunități",
    ):
        assert label in page, label
    for calque in ("din care călătoriți", "camera comună", "colegul", "Sunt participant"):
        assert calque not in page, calque


def test_the_confirmation_email_sends_the_person_to_the_registration_desk(timisoara):
    services.registration_create(
        event=timisoara, person=person(email="ioana@example.org", first_name="Ioana")
    )
    deliver_outbox()
    [sent] = [message for message in mail.outbox if message.to == ["ioana@example.org"]]
    assert sent.subject == "Înscriere confirmată: Formare la Timișoara"
    assert sent.body.startswith("Bună ziua, Ioana,")
    html = sent.alternatives[0][0]
    assert "Prezentați acest cod la punctul de înregistrare." in html
    assert "recepție" not in html


def test_check_in_is_said_without_a_gender(client):
    event = EventFactory(
        slug="cluj",
        title_en="Meeting in Cluj",
        languages=["en", "ro"],
        starts_at=at(-2, "08:00"),
        ends_at=at(-1, "18:00"),
        registration_opens_at=at(-10),
        registration_closes_at=at(15),
    )
    organiser = UserFactory(email="organiser@example.org")
    event.organisers.add(organiser)
    client.force_login(organiser)
    ana = services.registration_create(
        event=event, person=person(first_name="Ana", last_name="Mureșan")
    )[0]
    day = event.local(event.starts_at).date().isoformat()
    response = client.post(
        f"/ro/workspace/{event.slug}/checkin/{ana.uuid}/", {"day": day}, follow=True
    )
    page = text(response).replace("\u2068", "").replace("\u2069", "")  # the name's isolates
    assert "Prezența persoanei Ana Mureșan a fost înregistrată." in page
    assert "marcat" not in page and "(ă)" not in page


def test_the_reviewers_wording_reaches_the_pages(client, timisoara):
    """A second Romanian cold walk: a directory is a „repertoriu”, not a yearbook („anuar”);
    the register button is an action („Înscrieți-vă”), the form's own submit sends it; the
    sign-in page does not say „Țineți-mă minte”."""
    assert "Repertoriul rețelei" in text(client.get("/ro/network/"))
    event_page = text(client.get(f"/ro/events/{timisoara.slug}/"))
    assert "Înscrieți-vă" in event_page
    assert "Trimiteți înscrierea" in text(client.get(f"/ro/events/{timisoara.slug}/register/"))
    login = text(client.get("/ro/accounts/login/"))
    assert "Mențineți autentificarea" in login and "Țineți-mă" not in login
