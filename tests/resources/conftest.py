from datetime import timedelta

import pytest
from django.utils import timezone

from registrations.models import Registration

from ..factories import EventFactory, OrganisationFactory, ProgrammeItemFactory, UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def past_event(db):
    """A national meeting that ended yesterday, with two workshops, its organiser, and
    registrants: two confirmed (French and Romanian), one cancelled, one waiting for approval."""
    starts = timezone.now() - timedelta(days=2)
    event = EventFactory(
        starts_at=starts,
        ends_at=starts + timedelta(days=1),
        title_en="Cooperation meeting",
        languages=["en", "fr", "ro"],
    )
    event.organiser = UserFactory(email="organiser.past@example.org")
    event.organisers.add(event.organiser)
    event.workshops = [
        ProgrammeItemFactory(event=event, title_en=title, kind="workshop")
        for title in ("Sharing jobs", "Shared places")
    ]
    organisation = OrganisationFactory()
    for email, language, status in (
        ("marie@example.org", "fr", Registration.Status.CONFIRMED),
        ("ana@example.org", "ro", Registration.Status.CONFIRMED),
        ("gone@example.org", "en", Registration.Status.CANCELLED),
        ("waiting@example.org", "en", Registration.Status.PENDING),
    ):
        Registration.objects.create(
            event=event,
            status=status,
            email=email,
            first_name=email.split("@")[0].capitalize(),
            last_name="Example",
            organisation=organisation,
            organisation_name=organisation.name,
            country="FR",
            language=language,
            privacy_consent_version="1",
            privacy_consented_at=timezone.now(),
        )
    return event


@pytest.fixture
def organiser_client(client, past_event):
    client.force_login(past_event.organiser)
    return client
