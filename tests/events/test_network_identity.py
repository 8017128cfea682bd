"""The network's identity (name, logo, colours, contact, footer), set by a superuser in
the admin, on the public pages, in the emails and on the PDFs; colours that would not be
readable on white are refused; without it everything looks as before."""

import email
import email.policy
import io

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from events.models import NetworkIdentity
from registrations import services as registration_services

from ..factories import EventFactory, ProgrammeItemFactory, UserFactory, at, person
from ..outbox import deliver_outbox
from .test_pages import text

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#00563f").save(buffer, "PNG")
    return buffer.getvalue()


#: A 60x20 PNG, green.
LOGO = _png()
NAME = "Réseau Danube Jeunesse"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


def identity_form(**overrides) -> dict:
    values = {
        "name": NAME,
        "primary_colour": "#00563f",
        "accent_colour": "#5a1f6b",
        "email": "contact@danube.example",
        "postal_address": "Strada Mărășești 4\n300086 Timișoara",
        "website": "https://danube.example",
        "footer_en": "A network of youth organisations along the Danube.",
        "footer_fr": "Un réseau d’associations de jeunesse le long du Danube.",
        "footer_ro": "O rețea de organizații de tineret de-a lungul Dunării.",
        "footer_hu": "Ifjúsági szervezetek hálózata a Duna mentén.",
        "footer_pt": "Uma rede de organizações de juventude ao longo do Danúbio.",
        "footer_it": "Una rete di organizzazioni giovanili lungo il Danubio.",
    }
    values.update(overrides)
    return values


@pytest.fixture
def network(superuser_client):
    """The identity as a superuser sets it in the admin, logo included."""
    logo = io.BytesIO(LOGO)
    logo.name = "danube.png"
    response = superuser_client.post(
        "/en/admin/events/networkidentity/add/", {**identity_form(), "logo": logo}
    )
    assert response.status_code == 302, text(response)
    return NetworkIdentity.objects.get()


def test_the_admin_refuses_colours_not_readable_on_white(superuser_client):
    response = superuser_client.post(
        "/en/admin/events/networkidentity/add/",
        identity_form(primary_colour="#f5c400", accent_colour="#777777"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "This colour is too light to read on white: its contrast is 1.6:1" in page
    assert "its contrast is 4.4:1, and WCAG AA asks for at least 4.5:1" in page
    assert not NetworkIdentity.objects.exists()

    response = superuser_client.post(
        "/en/admin/events/networkidentity/add/", identity_form(primary_colour="blue")
    )
    assert "Give a colour as # and six hexadecimal digits" in text(response)
    assert not NetworkIdentity.objects.exists()

    # In French too.
    response = superuser_client.post(
        "/fr/admin/events/networkidentity/add/", identity_form(primary_colour="#f5c400")
    )
    assert "contraste est de 1,6:1" in text(response)


def test_the_admin_keeps_one_row(superuser_client, network):
    response = superuser_client.get("/en/admin/events/networkidentity/")
    assert response.status_code == 302 and response["Location"].endswith("/1/change/")
    assert superuser_client.get("/en/admin/events/networkidentity/add/").status_code == 403
    response = superuser_client.post(
        "/en/admin/events/networkidentity/1/change/", identity_form(name="Danube Youth")
    )
    assert response.status_code == 302
    assert NetworkIdentity.objects.get().name == "Danube Youth"


def test_without_an_identity_the_pages_look_as_before(client):
    page = client.get("/en/")
    html = page.content.decode()
    assert "/identity.css" not in html
    assert '<a class="brand" href="/en/"><span>Rencontres</span></a>' in html
    assert "registration for the meetings and trainings of our network" in text(page)
    assert client.get("/identity/logo").status_code == 404
    css = client.get("/identity.css").content.decode()
    assert "--accent: #0b5cad; --brand: #1b1b1f;" in css


def test_public_pages_show_the_name_logo_colours_contact_and_footer(client, network):
    event = EventFactory(
        slug="danube-forum",
        title_en="Danube youth forum",
        contact_email="forum@cries.example",
        starts_at=at(20, "09:00"),
        ends_at=at(21, "17:00"),
    )
    for url in ("/en/", f"/en/events/{event.slug}/"):
        response = client.get(url)
        html = response.content.decode()
        page = text(response)
        assert f'<link rel="stylesheet" href="/identity.css?v={network.version}">' in html
        assert f'<img src="/identity/logo?v={network.version}"' in html
        assert f"<span>{NAME}</span>" in html
        assert f"· {NAME}</title>" in html
        assert "A network of youth organisations along the Danube." in page
        assert "Strada Mărășești 4" in page and "300086 Timișoara" in page
        assert 'href="mailto:contact@danube.example"' in html
        assert 'href="https://danube.example"' in html

    event_page = text(client.get(f"/en/events/{event.slug}/"))
    assert "Contact the organisers forum@cries.example" in event_page

    romanian = text(client.get("/ro/"))
    assert "O rețea de organizații de tineret de-a lungul Dunării." in romanian

    css = client.get(f"/identity.css?v={network.version}")
    assert css["Content-Type"].startswith("text/css")
    assert "--accent: #00563f; --brand: #5a1f6b;" in css.content.decode()
    assert "immutable" in css["Cache-Control"]
    logo = client.get(f"/identity/logo?v={network.version}")
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == LOGO


def test_an_edit_shows_at_the_next_request_of_the_cached_event_page(
    superuser_client, network, django_assert_num_queries
):
    event = EventFactory(slug="danube-forum", starts_at=at(20), ends_at=at(21))
    client = Client()  # an anonymous reader
    client.get(f"/en/events/{event.slug}/")
    with django_assert_num_queries(1):  # the page's version, the identity's included
        assert NAME in client.get(f"/en/events/{event.slug}/").content.decode()
    superuser_client.post(
        "/en/admin/events/networkidentity/1/change/", identity_form(name="Danube Youth")
    )
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "<span>Danube Youth</span>" in html and NAME not in html


def test_organisers_set_the_events_contact_on_the_setup_page(client, network):
    organiser = UserFactory(email="oana@example.org")
    event = EventFactory(slug="danube-forum", starts_at=at(20), ends_at=at(21))
    event.organisers.add(organiser)
    client.force_login(organiser)
    from ..html_forms import form_values

    page = client.get(f"/en/workspace/{event.slug}/setup/")
    assert 'name="contact_email"' in page.content.decode()
    values = form_values(page.content.decode())
    values["contact_email"] = ["forum@cries.example"]
    response = client.post(f"/en/workspace/{event.slug}/setup/", values)
    assert response.status_code == 302, text(response)
    event.refresh_from_db()
    assert event.contact_email == "forum@cries.example"


def test_emails_carry_the_sender_name_header_logo_and_footer(network):
    event = EventFactory(
        slug="danube-forum",
        title_en="Danube youth forum",
        starts_at=at(20, "09:00"),
        ends_at=at(21, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    registration_services.registration_create(
        event=event, person=person(email="louise@example.fr", language="fr")
    )
    deliver_outbox()
    [sent] = mail.outbox
    assert sent.from_email == f"{NAME} <rencontres@localhost>"
    raw = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert raw["From"].addresses[0].display_name == NAME
    plain = raw.get_body(("plain",)).get_content()
    html = raw.get_body(("html",)).get_content()
    assert "Un réseau d’associations de jeunesse le long du Danube." in plain  # her language
    assert "contact@danube.example" in plain and "Strada Mărășești 4" in plain
    assert "https://danube.example" in plain
    assert 'src="cid:network-logo"' in html and f"{NAME}</strong>" in html
    assert "border-bottom: 3px solid #00563f" in html
    assert "Un réseau d’associations de jeunesse le long du Danube." in html
    images = [part for part in raw.walk() if part["Content-ID"] == "<network-logo>"]
    assert len(images) == 1 and images[0].get_content() == LOGO


def test_emails_without_an_identity_look_as_before(db):
    event = EventFactory(
        slug="danube-forum",
        starts_at=at(20),
        ends_at=at(21),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    registration_services.registration_create(event=event, person=person(language="en"))
    deliver_outbox()
    [sent] = mail.outbox
    assert sent.from_email == "Rencontres <rencontres@localhost>"
    assert "Rencontres · " in sent.body
    html = sent.alternatives[0][0]
    assert "cid:network-logo" not in html and "border-bottom: 3px" not in html


def test_sign_in_sheets_and_badges_carry_the_network_and_its_contact(client, network):
    organiser = UserFactory(email="oana@example.org")
    event = EventFactory(
        slug="danube-forum",
        title_en="Danube youth forum",
        starts_at=at(20, "09:00"),
        ends_at=at(20, "17:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    event.organisers.add(organiser)
    ProgrammeItemFactory(event=event, starts_at=at(20, "10:00"), ends_at=at(20, "11:00"))
    registration_services.registration_create(
        event=event, person=person(first_name="Zsófi", last_name="Nagy")
    )
    client.force_login(organiser)
    for kind in ("signin", "badges"):
        response = client.post(f"/en/workspace/{event.slug}/export/", {"format": kind})
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        content = reader.pages[0].extract_text()
        assert NAME in content, kind
        assert "Zsófi" in content
        if kind == "signin":
            assert "contact@danube.example" in content
            assert "Strada Mărășești 4, 300086 Timișoara" in content
            assert "https://danube.example" in content
        # the logo is drawn on the page
        assert reader.pages[0].images, kind


def test_a_name_typed_with_markup_is_shown_as_text_everywhere(client):
    NetworkIdentity.objects.create(
        name="<script>alert(1)</script> & Co",
        footer_en="<b>bold</b>",
        website="https://danube.example/?a=1&b=<2>",
    )
    html = client.get("/en/").content.decode()
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>" in html
    assert "<span>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</span>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_admin_refuses_a_logo_that_is_not_a_picture(superuser_client):
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    svg.name = "logo.svg"
    response = superuser_client.post(
        "/en/admin/events/networkidentity/add/", {**identity_form(), "logo": svg}
    )
    assert response.status_code == 200
    assert not NetworkIdentity.objects.exists()


def test_replies_go_to_the_events_contact_when_no_reply_to_is_set(db):
    event = EventFactory(
        slug="danube-forum",
        contact_email="forum@cries.example",
        starts_at=at(20),
        ends_at=at(21),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    registration_services.registration_create(event=event, person=person(language="en"))
    deliver_outbox()
    [sent] = mail.outbox
    assert sent.reply_to == ["forum@cries.example"]
    assert "mailto:forum@cries.example" in sent.attachments[-1][1].decode()  # ORGANIZER


def test_invites_and_feeds_are_named_after_the_network_once_renamed(superuser_client, client):
    """The calendar's ORGANIZER and the feeds' names follow the identity's name (escaped
    as iCalendar wants), not the sender's default name."""
    import re

    from icalendar import Calendar

    def calname(response) -> str:
        """The feed's name, its iCalendar escapes (RFC 5545, 3.3.11) read back."""
        value = str(Calendar.from_ical(response.content)["X-WR-CALNAME"])
        return re.sub(r"\\([\\;,nN])", lambda m: {"n": "\n", "N": "\n"}.get(m[1], m[1]), value)

    event = EventFactory(
        slug="danube-forum",
        starts_at=at(20),
        ends_at=at(21),
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    registration = registration_services.registration_create(
        event=event, person=person(email="louise@example.fr", language="fr")
    )[0]
    deliver_outbox()
    before = Calendar.from_ical(mail.outbox[-1].attachments[-1][1])
    [component] = before.walk("VEVENT")
    assert component["ORGANIZER"].params["CN"] == "Rencontres"
    network_feed = client.get("/en/calendar/rencontres.ics")
    assert calname(network_feed) == "Rencontres: all events"

    renamed = 'Danube; "youth", network: east'
    response = superuser_client.post(
        "/en/admin/events/networkidentity/add/", identity_form(name=renamed)
    )
    assert response.status_code == 302, text(response)

    registration_services.registration_create(
        event=event, person=person(email="ana@example.org", language="ro")
    )
    deliver_outbox()
    raw = mail.outbox[-1].attachments[-1][1]
    assert b"CN=Rencontres" not in raw
    [component] = Calendar.from_ical(raw).walk("VEVENT")
    assert component["ORGANIZER"].params["CN"] == renamed
    assert str(component["ORGANIZER"]) == "mailto:rencontres@localhost"

    # The network feed gets a new version (a client that had it downloads it again).
    again = client.get(
        "/en/calendar/rencontres.ics", headers={"if-none-match": network_feed["ETag"]}
    )
    assert again.status_code == 200
    assert b'X-WR-CALNAME:Danube\\; "youth"\\, network: east: all events' in again.content
    assert calname(again) == f"{renamed}: all events"
    # The subscribe links name it alike (Outlook shows that name).
    from urllib.parse import quote_plus

    listing = client.get("/en/").content.decode()
    assert quote_plus(f"{renamed}: all events") in listing
    french = client.get("/fr/calendar/rencontres.ics")
    assert calname(french) == f"{renamed} : tous les événements"

    page = client.get(f"/fr/r/{registration.secret}/").content.decode()
    path = re.search(r'href="https?://testserver(/\w\w/calendar/personal/[^"]+\.ics)"', page)
    personal = client.get(path.group(1))
    assert calname(personal) == f"{renamed} : mes événements"
