"""An organisation's directory entry, edited in the workspace by its coordinators and by
superusers; nobody else may, and a logo must be a real image of a limited size."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from events.models import Organisation

from ..factories import UserFactory
from ..html_forms import form_values

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"network:{name}", kwargs=kwargs or None)


def shown_form(client, slug) -> dict:
    """The entry's form as the page shows it, ready to post back (one value per field)."""
    response = client.get(url("entry", slug=slug))
    assert response.status_code == 200
    values = form_values(response.content.decode())
    values.pop("csrfmiddlewaretoken", None)
    return {name: value[-1] for name, value in values.items()}


def image(kind="PNG", size=(64, 48), name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


LANGUAGES = ("en", "fr", "ro", "hu", "pt", "it")


def test_a_coordinator_edits_their_organisations_entry_side_by_side(client, cries):
    client.force_login(cries.coordinator)
    home = client.get(reverse("workspace:home")).content.decode()
    assert f'href="{url("entries")}"' in home
    listing = client.get(url("entries"))
    assert f'href="{url("entry", slug="cries")}"' in listing.content.decode()

    form = shown_form(client, "cries")
    for code in LANGUAGES:  # every language's texts on one page
        assert f"field_of_work_{code}" in form
        assert f"description_{code}" in form
    form.update(
        {f"field_of_work_{code}": f"Field ({code})" for code in LANGUAGES}
        | {f"description_{code}": f"Description ({code})" for code in LANGUAGES}
        | {"website": "cries-new.example.org"}
    )
    response = client.post(url("entry", slug="cries"), form)
    assert response.status_code == 302
    cries.refresh_from_db()
    assert cries.field_of_work_hu == "Field (hu)"
    assert cries.description_pt == "Description (pt)"
    assert cries.website == "https://cries-new.example.org"
    assert cries.listed
    page = client.get(url("organisation", "it", slug="cries")).content.decode()
    assert "Description (it)" in page


def test_the_consent_is_withdrawn_and_the_organisation_leaves_the_directory(client, cries):
    client.force_login(cries.coordinator)
    form = shown_form(client, "cries")
    assert form["listed"] == "on"
    del form["listed"]
    assert client.post(url("entry", slug="cries"), form).status_code == 302
    assert not Organisation.objects.get(pk=cries.pk).listed
    assert "CRIES" not in client.get(url("directory")).content.decode()
    assert client.get(url("organisation", slug="cries")).status_code == 404


def test_coordinates_come_from_the_city_only_when_left_empty(client, cries):
    client.force_login(cries.coordinator)
    form = shown_form(client, "cries") | {"city_en": "Cluj-Napoca", "latitude": "", "longitude": ""}
    response = client.post(url("entry", slug="cries"), form, follow=True)
    assert "enter its coordinates" not in response.content.decode()
    cries.refresh_from_db()
    assert float(cries.latitude) == pytest.approx(46.77, abs=0.1)
    assert float(cries.longitude) == pytest.approx(23.6, abs=0.1)


def test_coordinates_typed_in_the_form_win_over_the_city(client, cries):
    client.force_login(cries.coordinator)
    # a new city, with coordinates typed in the same form
    form = shown_form(client, "cries") | {
        "city_en": "Cluj-Napoca",
        "latitude": "45.1",
        "longitude": "21.5",
    }
    assert client.post(url("entry", slug="cries"), form).status_code == 302
    cries.refresh_from_db()
    assert (float(cries.latitude), float(cries.longitude)) == (45.1, 21.5)
    # a new city, the coordinates shown left as they are: they stay
    form = shown_form(client, "cries") | {"city_en": "Arad"}
    assert client.post(url("entry", slug="cries"), form).status_code == 302
    cries.refresh_from_db()
    assert (float(cries.latitude), float(cries.longitude)) == (45.1, 21.5)
    # a city the list of places does not know, with coordinates: kept, and no warning
    form = shown_form(client, "cries") | {
        "city_en": "Zzyzxville",
        "latitude": "44.2",
        "longitude": "22.3",
    }
    response = client.post(url("entry", slug="cries"), form, follow=True)
    assert "enter its coordinates for the map" not in response.content.decode()
    cries.refresh_from_db()
    assert (cries.city, float(cries.latitude), float(cries.longitude)) == ("Zzyzxville", 44.2, 22.3)


def test_a_city_not_in_the_list_asks_for_coordinates(client, cries):
    client.force_login(cries.coordinator)
    form = shown_form(client, "cries") | {"city_en": "Zzyzxville", "latitude": "", "longitude": ""}
    response = client.post(url("entry", slug="cries"), form, follow=True)
    assert "enter its coordinates for the map" in response.content.decode()
    cries.refresh_from_db()
    assert cries.latitude is None


def test_coordinates_out_of_range_or_half_given_are_refused(client, cries):
    client.force_login(cries.coordinator)
    for wrong in ({"latitude": "91", "longitude": "10"}, {"latitude": "45", "longitude": ""}):
        response = client.post(url("entry", slug="cries"), shown_form(client, "cries") | wrong)
        assert response.status_code == 400
    cries.refresh_from_db()
    assert str(cries.latitude) == "45.748900"


def test_a_coordinator_is_refused_another_organisations_entry(client, cries, hidden):
    client.force_login(cries.coordinator)
    assert client.get(url("entry", slug=hidden.slug)).status_code == 404
    before = Organisation.objects.filter(pk=hidden.pk).values().get()
    response = client.post(
        url("entry", slug=hidden.slug),
        {"listed": "on", "description_en": "Hijacked", "website": "https://hijack.example"},
    )
    assert response.status_code == 404
    assert Organisation.objects.filter(pk=hidden.pk).values().get() == before
    assert hidden.name not in client.get(url("entries")).content.decode()


def test_a_participant_is_refused(client, cries):
    participant = UserFactory(email="participant@example.org")
    client.force_login(participant)
    assert client.get(url("entries")).status_code == 403
    assert client.get(url("entry", slug="cries")).status_code == 404
    before = Organisation.objects.filter(pk=cries.pk).values().get()
    response = client.post(url("entry", slug="cries"), {"description_en": "Hijacked"})
    assert response.status_code == 404
    assert Organisation.objects.filter(pk=cries.pk).values().get() == before
    home = client.get(reverse("workspace:home")).content.decode()
    assert url("entries") not in home


def test_anonymous_visitors_are_sent_to_log_in(client, cries):
    for name, kwargs in (("entries", {}), ("entry", {"slug": "cries"})):
        response = client.get(url(name, **kwargs))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_superuser_edits_any_entry_in_the_workspace_and_the_admin(client, cries, hidden):
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(url("entries")).content.decode()
    assert "CRIES" in listing and hidden.name in listing
    form = shown_form(client, hidden.slug) | {"listed": "on", "description_fr": "Enfin visible"}
    assert client.post(url("entry", slug=hidden.slug), form).status_code == 302
    assert (
        "Enfin visible" in client.get(url("organisation", "fr", slug=hidden.slug)).content.decode()
    )
    with translation.override("en"):
        change = reverse("admin:events_organisation_change", args=[cries.pk])
    response = client.get(change)
    assert response.status_code == 200
    form = {
        name: values if len(values) > 1 else values[0]
        for name, values in form_values(response.content.decode()).items()
    }
    assert "description_ro" in form
    assert form["listed"] == "on"
    form.update({"description_ro": "Descriere din administrare", "_save": "Save"})
    assert client.post(change, form).status_code == 302
    page = client.get(url("organisation", "ro", slug="cries")).content.decode()
    assert "Descriere din administrare" in page


def test_hostile_text_typed_in_the_entry_is_escaped(client, cries):
    client.force_login(cries.coordinator)
    hostile = '<script>alert("x")</script>'
    form = shown_form(client, "cries") | {"description_en": hostile, "field_of_work_en": hostile}
    assert client.post(url("entry", slug="cries"), form).status_code == 302
    for page in (url("directory"), url("organisation", slug="cries"), url("entry", slug="cries")):
        body = client.get(page).content.decode()
        assert hostile not in body
        assert "&lt;script&gt;" in body


# --- the logo -------------------------------------------------------------------------------


def test_a_logo_is_uploaded_and_shown(client, cries):
    client.force_login(cries.coordinator)
    form = shown_form(client, "cries") | {"logo": image(name="whatever-name.gif")}
    assert client.post(url("entry", slug="cries"), form).status_code == 302
    cries.refresh_from_db()
    assert cries.logo.name == "organisations/cries.png"  # named after what it really is
    client.logout()
    page = client.get(url("directory")).content.decode()
    assert f'src="{url("logo", slug="cries")}"' in page
    response = client.get(url("logo", slug="cries"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    content = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(content)).size == (64, 48)


def test_the_entry_form_links_the_current_logo_to_the_directorys_view(client, cries):
    client.force_login(cries.coordinator)
    client.post(url("entry", slug="cries"), shown_form(client, "cries") | {"logo": image()})
    page = client.get(url("entry", slug="cries")).content.decode()
    assert "/media/" not in page
    assert f'Currently: <a href="{url("logo", slug="cries")}">organisations/cries.png</a>' in page
    Organisation.objects.filter(pk=cries.pk).update(listed=False)  # the view answers 404
    page = client.get(url("entry", slug="cries")).content.decode()
    assert "Currently: organisations/cries.png" in page
    assert url("logo", slug="cries") not in page and "/media/" not in page


def test_a_replaced_logo_is_deleted(client, cries, django_capture_on_commit_callbacks):
    client.force_login(cries.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("entry", slug="cries"), shown_form(client, "cries") | {"logo": image()})
    cries.refresh_from_db()
    first = cries.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        form = shown_form(client, "cries") | {"logo": image("JPEG", name="new.jpg")}
        client.post(url("entry", slug="cries"), form)
    cries.refresh_from_db()
    assert cries.logo.name == "organisations/cries.jpg"
    assert cries.logo.storage.exists(cries.logo.name)
    assert not cries.logo.storage.exists(first)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                content_type="image/svg+xml",
            ),
            "Upload a valid image",
        ),
        (None, "PNG, JPEG, GIF or WebP"),  # a BMP: an image, of a format not accepted
        (None, "pixels wide or high"),
        (None, "The logo is too large: at most"),
    ],
    ids=["text", "svg", "bmp", "too-many-pixels", "too-heavy"],
)
def test_a_logo_that_is_not_an_accepted_image_is_refused(client, cries, settings, upload, message):
    if message == "PNG, JPEG, GIF or WebP":
        upload = image("BMP", name="logo.bmp")
        message = "Upload the logo as a PNG, JPEG, GIF or WebP image."
    elif message == "pixels wide or high":
        upload = image(size=(2500, 10))
    elif message == "The logo is too large: at most":
        settings.NETWORK_LOGO_MAX_BYTES = 100
        upload = image()
    client.force_login(cries.coordinator)
    response = client.post(
        url("entry", slug="cries"), shown_form(client, "cries") | {"logo": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cries.refresh_from_db()
    assert not cries.logo
    assert client.get(url("logo", slug="cries")).status_code == 404


def test_an_unlisted_organisations_logo_is_not_served(client, cries):
    client.force_login(cries.coordinator)
    client.post(url("entry", slug="cries"), shown_form(client, "cries") | {"logo": image()})
    response = client.get(url("logo", slug="cries"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    Organisation.objects.filter(pk=cries.pk).update(listed=False)
    assert client.get(url("logo", slug="cries")).status_code == 404
