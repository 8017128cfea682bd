"""Travel details on erasure and at retention: the grant evidence of someone who attended
a mobility is kept (GDPR art. 17(3)(b)) until the programme's retention period ends;
everything else is erased."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings

from mobility.models import MobilityDetails
from registrations import personal_data, services
from registrations.models import Registration

from ..events.test_pages import text
from .conftest import register
from .test_workspace_pages import travels

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(timisoara):
    """Marta travelled from Lisbon by train, was checked in on the first day; Bence
    registered and gave his travel but never came."""
    marta = register(timisoara, "Marta", timisoara.portugal, role="accompanying")
    travels(
        marta,
        "Lisboa",
        "PT",
        "train",
        date_of_birth=timisoara.local_starts_at.date().replace(year=1990),
        fewer_opportunities=True,
        needs_visa_letter=True,
        room_sharing="With João",
    )
    services.attendance_mark(
        registration=marta, day=timisoara.local_starts_at.date(), now=timisoara.ends_at
    )
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "plane")
    timisoara.marta, timisoara.bence = marta, bence
    return timisoara


def after_the_event(event, days=1):
    return event.ends_at + timedelta(days=days)


def test_erasure_after_attending_keeps_only_the_grant_evidence(attended):
    now = after_the_event(attended)
    subject = personal_data.subject_of_registration(attended.marta)
    personal_data.person_erase(subject=subject, now=now)
    details = MobilityDetails.objects.get(registration=attended.marta)
    # Kept: what the grant was computed from and the report shows.
    assert (details.origin_city, details.origin_country.code, details.means) == (
        "Lisbon",
        "PT",
        "train",
    )
    assert details.arrival_at and details.departure_at
    assert details.accompanying_person is True and details.fewer_opportunities is True
    assert details.evidence_only_since == now
    # Erased: what is not grant evidence.
    assert details.date_of_birth is None
    assert details.needs_visa_letter is False
    assert details.accommodation_nights is None and details.room_sharing == ""
    # The registration itself is anonymous; the organisers' report still counts her grant.
    registration = Registration.objects.get(pk=attended.marta.pk)
    assert registration.first_name == "" and registration.anonymised_at == now


def test_erasure_without_attendance_deletes_the_travel_details(attended):
    subject = personal_data.subject_of_registration(attended.bence)
    personal_data.person_erase(subject=subject, now=after_the_event(attended))
    assert not MobilityDetails.objects.filter(registration=attended.bence).exists()


def test_erasure_before_the_event_deletes_the_travel_details(timisoara):
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "plane")
    personal_data.person_erase(subject=personal_data.subject_of_registration(bence))
    assert not MobilityDetails.objects.exists()


def test_the_evidence_goes_when_the_programmes_retention_period_ends(attended):
    personal_data.person_erase(
        subject=personal_data.subject_of_registration(attended.marta),
        now=after_the_event(attended),
    )
    period = settings.PERSONAL_DATA_RETENTION_DAYS["training"]
    changed = personal_data.retention_apply(now=after_the_event(attended, period - 1))
    assert changed["mobility"] == 0
    assert MobilityDetails.objects.count() == 2
    changed = personal_data.retention_apply(now=after_the_event(attended, period + 1))
    assert changed["mobility"] == 2  # Marta's evidence and Bence's details
    assert not MobilityDetails.objects.exists()


def test_the_persons_copy_says_what_is_kept_as_grant_evidence(attended):
    now = after_the_event(attended)
    subject = personal_data.subject_of_registration(attended.marta)
    copy = personal_data.person_export(subject=subject)
    assert copy["mobility"][0]["kept_as_grant_evidence_since"] is None
    personal_data.person_erase(subject=subject, now=now)
    copy = personal_data.person_export(
        subject=personal_data.DataSubject(emails=frozenset(), registration_ids=(attended.marta.pk,))
    )
    kept = datetime.fromisoformat(copy["mobility"][0]["kept_as_grant_evidence_since"])
    assert kept == now


def test_the_privacy_page_explains_the_grant_evidence(client):
    assert "grant evidence" in text(client.get("/en/privacy/"))
    assert "comprovativos da subvenção" in text(client.get("/pt/privacy/"))
