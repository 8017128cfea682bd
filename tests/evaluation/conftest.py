"""A national meeting that ended yesterday, two workshops, its feedback survey and the
people who took part (each from a partner organisation)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from evaluation.models import Survey, SurveyQuestion
from registrations.models import Attendance, Registration, WorkshopChoice

from ..factories import EventFactory, OrganisationFactory, ProgrammeItemFactory, UserFactory, at


@pytest.fixture(autouse=True)
def _english():
    """Addresses are reversed in English unless a test says otherwise (a page answered in
    another language leaves that language active in the test's thread)."""
    with translation.override("en"):
        yield


@pytest.fixture
def organiser(db):
    return UserFactory(email="organiser.se@example.org")


@pytest.fixture
def meeting(organiser):
    event = EventFactory(
        slug="rencontres-saint-etienne",
        title_en="National meeting in Saint-Étienne",
        title_fr="Rencontres nationales à Saint-Étienne",
        starts_at=at(-2, "09:00"),
        ends_at=at(-1, "13:00"),
        default_language="en",
        languages=["en", "fr"],
    )
    event.organisers.add(organiser)
    event.workshop_a = ProgrammeItemFactory(
        event=event,
        kind="workshop",
        title_en="Workshop: mapping the actors",
        title_fr="Atelier : cartographier les acteurs",
        starts_at=at(-2, "11:00"),
        ends_at=at(-2, "12:30"),
    )
    event.workshop_b = ProgrammeItemFactory(
        event=event,
        kind="workshop",
        title_en="Workshop: shared governance",
        title_fr="Atelier : gouvernance partagée",
        starts_at=at(-2, "11:00"),
        ends_at=at(-2, "12:30"),
    )
    return event


@pytest.fixture
def survey(meeting):
    survey = Survey.objects.create(event=meeting, closes_at=timezone.now() + timedelta(days=14))
    survey.overall = SurveyQuestion.objects.create(
        survey=survey,
        kind="rating",
        label_en="How useful was the meeting for your work?",
        label_fr="La rencontre a-t-elle été utile à votre travail ?",
        required=True,
        position=0,
    )
    survey.per_workshop = SurveyQuestion.objects.create(
        survey=survey,
        kind="rating",
        label_en="How would you rate this workshop?",
        label_fr="Quelle note donnez-vous à cet atelier ?",
        per_session=True,
        position=1,
    )
    survey.comments = SurveyQuestion.objects.create(
        survey=survey,
        kind="text",
        label_en="What should we change next time?",
        label_fr="Que devrions-nous changer la prochaine fois ?",
        position=2,
    )
    return survey


@pytest.fixture
def partners(db):
    return {
        "cries": OrganisationFactory(name="CRIES"),
        "largo": OrganisationFactory(name="Largo Residências"),
    }


@pytest.fixture
def make_participant(meeting):
    count = [0]

    def make(*, organisation=None, workshop=None, language="en", first_name="Ana", **fields):
        count[0] += 1
        fields_created_at = fields.pop("created_at", None)
        registration = Registration.objects.create(
            event=meeting,
            status=fields.pop("status", Registration.Status.CONFIRMED),
            email=f"participant{count[0]}@example.org",
            first_name=first_name,
            last_name=fields.pop("last_name", f"Participant{count[0]}"),
            organisation=organisation,
            organisation_name=organisation.name if organisation else "Elsewhere",
            language=language,
            privacy_consent_version="1",
            privacy_consented_at=timezone.now(),
            **fields,
        )
        # Registered before the event (as a participant would): only those may answer.
        Registration.objects.filter(pk=registration.pk).update(
            created_at=fields_created_at or meeting.starts_at - timedelta(days=10)
        )
        registration.refresh_from_db()
        if workshop is not None:
            WorkshopChoice.objects.create(
                registration=registration, item=workshop, status="confirmed"
            )
            Attendance.objects.create(
                registration=registration, day=meeting.local_starts_at.date(), item=workshop
            )
        return registration

    return make
