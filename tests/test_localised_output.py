"""What a native cold tester of issue #17 still met in every language: the network's
country, the sign-in sheet's placeholder, names on PDFs, event titles in sentences, the
order of country lists, thousands separators, the rate-limit page, allauth's emails,
country names, language links, a single speaker and the calendar's time zones."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.template import Context, Template
from django.utils import translation
from pypdf import PdfReader

from events.forms import VenueForm
from events.models import NetworkIdentity, ProgrammeItem
from notifications.models import OutgoingMessage
from registrations import services
from registrations.exports import badges_pdf, signin_pdf
from registrations.forms import country_choices
from registrations.models import Registration

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


@pytest.fixture
def event(db):
    return EventFactory(
        slug="budapest",
        title_en="Training in Budapest",
        title_fr="Formation à Budapest",
        venue=VenueFactory(name="Aula", city="Budapest", country="HU"),
        starts_at=at(30, "09:00"),
        ends_at=at(31, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )


@pytest.fixture
def identity(db):
    return NetworkIdentity.objects.create(
        name="Réseau Danube",
        email="contact@danube.example",
        postal_address="Le Fil, 20 boulevard Thiers\n42000 Saint-Étienne",
        country="FR",
    )


def pdf_text(writer, *args, language: str, **kwargs) -> str:
    target = io.BytesIO()
    with translation.override(language):
        writer(*args, target=target, **kwargs)
    return "\n".join(page.extract_text() for page in PdfReader(target).pages)


def test_the_networks_country_is_named_in_the_readers_language(client, identity, event):
    hungarian = text(client.get("/hu/"))
    assert "Le Fil, 20 boulevard Thiers, 42000 Saint-Étienne, Franciaország" in hungarian
    assert "France" not in hungarian
    assert "42000 Saint-Étienne, France" in text(client.get("/en/"))
    services.registration_create(
        event=event, person=person(email="eszter@example.org", language="hu", country="HU")
    )
    deliver_outbox()
    [sent] = mail.outbox
    assert "42000 Saint-Étienne\nFranciaország" in sent.body
    html = sent.alternatives[0][0]
    assert "42000 Saint-Étienne<br>Franciaország" in html
    sheet = pdf_text(
        signin_pdf,
        event,
        Registration.objects.all(),
        day=event.local_starts_at.date(),
        language="ro",
    )
    assert "42000 Saint-Étienne, Franța" in sheet


def test_the_sign_in_sheet_has_no_placeholder_for_funders_logos(event):
    services.registration_create(event=event, person=person(email="ana@example.org"))
    for language in ("en", "fr"):
        sheet = pdf_text(
            signin_pdf,
            event,
            Registration.objects.all(),
            day=event.local_starts_at.date(),
            language=language,
        )
        assert "logo" not in sheet.lower()


def test_pdfs_write_names_in_the_documents_language_order(event):
    services.registration_create(
        event=event,
        person=person(
            email="rita@example.org",
            first_name="Rita",
            last_name="Kandikó",
            country="HU",
            language="hu",
        ),
    )
    services.registration_create(
        event=event,
        person=person(
            email="marco@example.org",
            first_name="Marco",
            last_name="Bianchi",
            country="IT",
            language="it",
        ),
    )
    registrations = Registration.objects.order_by("last_name")
    day = event.local_starts_at.date()
    english = pdf_text(signin_pdf, event, registrations, day=day, language="en")
    assert "Marco Bianchi" in english and "Rita Kandikó" in english
    assert "BIANCHI" not in english and "KANDIKÓ" not in english
    hungarian = pdf_text(signin_pdf, event, registrations, day=day, language="hu")
    assert "Kandikó Rita" in hungarian and "Marco Bianchi" in hungarian
    badges = pdf_text(badges_pdf, event, registrations, language="hu")
    assert "Kandikó Rita" in badges and "Marco Bianchi" in badges
    assert "KANDIKÓ" not in badges
    badges = pdf_text(badges_pdf, event, registrations, language="it")
    assert "Rita Kandikó" in badges


def test_event_titles_in_sentences_are_quoted_as_each_language_quotes(client, event):
    registration = services.registration_create(
        event=event, person=person(email="ana@example.org")
    )[0]
    expected = {
        "en": "your registration for “Training in Budapest”.",
        "fr": "votre inscription à « Formation à Budapest ».",  # text() folds no-break spaces
        "hu": "„Training in Budapest”",
        "ro": "„Training in Budapest”",
        "pt": "«Training in Budapest»",
        "it": "«Training in Budapest»",
    }
    for language, quoted in expected.items():
        page = text(client.get(f"/{language}/r/{registration.secret}/cancel/"))
        assert quoted in page, (language, page)


def test_country_lists_sort_as_a_reader_expects(client, event):
    with translation.override("hu"):
        names = [str(name) for _code, name in country_choices()]
    assert names.index("Dél-afrikai Köztársaság") < names.index("Dél-Szudán")
    with translation.override("pt"):
        names = [str(name) for _code, name in country_choices()]
    assert names.index("Costa do Marfim") < names.index("Costa Rica")
    with translation.override("fr"):
        names = [str(name) for _code, name in country_choices()]
    assert names.index("Île de Man") < names.index("Île Pitcairn") < names.index("Inde")
    with translation.override("hu"):
        venue_select = str(VenueForm()["country"])
    assert venue_select.index("Dél-afrikai") < venue_select.index("Dél-Szudán")
    organiser = UserFactory(email="odile@example.org")
    event.organisers.add(organiser)
    for code in ("SS", "ZA", "AT"):
        services.registration_create(
            event=event, person=person(email=f"{code}@example.org", country=code)
        )
    client.force_login(organiser)
    page = text(client.get(f"/hu/workspace/{event.slug}/participants/"))
    assert page.index("Ausztria") < page.index("Dél-afrikai") < page.index("Dél-Szudán")


def test_numbers_are_grouped_by_thousands_in_each_language():
    template = Template('{{ whole }} · {{ part|floatformat:"-2" }}')
    shown = {}
    for language in ("en", "fr", "ro", "hu", "pt", "it"):
        with translation.override(language):
            shown[language] = template.render(Context({"whole": 8657, "part": 1836.3}))
    assert shown == {
        "en": "8,657 · 1,836.30",
        "fr": "8\u202f657 · 1\u202f836,30",
        "ro": "8.657 · 1.836,30",
        "hu": "8\u00a0657 · 1\u00a0836,30",
        "pt": "8\u00a0657 · 1\u00a0836,30",
        "it": "8.657 · 1.836,30",
    }


def test_machine_values_stay_unlocalised(client, event):
    organiser = UserFactory(email="odile@example.org")
    event.organisers.add(organiser)
    registration = services.registration_create(
        event=event, person=person(email="ana@example.org")
    )[0]
    OutgoingMessage.objects.all().delete()  # they point to the registration's id
    Registration.objects.filter(pk=registration.pk).update(id=12345)
    client.force_login(organiser)
    html = client.get(f"/fr/workspace/{event.slug}/participants/").content.decode()
    assert 'value="12345"' in html and 'id="sel-12345"' in html


def test_the_rate_limit_page_is_in_the_readers_language(client):
    responses = [
        client.post("/fr/accounts/password/reset/", {"email": "nobody@example.org"})
        for _ in range(7)
    ]
    limited = responses[-1]
    assert limited.status_code == 429
    page = text(limited)
    assert "Trop de tentatives" in page and "Réseau" not in page
    assert "Too Many Requests" not in page


def test_allauths_emails_look_like_the_projects_and_are_signed_by_the_network(client, identity):
    user = UserFactory(email="paulo@example.org")
    EmailAddress.objects.create(user=user, email="paulo@example.org", verified=True, primary=True)
    assert client.post("/pt/accounts/password/reset/", {"email": "paulo@example.org"}).status_code
    deliver_outbox()
    [sent] = mail.outbox
    assert not sent.subject.startswith("[")
    assert sent.body.rstrip().endswith("Réseau Danube · http://127.0.0.1:8000")
    assert "example.com" not in sent.body
    assert sent.body.startswith("Olá,")
    [(html, mimetype)] = sent.alternatives
    assert mimetype == "text/html"
    assert "<strong" in html and "Réseau Danube" in html and 'lang="pt"' in html


def test_country_names_are_not_inverted_and_use_typographic_apostrophes():
    from django_countries import countries

    expected = {
        "fr": {"US": "États-Unis", "CI": "Côte d’Ivoire", "TL": "Timor-Leste", "PS": "Palestine"},
        "it": {"US": "Stati Uniti", "CI": "Costa d’Avorio", "PS": "Palestina", "TL": "Timor-Leste"},
        "pt": {"CD": "República Democrática do Congo"},
        "hu": {"HK": "Hongkong", "TW": "Tajvan", "IM": "Man-sziget"},
        "ro": {"CZ": "Cehia"},
    }
    for language, names in expected.items():
        with translation.override(language):
            assert {code: str(countries.name(code)) for code in names} == names
            assert not [c.name for c in countries if "'" in str(c.name)], language


def test_visa_letter_language_links_name_each_language_capitalised(client, event):
    template = Template(
        "{% load i18n %}{% get_available_languages as languages %}{% for code, name in "
        "languages %}{% get_language_info for code as info %}{{ info.name_local|capfirst }} "
        "{% endfor %}"
    )
    links = template.render(Context({}))
    assert links.split() == ["English", "Français", "Română", "Magyar", "Português", "Italiano"]


def test_a_single_speaker_has_a_singular_label(client, event):
    item = ProgrammeItemFactory(
        event=event,
        title_en="Opening",
        starts_at=at(30, "10:00"),
        ends_at=at(30, "11:00"),
        kind=ProgrammeItem.Kind.PLENARY,
    )
    item.speakers.add(SpeakerFactory(name="Rita Kandikó"))
    page = text(client.get(f"/fr/events/{event.slug}/"))
    # Neither "Intervenant·e" for one known man nor a gendered label: "Avec".
    assert "Avec : Rita Kandikó" in page  # text() folds the no-break space
    assert "Intervenant" not in page
    feed = client.get(f"/en/calendar/events/{event.slug}.ics").content.decode()
    assert "Speaker: Rita Kandikó" in feed.replace("\r\n ", "")
    assert "Speakers:" not in feed


def test_calendar_time_zones_carry_no_english_comment(client, event):
    feed = client.get(f"/fr/calendar/events/{event.slug}.ics").content.decode()
    assert "BEGIN:VTIMEZONE" in feed
    assert "COMMENT" not in feed and "This timezone" not in feed
