"""Issue #17, a native reading in all six languages of what leaves the system: the names
of downloaded and attached files, the emails' Subject as a mail client decodes it, small
counts in running text, one order of countries everywhere, and no English left in
calendars, PDFs and exports."""

import email
import email.policy
import io
import re

import pytest
from django.contrib.admin.sites import AdminSite
from django.core import mail
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import pgettext
from pypdf import PdfReader

from events import calendar
from events.admin import OrganisationAdmin
from events.collation import country_choices
from events.downloads import ascii_slug, file_name
from events.models import Event, NetworkIdentity, Organisation
from mobility.forms import details_fields
from mobility.models import MobilitySettings
from notifications.content import SUBJECTS
from notifications.models import Kind
from notifications.rendering import build_email
from notifications.services import message_create, message_new
from registrations import services as registrations
from registrations.exports import export_file
from registrations.forms import RegistrationForm
from registrations.models import Registration

from .factories import EventFactory, QuestionFactory, UserFactory, VenueFactory, at, person
from .outbox import deliver_outbox

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "ro", "hu", "pt", "it"]
TITLES = {
    "en": "Network meeting 2027: social economy and culture",
    "fr": "Assemblée du réseau 2027 : économie sociale et culture",
    "ro": "Întâlnirea rețelei 2027: economie socială și cultură",
    "hu": "Hálózati találkozó 2027: szociális gazdaság és kultúra",
    "pt": "Encontro da rede 2027: economia social e cultura",
    "it": "Incontro della rete 2027: economia sociale e cultura",
}
# The titles as the first words of a file name: ASCII, accents folded, never the slug.
TITLE_WORDS = {
    "en": "network-meeting-2027-social-economy-and-culture",
    "fr": "assemblee-du-reseau-2027-economie-sociale-et-culture",
    "ro": "intalnirea-retelei-2027-economie-sociala-si-cultura",
    "hu": "halozati-talalkozo-2027-szocialis-gazdasag-es-kultura",
    "pt": "encontro-da-rede-2027-economia-social-e-cultura",
    "it": "incontro-della-rete-2027-economia-sociale-e-cultura",
}


@pytest.fixture
def meeting(db):
    event = EventFactory(
        slug="lyon",
        venue=VenueFactory(name="La Cordée", city="Lyon", country="FR"),
        starts_at=at(30, "09:00"),
        ends_at=at(31, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        languages=LANGUAGES,
        **{f"title_{language}": title for language, title in TITLES.items()},
    )
    event.organiser = UserFactory()
    event.organisers.add(event.organiser)
    return event


def label(language: str, name: str) -> str:
    """What a file is, in ``language``, as a file name writes it."""
    with translation.override(language):
        return ascii_slug(pgettext("file name", name))


# --- 1. file names ----------------------------------------------------------------------


def test_a_file_name_folds_every_languages_letters_to_ascii():
    assert ascii_slug("Cœur d’été à Saint-Étienne") == "coeur-d-ete-a-saint-etienne"
    assert ascii_slug("Întâlnire la Timișoara, țară") == "intalnire-la-timisoara-tara"
    assert ascii_slug("Őszi műhely – Győr") == "oszi-muhely-gyor"
    assert ascii_slug("Formação em São João") == "formacao-em-sao-joao"
    assert ascii_slug("L’università dell’età libera") == "l-universita-dell-eta-libera"
    assert file_name("Mon calendrier", extension="ics") == "mon-calendrier.ics"
    assert ascii_slug("a " * 80, limit=60) == "-".join(["a"] * 30)


@pytest.mark.parametrize("language", LANGUAGES)
def test_exports_are_named_by_the_events_title_in_the_readers_language(client, meeting, language):
    registrations.registration_create(event=meeting, person=person(email="ana@example.org"))
    client.force_login(meeting.organiser)
    url = f"/{language}/workspace/{meeting.slug}/export/"
    stamp = r"-\d{8}-\d{4}"
    for format, name, extension in [
        ("signin", "sign-in-sheets", "pdf"),
        ("badges", "badges", "pdf"),
        ("csv", "participants", "csv"),
        ("xlsx", "participants", "xlsx"),
    ]:
        header = client.post(url, {"format": format})["Content-Disposition"]
        expected = rf'attachment; filename="{label(language, name)}-{TITLE_WORDS[language]}'
        assert re.fullmatch(expected + stamp + rf'\.{extension}"', header), header
        assert header.isascii() and "lyon" not in header


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_events_calendar_is_named_by_its_title_in_the_readers_language(
    client, meeting, language
):
    response = client.get(f"/{language}/calendar/events/{meeting.slug}.ics")
    expected = f'inline; filename="{TITLE_WORDS[language]}.ics"'
    assert response["Content-Disposition"] == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_emailed_invite_is_named_by_the_title_in_the_recipients_language(meeting, language):
    registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language=language)
    )
    deliver_outbox()
    [sent] = [message for message in mail.outbox if message.to == ["ana@example.org"]]
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    names = [part.get_filename() for part in parsed.walk() if part.get_filename()]
    assert f"{label(language, 'invitation')}-{TITLE_WORDS[language]}.ics" in names, names
    assert f"{label(language, 'check-in-code')}-{TITLE_WORDS[language]}.png" in names, names
    assert all(name.isascii() for name in names)


# --- 2. subjects ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_subject_decodes_to_exactly_the_translated_subject(meeting, language):
    registration, _created = registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language=language)
    )
    for kind, subject in SUBJECTS.items():
        message = message_new(
            kind=kind,
            recipient=registration.email,
            language=language,
            registration=registration,
            dedupe_key="digest" if kind == Kind.DIGEST else f"check:{kind}",
        )
        if kind == Kind.PROGRAMME_CHANGED:
            message.context = {"changes": []}
        message.save()
        with translation.override(language):
            expected = str(subject) % {"event": TITLES[language]}
        raw = build_email(message).message().as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["Subject"] == expected, (kind, raw.split(b"\nFrom:")[0])
        header = re.search(rb"^Subject:.*?(?=\n\S)", raw, re.M | re.S)[0]
        assert all(len(line) <= 78 for line in header.split(b"\n")), header


def test_a_broadcast_and_an_ascii_subject_decode_as_typed(meeting):
    registration, _created = registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language="fr")
    )
    for subject in [
        "Infos pratiques\u00a0: où dormir à Lyon, où manger, où garer son vélo ?",
        "Practical information for everyone coming to Lyon next month, please read",
    ]:
        message = message_create(
            kind=Kind.ACCOUNT,
            recipient=registration.email,
            language="fr",
            subject=subject,
            body_text="Bonjour",
        )
        raw = build_email(message).message().as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["Subject"] == subject


# --- 3. counts in words -----------------------------------------------------------------

QUESTIONS = {
    0: {
        "en": "The registration form has no questions of its own.",
        "fr": "Le formulaire d’inscription ne pose aucune question propre",
        "ro": "Formularul de înscriere nu pune nicio întrebare proprie",
        "hu": "A regisztrációs űrlap nem tesz fel saját kérdést.",
        "pt": "O formulário de inscrição não faz nenhuma pergunta própria",
        "it": "Il modulo di iscrizione non pone nessuna domanda propria",
    },
    1: {
        "fr": "Le formulaire d’inscription pose une question propre",
        "ro": "Formularul de înscriere pune o întrebare proprie",
        "hu": "A regisztrációs űrlap egy saját kérdést tesz fel.",
        "pt": "O formulário de inscrição faz uma pergunta própria",
        "it": "Il modulo di iscrizione pone una domanda propria",
    },
    2: {
        "fr": "pose deux questions propres",
        "ro": "pune două întrebări proprii",
        "hu": "két saját kérdést tesz fel",
        "pt": "faz duas perguntas próprias",
        "it": "pone due domande proprie",
    },
    4: {
        "en": "asks four questions of its own",
        "fr": "pose quatre questions propres",
        "ro": "pune patru întrebări proprii",
        "hu": "négy saját kérdést tesz fel",
        "pt": "faz quatro perguntas próprias",
        "it": "pone quattro domande proprie",
    },
    20: {"ro": "pune 20 de întrebări proprii", "fr": "pose 20 questions propres"},
}


def test_the_registration_setup_counts_its_questions_in_words(client, meeting):
    client.force_login(meeting.organiser)
    made = 0
    for count, sentences in QUESTIONS.items():
        for _number in range(count - made):
            QuestionFactory(event=meeting)
        made = count
        for language, sentence in sentences.items():
            url = f"/{language}/workspace/{meeting.slug}/setup/registration/"
            page = " ".join(client.get(url).content.decode().split())
            assert sentence in page, (count, language)


# --- 4. countries -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["hu", "fr"])
def test_every_list_of_countries_comes_in_one_order(meeting, language):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    with translation.override(language):
        form = RegistrationForm(event=meeting, organisations=Organisation.objects.none())
        registration_form = list(form.fields["country"].choices)
        settings = MobilitySettings(event=meeting)
        travel = details_fields(settings=settings, tz=meeting.tz, required=True)
        travel_form = list(travel["origin_country"].choices)
        admin = OrganisationAdmin(Organisation, AdminSite())
        admin_select = admin.formfield_for_dbfield(Organisation._meta.get_field("country"), request)
        admin_choices = [(code, str(name)) for code, name in admin_select.choices]
        assert registration_form == travel_form == admin_choices == country_choices()
        names = [name for _code, name in registration_form]
    if language == "hu":
        # Hungarian's own letters: ö after o, cs after c; accents and case second.
        assert names.index("Oroszország") < names.index("Örményország")
        assert names.index("Curaçao") < names.index("Csád")
        assert names.index("Dél-afrikai Köztársaság") < names.index("Dél-Szudán")
    else:
        assert names.index("Égypte") < names.index("Équateur") < names.index("Érythrée")


# --- 5. no English left -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "hu"])
def test_a_feed_in_one_language_built_while_another_is_active_has_no_english(meeting, language):
    with translation.override("en"):
        entry = calendar.event_entry(meeting, language)
    with translation.override(language):
        assert entry.categories == [str(Event.Kind.NATIONAL_MEETING.label)]
    assert entry.categories != ["National meeting"]


def test_pdfs_name_the_network_as_author_not_anonymous(meeting):
    NetworkIdentity.objects.create(pk=1, name="Réseau des Rencontres")
    registrations.registration_create(event=meeting, person=person(email="ana@example.org"))
    with translation.override("fr"):
        for format in ("badges", "signin"):
            exported = export_file(
                event=meeting,
                registrations=Registration.objects.filter(event=meeting),
                columns=[],
                format=format,
                per_session=False,
                stamp="20270315-0900",
            )
            content = exported.content if isinstance(exported.content, bytes) else b""
            metadata = PdfReader(io.BytesIO(content)).metadata
            assert metadata.author == "Réseau des Rencontres", format
            assert metadata.subject == metadata.title, format
            assert metadata.title.startswith(TITLES["fr"]), format


def test_the_admins_country_filter_lists_the_countries_in_the_one_order(client, meeting):
    for name, country in [("Dunántúl", "HU"), ("Jerevan", "AM"), ("Moszkva", "RU")]:
        Organisation.objects.create(name=name, slug=name.lower(), city=name, country=country)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/hu/admin/events/organisation/").content.decode()
    page = page.split('id="changelist-filter"', 1)[1]
    assert page.index(">Magyarország<") < page.index(">Oroszország<") < page.index(">Örményország<")
    filtered = client.get("/hu/admin/events/organisation/?country__exact=AM").content.decode()
    assert "Jerevan" in filtered and "Moszkva" not in filtered
