"""Resources as organisers, speakers, registrants and the public meet them: added on the
setup pages or through a speaker's link, checked on their content, shown on the public
event page once published (and only then), announced by one email per registrant."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from config.privacy import redact_secrets
from events.models import Event
from notifications.models import Kind, OutgoingMessage
from registrations.models import Registration
from resources import services
from resources.models import Resource, UploadLink

from ..factories import EventFactory, OrganisationFactory, UserFactory
from ..outbox import deliver_outbox
from ..smtp import SMTPServer
from .uploads import office_upload, page_url, pdf_upload, png_upload, setup_url

pytestmark = pytest.mark.django_db


def add(client, event, language="en", **fields):
    data = {"item": "", "kind": "slides", "title_en": "Slides", "url": "", **fields}
    return client.post(setup_url(event, language), data)


def file_url(resource, language="en") -> str:
    return f"/{language}/resources/{resource.pk}/file/"


def publish(client, event):
    return client.post(f"{setup_url(event)}publish/")


def download(client, url):
    """The answer to a file's address and its content, read to its end (which closes the
    file, as a browser reading it would)."""
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


# --- an organiser adds slides, which the public sees once published --------------------------


def test_slides_show_on_the_public_page_once_published_and_not_before(
    client, organiser_client, past_event
):
    workshop = past_event.workshops[0]
    response = add(
        organiser_client,
        past_event,
        item=workshop.pk,
        title_en="Sharing jobs: the slides",
        title_fr="Mutualiser l'emploi : les supports",
        file=pdf_upload("Atelier emploi.pdf"),
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.item == workshop
    assert resource.content_type == "application/pdf"
    assert resource.file.name.startswith("resources/")
    assert "emploi" not in resource.file.name  # stored under a random name
    assert default_storage.exists(resource.file.name)

    anonymous = client.__class__()
    page = anonymous.get(page_url(past_event))  # rendered, and cached
    assert "Sharing jobs: the slides" not in page.content.decode()
    assert anonymous.get(file_url(resource)).status_code == 404
    # the organisers see it in their pages
    assert (
        "Sharing jobs: the slides" in organiser_client.get(setup_url(past_event)).content.decode()
    )
    assert download(organiser_client, file_url(resource))[0].status_code == 200

    # publishing asks for a confirmation that says who gets an email
    confirm = organiser_client.get(f"{setup_url(past_event)}publish/")
    assert "2 registrants get one email" in confirm.content.decode()
    assert publish(organiser_client, past_event).status_code == 302

    page = anonymous.get(page_url(past_event))
    html = page.content.decode()
    assert "Sharing jobs: the slides" in html
    # shown with its session: inside the workshop's card
    card = html.split("Sharing jobs</h4>", 1)[1].split("</article>", 1)[0]
    assert file_url(resource) in card
    french = anonymous.get(page_url(past_event, "fr")).content.decode()
    assert "Mutualiser l&#x27;emploi : les supports" in french

    served, content = download(anonymous, file_url(resource))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert 'filename="Atelier_emploi.pdf"' in served["Content-Disposition"]
    assert content.startswith(b"%PDF-")


def test_the_cached_page_and_its_etag_change_when_resources_are_published(
    client, organiser_client, past_event, django_assert_num_queries
):
    anonymous = client.__class__()
    first = anonymous.get(page_url(past_event))
    etag = first["ETag"]
    assert anonymous.get(page_url(past_event), HTTP_IF_NONE_MATCH=etag).status_code == 304
    add(organiser_client, past_event, title_en="Report of the meeting", file=office_upload())
    # an unpublished resource changes nothing the public sees
    assert anonymous.get(page_url(past_event), HTTP_IF_NONE_MATCH=etag).status_code == 304
    publish(organiser_client, past_event)
    again = anonymous.get(page_url(past_event), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    html = again.content.decode()
    assert "Resources of the event" in html and "Report of the meeting" in html
    # once cached, the page with its resources still costs the version's one query
    with django_assert_num_queries(1):
        assert "Report of the meeting" in anonymous.get(page_url(past_event)).content.decode()

    # taken off the public page: gone at the next request, and its file with it (which
    # browsers and proxies were told to ask for again, not to keep for a while)
    resource = Resource.objects.get()
    served, _content = download(anonymous, file_url(resource))
    assert served.status_code == 200 and "no-cache" in served["Cache-Control"]
    assert "max-age" not in served["Cache-Control"]
    organiser_client.post(f"{setup_url(past_event)}{resource.pk}/withdraw/")
    assert "Report of the meeting" not in anonymous.get(page_url(past_event)).content.decode()
    assert anonymous.get(file_url(resource)).status_code == 404


def test_resources_are_published_only_after_the_event(organiser_client, organiser):
    event = EventFactory()  # still to come
    event.organisers.add(organiser)
    organiser_client.force_login(organiser)
    add(organiser_client, event, url="https://example.org/programme")
    assert publish(organiser_client, event).status_code == 302
    assert Resource.objects.get().published_at is None
    assert not OutgoingMessage.objects.filter(kind=Kind.RESOURCES_PUBLISHED).exists()


# --- what is refused -------------------------------------------------------------------------

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("slides.pdf", HTML_PAGE),  # a web page named as a PDF
        ("drawing.svg", SVG),
        ("photo.png", SVG),
        ("slides.pptx", EXECUTABLE),
        ("notes.txt", b"Hello <script src=//evil.example/x.js></script>"),
    ],
)
def test_a_file_of_a_refused_type_is_refused_whatever_its_name(
    organiser_client, past_event, name, content
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = add(organiser_client, past_event, file=upload)
    assert response.status_code == 400
    assert "This type of file is not accepted" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_refusal_is_in_the_users_language(organiser_client, past_event):
    upload = SimpleUploadedFile("slides.pdf", HTML_PAGE, content_type="application/pdf")
    response = add(organiser_client, past_event, language="fr", file=upload)
    assert response.status_code == 400
    assert "Ce type de fichier n’est pas accepté" in response.content.decode()


def test_a_macro_enabled_office_document_is_refused(organiser_client, past_event):
    upload = office_upload("slides.pptm")
    upload.file.seek(0)
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Default ContentType="application/vnd.ms-powerpoint.presentation.'
            'macroEnabled.main+xml"/></Types>',
        )
        archive.writestr("ppt/presentation.xml", "<p/>")
        archive.writestr("ppt/vbaProject.bin", b"\x00\x01")
    upload = SimpleUploadedFile("slides.pptx", buffer.getvalue())
    assert add(organiser_client, past_event, file=upload).status_code == 400
    assert not Resource.objects.exists()


def test_a_file_too_large_is_refused(settings, organiser_client, past_event):
    settings.RESOURCES_MAX_UPLOAD_BYTES = 1024
    response = add(organiser_client, past_event, file=pdf_upload())
    assert response.status_code == 400
    assert "This file is too large" in response.content.decode()
    assert "1.0\xa0KB" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_link_must_be_a_web_address(organiser_client, past_event):
    response = add(organiser_client, past_event, url="javascript:alert(1)")
    assert response.status_code == 400
    assert response.content.decode().count("Enter a valid URL.") == 1
    assert not Resource.objects.exists()


def test_an_image_with_too_many_pixels_is_refused_as_such(organiser_client, past_event):
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # small file, 81 million pixels
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")
    response = add(organiser_client, past_event, kind="photo", file=upload)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This image has too many pixels: images up to 60 million pixels" in page
    assert "This type of file is not accepted" not in page
    assert not Resource.objects.exists()


def test_accepted_office_documents_and_text(organiser_client, past_event):
    for upload in (office_upload("report.docx"), SimpleUploadedFile("notes.txt", b"Notes\n")):
        assert add(organiser_client, past_event, file=upload).status_code == 302
    assert sorted(Resource.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain",
    ]


# --- images ----------------------------------------------------------------------------------


def test_a_photo_gets_a_thumbnail_shown_on_the_public_page(client, organiser_client, past_event):
    response = add(
        organiser_client, past_event, kind="photo", title_en="Group photo", file=png_upload()
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.content_type == "image/png"
    assert resource.thumbnail and default_storage.exists(resource.thumbnail.name)
    with default_storage.open(resource.thumbnail.name) as handle:
        thumbnail = Image.open(handle)
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) == 480
    publish(organiser_client, past_event)

    anonymous = client.__class__()
    html = anonymous.get(page_url(past_event)).content.decode()
    thumbnail_url = f"/en/resources/{resource.pk}/thumbnail/"
    assert f'src="{thumbnail_url}"' in html
    served, _content = download(anonymous, thumbnail_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    photo, _content = download(anonymous, file_url(resource))
    assert photo["Content-Type"] == "image/png"
    assert photo["Content-Disposition"].startswith("inline")


# --- one email per registrant and event ----------------------------------------------------


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server


def test_registrants_get_one_email_in_their_language_at_the_first_publication(
    smtp, organiser_client, past_event
):
    for title in ("Slides one", "Slides two", "Slides three"):
        add(organiser_client, past_event, title_en=title, file=pdf_upload())
    OutgoingMessage.objects.all().delete()
    publish(organiser_client, past_event)

    rows = OutgoingMessage.objects.filter(kind=Kind.RESOURCES_PUBLISHED)
    assert sorted(rows.values_list("recipient", "language")) == [
        ("ana@example.org", "ro"),
        ("marie@example.org", "fr"),
    ]
    deliver_outbox()
    received = smtp.sink.received
    assert sorted(message.recipients[0] for message in received) == [
        "ana@example.org",
        "marie@example.org",
    ]
    [marie] = smtp.sink.to("marie@example.org")
    assert marie.subject.startswith("Supports, comptes rendus et photos")
    assert f"/fr/events/{past_event.slug}/" in marie.part("text/plain")
    [ana] = smtp.sink.to("ana@example.org")
    assert ana.subject.startswith("Prezentări, rapoarte și fotografii")

    # publishing again with nothing new sends nothing; new resources, or a withdrawn one
    # published again, update the page without another email (the confirmation says so)
    publish(organiser_client, past_event)
    assert OutgoingMessage.objects.filter(kind=Kind.RESOURCES_PUBLISHED).count() == 2
    add(organiser_client, past_event, title_en="Photos", url="https://photos.example.org/")
    confirm = organiser_client.get(f"{setup_url(past_event)}publish/").content.decode()
    assert "No email goes out" in confirm and "registrants get one email" not in confirm
    publish(organiser_client, past_event)
    assert Resource.objects.get(title_en="Photos").published_at is not None
    services.resource_withdraw(resource=Resource.objects.get(title_en="Slides one"))
    publish(organiser_client, past_event)
    assert Resource.objects.get(title_en="Slides one").published_at is not None
    assert OutgoingMessage.objects.filter(kind=Kind.RESOURCES_PUBLISHED).count() == 2


# --- speakers, by their link -----------------------------------------------------------------


def test_a_speaker_adds_slides_through_the_link_the_organiser_sent(
    client, organiser_client, past_event
):
    workshop = past_event.workshops[1]
    links_url = f"{setup_url(past_event)}links/"
    response = organiser_client.post(
        links_url,
        {
            "speaker": "",
            "name": "Lucia Ferri",
            "email": "lucia@example.org",
            "language": "it",
            "item": workshop.pk,
        },
    )
    assert response.status_code == 302
    link = UploadLink.objects.get()
    assert len(link.token_hash) == 64
    mail.outbox.clear()
    deliver_outbox()
    [email] = [message for message in mail.outbox if message.to == ["lucia@example.org"]]
    # In the speaker's language.
    assert email.subject.startswith("Invito a condividere i materiali per")
    [url] = re.findall(r"http\S+/it/speakers/upload/\S+/", email.body)
    path = url.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    assert link.token_hash not in path  # the email carries the secret, the database its hash

    speaker = client.__class__()
    page = speaker.get(path)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]  # nor kept by a browser or proxy
    assert redact_secrets(f"GET {path}") == "GET /it/speakers/upload/<secret>/"  # nor logged
    sent = speaker.post(
        path, {"kind": "slides", "title_en": "Shared places, slides", "file": pdf_upload()}
    )
    assert sent.status_code == 302
    resource = Resource.objects.get()
    assert resource.item == workshop
    assert resource.upload_link == link
    assert resource.published_at is None
    assert "Shared places, slides" in speaker.get(path).content.decode()

    # a refused type, as for the organisers
    refused = speaker.post(
        path,
        {
            "kind": "other",
            "title_en": "Page",
            "file": SimpleUploadedFile("x.pdf", b"<html><script>1</script></html>"),
        },
    )
    assert refused.status_code == 400
    assert Resource.objects.count() == 1

    # revoked: the link no longer opens anything
    organiser_client.post(f"{links_url}{link.pk}/revoke/")
    assert speaker.get(path).status_code == 404
    assert (
        speaker.post(path, {"kind": "slides", "title_en": "x", "file": pdf_upload()}).status_code
        == 404
    )
    assert Resource.objects.count() == 1


def test_the_links_page_shows_when_links_stop_working(organiser_client, past_event):
    """60 days after the event or after the link is sent, whichever is later: the event
    ended yesterday, so a link sent now works 60 days from now (not from yesterday)."""
    services.upload_link_create(
        event=past_event,
        item=None,
        speaker=None,
        name="Someone",
        email="someone@example.org",
        language="en",
        actor=past_event.organiser,
    )
    page = organiser_client.get(f"{setup_url(past_event)}links/").content.decode()
    expiry = timezone.localtime(timezone.now() + timedelta(days=60), past_event.tz)
    shown = f"{expiry.day} {expiry:%B %Y}"
    assert f"whichever is later: a link sent now works until {shown}." in page
    assert page.count(f"works until {shown}") == 2  # and beside the link sent


def test_a_wrong_or_expired_link_opens_nothing(client, past_event):
    link = services.upload_link_create(
        event=past_event,
        item=None,
        speaker=None,
        name="Someone",
        email="someone@example.org",
        language="en",
        actor=past_event.organiser,
    )
    assert client.get("/en/speakers/upload/not-the-secret/").status_code == 404
    UploadLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    message = OutgoingMessage.objects.get(kind=Kind.UPLOAD_LINK)
    [url] = re.findall(r"/en/speakers/upload/\S+/", message.body_text)
    assert client.get(url).status_code == 404


# --- who is refused --------------------------------------------------------------------------


def test_another_events_organiser_and_a_coordinator_are_refused(client, past_event):
    resource = services.resource_add(
        event=past_event,
        item=None,
        kind=Resource.Kind.REPORT,
        titles={"en": "Unpublished report"},
        uploaded=pdf_upload(),
        actor=past_event.organiser,
    )
    other_organiser = UserFactory()
    EventFactory().organisers.add(other_organiser)
    coordinator = UserFactory()
    partner = OrganisationFactory()
    partner.coordinators.add(coordinator)
    Registration.objects.filter(event=past_event).update(organisation=partner)
    base = setup_url(past_event)
    for user in (other_organiser, coordinator):
        client.force_login(user)
        for url in (base, f"{base}publish/", f"{base}links/", f"{base}{resource.pk}/"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"{base}publish/").status_code == 404
        assert client.post(f"{base}{resource.pk}/delete/").status_code == 404
        assert (
            client.post(
                f"{base}links/", {"name": "X", "email": "x@example.org", "language": "en"}
            ).status_code
            == 404
        )
        assert client.get(file_url(resource)).status_code == 404
        assert (
            add(client, past_event, title_en="Hijack", url="https://evil.example/").status_code
            == 404
        )
    resource.refresh_from_db()
    assert resource.published_at is None
    assert Resource.objects.count() == 1
    assert not UploadLink.objects.exists()
    client.logout()
    assert client.get(base).status_code == 302  # to the login page
    assert client.get(file_url(resource)).status_code == 404


def test_an_unpublished_resource_of_a_draft_stays_hidden(client, organiser):
    event = EventFactory(status=Event.Status.DRAFT)
    resource = services.resource_add(
        event=event, item=None, kind="report", titles={"en": "R"}, uploaded=pdf_upload()
    )
    Resource.objects.filter(pk=resource.pk).update(published_at=timezone.now())
    assert client.get(file_url(resource)).status_code == 404


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_titles_and_names_are_escaped(client, organiser_client, past_event):
    add(organiser_client, past_event, title_en=HOSTILE, file=pdf_upload(f"{HOSTILE}.pdf"))
    add(organiser_client, past_event, title_en=HOSTILE, url="https://example.org/?q=<b>")
    services.upload_link_create(
        event=past_event,
        item=None,
        speaker=None,
        name=HOSTILE,
        email="hostile@example.org",
        language="en",
        actor=past_event.organiser,
    )
    publish(organiser_client, past_event)
    for html in (
        client.get(page_url(past_event)).content.decode(),
        organiser_client.get(setup_url(past_event)).content.decode(),
        organiser_client.get(f"{setup_url(past_event)}links/").content.decode(),
    ):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html
    link_email = OutgoingMessage.objects.get(kind=Kind.UPLOAD_LINK)
    assert "<script>alert" not in link_email.body_html
    resource = Resource.objects.exclude(file="").get()
    served, _content = download(client, file_url(resource))
    disposition = served["Content-Disposition"]
    assert "<" not in disposition and '"' not in disposition.split("filename=", 1)[1].strip('"')


def test_a_deleted_resource_takes_its_files_with_it(
    organiser_client, past_event, django_capture_on_commit_callbacks
):
    add(organiser_client, past_event, kind="photo", file=png_upload())
    resource = Resource.objects.get()
    names = [resource.file.name, resource.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)
    delete_url = f"{setup_url(past_event)}{resource.pk}/delete/"
    assert "Delete the resource" in organiser_client.get(delete_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert organiser_client.post(delete_url).status_code == 302
    assert not Resource.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_one_upload_link_adds_a_limited_number_of_resources(client, past_event):
    link = services.upload_link_create(
        event=past_event,
        item=None,
        speaker=None,
        name="Prolific",
        email="prolific@example.org",
        language="en",
        actor=past_event.organiser,
    )
    for number in range(services.MAX_PER_LINK):
        services.resource_add(
            event=past_event,
            item=None,
            kind="link",
            titles={"en": f"Link {number}"},
            url=f"https://example.org/{number}",
            upload_link=link,
        )
    message = OutgoingMessage.objects.get(kind=Kind.UPLOAD_LINK)
    [url] = re.findall(r"/en/speakers/upload/\S+/", message.body_text)
    response = client.post(url, {"kind": "slides", "title_en": "One more", "file": pdf_upload()})
    assert response.status_code == 400
    assert "This link has reached its limit of 30 resources" in response.content.decode()
    assert Resource.objects.count() == services.MAX_PER_LINK


def test_a_speakers_address_is_anonymised_after_the_link_ends(settings, past_event):
    from registrations import tasks

    settings.PERSONAL_DATA_FILES_RETENTION_DAYS = 30
    links = [
        services.upload_link_create(
            event=past_event,
            item=None,
            speaker=None,
            name=name,
            email=f"{name.lower()}@example.org",
            language="en",
            actor=past_event.organiser,
        )
        for name in ("Old", "Current")
    ]
    UploadLink.objects.filter(pk=links[0].pk).update(expires_at=timezone.now() - timedelta(days=31))
    assert tasks.personal_data_retention()["resources"] == 1
    assert tasks.personal_data_retention()["resources"] == 0
    old, current = (UploadLink.objects.get(pk=link.pk) for link in links)
    assert old.name == "" and "old@" not in old.email
    assert (current.name, current.email) == ("Current", "current@example.org")
