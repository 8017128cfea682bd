"""What a native tester of issue #17 read in hu, ro and pt: time zone, attachment names,
catalogue wording and the sign-in sheet's country column."""

import email
import email.policy
import io
from urllib.parse import unquote

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import translation
from django_countries import countries
from pypdf import PdfReader

from mobility.forms import details_fields
from mobility.models import MobilitySettings
from registrations import services
from registrations.exports import export_file, signin_pdf
from registrations.models import Registration

from .events.test_pages import text
from .factories import EventFactory, OrganisationFactory, UserFactory, VenueFactory, at, person
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
    assert "meghivo-training-in-budapest.ics" in names, names
    assert "invite.ics" not in names
    assert "beleptetokod-training-in-budapest.png" in names, names


def test_catalogue_wording_the_native_testers_asked_for(client, event):
    with translation.override("ro"):
        assert translation.gettext("Shared car (car-pooling)") == "Mașină partajată"
        assert translation.gettext("Download or erase my data").endswith("dumneavoastră")
        assert translation.gettext("Password (again)") == "Confirmați parola"
        assert [str(countries.name(code)) for code in ("GN", "SH", "UM")] == [
            "Guineea",
            "Sfânta Elena, Ascension și Tristan da Cunha",
            "Insulele Minore Îndepărtate ale Statelor Unite",
        ]
    with translation.override("hu"):
        assert translation.gettext("Hosted by") == "Fogadó szervezet"
        assert (
            translation.ngettext(
                "Your password must contain at least %(min_length)d character.",
                "Your password must contain at least %(min_length)d characters.",
                8,
            )
            % {"min_length": 8}
            == "A jelszó legalább 8 karakter hosszú legyen."
        )
    with translation.override("pt"):
        assert translation.gettext("Shared car (car-pooling)") == "Boleia partilhada"
        assert translation.gettext("On the waiting list: %(event)s") % {"event": "Forum"} == (
            "Em lista de espera para «Forum»"
        )
        assert translation.gettext("A place for you: %(event)s") % {"event": "Forum"} == (
            "Tem lugar em «Forum»"
        )
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


# --- A second native reading (hu, pt, fr): names, map, PDF titles and file names, countries,
# per cent signs, Hungarian workspace wording.


def test_a_hungarian_name_is_family_name_first_in_hungarian_only(client, event):
    eszter = services.registration_create(
        event=event,
        person=person(
            email="eszter@example.org",
            first_name="Eszter",
            last_name="Horváth",
            country="HU",
            language="hu",
        ),
    )[0]
    john = services.registration_create(
        event=event,
        person=person(
            email="john@example.org",
            first_name="John",
            last_name="Smith",
            country="GB",
            language="en",
        ),
    )[0]
    assert "Horváth Eszter" in text(client.get(f"/hu/r/{eszter.secret}/"))
    assert "Eszter Horváth" in text(client.get(f"/en/r/{eszter.secret}/"))
    # A foreign name keeps its own order in a Hungarian text.
    assert "John Smith" in text(client.get(f"/hu/r/{john.secret}/"))
    deliver_outbox()
    sent = next(m for m in mail.outbox if m.to == ["eszter@example.org"])
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert 'CN="Horváth Eszter"' in part.get_content().replace("\n ", "")
    assert "Kedves Eszter!" in sent.body


def test_the_map_attribution_is_in_the_pages_language(client):
    OrganisationFactory(name="CRIES", listed=True, latitude="45.7489", longitude="21.2087")
    page = client.get("/hu/network/").content.decode()
    assert 'data-attribution-text="© az OpenStreetMap közreműködői"' in page
    assert "OpenStreetMap contributors" not in page
    page = client.get("/fr/network/").content.decode()
    assert "© les contributeurs d’OpenStreetMap" in page


def pdf_title(content: bytes) -> str:
    return PdfReader(io.BytesIO(content)).metadata.title


def test_badges_and_sign_in_sheets_have_titles_and_names_in_the_readers_language(event):
    services.registration_create(event=event, person=person(email="ana@example.org"))
    registrations = Registration.objects.filter(event=event)
    with translation.override("hu"):
        badges, sheets = (
            export_file(
                event=event,
                registrations=registrations,
                columns=[],
                format=format,
                per_session=False,
                stamp="20270315-0900",
            )
            for format in ("badges", "signin")
        )
    assert badges.filename == "nevkituzok-training-in-budapest-20270315-0900.pdf"
    assert pdf_title(badges.content) == "Training in Budapest · Névkitűzők"
    assert sheets.filename == "jelenleti-ivek-training-in-budapest-20270315-0900.pdf"
    assert pdf_title(sheets.content) == "Training in Budapest · Jelenléti ívek"


def test_the_personal_data_download_is_named_in_the_readers_language(client, event):
    ana = services.registration_create(event=event, person=person(email="ana@example.org"))[0]
    response = client.get(f"/pt/r/{ana.secret}/my-data.json")
    assert "os-meus-dados-rencontres.json" in unquote(response["Content-Disposition"])


def test_portuguese_country_names_are_european_portuguese():
    with translation.override("pt"):
        assert countries.name("CZ") == "Chéquia"
        assert countries.name("KR") == "Coreia do Sul"
        assert countries.name("VN") == "Vietname"
        assert countries.name("EG") == "Egito"
        assert countries.name("RO") == "Roménia"
    with translation.override("en"):
        assert countries.name("CZ") == "Czechia"


def test_per_cent_signs_follow_the_language():
    template = Template("{% load rencontres %}{{ value|percent }}")
    shown = {}
    for language in ("en", "fr", "ro", "hu", "pt", "it"):
        with translation.override(language):
            shown[language] = template.render(Context({"value": 42}))
    assert shown["fr"] == "42\u202f%"
    assert shown["ro"] == "42\u00a0%"
    assert {shown[language] for language in ("en", "hu", "pt", "it")} == {"42%"}


def test_the_hungarian_participant_list_reads_as_hungarian(client, event):
    organiser = UserFactory(email="odile@example.org")
    event.organisers.add(organiser)
    for index in range(16):
        services.registration_create(event=event, person=person(email=f"p{index}@example.org"))
    client.force_login(organiser)
    page = text(client.get(f"/hu/workspace/{event.slug}/participants/"))
    assert "Mindenki kijelölése, aki megfelel a szűrőknek (16 fő, minden oldalon)" in page
    assert "a(z)" not in page and "Alkalmaz " not in page
    assert "Végrehajtás" in page


def test_a_hungarian_form_asks_the_family_name_first(client, event):
    page = client.get(f"/hu/events/{event.slug}/register/").content.decode()
    assert page.index('name="last_name"') < page.index('name="first_name"')
    page = client.get(f"/ro/events/{event.slug}/register/").content.decode()
    assert page.index('name="first_name"') < page.index('name="last_name"')


def test_erasmus_countries_have_their_current_names_in_every_language():
    expected = {
        "fr": {"MK": "Macédoine du Nord", "CZ": "Tchéquie"},
        "ro": {"MK": "Macedonia de Nord", "CG": "Republica Congo", "NL": "Țările de Jos"},
        "hu": {"MK": "Észak-Macedónia", "CG": "Kongói Köztársaság"},
        "pt": {"MK": "Macedónia do Norte", "CZ": "Chéquia"},
        "it": {"MK": "Macedonia del Nord"},
    }
    for language, names in expected.items():
        with translation.override(language):
            assert {code: countries.name(code) for code in names} == names, language


def test_country_names_are_the_current_english_ones_in_every_language():
    """django-countries names Nauru "Naoero" and keeps ISO's inverted forms in English."""
    english = {
        "NR": "Nauru",
        "BS": "Bahamas",
        "VI": "US Virgin Islands",
        "VG": "British Virgin Islands",
        "FK": "Falkland Islands",
        "PN": "Pitcairn Islands",
        "CI": "Côte d’Ivoire",
    }
    with translation.override("en"):
        assert {code: countries.name(code) for code in english} == english
    for language in ("fr", "ro", "hu", "pt", "it"):
        with translation.override(language):
            assert countries.name("NR") == "Nauru", language
            assert "(The)" not in countries.name("BS"), language
            assert "Falkland Islands" not in countries.name("FK"), language


def test_hungarian_account_emails_name_the_network_without_a_z(client):
    """Hungarian chooses "a" or "az" by the next word: the network's name is known, so no
    "a(z)" filler; the emails sign with the network's name."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email="known@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    mail.outbox.clear()
    client.post("/hu/accounts/password/reset/", {"email": "known@example.org"})
    client.post(
        "/hu/accounts/signup/",
        {"email": "uj@example.org", "password1": "Xk3!vv9qpLm", "password2": "Xk3!vv9qpLm"},
    )
    deliver_outbox()
    assert len(mail.outbox) == 2
    bodies = "\n".join(f"{message.subject}\n{message.body}" for message in mail.outbox)
    assert "a(z)" not in bodies
    # allauth's sign-off is replaced by the project's: the network's name, then its address.
    assert "Rencontres · http" in bodies
    assert "levélszemét mappát" not in bodies


@pytest.mark.parametrize(
    ("language", "expected", "slip"),
    [
        ("it", "Inserisca un indirizzo email valido.", "Inserisci"),
        ("hu", "Adjon meg egy érvényes e-mail-címet.", "e-mail címet"),
        ("ro", "Introduceți o adresă de e-mail validă.", "adresă de email"),
    ],
)
def test_djangos_form_errors_speak_the_projects_register(client, event, language, expected, slip):
    page = text(
        client.post(
            f"/{language}/events/{event.slug}/register/",
            {"first_name": "Ana", "last_name": "Popescu", "email": "not-an-address"},
        )
    )
    assert expected in page
    assert slip not in page


def test_djangos_number_limits_read_naturally():
    from django.core.exceptions import ValidationError
    from django.core.validators import MinValueValidator

    messages = {}
    for language in ("it", "ro", "hu"):
        with translation.override(language):
            try:
                MinValueValidator(0)(-1)
            except ValidationError as error:
                messages[language] = " ".join(error.messages)
    assert messages["it"] == "Si assicuri che questo valore sia maggiore o uguale a 0."
    assert messages["ro"] == "Asigurați-vă că această valoare este mai mare sau egală cu 0."
    assert messages["hu"] == "Az érték legalább 0 legyen."


def test_english_account_pages_are_in_british_sentence_case(client):
    login = text(client.get("/en/accounts/login/"))
    reset = text(client.get("/en/accounts/password/reset/"))
    assert "Keep me logged in" in login and "Forgotten your password?" in login
    assert "Reset my password" in reset
    for title_case in ("Sign In", "Sign Up", "Remember Me", "Forgot your password", "Reset My"):
        assert title_case not in login + reset, title_case
    assert "logged in:" not in login  # no label suffix beside a checkbox


def test_the_hungarian_overview_ends_a_sentence_after_a_date_once(client, event):
    import re

    organiser = UserFactory(email="odile@example.org")
    event.organisers.add(organiser)
    client.force_login(organiser)
    page = text(client.get(f"/hu/workspace/{event.slug}/"))
    assert "személyes adatainak anonimizálása" in page
    assert not re.search(r"\d\.\.", page)
    english = text(client.get(f"/en/workspace/{event.slug}/"))
    assert "personal data will be anonymised on" in english


def test_a_french_speaker_biography_puts_a_no_break_space_before_its_colon(client, event):
    from .factories import ProgrammeItemFactory, SpeakerFactory

    item = ProgrammeItemFactory(event=event)
    item.speakers.add(SpeakerFactory(name="Rita Kandikó", bio="Facilitator."))
    page = client.get(f"/fr/events/{event.slug}/").content.decode()
    assert "Rita Kandikó\u00a0:" in page
