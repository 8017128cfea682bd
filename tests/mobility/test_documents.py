"""Attendance certificates and visa invitation letters: as PDF, in the participant's or
the chosen language, only for those they are for."""

import io
from datetime import date, timedelta

import pytest
from django.utils import formats, translation
from pypdf import PdfReader

from events.models import Event
from registrations.models import Attendance

from ..events.test_pages import text
from ..factories import at
from .conftest import BUCHAREST, register
from .test_workspace_pages import travels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pages = PdfReader(io.BytesIO(response.content)).pages
    return "\n".join(page.extract_text() for page in pages)


def held_in_the_past(event):
    """The training took place last month (dates moved after registration and check-in)."""
    Event.objects.filter(pk=event.pk).update(
        starts_at=at(-30, "09:00", BUCHAREST),
        ends_at=at(-27, "17:00", BUCHAREST),
        registration_opens_at=at(-60),
        registration_closes_at=at(-35),
    )
    event.refresh_from_db()


@pytest.fixture
def attended(timisoara):
    """Marta was checked in on three of the four days; Rui never came."""
    marta = register(timisoara, "Marta", timisoara.portugal, language="pt")
    never = register(timisoara, "Rui", timisoara.portugal, language="pt")
    timisoara.bence = register(timisoara, "Bence", timisoara.hungary, language="hu")
    held_in_the_past(timisoara)
    first = timisoara.local_starts_at.date()
    for offset in (0, 1, 3):
        Attendance.objects.create(registration=marta, day=first + timedelta(days=offset))
    return timisoara, marta, never


def test_done_when_the_participant_downloads_a_certificate_in_portuguese_with_their_days(
    client, attended
):
    event, marta, _never = attended
    private = text(client.get(f"/pt/r/{marta.secret}/"))
    assert "Transferir o seu certificado de presença (PDF)" in private
    content = pdf_text(client.get(f"/en/r/{marta.secret}/certificate.pdf"))
    assert "Certificado de presença" in content
    assert "Marta Tester" in content
    assert "Dias de presença (3)" in content
    days = [event.local_starts_at.date() + timedelta(days=offset) for offset in (0, 1, 3)]
    with translation.override("pt"):
        for day in days:
            assert formats.date_format(day, "DATE_FORMAT") in content


def test_no_certificate_without_recorded_attendance_or_before_the_end(client, attended):
    event, marta, never = attended
    assert client.get(f"/en/r/{never.secret}/certificate.pdf").status_code == 404
    assert "certificate" not in text(client.get(f"/en/r/{never.secret}/"))
    Event.objects.filter(pk=event.pk).update(ends_at=at(5, "17:00", BUCHAREST))
    assert client.get(f"/en/r/{marta.secret}/certificate.pdf").status_code == 404


def test_organisers_download_every_certificate_each_in_its_language(client, attended):
    event, _marta, _never = attended
    Attendance.objects.create(registration=event.bence, day=event.local_starts_at.date())
    client.force_login(event.organiser)
    content = pdf_text(client.get(f"/en/workspace/{event.slug}/mobility/certificates.pdf"))
    assert "Certificado de presença" in content and "Marta Tester" in content
    assert "Tester Bence" in content  # his certificate is in Hungarian: family name first
    assert "Rui Tester" not in content

    client.force_login(event.hu_coordinator)
    content = pdf_text(client.get(f"/en/workspace/{event.slug}/mobility/certificates.pdf"))
    assert "Tester Bence" in content and "Marta" not in content


def test_a_participant_who_asked_downloads_a_visa_letter_in_the_language_chosen(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal, language="pt")
    travels(marta, "Lisboa", "PT", "train", needs_visa_letter=True)
    content = pdf_text(client.get(f"/en/r/{marta.secret}/mobility/visa-letter.pdf?language=ro"))
    assert "Scrisoare de invitație" in content
    assert "Marta Tester" in content and "Largo Residências" in content
    page = text(client.get(f"/en/r/{marta.secret}/mobility/"))
    assert "Visa invitation letter" in page


def test_no_visa_letter_for_those_who_did_not_ask(client, timisoara):
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "train")
    assert client.get(f"/en/r/{bence.secret}/mobility/visa-letter.pdf").status_code == 404
    client.force_login(timisoara.organiser)
    response = client.get(f"/en/workspace/{timisoara.slug}/mobility/visa-letters.pdf")
    assert response.status_code == 302
    assert "Nobody asked for an invitation letter." in text(client.get(response["Location"]))


def test_organisers_download_the_visa_letters_of_those_who_asked(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal, language="pt")
    travels(marta, "Lisboa", "PT", "train", needs_visa_letter=True)
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "train")
    client.force_login(timisoara.organiser)
    content = pdf_text(
        client.get(f"/en/workspace/{timisoara.slug}/mobility/visa-letters.pdf?language=fr")
    )
    assert "Lettre d’invitation" in content and "Marta Tester" in content
    assert "Bence" not in content


def test_a_coordinator_s_bulk_letters_show_a_date_of_birth_only_where_the_event_allows(
    client, timisoara
):
    marta = register(timisoara, "Marta", timisoara.portugal)
    travels(marta, "Lisboa", "PT", "train", needs_visa_letter=True, date_of_birth=date(1990, 5, 17))
    url = f"/en/workspace/{timisoara.slug}/mobility/visa-letters.pdf"
    own = pdf_text(client.get(f"/en/r/{marta.secret}/mobility/visa-letter.pdf?language=en"))
    assert "Date of birth" in own and "1990" in own
    client.force_login(timisoara.pt_coordinator)
    content = pdf_text(client.get(url + "?language=en"))
    assert "Marta Tester" in content
    assert "Date of birth" not in content and "1990" not in content
    Event.objects.filter(pk=timisoara.pk).update(coordinators_see_sensitive_data=True)
    assert "1990" in pdf_text(client.get(url))


def test_certificates_carry_the_networks_name_and_contact(client, attended):
    from events.models import NetworkIdentity

    _event, marta, _never = attended
    NetworkIdentity.objects.create(
        name="Réseau Danube Jeunesse",
        email="contact@danube.example",
        postal_address="Strada Mărășești 4\n300086 Timișoara",
    )
    content = pdf_text(client.get(f"/en/r/{marta.secret}/certificate.pdf"))
    assert "Réseau Danube Jeunesse · Strada Mărășești 4, 300086 Timișoara" in content
    assert "contact@danube.example" in content


def test_a_hungarian_certificate_ends_its_sentences_with_one_full_stop(client, attended):
    event, _marta, _never = attended
    Attendance.objects.create(registration=event.bence, day=event.local_starts_at.date())
    content = pdf_text(client.get(f"/en/r/{event.bence.secret}/certificate.pdf"))
    assert "Részvételi napok (1)" in content
    assert ".." not in content.replace("\n", "")
