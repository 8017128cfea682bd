"""Resources in the Django admin, for superusers: found across events, a title corrected,
one deleted with its file; files are never added there (their checks are in the setup
pages), and upload links and publications are read only."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from resources.models import Resource, UploadLink

from ..factories import UserFactory
from .test_resources import add
from .uploads import pdf_upload, setup_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)


def test_a_superuser_corrects_and_deletes_a_resource(
    client, superuser, organiser_client, past_event, django_capture_on_commit_callbacks
):
    assert (
        add(organiser_client, past_event, title_en="Sildes", file=pdf_upload()).status_code == 302
    )
    resource = Resource.objects.get()
    client.force_login(superuser)
    listing = client.get(reverse("admin:resources_resource_changelist"), {"kind__exact": "slides"})
    assert "Sildes" in listing.content.decode() and "application/pdf" in listing.content.decode()
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    form = client.get(change).content.decode()
    assert 'name="title_en"' in form and 'name="file"' not in form  # the file stays as checked
    saved = client.post(change, {"kind": "slides", "title_en": "Slides", "title_fr": "Diapos"})
    assert saved.status_code == 302
    resource.refresh_from_db()
    assert (resource.title_en, resource.title_fr) == ("Slides", "Diapos")
    assert client.get(reverse("admin:resources_resource_add")).status_code == 403

    name = resource.file.name
    delete = reverse("admin:resources_resource_delete", args=[resource.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Resource.objects.exists()
    assert not default_storage.exists(name)


def test_upload_links_are_read_only_and_keep_their_secret(
    client, superuser, organiser_client, past_event
):
    organiser_client.post(
        f"{setup_url(past_event)}links/",
        {
            "name": "Maria Souza",
            "email": "maria@example.org",
            "language": "pt",
            "item": "",
            "speaker": "",
        },
    )
    link = UploadLink.objects.get()
    client.force_login(superuser)
    page = client.get(reverse("admin:resources_uploadlink_change", args=[link.pk])).content.decode()
    assert "Maria Souza" in page and 'name="_save"' not in page
    assert link.token_hash not in page
    assert client.get(reverse("admin:resources_uploadlink_add")).status_code == 403
