"""Lines of a participant's email as they read them: a workshop's time stands apart from
its title, and once cancelled the private link offers to register again, not to cancel."""

import pytest
from django.core import mail

from events.models import ProgrammeItem
from registrations import services

from ..factories import EventFactory, ProgrammeItemFactory, person
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db

LABELS = {
    "en": (
        "Your registration (view or register again)",
        "Your registration (view, change or cancel)",
    ),
    "ro": (
        "Înscrierea dumneavoastră (vizualizare sau reînscriere)",
        "Înscrierea dumneavoastră (vizualizare, modificare sau anulare)",
    ),
}


def html_of(message) -> str:
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


@pytest.mark.parametrize("language", ["en", "ro"])
def test_a_workshop_time_is_set_apart_from_its_title(language):
    event = EventFactory(languages=["en", "ro"])
    workshop = ProgrammeItemFactory(
        event=event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Workshop A1: Mapping"
    )
    services.registration_create(
        event=event,
        person=person(email="ana@example.org", language=language, workshops=[workshop]),
    )
    deliver_outbox()

    [sent] = mail.outbox
    assert "09:00–10:00 · Workshop A1: Mapping" in sent.body, sent.body
    assert "09:00–10:00 · Workshop A1: Mapping" in html_of(sent)


@pytest.mark.parametrize("language", ["en", "ro"])
def test_the_cancellation_email_offers_to_register_again(language):
    event = EventFactory(languages=["en", "ro"])
    registration, _created = services.registration_create(
        event=event, person=person(email="ana@example.org", language=language)
    )
    deliver_outbox()
    again, change = LABELS[language]
    [confirmation] = mail.outbox
    assert change in confirmation.body and again not in confirmation.body
    mail.outbox.clear()

    services.registration_cancel(registration=registration)
    deliver_outbox()

    [cancellation] = mail.outbox
    assert f"{again}:" in cancellation.body, cancellation.body
    assert again in html_of(cancellation)
    assert change not in cancellation.body and change not in html_of(cancellation)


@pytest.mark.parametrize(("language", "where"), [("en", "Where: Online"), ("ro", "Unde: Online")])
def test_an_online_event_email_has_its_link_apart_and_no_check_in_code(language, where):
    event = EventFactory(
        languages=["en", "ro"],
        kind="online",
        venue=None,
        online_url="https://meet.example.org/network",
    )
    services.registration_create(
        event=event, person=person(email="ana@example.org", language=language)
    )
    deliver_outbox()

    [sent] = mail.outbox
    assert f"{where} · https://meet.example.org/network" in sent.body, sent.body
    assert "cid:checkin-code" not in html_of(sent)
    assert "image/png" not in sent.message().as_string()


def test_an_event_with_a_venue_still_sends_its_check_in_code():
    services.registration_create(
        event=EventFactory(), person=person(email="ana@example.org", language="en")
    )
    deliver_outbox()

    [sent] = mail.outbox
    assert "Show this code at the welcome desk." in html_of(sent)
    assert "image/png" in sent.message().as_string()
