"""What a Portuguese volunteer reads (issue #17, a native reviewer's last slips): the places
left, the host line, a deadline's date and time ("até 12 de março de 2027, às 16h30"), the
email, its invite and the sign-in sheet; and a catalogue without Brazilian or translated
turns of phrase."""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from events.models import ProgrammeItem
from registrations import services
from registrations.exports import signin_pdf
from registrations.models import Registration

from .events.test_pages import text
from .factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
    VenueFactory,
    at,
    person,
)
from .outbox import deliver_outbox
from .test_languages import invite_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def closing(db):
    """The demo's closing event: hosted by UFISC in Paris, 80 places, one evening."""
    event = EventFactory(
        slug="closing",
        title_en="Final event",
        title_pt="Evento de encerramento",
        host=OrganisationFactory(name="UFISC", country="FR"),
        venue=VenueFactory(name="Le Fil", city="Paris", country="FR"),
        capacity=80,
        starts_at=paris(18, "16:30"),
        ends_at=paris(18, "18:30"),
        registration_opens_at=at(-5),
        registration_closes_at=paris(12, "16:30"),
        languages=["en", "pt"],
    )
    results = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Results",
        title_pt="Balanço dos objetivos",
        starts_at=paris(18, "16:30"),
        ends_at=paris(18, "17:30"),
        capacity=30,
    )
    results.speakers.add(SpeakerFactory(name="Patricia Coelho"))
    event.results = results
    return event


def register(event, **overrides):
    registration, _created = services.registration_create(
        event=event,
        person=person(email="marta@example.org", first_name="Marta", language="pt", **overrides),
    )
    return registration


def test_the_event_page_reads_places_host_and_times_as_a_portuguese_site_writes_them(
    client, closing
):
    register(closing)
    page = text(client.get(f"/pt/events/{closing.slug}/"))
    assert "Restam 79 de 80 lugares" in page, page
    assert "lugares disponíveis de" not in page
    assert "Organização de acolhimento UFISC (França)" in page, page
    assert "Acolhido" not in page
    assert "18 de março de 2027, às 16h30 – 18h30" in page, page
    assert "16h30–17h30" in page and "Restam 30 lugares" in page
    assert "Interveniente: Patricia Coelho" in page and "Orador" not in page
    without_offset = re.sub(r"UTC\S\d\d:\d\d", "", page)  # the time zone, "UTC+01:00"
    assert not re.search(r"\b\d{1,2}:\d\d\b", without_offset), page


def test_a_deadline_reads_ate_the_date_as_the_time(client, closing):
    marta = register(closing)
    page = text(client.get(f"/pt/r/{marta.secret}/"))
    assert (
        "Pode cancelar até 12 de março de 2027, às 16h30. Se cancelar, o seu lugar passa "
        "para a pessoa seguinte na lista de espera." in page
    ), page


def test_the_email_its_invite_and_the_sign_in_sheet_speak_portuguese(closing):
    marta = register(closing, workshops=[closing.results])
    deliver_outbox()
    [sent] = [message for message in mail.outbox if message.to == ["marta@example.org"]]
    assert sent.body.startswith("Olá, Marta,")
    assert "Quando: 18 de março de 2027, 16h30–18h30" in sent.body, sent.body
    assert "- 18 de março de 2027, 16h30–17h30 · Balanço dos objetivos" in sent.body
    description = str(invite_of(sent)["DESCRIPTION"])
    assert "As suas oficinas:\n- 18/03/2027, 16h30–17h30 Balanço dos objetivos" in description
    target = io.BytesIO()
    with translation.override("pt"):
        signin_pdf(
            closing,
            Registration.objects.filter(pk=marta.pk),
            target,
            day=closing.local_starts_at.date(),
        )
    sheet = PdfReader(io.BytesIO(target.getvalue())).pages[0].extract_text()
    assert "Folha de presenças · quinta-feira, 18 de março de 2027" in sheet, sheet
    assert "Assinatura" in sheet and "Organização" in sheet


# What reads as Brazilian, translated or careless in European Portuguese, and the word to use.
SLIPS = {
    r"\b[Ii]dioma": "«língua»",
    r"(?<!%\()\blinks?\b": "«ligação»",
    r"\b[Vv]ocê": "the 3rd person",
    r"\([ao]\)|\bo senhor ou a senhora\b": "a wording that fits either gender",
    r"\b[Oo]rador": "«interveniente» (Speaker)",
    r"\b[Dd]eixe (?:\w+ )?vazi": "«em branco»",
    r"\b[Ee]svazi": "«apague o conteúdo»",
    r"\b[Aa]colhido por\b": "«Organização de acolhimento»",
    r"\bpelas suas pessoas\b|\bsuas pessoas\b": "«pessoas dessa organização»",
    r"\b\d{1,2}:\d\d\b": "a time through TIME_FORMAT («9h00»)",
    r"\b[Pp]romover\b": "«atribuir um lugar» (glossary)",
    r"\b[Dd]espublicar\b": "«deixar de publicar»",
    r"\b(?:arquivo|tela|usuário|cadastro|contato|registro|equipe|baixar)\b": "European words",
    r"(?<!%\()\bemail\b": "«e-mail»",
    r"\(novamente\)": "«Confirme a palavra-passe»",
    r"\b[Ss]imilar\b|\bgeralmente utilizada": "«parecida», «muito comum»",
    r"\bpor favor insira": "«introduza»",
    r"\ba 1 pessoa\b|\ba %\(count\)s pessoa\b": "«a pessoa» (one person)",
}


def test_the_portuguese_catalogue_has_none_of_the_slips_a_native_reviewer_found():
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/pt/LC_MESSAGES/django.po"))
    found = []
    for entry in catalogue:
        for written in [entry.msgstr, *entry.msgstr_plural.values()]:
            for slip, instead in SLIPS.items():
                if re.search(slip, written):
                    found.append(f"{written!r}: {instead}")
    assert found == []


def test_times_and_moments_are_written_with_h_and_as(client):
    moment = paris(12, "16:30")
    with translation.override("pt"):
        from django.utils.formats import date_format, time_format

        assert date_format(moment, "DATETIME_FORMAT") == "12 de março de 2027, às 16h30"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "12/03/2027, 16h30"
        assert time_format(paris(12, "09:05"), "TIME_FORMAT") == "9h05"


def test_the_sign_up_page_speaks_european_portuguese_not_allauths_or_djangos(client):
    """Our catalogue overrides django-allauth's and Django's own Portuguese (LOCALE_PATHS)."""
    response = client.get("/pt/accounts/signup/")
    page = text(response)
    assert "Confirme a palavra-passe" in page and "(novamente)" not in page
    assert "Já tem conta? Inicie sessão" in page and "Então" not in page
    assert 'placeholder="Endereço de e-mail"' in response.content.decode()
    assert "demasiado parecida com as suas outras informações pessoais" in page
    assert "não pode ser uma palavra-passe muito comum" in page
    assert "similar" not in page and "geralmente utilizada" not in page


def test_one_place_left_reads_as_one_place(client, closing):
    closing.capacity = 10
    closing.save()
    for number in range(9):
        services.registration_create(
            event=closing, person=person(email=f"p{number}@example.org", language="pt")
        )
    page = text(client.get(f"/pt/events/{closing.slug}/"))
    assert "Resta 1 lugar de 10" in page, page
