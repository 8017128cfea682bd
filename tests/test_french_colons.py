"""What the French native tester read: a colon glued after a label in a template has no
no-break space before it, so "label: value" is one msgid (« Objet : », « végétarien : 1 »)."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from registrations import services

from .events.test_pages import text
from .factories import EventFactory, UserFactory, person

pytestmark = pytest.mark.django_db


def test_a_label_and_its_value_take_the_readers_punctuation():
    template = Template('{% load rencontres %}{% labelled "Mobilité" name isolate="value" %}')
    with translation.override("fr"):
        shown = template.render(Context({"name": "<Ana>"}))
    assert shown == "Mobilité\u00a0: <bdi>&lt;Ana&gt;</bdi>"
    with translation.override("en"):
        assert template.render(Context({"name": "Ana"})) == "Mobilité: <bdi>Ana</bdi>"


def test_the_overview_counts_needs_with_a_french_colon(client):
    event = EventFactory(languages=["fr", "en"], default_language="fr")
    services.registration_create(event=event, person=person(dietary_needs="végétarien"))
    organiser = UserFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    page = client.get(f"/fr/workspace/{event.slug}/").content.decode()
    assert "<bdi>végétarien</bdi>\u00a0: 1" in page


def test_the_languages_badges_read_as_french_sentences(client):
    event = EventFactory(languages=["fr", "en"], default_language="fr", summary_en="")
    organiser = UserFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    html = client.get(f"/fr/workspace/{event.slug}/setup/texts/").content.decode()
    section = html[html.index('class="completeness"') :].split("</section>")[0]
    assert "anglais\u00a0: à compléter (résumé, description," in section
    assert "lang=" not in section  # the names are in the reader's language


def test_the_email_preview_names_its_subject_with_a_french_colon():
    with translation.override("fr"):
        html = render_to_string(
            "workspace/setup/_email_preview.html",
            {"email": SimpleNamespace(subject="Rappel", body="…"), "html": ""},
        )
    assert "<strong>Objet\u00a0:</strong> Rappel" in html


def test_french_account_messages(client):
    client.force_login(UserFactory())
    page = client.get("/fr/accounts/password/reset/").content.decode()
    assert "<strong>Remarque\u00a0:</strong> vous êtes déjà connecté·e" in page
    client.logout()
    response = client.post(
        "/fr/accounts/login/", {"login": "nobody@example.org", "password": "wrong-password"}
    )
    assert "L’adresse e-mail ou le mot de passe est incorrect." in text(response)
    with translation.override("fr"):
        assert translation.gettext("Remove") == "Supprimer"


def test_the_french_certificate_names_the_person_without_a_stiff_apposition():
    with translation.override("fr"):
        sentence = translation.gettext(
            "%(organisation)s certifies that %(name)s took part in “%(event)s”, held "
            "at %(venue)s from %(start)s to %(end)s."
        )
    assert "la personne suivante" not in sentence
    assert "qui s’est tenue du" in sentence and "suivie par %(name)s" in sentence


def test_the_cancellation_email_reads_as_british_english():
    from notifications.models import Kind, OutgoingMessage

    from .outbox import deliver_outbox

    event = EventFactory()
    registration, _created = services.registration_create(event=event, person=person(language="en"))
    services.registration_cancel(registration=registration)
    row = OutgoingMessage.objects.get(registration=registration, kind=Kind.CANCELLED)
    deliver_outbox()
    sent = next(e for e in mail.outbox if e.extra_headers["Message-ID"] == row.message_id)
    assert "Your registration has been cancelled, as you requested." in sent.body


def test_the_french_sign_in_sheet_numbers_its_rows_with_n():
    import io

    from pypdf import PdfReader

    from registrations.exports import signin_pdf
    from registrations.models import Registration

    event = EventFactory()
    services.registration_create(event=event, person=person())
    target = io.BytesIO()
    with translation.override("fr"):
        signin_pdf(
            event,
            Registration.objects.filter(event=event),
            target,
            day=event.local_starts_at.date(),
            item=None,
        )
    page = PdfReader(io.BytesIO(target.getvalue())).pages[0].extract_text()
    assert "N°" in page and "#" not in page, page


def test_french_wording_of_the_native_reader():
    template = Template(
        "{% load i18n %}"
        "{% blocktranslate count count=12 with average='4,25' %}Average {{ average }} out of 5, "
        "from {{ count }} rating.{% plural %}Average {{ average }} out of 5, from {{ count }} "
        "ratings.{% endblocktranslate %}|{% translate 'All' context 'email states' %}|"
        "{% translate 'Session' %}"
    )
    with translation.override("fr"):
        assert template.render(Context()) == "Moyenne\u00a0: 4,25/5 (12 notes).|Tous|Séance"


def test_the_private_page_titles_ones_own_details(client):
    event = EventFactory(languages=["fr", "en"], default_language="fr", requires_approval=False)
    registration, _created = services.registration_create(event=event, person=person(language="fr"))
    page = text(client.get(f"/fr/r/{registration.secret}/"))
    assert "Vos coordonnées" in page
    assert "Voir qui participe" in page
