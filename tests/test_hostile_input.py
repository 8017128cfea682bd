"""Hostile input, field by field, on the forms people and organisers fill in: very long
strings, NUL bytes, Unicode controls, markup, spreadsheet formulas, text that would break
an iCalendar file, and values a browser never sends. No server error, nothing unescaped,
and the workspace's hand-made POSTs are answered, not crashed on."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event, ProgrammeItem
from notifications.models import Broadcast
from registrations import services
from registrations.models import Attendance, ExportPreset, Question, QuestionOption, Registration

from .factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    UserFactory,
    at,
    form_fields,
    person,
)
from .registrations.test_delegations import delegation_post

pytestmark = pytest.mark.django_db

MARKUP = '"><script>alert(1)</script>'
PAYLOADS = [
    pytest.param("A" * 100_000, id="very-long"),
    pytest.param("Ana\x00Popescu", id="nul"),
    pytest.param("\u202eAna\u2066\u200b", id="unicode-controls"),
    pytest.param(MARKUP, id="markup"),
    pytest.param('=HYPERLINK("http://evil.example","x")', id="formula"),
    pytest.param("Ana\r\nBEGIN:VEVENT\r\nSUMMARY:x", id="icalendar"),
    pytest.param("99999999999999999999999", id="huge-number"),
    pytest.param("\u00b2", id="superscript-digit"),
    pytest.param("sNaN", id="signalling-nan"),
]


@pytest.fixture
def event(db):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))
    for kind in Question.Kind.values:
        question = QuestionFactory(event=event, kind=kind)
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            QuestionOption.objects.create(question=question, label_en="Option")
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        starts_at=at(20, "11:00"),
        ends_at=at(20, "12:00"),
    )
    event.partner = OrganisationFactory()
    event.coordinator = UserFactory()
    event.partner.coordinators.add(event.coordinator)
    event.organiser = UserFactory()
    event.organisers.add(event.organiser)
    event.registration = services.registration_create(event=event, person=person())[0]
    return event


def assert_answered(response, payload: str):
    assert response.status_code < 500
    assert MARKUP not in response.content.decode()


def registration_fields(event) -> list[str]:
    questions = [f"question_{pk}" for pk in event.questions.values_list("pk", flat=True)]
    return [*form_fields(), "organisation", "dietary_needs", "workshop_0", *questions]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_registration_form_refuses_hostile_input_field_by_field(
    client, event, payload, settings
):
    settings.REGISTRATION_RATE_LIMIT = "1000/m/ip,1000/m/key"
    for field in registration_fields(event):
        data = form_fields(workshop_0=str(event.workshop.pk)) | {field: payload}
        assert_answered(client.post(f"/en/events/{event.slug}/register/", data), payload)
    # Only the names and the answers to the text question may keep such a value.
    for registration in Registration.objects.exclude(pk=event.registration.pk):
        assert "\x00" not in registration.first_name + registration.last_name
        assert "\n" not in registration.first_name + registration.last_name


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_delegation_form_refuses_hostile_input(client, event, payload):
    client.force_login(event.coordinator)
    url = f"/en/coordinator/{event.partner.slug}/{event.slug}/"
    for index in range(3):
        person_fields = ["Rita", "Kandikó", "rita@example.org"]
        person_fields[index] = payload
        assert_answered(client.post(url, delegation_post([person_fields])), payload)
    for management in ("delegate-TOTAL_FORMS", "delegate-INITIAL_FORMS"):
        data = delegation_post([("Rita", "Kandikó", "rita@example.org")]) | {management: payload}
        assert_answered(client.post(url, data), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_participant_filters_refuse_hostile_input(client, event, payload):
    client.force_login(event.organiser)
    url = f"/en/workspace/{event.slug}/participants/"
    names = ["search", "statuses", "organisation", "country", "role", "workshop", "sort"]
    for name in names:
        assert_answered(client.post(url, {"action": "filter", name: payload}), payload)
        assert_answered(client.get(url, {"page": payload}), payload)
        client.post(url, {"action": "reset"})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hand_made_workspace_posts_are_answered_not_crashed_on(client, event, payload):
    client.force_login(event.organiser)
    base = f"/en/workspace/{event.slug}/"
    preset = ExportPreset.objects.create(event=event, name="Mine", columns=["last_name"])
    # Under way: nobody is checked in for a day still to come.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    event.refresh_from_db()
    day = event.local_starts_at.date().isoformat()
    for url, data in [
        ("participants/bulk/", {"bulk_action": "approve", "selected": payload}),
        ("export/presets/", {"delete": payload}),
        ("checkin/", {"search": "ana", "day": day, "session": payload}),
        (f"checkin/{event.registration.uuid}/", {"day": day, "session": payload}),
    ]:
        assert_answered(client.post(base + url, data), payload)
    assert ExportPreset.objects.filter(pk=preset.pk).exists()
    # A session the browser cannot send is read as "the whole day".
    assert list(Attendance.objects.values_list("item", flat=True)) == [None]


@pytest.mark.parametrize(
    "subject", ["Hello\r\nBcc: victim@example.org", "Hello\u2028there", "Hello\tthere"]
)
def test_the_message_form_refuses_line_breaks_in_the_subject(client, event, subject):
    client.force_login(event.organiser)
    client.post(
        f"/en/workspace/{event.slug}/participants/bulk/",
        {"bulk_action": "write", "selected": str(event.registration.pk)},
    )
    response = client.post(
        f"/en/workspace/{event.slug}/write/", {"subject_en": subject, "body_en": "Hello"}
    )
    assert response.status_code == 200
    assert "Line breaks, tabs and invisible control characters are not allowed here." in (
        response.content.decode()
    )
    assert not Broadcast.objects.exists()
    assert all("Bcc" not in message.subject for message in mail.outbox)


def test_the_delegation_form_refuses_a_post_claiming_thousands_of_people(client, event):
    client.force_login(event.coordinator)
    data = delegation_post([("Rita", "Kandikó", "rita@example.org")])
    data["delegate-TOTAL_FORMS"] = "5000"
    response = client.post(f"/en/coordinator/{event.partner.slug}/{event.slug}/", data)
    assert "Please submit at most 100 forms." in response.content.decode()
    assert response.content.decode().count('name="delegate-') < 1000
    assert not Registration.objects.filter(email="rita@example.org").exists()
