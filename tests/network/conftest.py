from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from registrations.models import Attendance, Registration

from ..factories import EventFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded logos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def registration(event, organisation, status=Registration.Status.CONFIRMED, *, attended=False):
    """A registration of ``organisation`` for ``event``, written directly (no emails)."""
    registration = Registration.objects.create(
        event=event,
        status=status,
        email=f"someone.{Registration.objects.count()}@example.org",
        first_name="Someone",
        last_name="Sent",
        organisation=organisation,
        organisation_name=organisation.name,
        country=organisation.country,
        language="en",
        privacy_consent_version="1",
        privacy_consented_at=timezone.now(),
        waitlisted_at=timezone.now() if status == Registration.Status.WAITLISTED else None,
    )
    if attended:
        Attendance.objects.create(registration=registration, day=event.starts_at.date())
    return registration


@pytest.fixture
def cries(db):
    """A listed organisation with its texts in French and English, and its coordinator."""
    organisation = OrganisationFactory(
        name="CRIES",
        slug="cries",
        country="RO",
        city="Timișoara",
        website="https://www.cries.example",
        listed=True,
        latitude="45.748900",
        longitude="21.208700",
        field_of_work_en="Solidarity economy",
        field_of_work_fr="Économie solidaire",
        description_en="A resource centre for solidarity initiatives.",
        description_fr="Un centre de ressources pour les initiatives solidaires.",
    )
    organisation.coordinator = UserFactory(email="mihaela@example.org")
    organisation.coordinators.add(organisation.coordinator)
    return organisation


@pytest.fixture
def hidden(db):
    """An organisation that did not agree to be listed (it hosts a published event)."""
    organisation = OrganisationFactory(
        name="Discreet Collective Omega",
        slug="discreet",
        country="HU",
        city="Budapest",
        latitude="47.497900",
        longitude="19.040200",
        field_of_work_en="Secret gardening",
        description_en="Nobody should read this description.",
    )
    EventFactory(host=organisation, title_en="Event of the discreet")
    organisation.coordinator = UserFactory(email="hidden.coordinator@example.org")
    organisation.coordinators.add(organisation.coordinator)
    return organisation


@pytest.fixture
def past_event(db):
    def make(**fields):
        fields.setdefault("starts_at", timezone.now() - timedelta(days=40))
        fields.setdefault("ends_at", fields["starts_at"] + timedelta(days=2))
        fields.setdefault("status", Event.Status.PUBLISHED)
        return EventFactory(**fields)

    return make
