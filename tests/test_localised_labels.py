"""What a native tester of issue #17 read in hu, ro and pt: time zone, attachment names,
catalogue wording and the sign-in sheet's country column."""

import email
import email.policy
import io

import pytest
from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from mobility.forms import details_fields
from mobility.models import MobilitySettings
from registrations import services
from registrations.exports import signin_pdf
from registrations.models import Registration

from .events.test_pages import text
from .factories import EventFactory, VenueFactory, at, person
from .outbox import deliver_outbox

pytestmark = pytest.mark.django_db

BUDAPEST = "Europe/Budapest"


@pytest.fixture
def event(db):
    return EventFactory(
        slug="budapest",
        title_en="Training in Budapest",
        venue=VenueFactory(name="Aula", city="Budapest", country="HU"),
        timezone=BUDAPEST,
        starts_at=at(30, "09:00", BUDAPEST),
        ends_at=at(31, "17:00", BUDAPEST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )


def offset(event) -> str:
    raw = event.local_starts_at.strftime("%z")
    return f"UTC{raw[:3]}:{raw[3:]}"


def test_the_time_zone_reads_as_an_offset_in_every_language_without_nested_brackets(client, event):
    page = text(client.get(f"/hu/events/{event.slug}/"))
    assert offset(event) in page and "Europe/Budapest" not in page
    with translation.override("pt"):
        help_text = str(
            details_fields(
                settings=MobilitySettings(event=event),
                tz=event.tz,
                required=False,
                zone=event.timezone_label,
            )["arrival_at"].help_text
        )
    assert f"({offset(event)})" in help_text and "((" not in help_text and "))" not in help_text


def confirmation(event, language):
    services.registration_create(
        event=event,
        person=person(email=f"{language}@example.org", first_name="Ana", language=language),
    )
    deliver_outbox()
    sent = next(m for m in mail.outbox if m.to == [f"{language}@example.org"])
    return sent, email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)


def test_the_email_names_its_time_zone_invite_and_code_in_the_readers_language(event):
    sent, parsed = confirmation(event, "hu")
    assert f"({offset(event)})" in sent.body and "Europe/Budapest" not in sent.body
    names = [part.get_filename() for part in parsed.walk() if part.get_filename()]
    assert "meghívó.ics" in names, names
    assert "invite.ics" not in names
    assert "beléptetőkód.png" in names, names


def test_catalogue_wording_the_native_testers_asked_for(client, event):
    with translation.override("ro"):
        assert translation.gettext("Shared car (car-pooling)") == "Mașină în comun"
        assert translation.gettext("Download or erase my data").endswith("dumneavoastră")
    with translation.override("pt"):
        assert translation.gettext("Shared car (car-pooling)") == "Boleia partilhada"
    page = text(client.get(f"/pt/events/{event.slug}/register/sent/"))
    assert "e-mail" in page and " email" not in page


def test_the_sign_in_sheet_keeps_country_names_whole(event):
    for first, country in [("Ana", "FR"), ("Béla", "GB"), ("Ion", "LI")]:
        services.registration_create(
            event=event,
            person=person(email=f"{first.lower()}@example.org", first_name=first, country=country),
        )
    registrations = Registration.objects.filter(event=event)
    target = io.BytesIO()
    with translation.override("hu"):
        signin_pdf(event, registrations, target, day=event.local_starts_at.date(), item=None)
    page = PdfReader(io.BytesIO(target.getvalue())).pages[0].extract_text()
    assert "Franciaország" in page, page
    assert "Liechtenstein" in page, page
