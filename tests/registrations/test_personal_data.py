"""A person's own data, as they would try it: their copy and its erasure from the private
link in their email, account deletion, retention, consents, the privacy page."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import formats, timezone, translation
from django.utils.formats import date_format

from events.models import Event, ProgrammeItem
from notifications.models import Kind, OutgoingMessage
from registrations import tasks
from registrations.models import (
    Answer,
    ExportJob,
    PersonalFeed,
    Registration,
)
from registrations.services import attendance_mark, registration_create

from ..events.test_pages import text
from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    UserFactory,
    at,
    form_fields,
    person,
)
from ..html_forms import form_values
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """Pages in other languages activate theirs in this thread: the next test starts in
    English again."""
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(db):
    """A national meeting with one place, a question and a workshop."""
    event = EventFactory(
        title_en="Rencontre nationale",
        capacity=1,
        privacy_notice_version="2026-03",
        registration_opens_at=at(-5),
        registration_closes_at=at(15),
    )
    event.question = QuestionFactory(event=event, label_en="Where do you travel from?")
    event.travel = QuestionFactory(event=event, label_en="Travel by", kind="single")
    event.travel.train = event.travel.options.create(label_en="Train")
    event.travel.options.create(label_en="Bus")
    event.workshop = ProgrammeItemFactory(
        event=event, kind=ProgrammeItem.Kind.WORKSHOP, title_en="Commons", capacity=5
    )
    return event


def register_through_the_form(client, event, **fields):
    values = form_fields(
        email="ana@example.org",
        dietary_needs="vegan",
        accessibility_needs="step-free access",
        listed_publicly="on",
        workshop_0=str(event.workshop.pk),
        **{
            f"question_{event.question.pk}": "Cluj-Napoca",
            f"question_{event.travel.pk}": str(event.travel.train.pk),
        },
    )
    values.update(fields)
    response = client.post(f"/en/events/{event.slug}/register/", values)
    assert response.status_code == 302, text(response)
    return Registration.objects.get(event=event, email=values["email"])


def test_a_participant_downloads_everything_held_about_them_from_the_private_link(client, meeting):
    ana = register_through_the_form(client, meeting)
    attendance_mark(registration=ana, day=meeting.local_starts_at.date(), now=meeting.ends_at)
    deliver_outbox()  # the confirmation goes out
    page = text(client.get(f"/en/r/{ana.secret}/"))
    assert "Download or erase my data" in page

    page = client.get(f"/en/r/{ana.secret}/my-data/")
    assert "Download my data (JSON)" in text(page)
    download = client.get(f"/en/r/{ana.secret}/my-data.json")
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    data = json.loads(download.content)

    [registration] = data["registrations"]
    assert registration["event"]["title"] == "Rencontre nationale"
    assert (registration["first_name"], registration["last_name"]) == ("Ana", "Popescu")
    assert registration["email"] == "ana@example.org"
    assert registration["status"] == "confirmed"
    assert registration["dietary_needs"] == "vegan"
    assert registration["accessibility_needs"] == "step-free access"
    assert registration["answers"] == [
        {"question": "Where do you travel from?", "answer": "Cluj-Napoca"},
        {"question": "Travel by", "answer": "Train"},
    ]
    assert [w["title"] for w in registration["workshops"]] == ["Commons"]
    assert registration["attendance"][0]["day"] == meeting.local_starts_at.date().isoformat()
    consents = registration["consents"]
    assert consents["privacy_notice"]["version"] == "2026-03"
    assert consents["privacy_notice"]["given_at"]
    assert consents["attendee_list"] == {
        "listed": True,
        "version": "2026-03",
        "given_at": consents["attendee_list"]["given_at"],
    }
    assert consents["attendee_list"]["given_at"]
    emails = {(row["kind"], row["state"]) for row in data["emails"]}
    assert ("confirmed", "sent") in emails
    assert ("reminder", "queued") in emails
    [feed] = data["personal_calendar_feeds"]
    assert feed["address"].endswith(".ics")


def test_erasing_from_the_private_link_anonymises_and_gives_the_place_to_the_waiting_list(
    client, meeting
):
    ana = register_through_the_form(client, meeting)
    bela = registration_create(event=meeting, person=person(email="bela@example.org"))[0]
    assert bela.status == "waitlisted"
    client.get(f"/en/r/{ana.secret}/")  # makes her personal calendar feed
    deliver_outbox()
    mail.outbox.clear()
    queued = OutgoingMessage.objects.filter(registration=ana, state="queued")
    assert queued.filter(kind=Kind.REMINDER).exists()

    link = f"/en/r/{ana.secret}/"
    response = client.post(f"{link}my-data/", {"confirm": "on"})
    assert response.status_code == 302
    assert "Your data is erased" in text(client.get(response["Location"]))

    ana.refresh_from_db()
    assert ana.anonymised_at is not None
    assert (ana.first_name, ana.last_name, ana.dietary_needs, ana.accessibility_needs) == (
        "",
        "",
        "",
        "",
    )
    assert ana.email.endswith("@anonymised.invalid")
    assert not ana.listed_publicly
    assert ana.status == "cancelled"
    assert not Answer.objects.filter(registration=ana).exists()
    assert not PersonalFeed.objects.filter(email="ana@example.org").exists()
    meeting.refresh_from_db()
    assert meeting.places_taken == 1
    bela.refresh_from_db()
    assert bela.status == "confirmed"
    assert not OutgoingMessage.objects.filter(registration=ana, state="queued").exists()
    assert not OutgoingMessage.objects.filter(recipient="ana@example.org").exists()
    # The private link is dead, and nothing goes to her any more, even after the event.
    assert client.get(link).status_code == 404
    deliver_outbox(now=meeting.ends_at + timedelta(days=1))
    recipients = {address for email in mail.outbox for address in email.to}
    assert "ana@example.org" not in recipients
    assert "bela@example.org" in recipients  # promoted


def test_erasing_after_the_cancellation_deadline_still_frees_the_place(client):
    event = EventFactory(capacity=1, registration_opens_at=at(-10), registration_closes_at=at(-1))
    ana = Registration.objects.create(
        event=event, email="ana@example.org", first_name="Ana", last_name="P", status="confirmed"
    )
    bela = Registration.objects.create(
        event=event,
        email="bela@example.org",
        first_name="Béla",
        last_name="K",
        status="waitlisted",
        waitlisted_at=timezone.now(),
    )
    Event.objects.filter(pk=event.pk).update(places_taken=1)

    client.post(f"/en/r/{ana.secret}/my-data/", {"confirm": "on"})

    ana.refresh_from_db()
    bela.refresh_from_db()
    assert (ana.status, bela.status) == ("cancelled", "confirmed")
    assert ana.anonymised_at is not None


def test_erasing_a_registration_to_an_event_that_has_started_keeps_it_counted(client):
    event = EventFactory(
        capacity=5,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    ana = Registration.objects.create(
        event=event, email="ana@example.org", first_name="Ana", last_name="P", status="confirmed"
    )
    Event.objects.filter(pk=event.pk).update(places_taken=1)

    client.post(f"/en/r/{ana.secret}/my-data/", {"confirm": "on"})

    ana.refresh_from_db()
    assert ana.status == "confirmed" and ana.anonymised_at is not None
    assert ana.full_name == "Anonymised participant"
    event.refresh_from_db()
    assert event.places_taken == 1


def test_erasing_needs_the_confirmation_box(client, meeting):
    ana = register_through_the_form(client, meeting)
    response = client.post(f"/en/r/{ana.secret}/my-data/", {})
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.anonymised_at is None and ana.first_name == "Ana"


def test_an_account_holder_downloads_their_data_and_deletes_their_account(client, meeting):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="ana@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ana = register_through_the_form(client, meeting)
    client.force_login(user)

    data = json.loads(client.get("/en/my/data.json").content)
    assert data["account"]["email"] == "ana@example.org"
    assert data["account"]["organiser_of"] == []
    assert [r["email"] for r in data["registrations"]] == ["ana@example.org"]

    page = text(client.get("/en/my/account/delete/"))
    assert "Delete my account" in page
    # Deleting asks for the password again first (allauth's reauthentication)...
    response = client.post("/en/my/account/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert get_user_model().objects.filter(pk=user.pk).exists()
    # ... then carries on with the deletion she asked for.
    response = client.post(response["Location"], {"password": "correct horse battery staple"})
    assert response.status_code == 302
    assert "Your data is erased" in text(client.get(response["Location"]))
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    ana.refresh_from_db()
    assert ana.anonymised_at is not None and ana.user_id is None
    assert client.get("/en/my/registrations/").status_code == 302  # logged out


def test_the_retention_task_anonymises_past_events_after_their_period_only(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {"national_meeting": 365, "training": 1827}
    long_ago = {"starts_at": at(-402), "ends_at": at(-400)}
    old_meeting = EventFactory(kind=Event.Kind.NATIONAL_MEETING, **long_ago)
    old_training = EventFactory(kind=Event.Kind.TRAINING, **long_ago)
    recent = EventFactory(kind=Event.Kind.NATIONAL_MEETING, starts_at=at(-12), ends_at=at(-10))
    people = {}
    for event in (old_meeting, old_training, recent):
        people[event] = Registration.objects.create(
            event=event,
            email=f"{event.slug}@example.org",
            first_name="Ana",
            last_name="P",
            status="confirmed",
            dietary_needs="vegan",
        )
        OutgoingMessage.objects.create(
            kind=Kind.CONFIRMED,
            recipient=f"{event.slug}@example.org",
            language="en",
            registration=people[event],
            event=event,
            due_at=event.starts_at,
            state="sent",
            sent_at=event.starts_at,
            message_id=f"<{event.slug}@test>",
        )

    first = tasks.personal_data_retention()
    second = tasks.personal_data_retention()

    assert first["registrations"] >= 1 and first["notifications"] >= 1
    assert set(second.values()) == {0}  # nothing left to do, in any app
    assert {"registrations", "mobility", "notifications", "resources", "evaluation"} <= set(second)
    gone = Registration.objects.get(pk=people[old_meeting].pk)
    assert gone.anonymised_at is not None and gone.dietary_needs == "" and gone.first_name == ""
    assert gone.status == "confirmed"  # still counted
    assert OutgoingMessage.objects.get(registration=gone).recipient == gone.email
    for kept in (old_training, recent):
        registration = Registration.objects.get(pk=people[kept].pk)
        assert registration.anonymised_at is None and registration.first_name == "Ana"
        assert OutgoingMessage.objects.get(registration=registration).recipient.startswith(
            kept.slug
        )


def test_stored_email_bodies_and_export_files_are_purged_after_the_short_period(settings):
    event = EventFactory()
    organiser = UserFactory()
    old, recent = timezone.now() - timedelta(days=31), timezone.now() - timedelta(days=2)
    paths = {}
    for name, made in (("old", old), ("recent", recent)):
        message = OutgoingMessage.objects.create(
            kind=Kind.ACCOUNT,
            recipient=f"{name}@example.org",
            language="en",
            due_at=made,
            state="sent",
            sent_at=made,
            subject="Your login code",
            body_text="Your code is 123456",
            message_id=f"<{name}@test>",
        )
        job = ExportJob.objects.create(
            event=event, requested_by=organiser, format="csv", state="done"
        )
        job.file.save(f"{name}.csv", ContentFile(b"name,email\nAna,ana@example.org\n"))
        paths[name] = Path(job.file.path)
        OutgoingMessage.objects.filter(pk=message.pk).update(created_at=made)
        ExportJob.objects.filter(pk=job.pk).update(created_at=made)
    assert all(path.exists() for path in paths.values())

    tasks.personal_data_retention()
    tasks.personal_data_retention()

    purged = OutgoingMessage.objects.get(message_id="<old@test>")
    assert (purged.subject, purged.body_text) == ("", "")
    assert purged.recipient != "old@example.org"
    kept = OutgoingMessage.objects.get(message_id="<recent@test>")
    assert kept.body_text == "Your code is 123456"
    assert not paths["old"].exists()
    assert paths["recent"].exists()
    assert ExportJob.objects.count() == 1
    paths["recent"].unlink()


def test_the_workspace_overview_shows_when_the_event_data_is_anonymised(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {"national_meeting": 365, "training": 1827}
    organiser = UserFactory()
    event = EventFactory(
        kind=Event.Kind.TRAINING,
        starts_at=at(10, "09:00"),
        ends_at=at(13, "17:00"),
    )
    event.organisers.add(organiser)
    client.force_login(organiser)
    page = text(client.get(f"/en/workspace/{event.slug}/"))
    expected = date_format((event.local_ends_at + timedelta(days=1827)).date(), "DATE_FORMAT")
    assert f"personal data will be anonymised on {expected}." in page


def test_a_delegate_gets_only_the_invitation_to_confirm_until_they_consent(client):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))
    organisation = OrganisationFactory()
    coordinator = UserFactory()
    organisation.coordinators.add(coordinator)
    rita = registration_create(
        event=event,
        person=person(email="rita@example.org", organisation=organisation, privacy_consent=False),
        registered_by=coordinator,
    )[0]
    assert rita.status == "confirmed"
    # Everything due until after the event: only the invitation reaches her.
    deliver_outbox(now=event.ends_at + timedelta(days=1))
    assert [email.to for email in mail.outbox] == [["rita@example.org"]]
    invitation = OutgoingMessage.objects.get(registration=rita, state="sent")
    assert invitation.kind == Kind.DELEGATE_INVITED
    mail.outbox.clear()

    values = form_values(client.get(f"/en/r/{rita.secret}/details/").content.decode())
    values["privacy_consent"] = ["on"]
    assert client.post(f"/en/r/{rita.secret}/details/", values).status_code == 302

    deliver_outbox()
    [confirmation] = mail.outbox
    assert confirmation.to == ["rita@example.org"]
    assert OutgoingMessage.objects.filter(registration=rita, state="sent").count() == 2
    assert OutgoingMessage.objects.filter(registration=rita, kind=Kind.REMINDER).exists()


def test_confirming_details_again_keeps_needs_answers_and_the_attendee_list_choice(client):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))
    question = QuestionFactory(event=event, label_en="Arriving by")
    organisation = OrganisationFactory()
    coordinator = UserFactory()
    organisation.coordinators.add(coordinator)
    rita = registration_create(
        event=event,
        person=person(email="rita@example.org", organisation=organisation, privacy_consent=False),
        registered_by=coordinator,
    )[0]
    url = f"/en/r/{rita.secret}/details/"
    values = form_values(client.get(url).content.decode())
    values |= {
        "dietary_needs": ["vegetarian"],
        "accessibility_needs": ["wheelchair"],
        "listed_publicly": ["on"],
        f"question_{question.pk}": ["train"],
        "privacy_consent": ["on"],
    }
    assert client.post(url, values).status_code == 302

    # She opens the page again and sends it as it shows (ticking the consent box again).
    values = form_values(client.get(url).content.decode())
    values["privacy_consent"] = ["on"]
    assert client.post(url, values).status_code == 302

    rita.refresh_from_db()
    assert rita.dietary_needs == "vegetarian"
    assert rita.accessibility_needs == "wheelchair"
    assert rita.listed_publicly
    assert rita.listed_publicly_consented_at is not None
    assert rita.answers.get().value == "train"


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("en", "Privacy", "What we keep"),
        ("fr", "Confidentialité", "Ce que nous conservons"),
        ("ro", "Confidențialitate", "Ce păstrăm"),
        ("hu", "Adatvédelem", "Mit őrzünk meg"),
        ("pt", "Privacidade", "O que guardamos"),
        ("it", "Privacy", "Che cosa conserviamo"),
    ],
)
def test_the_privacy_page_says_how_long_data_is_kept_in_each_language(
    client, settings, language, title, heading
):
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        "national_meeting": 365,
        "training": 1827,
        "project_meeting": 365,
        "online": 180,
    }
    settings.PERSONAL_DATA_FILES_RETENTION_DAYS = 30
    response = client.get(f"/{language}/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert heading in html
    page = text(response)
    with translation.override(language):  # numbers grouped as the language groups them
        for days in (1827, 365, 180, 30):
            assert " ".join(formats.number_format(days).split()) in page  # as text() reads it


def test_the_consent_box_links_to_the_privacy_page_when_the_event_has_no_notice(client):
    event = EventFactory(registration_opens_at=at(-5), registration_closes_at=at(15))
    html = client.get(f"/fr/events/{event.slug}/register/").content.decode()
    assert 'href="/fr/privacy/"' in html
