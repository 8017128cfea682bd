"""Setting up an event's registration from the workspace, as its organiser: window,
capacity, approval, reserved places and the registration form's questions (conditions
included), then registering through the public form as a participant would."""

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.utils import timezone

from registrations import tasks
from registrations.models import Answer, Question, QuestionOption, Quota, Registration

from ..events.test_pages import text
from ..factories import OrganisationFactory, form_fields
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def setup_url(event, path="") -> str:
    return f"/en/workspace/{event.slug}/setup/{path}"


def add_question(client, event, **fields) -> Question:
    data = {"kind": "text", "position": "0", "label_en": "", **fields}
    response = client.post(setup_url(event, "questions/new/"), data)
    assert response.status_code == 302, text(response)
    return Question.objects.filter(event=event).order_by("-pk").first()


def register(client, event, language="en", **fields):
    """Register through the public form, logged out, as a new person unless told."""
    client.logout()
    fields.setdefault("email", f"{uuid4().hex[:10]}@example.org")
    return client.post(f"/{language}/events/{event.slug}/register/", form_fields(**fields))


def test_questions_of_every_kind_are_set_up_with_translations_and_a_condition(
    organiser_client, event
):
    client = organiser_client
    travel = add_question(
        client,
        event,
        kind="single",
        position="1",
        required="on",
        label_en="How do you travel?",
        label_fr="Comment voyagez-vous ?",
        label_ro="Cum călătoriți?",
        new_0_en="Plane",
        new_0_fr="Avion",
        new_0_ro="Avion",
        new_1_en="Train",
        new_1_fr="Train",
        new_1_ro="Tren",
    )
    plane = travel.options.get(label_en="Plane")
    flight = add_question(
        client,
        event,
        kind="text",
        position="2",
        required="on",
        label_en="Flight number",
        label_fr="Numéro de vol",
        help_text_en="As on your ticket.",
        shown_if=f"{travel.pk}:{plane.pk}",
    )
    add_question(
        client,
        event,
        kind="multiple",
        position="3",
        label_en="Which nights?",
        new_0_en="Monday",
        new_1_en="Tuesday",
    )
    add_question(client, event, kind="yes_no", position="4", label_en="Vegetarian?")
    add_question(client, event, kind="date", position="5", label_en="Arrival day")
    add_question(client, event, kind="number", position="6", label_en="Luggage (kg)")

    questions = list(Question.objects.filter(event=event))
    assert [q.kind for q in questions] == ["single", "text", "multiple", "yes_no", "date", "number"]
    assert flight.shown_if_question == travel and flight.shown_if_value == str(plane.pk)
    assert flight.required and flight.help_text_en == "As on your ticket."
    listing = text(client.get(setup_url(event, "questions/")))
    assert "How do you travel?" in listing and "Plane · Train" in listing
    assert "Asked only for some answers to “How do you travel?”" in listing

    # The public form, in French: the translations, the condition in words, the script.
    page = client.get(f"/fr/events/{event.slug}/register/")
    html = page.content.decode()
    assert "Comment voyagez-vous ?" in text(page) and "Numéro de vol" in text(page)
    assert f'data-shown-if-field="question_{travel.pk}"' in html
    assert re.search(r'<script src="[^"]*/js/conditional-questions\.js" defer>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)


def conditional_event(client, event):
    travel = add_question(
        client,
        event,
        kind="single",
        required="on",
        position="1",
        label_en="How do you travel?",
        new_0_en="Plane",
        new_1_en="Train",
    )
    plane, train = travel.options.order_by("position")
    flight = add_question(
        client,
        event,
        kind="text",
        required="on",
        position="2",
        label_en="Flight number",
        shown_if=f"{travel.pk}:{plane.pk}",
    )
    return travel, plane, train, flight


def test_a_conditional_question_is_required_only_when_its_condition_holds(organiser_client, event):
    travel, plane, train, flight = conditional_event(organiser_client, event)
    client = organiser_client
    by_train = register(client, event, **{f"question_{travel.pk}": str(train.pk)})
    assert by_train.status_code == 302
    registration = Registration.objects.get(event=event)
    assert list(registration.answers.values_list("question_id", "value")) == [
        (travel.pk, str(train.pk))
    ]

    by_plane_no_number = register(client, event, **{f"question_{travel.pk}": str(plane.pk)})
    assert by_plane_no_number.status_code == 400
    page = by_plane_no_number.content.decode()
    error = re.search(
        rf'id="id_question_{flight.pk}_error"[^>]*><li>([^<]+)</li>', page
    )  # the error beside its field
    assert error and error.group(1) == "This field is required."
    assert Registration.objects.filter(event=event).count() == 1

    by_plane = register(
        client,
        event,
        **{f"question_{travel.pk}": str(plane.pk), f"question_{flight.pk}": "RO 402"},
    )
    assert by_plane.status_code == 302
    assert Answer.objects.filter(question=flight).get().value == "RO 402"


def test_an_answer_to_a_question_whose_condition_fails_is_ignored(organiser_client, event):
    travel, _plane, train, flight = conditional_event(organiser_client, event)
    response = register(
        organiser_client,
        event,
        **{f"question_{travel.pk}": str(train.pk), f"question_{flight.pk}": "AF 1888"},
    )
    assert response.status_code == 302
    assert not Answer.objects.filter(question=flight).exists()


def test_options_are_changed_and_removed_and_questions_reordered_and_deleted(
    organiser_client, event
):
    client = organiser_client
    first = add_question(client, event, kind="text", position="1", label_en="First")
    travel = add_question(
        client,
        event,
        kind="single",
        position="2",
        label_en="How do you travel?",
        new_0_en="Plane",
        new_1_en="Bus",
    )
    plane, bus = travel.options.order_by("position")
    flight = add_question(
        client, event, position="3", label_en="Flight number", shown_if=f"{travel.pk}:{plane.pk}"
    )
    # A new question comes after the last one unless told otherwise.
    new = client.get(setup_url(event, "questions/new/")).content.decode()
    assert re.search(r'<input type="number" name="position" value="4"', new)
    page = client.get(setup_url(event, f"questions/{travel.pk}/"))
    assert 'value="How do you travel?"' in page.content.decode()
    response = client.post(
        setup_url(event, f"questions/{travel.pk}/"),
        {
            "kind": "single",
            "position": "2",
            "label_en": "How will you travel?",
            f"option_{plane.pk}_en": "Plane",
            f"option_{plane.pk}_fr": "Avion",
            f"option_{bus.pk}_en": "Bus",
            f"option_{bus.pk}_delete": "on",
            "new_0_en": "Car",
        },
    )
    assert response.status_code == 302
    assert list(travel.options.values_list("label_en", "label_fr")) == [
        ("Plane", "Avion"),
        ("Car", ""),
    ]
    client.post(setup_url(event, "questions/"), {"move": f"up:{travel.pk}"})
    assert list(Question.objects.filter(event=event).values_list("pk", flat=True)) == [
        travel.pk,
        first.pk,
        flight.pk,
    ]

    # A choice question needs an option: the error is shown beside the first option.
    refused = client.post(
        setup_url(event, "questions/new/"), {"kind": "single", "position": "4", "label_en": "X"}
    )
    assert refused.status_code == 200
    assert "A choice question needs at least one option." in text(refused)

    # Deleting asks first, saying what goes with it.
    confirm = text(client.get(setup_url(event, f"questions/{travel.pk}/delete/")))
    assert "Delete the question “How will you travel?”?" in confirm
    assert "Flight number" in confirm
    assert Question.objects.filter(pk=travel.pk).exists()
    client.post(setup_url(event, f"questions/{travel.pk}/delete/"))
    assert list(Question.objects.filter(event=event)) == [first]
    assert not QuestionOption.objects.filter(question_id=travel.pk).exists()


def test_registration_settings_are_saved_in_the_events_time_zone(organiser_client, event):
    client = organiser_client
    page = client.get(setup_url(event, "registration/"))
    assert "(UTC+0" in text(page)
    opens = (timezone.localdate() + timedelta(days=1)).isoformat()
    closes = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        setup_url(event, "registration/"),
        {
            "registration_opens_at": f"{opens}T08:30",
            "registration_closes_at": f"{closes}T18:00",
            "capacity": "25",
            "requires_approval": "on",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 25 and event.requires_approval
    local = timezone.localtime(event.registration_opens_at, event.tz)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (opens, "08:30")
    assert 'value="25"' in client.get(setup_url(event, "registration/")).content.decode()


def test_registration_settings_refuse_a_capacity_below_the_places_taken(organiser_client, event):
    for index in range(3):
        register(organiser_client, event, email=f"p{index}@example.org")
    organiser_client.force_login(event.organiser)
    response = organiser_client.post(
        setup_url(event, "registration/"),
        {"registration_opens_at": "", "registration_closes_at": "", "capacity": "2"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(
        r'id="id_capacity_error"[^>]*><li>3 places are taken already: the capacity cannot be '
        r"lower\.</li>",
        page,
    )
    event.refresh_from_db()
    assert event.capacity == 40


@pytest.mark.parametrize("language", ["en", "fr"])
def test_registration_cannot_close_after_the_event_has_ended(organiser_client, event, language):
    """Else people register after the event, and are then asked for their feedback."""
    after = event.ends_at.astimezone(event.tz) + timedelta(hours=1)
    response = organiser_client.post(
        f"/{language}/workspace/{event.slug}/setup/registration/",
        {
            "registration_opens_at": "",
            "registration_closes_at": after.strftime("%Y-%m-%dT%H:%M"),
            "capacity": "40",
        },
    )
    assert response.status_code == 200
    message = {
        "en": "Registration must close by the end of the event at the latest.",
        "fr": "Les inscriptions doivent fermer au plus tard à la fin de l’événement.",
    }[language]
    assert re.search(
        rf'id="id_registration_closes_at_error"[^>]*><li>{re.escape(message)}</li>',
        response.content.decode(),
    )
    closes = event.registration_closes_at
    event.refresh_from_db()
    assert event.registration_closes_at == closes


def test_raising_the_capacity_gives_places_to_the_waiting_list(organiser_client, event):
    event.capacity = 1
    event.save()
    register(organiser_client, event, email="first@example.org")
    register(organiser_client, event, email="second@example.org")
    assert Registration.objects.get(email="second@example.org").status == "waitlisted"
    organiser_client.force_login(event.organiser)
    organiser_client.post(setup_url(event, "registration/"), {"capacity": "2"})
    assert Registration.objects.get(email="second@example.org").status == "confirmed"


def test_quotas_are_added_changed_and_deleted_after_a_confirmation(organiser_client, event):
    client = organiser_client
    partner = OrganisationFactory(name="Asociația Timiș")
    empty = text(client.get(setup_url(event, "quotas/")))
    assert "No places are reserved yet." in empty
    release = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        setup_url(event, "quotas/"),
        {"organisation": partner.pk, "places": "5", "release_at": f"{release}T12:00"},
    )
    assert response.status_code == 302
    quota = Quota.objects.get(event=event)
    assert quota.places == 5
    assert timezone.localtime(quota.release_at, event.tz).strftime("%H:%M") == "12:00"
    listing = text(client.get(setup_url(event, "quotas/")))
    assert "Asociația Timiș" in listing

    too_many = client.post(
        setup_url(event, f"quotas/{quota.pk}/"), {"organisation": partner.pk, "places": "41"}
    )
    assert "The event has 40 places in all." in text(too_many)
    client.post(
        setup_url(event, f"quotas/{quota.pk}/"), {"organisation": partner.pk, "places": "3"}
    )
    quota.refresh_from_db()
    assert quota.places == 3 and quota.release_at is None

    confirm = text(client.get(setup_url(event, f"quotas/{quota.pk}/delete/")))
    assert "Stop reserving places for Asociația Timiș?" in confirm
    assert "Its 3 reserved places will be open to everyone at once" in confirm
    assert Quota.objects.filter(pk=quota.pk).exists()
    client.post(setup_url(event, f"quotas/{quota.pk}/delete/"))
    assert not Quota.objects.filter(event=event).exists()


def test_a_released_quota_promotes_the_waiting_list_in_order_once(organiser_client, event):
    client = organiser_client
    partner = OrganisationFactory(name="Partner")
    event.capacity = 3
    event.save()
    release = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        setup_url(event, "quotas/"),
        {"organisation": partner.pk, "places": "2", "release_at": f"{release}T09:00"},
    )
    quota = Quota.objects.get(event=event)
    # One free place, then the waiting list: the two others are reserved for the partner.
    for name in ("ana", "bogdan", "carmen", "dan"):
        register(client, event, email=f"{name}@example.org", first_name=name.title())
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["ana@example.org"] == "confirmed"
    assert {statuses[f"{n}@example.org"] for n in ("bogdan", "carmen", "dan")} == {"waitlisted"}
    deliver_outbox()
    mail.outbox.clear()

    tasks.quotas_release_due()
    assert Registration.objects.filter(status="waitlisted").count() == 3  # not due yet

    # The release time passes.
    Quota.objects.filter(pk=quota.pk).update(release_at=timezone.now() - timedelta(minutes=1))
    assert tasks.quotas_release_due() == 2
    assert tasks.quotas_release_due() == 0  # run again: nothing more
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["bogdan@example.org"] == statuses["carmen@example.org"] == "confirmed"
    assert statuses["dan@example.org"] == "waitlisted"
    deliver_outbox()
    promoted = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Un loc"))
    assert promoted == ["bogdan@example.org", "carmen@example.org"]
    assert len(mail.outbox) == 2
    client.force_login(event.organiser)
    listing = text(client.get(setup_url(event, "quotas/")))
    assert "(released)" in listing


def test_the_quota_release_runs_on_the_beat_schedule():
    from django.conf import settings

    from config.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "registrations.quotas_release_due" in scheduled
    app.loader.import_default_modules()
    assert "registrations.quotas_release_due" in app.tasks


def test_an_answer_another_question_depends_on_cannot_be_removed(organiser_client, event):
    travel, plane, train, _flight = conditional_event(organiser_client, event)
    url = setup_url(event, f"questions/{travel.pk}/")
    fields = {
        "position": "1",
        "required": "on",
        "label_en": "How do you travel?",
        f"option_{plane.pk}_en": "Plane",
        f"option_{train.pk}_en": "Train",
    }
    as_text = organiser_client.post(url, {**fields, "kind": "text"})
    assert as_text.status_code == 200
    assert (
        "“Flight number” is asked only for some answers to this one: change its condition first."
        in text(as_text)
    )
    without_plane = organiser_client.post(
        url, {**fields, "kind": "single", f"option_{plane.pk}_delete": "on"}
    )
    assert without_plane.status_code == 200
    assert "“Flight number” is asked only for this answer: change its condition first." in text(
        without_plane
    )
    assert list(travel.options.all()) == [plane, train]
    assert Question.objects.get(pk=travel.pk).kind == "single"
    without_train = organiser_client.post(
        url, {**fields, "kind": "multiple", f"option_{train.pk}_delete": "on"}
    )
    assert without_train.status_code == 302
    assert list(travel.options.all()) == [plane]


def test_a_question_depends_only_on_a_question_asked_before_it(organiser_client, event):
    travel, plane, _train, _flight = conditional_event(organiser_client, event)
    later = add_question(
        organiser_client, event, kind="yes_no", position="3", label_en="Do you need a visa?"
    )
    url = setup_url(event, f"questions/{travel.pk}/")

    offered = organiser_client.get(url).content.decode()
    assert f'value="{later.pk}:yes"' not in offered  # asked after "How do you travel?"

    organiser_client.post(
        url, {"kind": "single", "label_en": travel.label_en, "shown_if": f"{later.pk}:yes"}
    )
    travel.refresh_from_db()
    assert travel.shown_if_question is None
    assert (
        f'value="{travel.pk}:{plane.pk}"'
        in organiser_client.get(setup_url(event, f"questions/{later.pk}/")).content.decode()
    )


def test_the_public_page_counts_only_places_open_to_someone_without_a_reserved_place(
    organiser_client, event, client
):
    partner = OrganisationFactory(name="Partner")
    event.capacity = 17
    event.save()
    organiser_client.post(
        setup_url(event, "quotas/"),
        {"organisation": partner.pk, "places": "15", "release_at": "2099-05-12T09:00"},
    )
    for name in ("ana", "bogdan"):
        register(organiser_client, event, email=f"{name}@example.org")
    # Two places were open to everyone: the next person waits.
    assert Registration.objects.filter(status="confirmed").count() == 2
    page = text(client.get("/en/events/timisoara/"))
    assert "0 places left of 17 (15 more reserved for partner organisations until" in page
    assert "12 May 2099" in page
    assert "Join the waiting list" in page
    fragment = text(client.get("/en/events/timisoara/places/"))
    assert "0 places left of 17 (15 more" in fragment
    # The release date moves: the (cached) public page says so at once.
    quota = Quota.objects.get(event=event)
    organiser_client.force_login(event.organiser)
    organiser_client.post(
        setup_url(event, f"quotas/{quota.pk}/"),
        {"organisation": partner.pk, "places": "15", "release_at": "2099-06-01T09:00"},
    )
    assert "1 June 2099" in text(client.get("/en/events/timisoara/"))

    organiser_client.force_login(event.organiser)
    response = organiser_client.post(
        setup_url(event, "registration/"),
        {"registration_opens_at": "", "registration_closes_at": "", "capacity": "16"},
    )
    assert "2 places are taken and 15 more are reserved for partner organisations: the " in (
        text(response)
    )
    event.refresh_from_db()
    assert event.capacity == 17


def test_the_public_page_stops_counting_released_places_as_reserved(
    organiser_client, event, client
):
    partner = OrganisationFactory(name="Partner")
    event.capacity = 5
    event.save()
    release = (timezone.localdate() + timedelta(days=3)).isoformat()
    organiser_client.post(
        setup_url(event, "quotas/"),
        {"organisation": partner.pk, "places": "2", "release_at": f"{release}T09:00"},
    )
    assert "2 more reserved for partner organisations" in text(client.get("/en/events/timisoara/"))
    # The release time passes (nobody waits, so no place changes hands), then the task runs.
    Quota.objects.filter(event=event).update(release_at=timezone.now() - timedelta(minutes=1))
    tasks.quotas_release_due()
    page = text(client.get("/en/events/timisoara/"))
    assert "reserved for partner organisations" not in page
    assert "5 places left of 5" in page
