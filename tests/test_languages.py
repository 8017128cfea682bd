"""Each of the six languages as a native reader meets it: words, register and date shapes.

The event is on Monday 15 March 2027 so that every language's own date shape can be read
(Hungarian year first, Portuguese "de", lowercase month and day names in ro, pt and it,
British English day first).
"""

import email
import email.policy
import html
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template import RequestContext, Template
from django.utils import translation
from django.utils.functional import Promise
from pypdf import PdfReader

from events.models import Event, ProgrammeItem
from notifications.content import SUBJECTS
from notifications.models import Kind, OutgoingMessage
from notifications.rendering import build_email
from notifications.services import message_new
from registrations import services as registrations
from registrations.models import Registration

from .events.test_pages import text
from .factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    UserFactory,
    VenueFactory,
    at,
    person,
)
from .icalendar_checks import parse
from .outbox import deliver_outbox

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
LANGUAGES = ["en", "fr", "ro", "hu", "pt", "it"]

PROGRAMME_DAY = {
    "en": "Monday 15 March 2027",
    "fr": "lundi 15 mars 2027",
    "ro": "luni, 15 martie 2027",
    "hu": "2027. március 15., hétfő",
    "pt": "segunda-feira, 15 de março de 2027",
    "it": "lunedì 15 marzo 2027",
}
STARTS = {
    "en": "15 March 2027, 09:00",
    "fr": "15 mars 2027 à 9\u00a0h\u00a000",  # French typography: "9 h 00", not "09:00"
    "ro": "15 martie 2027, 09:00",
    "hu": "2027. március 15., 09:00",
    "pt": "15 de março de 2027, às 9h00",
    "it": "15 marzo 2027, 09:00",
}
REGISTER = {
    "en": "Register",
    "fr": "S’inscrire",
    "ro": "Înscrieți-vă",
    "hu": "Regisztráció",
    "pt": "Inscrever-se",
    "it": "Iscriviti",
}
WHEN_LABEL = {
    "en": "When:",
    "fr": "Quand\u00a0:",
    "ro": "Când:",
    "hu": "Időpont:",
    "pt": "Quando:",
    "it": "Quando:",
}
GREETING = {
    "en": "Hello Ana,",
    "fr": "Bonjour Ana,",
    "ro": "Bună ziua, Ana,",
    "hu": "Kedves Ana!",
    "pt": "Olá, Ana,",
    "it": "Gentile Ana,",
}
KIND = {
    "en": "National meeting",
    "fr": "Rencontre nationale",
    "ro": "Întâlnire națională",
    "hu": "Országos találkozó",
    "pt": "Encontro nacional",
    "it": "Incontro nazionale",
}
WORKSHOP_STARTS = {
    "en": "15/03/2027 11:00",
    "fr": "15/03/2027 11\u00a0h\u00a000",
    "ro": "15.03.2027, 11:00",
    "hu": "2027. 03. 15. 11:00",
    "pt": "15/03/2027, 11h00",
    "it": "15/03/2027 11:00",
}
COUNTRY = {
    "en": "France",
    "fr": "France",
    "ro": "Franța",
    "hu": "Franciaország",
    "pt": "França",
    "it": "Francia",
}
SIGN_IN_SHEET = {
    "en": "Sign-in sheet · Monday 15 March 2027",
    "fr": "Feuille d’émargement · lundi 15 mars 2027",
    "ro": "Listă de prezență · luni, 15 martie 2027",
    "hu": "Jelenléti ív · 2027. március 15., hétfő",
    "pt": "Folha de presenças · segunda-feira, 15 de março de 2027",
    "it": "Foglio presenze · lunedì 15 marzo 2027",
}


def folded(value: str) -> str:
    """``value`` as ``text()`` reads a page: no-break spaces ("9\u00a0h\u00a000") folded."""
    return " ".join(value.split())


def paris(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def meeting(db):
    event = EventFactory(
        slug="lyon",
        title_en="Network meeting",
        kind=Event.Kind.NATIONAL_MEETING,
        venue=VenueFactory(name="La Cordée", city="Lyon", country="FR"),
        starts_at=paris(15, "09:00"),
        ends_at=paris(16, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        languages=LANGUAGES,
    )
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        starts_at=paris(15, "11:00"),
        ends_at=paris(15, "12:30"),
    )
    event.organiser = UserFactory()
    event.organisers.add(event.organiser)
    return event


def sent_email(registration, kind=Kind.CONFIRMED):
    row = OutgoingMessage.objects.get(registration=registration, kind=kind)
    deliver_outbox()
    return next(e for e in mail.outbox if e.extra_headers["Message-ID"] == row.message_id)


def invite_of(message):
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    [part] = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    body = part.get_content().encode().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    [component] = parse(body).walk("VEVENT")
    return component


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page_shows_dates_in_the_languages_own_shape(client, meeting, language):
    page = text(client.get(f"/{language}/events/{meeting.slug}/"))
    assert PROGRAMME_DAY[language] in page
    assert folded(STARTS[language]) in page
    assert REGISTER[language] in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirmation_email_and_invite_speak_the_recipients_language(meeting, language):
    registration, _created = registrations.registration_create(
        event=meeting,
        person=person(email="ana@example.org", language=language, workshops=[meeting.workshop]),
    )
    message = sent_email(registration)
    body = message.body
    assert body.startswith(GREETING[language])
    assert f"{WHEN_LABEL[language]} {STARTS[language]}" in body
    invite = invite_of(message)
    assert [str(category) for category in invite["CATEGORIES"].cats] == [KIND[language]]
    assert str(invite["LOCATION"]).endswith(COUNTRY[language])
    # Portuguese writes the hour with "h", French with "h" between no-break spaces
    ends = {"pt": "12h30", "fr": "12\u00a0h\u00a030"}.get(language, "12:30")
    assert f"{WORKSHOP_STARTS[language]}–{ends} Mapping" in str(invite["DESCRIPTION"])


def test_italian_email_uses_lei_and_never_ciao(meeting):
    registration, _created = registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language="it")
    )
    body = sent_email(registration).body
    assert "La Sua iscrizione è confermata." in body
    assert "Ciao" not in body and " tua " not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_sheet_names_the_day_in_the_language(client, meeting, language):
    registrations.registration_create(event=meeting, person=person(email="ana@example.org"))
    client.force_login(meeting.organiser)
    response = client.post(f"/{language}/workspace/{meeting.slug}/export/", {"format": "signin"})
    assert response.status_code == 200
    first_day = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert SIGN_IN_SHEET[language] in " ".join(first_day.split())


def test_romanian_workspace_buttons_use_the_formal_imperative(client, meeting):
    registrations.registration_create(event=meeting, person=person(email="ana@example.org"))
    client.force_login(meeting.organiser)
    page = text(client.get(f"/ro/workspace/{meeting.slug}/participants/"))
    assert "Aplicați" in page and "Exportați" in page
    assert "Aplică " not in page and "Exportă " not in page


def test_a_delegate_gets_the_first_email_in_the_language_chosen_for_them(client, meeting):
    meeting.default_language = "pt"
    meeting.save()
    partner = OrganisationFactory(name="Casa do Povo", country="PT")
    coordinator = UserFactory()
    partner.coordinators.add(coordinator)
    client.force_login(coordinator)
    url = f"/hu/coordinator/{partner.slug}/{meeting.slug}/"
    data = {
        "delegate-TOTAL_FORMS": "2",
        "delegate-INITIAL_FORMS": "0",
        "delegate-MIN_NUM_FORMS": "0",
        "delegate-MAX_NUM_FORMS": "100",
        "delegate-0-first_name": "Rita",
        "delegate-0-last_name": "Silva",
        "delegate-0-email": "rita@example.org",
        "delegate-0-language": "pt",
        "delegate-1-first_name": "Ilaria",
        "delegate-1-last_name": "Rossi",
        "delegate-1-email": "ilaria@example.org",
        "delegate-1-language": "it",
    }
    assert client.post(url, data).status_code == 302
    deliver_outbox()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["rita@example.org"].body.startswith("Olá, Rita,")
    assert by_recipient["ilaria@example.org"].body.startswith("Gentile Ilaria,")
    assert "Regisztráció" not in by_recipient["rita@example.org"].subject


@pytest.mark.parametrize(
    ("language", "expected", "allauths_own"),
    [
        ("fr", "Recevoir un code de connexion", "Envoyez-moi"),
        ("hu", "Bejelentkezési kód kérése e-mailben", "Küldj nekem"),
        ("ro", "Mențineți autentificarea", "Tine-ma minte"),
        ("pt", "Esqueceu-se da palavra-passe?", "Forgot your password?"),
        ("it", "Ha dimenticato la password?", "Password dimenticata?"),
    ],
)
def test_the_sign_in_page_uses_the_projects_terms_not_allauths(
    client, language, expected, allauths_own
):
    page = text(client.get(f"/{language}/accounts/login/"))
    assert expected in page
    assert allauths_own not in page


def test_italian_sign_out_says_esci_not_disconnetti(client):
    client.force_login(UserFactory())
    page = text(client.get("/it/accounts/logout/"))
    assert "Esci" in page and "Disconnetti" not in page
    assert "È sicuro di voler uscire?" in page


def test_exports_name_files_and_languages_in_the_readers_language(client, meeting):
    registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language="hu", country="HU")
    )
    client.force_login(meeting.organiser)
    url = f"/fr/workspace/{meeting.slug}/export/"
    sheet = client.post(url, {"format": "signin"})
    assert "feuilles-d-emargement-network-meeting-" in sheet["Content-Disposition"]
    badges = client.post(url, {"format": "badges"})
    assert "badges-network-meeting-" in badges["Content-Disposition"]
    csv_file = client.post(url, {"format": "csv", "columns": ["last_name", "country", "language"]})
    assert "participants-network-meeting-" in csv_file["Content-Disposition"]
    content = b"".join(csv_file.streaming_content).decode("utf-8-sig")
    assert content.splitlines()[1] == "Popescu,Hongrie,Hongrois"


def test_attendee_list_and_overview_name_countries(client, meeting):
    ana, _created = registrations.registration_create(
        event=meeting,
        person=person(email="ana@example.org", country="HU", listed_publicly=True),
    )
    page = text(client.get(f"/pt/r/{ana.secret}/attendees/"))
    assert "Hungria" in page
    client.force_login(meeting.organiser)
    overview = text(client.get(f"/it/workspace/{meeting.slug}/"))
    assert "Ungheria" in overview


def test_a_page_without_a_title_of_its_own_is_called_rencontres_once(rf):
    request = rf.get("/en/")
    request.user = AnonymousUser()
    untitled = Template('{% extends "base.html" %}').render(RequestContext(request))
    assert "<title>Rencontres</title>" in untitled
    titled = Template('{% extends "base.html" %}{% block title %}Lyon{% endblock %}')
    assert "<title>Lyon · Rencontres</title>" in titled.render(RequestContext(request))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_email_is_written_in_the_recipients_language(meeting, language):
    registration, _created = registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language=language)
    )
    for kind, subject in SUBJECTS.items():
        message = message_new(
            kind=kind,
            recipient=registration.email,
            language=language,
            registration=registration,
            dedupe_key="digest:2027-03-15" if kind == Kind.DIGEST else f"check:{kind}",
        )
        if kind == Kind.PROGRAMME_CHANGED:
            message.context = {"changes": []}  # the changes it lists (none here)
        message.save()
        built = build_email(message)
        with translation.override("en"):
            english_subject = str(subject).split(":")[0].split("%")[0].strip()
        if language != "en":
            assert english_subject not in built.subject, (kind, built.subject)
        assert built.body.startswith(GREETING[language]), kind
        assert f"{WHEN_LABEL[language]} {STARTS[language]}" in built.body, kind


EXPORT_BUTTON = {
    "en": "Export",
    "fr": "Exporter",
    "ro": "Exportați",
    "hu": "Exportálás",
    "pt": "Exportar",
    "it": "Esporta",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_form_private_page_and_participant_list_in_each_language(
    client, meeting, language
):
    workshop_time = (
        STARTS[language]
        .replace("09:00", "11:00")
        .replace("9h00", "11h00")
        .replace("9\u00a0h", "11\u00a0h")
    )
    form = text(client.get(f"/{language}/events/{meeting.slug}/register/"))
    assert folded(workshop_time) in form
    ana, _created = registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language=language)
    )
    private = text(client.get(f"/{language}/r/{ana.secret}/"))
    assert folded(STARTS[language]) in private
    client.force_login(meeting.organiser)
    participants = text(client.get(f"/{language}/workspace/{meeting.slug}/participants/"))
    assert EXPORT_BUTTON[language] in participants
    assert "Popescu" in participants


def test_every_field_of_the_projects_models_has_a_translated_label():
    untranslated = [
        f"{model.__name__}.{field.name}"
        for app in ("events", "registrations", "notifications", "evaluation")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []
    with translation.override("fr"):
        label = Registration._meta.get_field("cancelled_at").verbose_name
        assert str(label) == "date d’annulation"


# What gives away a translation in the wrong register, or one left to django-allauth: the
# informal address (hu "te", it "tu", ro "tu", pt "você"), straight apostrophes (fr, it).
NOT_OUR_REGISTER = {
    "fr": ["'", "email "],
    "ro": ["Primești", " tu ", "contul tău", "te rugăm", "Te rugam"],
    "hu": ["kaptad", "kapod", "Kérlek", " te ", "fiókod", "jelszavad", "email cím", "a(z)"],
    "pt": ["você", "banco de dados", "Está a receber"],
    "it": [
        "Stai ricevendo",
        " tuo ",
        " tua ",
        " tuoi ",
        "Il tuo",
        "La tua",
        "Hai ",
        "sei stato",
        "Sei ",
        "puoi",
        "Puoi",
        "Inserisci",
        "Inseriscilo",
        "Riprova",
        "Ciao",
        "contattaci",
        "'",
    ],
}
ACCOUNT_EMAIL_WORDS = {
    "en": ["password", "account"],
    "fr": ["mot de passe", "compte"],
    "ro": ["parola", "cont"],
    "hu": ["jelszó", "fiók"],
    "pt": ["palavra-passe", "conta"],
    "it": ["password", "account"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_emails_allauth_sends_speak_the_projects_register(client, language):
    """The password reset email, the "unknown account" and "account already exists" emails
    (sent instead of telling a visitor whether an address has an account), the sign-in code."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email="known@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    mail.outbox.clear()
    client.post(f"/{language}/accounts/password/reset/", {"email": "known@example.org"})
    client.post(f"/{language}/accounts/password/reset/", {"email": "nobody@example.org"})
    client.post(
        f"/{language}/accounts/signup/",
        {"email": "known@example.org", "password1": "Xk3!vv9qpLm", "password2": "Xk3!vv9qpLm"},
    )
    client.post(f"/{language}/accounts/login/code/", {"email": "known@example.org"})
    deliver_outbox()
    assert len(mail.outbox) == 4
    # The three that send a link send it to the page in the visitor's language.
    assert sum(f"/{language}/accounts/" in message.body for message in mail.outbox) == 3
    for message in mail.outbox:
        written = f"{message.subject}\n{message.body}"
        for slip in NOT_OUR_REGISTER.get(language, []):
            assert slip not in written.replace("://", ""), (language, slip, written)
    bodies = "\n".join(message.body for message in mail.outbox)
    for word in ACCOUNT_EMAIL_WORDS[language]:
        assert word in bodies.lower(), (language, word)


@pytest.mark.parametrize("language", ["fr", "ro", "hu", "pt", "it"])
def test_a_refused_password_is_explained_in_the_visitors_language(client, language):
    page = text(
        client.post(
            f"/{language}/accounts/signup/",
            {"email": "new@example.org", "password1": "1234", "password2": "1234"},
        )
    )
    for english in ("This password", "Your password", "must contain"):
        assert english not in page, (language, english)
    assert "La tua password" not in page  # Django's Italian uses "tu"
    assert "Acestă" not in page  # a typo in Django's Romanian


IN_ENGLISH = {
    "en": "In English",
    "fr": "Langue\u00a0: anglais",
    "ro": "Limba: engleză",
    "hu": "Nyelv: angol",
    "pt": "Em inglês",
    "it": "Lingua: inglese",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_named_inside_a_text_is_written_as_that_text_writes_it(
    client, meeting, language
):
    """Django names languages for menus ("Anglais", "Inglese"); inside a text French,
    Romanian, Hungarian, Portuguese and Italian write them in lowercase."""
    meeting.workshop.language = "en"
    meeting.workshop.save()
    page = html.unescape(client.get(f"/{language}/events/{meeting.slug}/").content.decode())
    assert IN_ENGLISH[language] in page  # the no-break space of French kept


ACCOUNT_PAGES = ["login/", "signup/", "login/code/", "password/reset/", "password/reset/done/"]
SIGNED_IN_ACCOUNT_PAGES = ["email/", "password/change/", "logout/", "reauthenticate/"]


@pytest.mark.parametrize("language", ["fr", "ro", "hu", "pt", "it"])
def test_the_account_pages_a_user_meets_speak_the_projects_register(client, language):
    pages = [text(client.get(f"/{language}/accounts/{path}")) for path in ACCOUNT_PAGES]
    client.force_login(UserFactory())
    pages += [text(client.get(f"/{language}/accounts/{path}")) for path in SIGNED_IN_ACCOUNT_PAGES]
    for page in pages:
        for slip in NOT_OUR_REGISTER[language]:
            assert slip not in page, (language, slip, page)
        for english in ("Forgot your password", "Sign Out", "Remember Me", "Password (again)"):
            assert english not in page, (language, english)


def test_a_hungarian_volunteer_meets_no_calque_on_the_way_to_registering(client, meeting):
    """Hungarian writes language names in lowercase (the form's language menu too), says
    "Nézze meg a postafiókját" and gives a deadline as „Lemondási határidő: <date>” rather
    than "eddig: <date>"."""
    form = client.get(f"/hu/events/{meeting.slug}/register/").content.decode()
    assert ">angol</option>" in form and ">magyar</option>" in form
    assert ">Angol</option>" not in form
    sent = text(client.get(f"/hu/events/{meeting.slug}/register/sent/"))
    assert "Nézze meg a postafiókját" in sent and "e-mailjeit" not in sent
    ana, _created = registrations.registration_create(
        event=meeting, person=person(email="ana@example.org", language="hu", country="HU")
    )
    private = text(client.get(f"/hu/r/{ana.secret}/"))
    assert "Lemondási határidő: " in private
    assert "eddig" not in private


ENGLISH_IN_A_LABEL = {
    "en": "(English)",
    "fr": "(anglais)",
    "ro": "(engleză)",
    "hu": "(angol)",
    "pt": "(inglês)",
    "it": "(inglese)",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["write/", "setup/emails/"])
def test_language_names_inside_organiser_labels_are_written_as_in_a_sentence(
    client, meeting, language, page
):
    client.force_login(meeting.organiser)
    if page == "write/":
        someone = registrations.registration_create(event=meeting, person=person())[0]
        client.post(
            f"/{language}/workspace/{meeting.slug}/participants/bulk/",
            {"bulk_action": "write", "selected": [someone.pk]},
        )
    page = text(client.get(f"/{language}/workspace/{meeting.slug}/{page}"))
    label = ENGLISH_IN_A_LABEL[language]
    assert label in page
    assert label[:2].upper() + label[2:] not in page or language == "en"


COUNT_LABELS = {
    "en": ("Confirmed 1", "Cancelled 0"),
    "fr": ("Confirmées 1", "Annulées 0"),
    "ro": ("Confirmate 1", "Anulate 0"),
    "hu": ("Megerősítve 1", "Lemondva 0"),
    "pt": ("Confirmadas 1", "Canceladas 0"),
    "it": ("Confermate 1", "Annullate 0"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_workspace_overview_labels_its_counts_in_the_plural(client, meeting, language):
    registrations.registration_create(event=meeting, person=person())
    client.force_login(meeting.organiser)
    page = text(client.get(f"/{language}/workspace/{meeting.slug}/"))
    for label in COUNT_LABELS[language]:
        assert label in page


@pytest.mark.parametrize(
    "page",
    [
        "setup/",
        "setup/programme/add/",
        "setup/venues/add/",
        "setup/speakers/add/",
        "setup/mobility/",
        "setup/resources/links/",
    ],
)
def test_organiser_setup_selects_offer_a_dash_for_no_choice(client, meeting, page):
    meeting.kind = Event.Kind.TRAINING  # it has mobility settings
    meeting.save()
    client.force_login(meeting.organiser)
    response = client.get(f"/ro/workspace/{meeting.slug}/{page}")
    assert response.status_code == 200
    shown = response.content.decode()
    assert "---------" not in shown
    assert ">—</option>" in shown
