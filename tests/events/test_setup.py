"""The organisers' setup pages of the events app, driven as an organiser with neither the
staff flag nor any Django model permission: create or copy an event, edit its languages
side by side, publish it, build its programme and announce changes."""

import re
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from events.models import Event, ProgrammeChange, ProgrammeItem, Room, Speaker, Venue
from notifications.models import Kind, NotificationSettings, OutgoingMessage, ReminderSchedule
from registrations import services as registration_services
from registrations.models import Question, QuestionOption, Quota

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuotaFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    at,
    person,
)
from ..html_forms import form_values
from ..outbox import deliver_outbox
from .test_pages import text

pytestmark = pytest.mark.django_db

BUCHAREST = "Europe/Bucharest"


@pytest.fixture
def organiser(db):
    """An organiser as the product makes them: in the Organisers group, no staff flag, no
    model permission."""
    user = UserFactory(email="oana@example.org", is_staff=False)
    user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    assert not user.is_staff and not user.get_all_permissions()
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def training(organiser):
    """A published training in Timișoara (en, fr, ro) with a workshop and a plenary."""
    venue = VenueFactory(name="Casa Artelor", city="Timișoara", country="RO")
    event = EventFactory(
        slug="timisoara",
        title_en="Training in Timișoara",
        title_fr="Formation à Timișoara",
        title_ro="Formare la Timișoara",
        venue=venue,
        timezone=BUCHAREST,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(32, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
        languages=["en", "fr", "ro"],
    )
    event.organisers.add(organiser)
    event.room_a = RoomFactory(venue=venue, name="Sala Mare")
    event.room_b = RoomFactory(venue=venue, name="Sala Mică")
    event.workshop = ProgrammeItemFactory(
        event=event,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        title_fr="Cartographie",
        title_ro="Cartografiere",
        room=event.room_a,
        capacity=20,
        starts_at=at(30, "11:00", BUCHAREST),
        ends_at=at(30, "12:30", BUCHAREST),
    )
    event.plenary = ProgrammeItemFactory(
        event=event,
        title_en="Opening",
        title_ro="Deschidere",
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(30, "10:00", BUCHAREST),
    )
    return event


def register(event, email, language, workshops=()):
    return registration_services.registration_create(
        event=event,
        person=person(email=email, language=language, workshops=list(workshops)),
    )[0]


def item_post(event, item=None, **overrides) -> dict:
    """What the programme item form posts (times typed in the event's zone)."""
    values = {
        "kind": item.kind if item else "plenary",
        "title_en": item.title_en if item else "New session",
        "starts_at": event.local(item.starts_at).strftime("%Y-%m-%dT%H:%M") if item else "",
        "ends_at": event.local(item.ends_at).strftime("%Y-%m-%dT%H:%M") if item else "",
        "room": item.room_id or "" if item else "",
        "location_en": "",
        "language": "",
        "capacity": item.capacity or "" if item else "",
    }
    if item:  # the browser sends back every field as the page showed it
        values["speakers"] = [speaker.pk for speaker in item.speakers.all()]
        for code in event.languages:
            values.setdefault(f"title_{code}", getattr(item, f"title_{code}") or "")
            values.setdefault(f"description_{code}", getattr(item, f"description_{code}") or "")
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


# --- create, copy, publish ------------------------------------------------------------------


def test_create_event_from_scratch_makes_a_draft_organised_by_its_creator(
    organiser_client, organiser, client
):
    host = OrganisationFactory(name="Asociația Gazdă", country="RO")
    partner = OrganisationFactory(name="Réseau Partenaire")
    venue = VenueFactory(created_by=organiser)
    assert "Create an event" in text(organiser_client.get("/en/workspace/"))
    page = organiser_client.get("/en/workspace/new/")
    assert "Create an event" in text(page)

    response = organiser_client.post(
        "/en/workspace/new/",
        {
            "action": "create",
            "new-slug": "national-2027",
            "new-title": "National meeting 2027",
            "new-kind": "national_meeting",
            "new-host": host.pk,
            "new-co_organisers": [partner.pk],
            "new-venue": venue.pk,
            "new-timezone": "Europe/Paris",
            "new-starts_at": "2027-03-11T09:30",
            "new-ends_at": "2027-03-12T17:00",
            "new-default_language": "fr",
            "new-languages": ["fr", "en"],
        },
    )

    assert response.status_code == 302
    event = Event.objects.get(slug="national-2027")
    assert event.status == Event.Status.DRAFT
    assert event.title_fr == "National meeting 2027"
    assert list(event.organisers.all()) == [organiser]
    assert list(event.co_organisers.all()) == [partner]
    assert event.local_starts_at.strftime("%H:%M") == "09:30"  # typed in the event's zone
    client.logout()
    assert client.get("/en/events/national-2027/").status_code == 404


def test_create_event_refuses_wrong_input_beside_its_field(organiser_client):
    response = organiser_client.post(
        "/en/workspace/new/",
        {"action": "create", "new-slug": "new", "new-title": "", "new-kind": "online"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_new-title_error"' in html
    assert "This address is taken" in html
    assert not Event.objects.exists()


def test_copy_event_shifts_programme_and_copies_configuration(organiser_client, organiser):
    source = EventFactory(
        slug="nagyvazsony-2026",
        title_en="Training",
        title_ro="Formare",
        privacy_notice_en="We keep your data one year.",
        timezone=BUCHAREST,
        starts_at=at(-200, "09:00", BUCHAREST),
        ends_at=at(-197, "17:00", BUCHAREST),
        status=Event.Status.PUBLISHED,
    )
    source.organisers.add(organiser)
    room = RoomFactory(venue=source.venue, name="Sala Mare")
    workshop = ProgrammeItemFactory(
        event=source,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        title_ro="Cartografiere",
        room=room,
        capacity=12,
        starts_at=at(-199, "14:30", BUCHAREST),
        ends_at=at(-199, "16:00", BUCHAREST),
    )
    speaker = SpeakerFactory(name="Ildikó")
    workshop.speakers.add(speaker)
    travel = Question.objects.create(
        event=source, kind=Question.Kind.SINGLE, label_en="Travel", label_ro="Călătorie"
    )
    plane = QuestionOption.objects.create(question=travel, label_en="Plane", label_ro="Avion")
    QuestionOption.objects.create(question=travel, label_en="Train", label_ro="Tren")
    Question.objects.create(
        event=source,
        label_en="Flight number",
        position=1,
        shown_if_question=travel,
        shown_if_value=str(plane.pk),
    )
    Question.objects.create(event=source, label_en="Dietary wishes", position=2)
    partner = OrganisationFactory(name="CRIES")
    QuotaFactory(event=source, organisation=partner, places=5, release_at=at(-210))
    ReminderSchedule.objects.filter(event=source).delete()
    ReminderSchedule.objects.create(event=source, days_before=10, local_time=time(8, 15))
    NotificationSettings.objects.create(
        event=source, daily_digest=True, reply_to="x@ex.org", confirmation_text_ro="Pe curând!"
    )
    first_day = (source.local_starts_at + timedelta(days=400)).date()
    offered = text(organiser_client.get("/en/workspace/new/"))
    # Copies share their title: each is told apart by its first day and address.
    assert "Training · " in offered and " · nagyvazsony-2026" in offered

    response = organiser_client.post(
        "/en/workspace/new/",
        {
            "action": "copy",
            "copy-source": source.pk,
            "copy-slug": "timisoara-2027",
            "copy-first_day": first_day.isoformat(),
        },
    )

    assert response.status_code == 302
    copy = Event.objects.get(slug="timisoara-2027")
    assert copy.status == Event.Status.DRAFT
    assert list(copy.organisers.all()) == [organiser]
    assert (copy.title_en, copy.title_ro) == ("Training", "Formare")
    assert copy.privacy_notice_en == "We keep your data one year."
    assert copy.local_starts_at.date() == first_day
    assert copy.local_starts_at.strftime("%H:%M") == "09:00"
    item = copy.programme_items.get()
    assert (item.title_ro, item.room, item.capacity) == ("Cartografiere", room, 12)
    assert list(item.speakers.all()) == [speaker]
    assert copy.local(item.starts_at).date() == first_day + timedelta(days=1)
    assert copy.local(item.starts_at).strftime("%H:%M") == "14:30"  # across summer time too
    questions = list(copy.questions.order_by("position"))
    assert [q.label_en for q in questions] == ["Travel", "Flight number", "Dietary wishes"]
    assert questions[0].label_ro == "Călătorie"
    assert [o.label_ro for o in questions[0].options.all()] == ["Avion", "Tren"]
    flight = questions[1]  # asked of the copy's plane travellers, not the source's
    assert flight.shown_if_question == questions[0]
    assert flight.shown_if_value == str(questions[0].options.get(label_en="Plane").pk)
    quota = Quota.objects.get(event=copy)
    assert (quota.organisation, quota.places, quota.release_at) == (partner, 5, None)
    assert [(r.days_before, r.local_time) for r in copy.reminder_schedule.all()] == [
        (10, time(8, 15))
    ]
    assert copy.notification_settings.daily_digest
    assert copy.notification_settings.confirmation_text_ro == "Pe curând!"
    assert source.programme_items.get() == workshop  # the source is left as it was


def test_publish_and_unpublish_ask_for_confirmation(organiser_client, organiser, client):
    event = EventFactory(slug="draft-event", status=Event.Status.DRAFT)
    event.organisers.add(organiser)

    page = organiser_client.get("/en/workspace/draft-event/setup/publish/")
    assert "Publish this event?" in text(page)
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT
    organiser_client.post("/en/workspace/draft-event/setup/publish/")
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED

    page = organiser_client.get("/en/workspace/draft-event/setup/unpublish/")
    assert "Unpublish this event?" in text(page)
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    organiser_client.post("/en/workspace/draft-event/setup/unpublish/")
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT


def test_publish_confirmation_lists_the_texts_missing_in_each_language(organiser_client, training):
    training.status = Event.Status.DRAFT
    training.summary_en, training.description_en = "Three days.", "Three days of training."
    training.privacy_notice_en = "We keep your data one year."
    training.summary_fr, training.privacy_notice_fr = "Trois jours.", "Un an."
    training.summary_ro = training.description_ro = training.privacy_notice_ro = ""
    training.save()

    page = organiser_client.get("/en/workspace/timisoara/setup/publish/")
    said = text(page)
    assert "Publish this event?" in said
    assert "Texts are missing" in said
    assert "The public page shows these texts in English instead:" in said
    assert "In French: description" in said
    assert "In Romanian: summary, description, privacy notice" in said
    assert "In English" not in said
    assert 'href="/en/workspace/timisoara/setup/texts/"' in page.content.decode()
    # In French, the languages' names and the fields are French.
    said = text(organiser_client.get("/fr/workspace/timisoara/setup/publish/"))
    assert "En roumain : résumé, description, politique de confidentialité" in said

    # Complete everywhere: nothing to warn about.
    training.description_fr = "Trois jours de formation."
    training.plenary.title_fr = "Ouverture"
    training.plenary.save()
    training.summary_ro, training.description_ro = "Trei zile.", "Trei zile de formare."
    training.privacy_notice_ro = "Un an."
    training.save()
    said = text(organiser_client.get("/en/workspace/timisoara/setup/publish/"))
    assert "Publish this event?" in said and "Texts are missing" not in said


def test_co_organised_event_is_listed_and_in_each_organisations_feed(
    organiser_client, training, client
):
    partners = [OrganisationFactory(name="Le Labo", slug="le-labo"), OrganisationFactory()]
    coordinator = UserFactory(email="coord@example.org")
    partners[0].coordinators.add(coordinator)
    register(training, "ana@example.ro", "ro")
    form = organiser_client.get("/en/workspace/timisoara/setup/").context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value not in (None, [])
    }
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data[key] = data[key].strftime("%Y-%m-%dT%H:%M")
    data.update(
        {
            "host": training.host_id,
            "venue": training.venue_id,
            "co_organisers": [partner.pk for partner in partners],
            "organisers": [training.organisers.get().pk],
        }
    )

    response = organiser_client.post("/en/workspace/timisoara/setup/", data)

    assert response.status_code == 302, response.content.decode()
    assert set(training.co_organisers.all()) == set(partners)
    # The picker lists no account outside the organiser's own teams, not even the
    # co-organisers' coordinators (a superuser adds people of another organisation) ...
    assert (
        coordinator.email
        not in organiser_client.get("/en/workspace/timisoara/setup/").content.decode()
    )
    data["organisers"].append(coordinator.pk)
    assert organiser_client.post("/en/workspace/timisoara/setup/", data).status_code == 400
    training.organisers.add(coordinator)  # as a superuser does
    # ... and once in the team, they stay there when an organiser saves the event.
    data["organisers"] = [training.organisers.get(email="oana@example.org").pk, coordinator.pk]
    assert organiser_client.post("/en/workspace/timisoara/setup/", data).status_code == 302
    assert training.organisers.filter(pk=coordinator.pk).exists()
    # Saved with the same dates: nobody is told the event moved.
    assert not OutgoingMessage.objects.filter(kind=Kind.EVENT_CHANGED).exists()
    assert Event.objects.get(pk=training.pk).sequence == training.sequence
    page = text(client.get("/en/events/timisoara/"))
    assert "Organised with" in page and "Le Labo" in page
    feed = client.get("/en/calendar/organisations/le-labo.ics").content.decode()
    assert "Training in Timi" in feed


def test_event_settings_refuse_registration_closing_after_the_event(organiser_client, training):
    """Else people register after the event (and are asked for feedback on it)."""
    form = organiser_client.get("/en/workspace/timisoara/setup/").context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value not in (None, [])
    }
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data[key] = data[key].strftime("%Y-%m-%dT%H:%M")
    data.update({"host": training.host_id, "venue": training.venue_id})
    data["organisers"] = [training.organisers.get().pk]
    data["registration_closes_at"] = training.local_ends_at.replace(hour=18).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = organiser_client.post("/en/workspace/timisoara/setup/", data)
    assert response.status_code == 400
    assert re.search(
        r'id="id_registration_closes_at_error"[^>]*><li>Registration must close by the end of '
        r"the event at the latest\.</li>",
        response.content.decode(),
    )
    assert (
        Event.objects.get(pk=training.pk).registration_closes_at == training.registration_closes_at
    )


# --- texts side by side ---------------------------------------------------------------------


def test_texts_side_by_side_show_what_is_missing_in_each_language(organiser_client, training):
    page = organiser_client.get("/en/workspace/timisoara/setup/texts/")
    html = page.content.decode()
    for name in ("title_en", "title_fr", "title_ro", "summary_ro", "privacy_notice_fr"):
        assert f'name="{name}"' in html
    assert re.search(r"Romanian: missing summary, description, privacy notice", text(page))

    response = organiser_client.post(
        "/en/workspace/timisoara/setup/texts/",
        {
            "title_en": "Training in Timișoara",
            "title_fr": "Formation à Timișoara",
            "title_ro": "Formare la Timișoara",
            "summary_ro": "Patru zile despre economia socială.",
            "description_ro": "Program complet.",
            "privacy_notice_ro": "Păstrăm datele dumneavoastră un an.",
        },
    )

    assert response.status_code == 302
    training.refresh_from_db()
    assert training.summary_ro == "Patru zile despre economia socială."
    page = text(organiser_client.get("/en/workspace/timisoara/setup/texts/"))
    assert "Romanian: complete" in page
    assert "French: missing summary" in page


def test_public_page_marks_text_shown_in_a_fallback_language(client, training):
    training.summary_en = "Four days on the social economy."
    training.save()

    html = client.get("/ro/events/timisoara/").content.decode()

    assert "<h1>Formare la Timișoara</h1>" in html  # translated: no mark
    assert '<p class="lead" lang="en">Four days on the social economy.</p>' in html
    assert 'class="fallback-note"' in html


# --- programme ------------------------------------------------------------------------------


def test_programme_provisional_badge_on_public_page(organiser_client, training, client):
    assert "Provisional programme" not in text(client.get("/en/events/timisoara/"))
    training.programme_provisional = True
    training.save()
    assert "Provisional programme" in text(client.get("/en/events/timisoara/"))
    assert "Provisional programme" in text(
        organiser_client.get("/en/workspace/timisoara/setup/programme/")
    )


def test_programme_items_added_with_speakers_and_bios(organiser_client, training, client):
    organiser_client.post(
        "/en/workspace/timisoara/setup/speakers/add/",
        {
            "first_name": "Ildikó",
            "last_name": "Szabó",
            "bio_en": "Runs a cooperative in Pécs.",
            "bio_fr": "Dirige une coopérative à Pécs.",
        },
    )
    speaker = Speaker.objects.get(first_name="Ildikó", last_name="Szabó")
    training.status = Event.Status.DRAFT
    training.save()
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/programme/add/",
        item_post(
            training,
            kind="workshop",
            title_en="Cooperatives",
            title_fr="Coopératives",
            starts_at=training.local(training.workshop.starts_at).strftime("%Y-%m-%dT%H:%M"),
            ends_at=training.local(training.workshop.ends_at).strftime("%Y-%m-%dT%H:%M"),
            room=training.room_b.pk,
            capacity=15,
            speakers=[speaker.pk],
        ),
    )
    assert response.status_code == 302
    item = training.programme_items.get(title_en="Cooperatives")
    assert (item.room, item.capacity) == (training.room_b, 15)
    training.status = Event.Status.PUBLISHED
    training.save()

    page = text(client.get("/fr/events/timisoara/"))
    assert "Coopératives" in page
    assert "Dirige une coopérative à Pécs." in page
    assert not ProgrammeChange.objects.exists()  # a draft's edits announce nothing


def test_programme_item_refuses_times_outside_the_event(organiser_client, training):
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/programme/add/",
        item_post(training, starts_at="2020-01-01T09:00", ends_at="2020-01-01T10:00"),
    )
    assert response.status_code == 400
    assert "must lie within its event" in response.content.decode()


def test_changes_after_registrations_make_one_email_per_person_in_their_language(
    organiser_client, training, client
):
    ana = register(training, "ana@example.ro", "ro", [training.workshop])
    louise = register(training, "louise@example.fr", "fr", [training.workshop])
    bob = register(training, "bob@example.org", "en")  # did not choose the workshop
    deliver_outbox()
    mail.outbox.clear()
    workshop = training.workshop
    new_start = workshop.starts_at + timedelta(hours=3)
    new_end = workshop.ends_at + timedelta(hours=3)

    # Three edits of the workshop: a new time, then a new room, then a new time again.
    fmt = "%Y-%m-%dT%H:%M"
    url = f"/en/workspace/timisoara/setup/programme/{workshop.pk}/"
    organiser_client.post(
        url,
        item_post(
            training,
            workshop,
            starts_at=training.local(new_start).strftime(fmt),
            ends_at=training.local(new_end).strftime(fmt),
        ),
    )
    workshop.refresh_from_db()
    organiser_client.post(url, item_post(training, workshop, room=training.room_b.pk))
    workshop.refresh_from_db()
    # a new workshop is added and the plenary cancelled (both concern everyone)
    organiser_client.post(
        "/en/workspace/timisoara/setup/programme/add/",
        item_post(
            training,
            kind="workshop",
            title_en="Housing",
            title_fr="Logement",
            title_ro="Locuire",
            starts_at=training.local(new_start).strftime(fmt),
            ends_at=training.local(new_end).strftime(fmt),
            room=training.room_a.pk,
            capacity=10,
        ),
    )
    page = organiser_client.get(
        f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/cancel/"
    )
    assert "Cancel “Opening”?" in text(page)
    organiser_client.post(f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/cancel/")

    assert not OutgoingMessage.objects.filter(
        kind__in=[Kind.WORKSHOP_CHANGED, Kind.PROGRAMME_CHANGED]
    ).exists()  # nothing per edit
    programme = text(organiser_client.get("/en/workspace/timisoara/setup/programme/"))
    assert "4 changes to the published programme are not announced yet" in programme
    assert "Announce 4 changes to 3 people" in programme

    organiser_client.post("/en/workspace/timisoara/setup/programme/announce/")

    messages = OutgoingMessage.objects.filter(kind=Kind.PROGRAMME_CHANGED)
    assert sorted(m.recipient for m in messages) == sorted([ana.email, louise.email, bob.email])
    deliver_outbox()
    by_recipient = {email.to[0]: email for email in mail.outbox}
    assert len(mail.outbox) == 3
    ro, fr, en = by_recipient[ana.email], by_recipient[louise.email], by_recipient[bob.email]
    assert ro.subject == "Modificări ale programului: Formare la Timișoara"
    assert "Cartografiere" in ro.body and "Sala Mică" in ro.body and "anulat" in ro.body
    assert fr.subject == "Modifications du programme\u00a0: Formation à Timișoara"
    assert "Cartographie" in fr.body and "annulé" in fr.body
    assert "Locuire: adăugat" in ro.body
    assert "Logement\u00a0: ajouté" in fr.body  # French typography
    assert "Mapping" not in en.body  # not their workshop
    assert "Housing: added" in en.body and "Opening: cancelled" in en.body
    assert not ProgrammeChange.objects.filter(announced_at__isnull=True).exists()
    assert "What changed" in text(client.get("/en/events/timisoara/"))

    # Nothing new to announce: a second click writes nothing.
    organiser_client.post("/en/workspace/timisoara/setup/programme/announce/")
    assert OutgoingMessage.objects.filter(kind=Kind.PROGRAMME_CHANGED).count() == 3


def test_changes_nobody_announced_go_out_after_a_quiet_period(organiser_client, training):
    from events.tasks import programme_changes_announce_quiet

    register(training, "ana@example.ro", "ro", [training.workshop])
    organiser_client.post(f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/cancel/")
    assert programme_changes_announce_quiet() == 0  # still being edited
    ProgrammeChange.objects.update(created_at=at(-1))

    assert programme_changes_announce_quiet() == 1
    assert programme_changes_announce_quiet() == 0  # twice: nothing more
    assert OutgoingMessage.objects.filter(kind=Kind.PROGRAMME_CHANGED).count() == 1


def test_cancelled_workshop_is_no_longer_offered_when_registering(
    organiser_client, training, client
):
    assert "Mapping" in text(client.get("/en/events/timisoara/register/"))
    organiser_client.post(f"/en/workspace/timisoara/setup/programme/{training.workshop.pk}/cancel/")
    assert "Mapping" not in text(client.get("/en/events/timisoara/register/"))
    page = text(client.get("/en/events/timisoara/"))
    assert "Mapping Cancelled" in page


def test_items_of_a_draft_are_deleted_after_confirmation(organiser_client, training):
    training.status = Event.Status.DRAFT
    training.save()
    url = f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/delete/"
    assert "Delete “Opening” from the programme?" in text(organiser_client.get(url))
    assert ProgrammeItem.objects.filter(pk=training.plenary.pk).exists()
    organiser_client.post(url)
    assert not ProgrammeItem.objects.filter(pk=training.plenary.pk).exists()


def test_items_of_a_published_programme_are_not_deleted(organiser_client, training):
    url = f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/delete/"
    organiser_client.post(url)
    assert ProgrammeItem.objects.filter(pk=training.plenary.pk).exists()


def test_a_place_outside_the_rooms_is_written_in_the_events_languages(
    organiser_client, training, client
):
    form = organiser_client.get("/en/workspace/timisoara/setup/programme/add/").content.decode()
    assert 'name="location_fr"' in form and 'name="location_ro"' in form
    assert "Other location (French)" in form
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/programme/add/",
        item_post(
            training,
            kind="site_visit",
            title_en="Visit",
            starts_at=training.local(training.workshop.starts_at).strftime("%Y-%m-%dT%H:%M"),
            ends_at=training.local(training.workshop.ends_at).strftime("%Y-%m-%dT%H:%M"),
            location_en="Old town",
            location_fr="Vieille ville",
            location_ro="Centrul istoric",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    item = training.programme_items.get(title_en="Visit")
    assert (item.location_en, item.location_ro) == ("Old town", "Centrul istoric")
    assert "Centrul istoric" in text(client.get("/ro/events/timisoara/"))
    french = text(client.get("/fr/events/timisoara/"))
    assert "Vieille ville" in french and "Old town" not in french


# --- venues and speakers --------------------------------------------------------------------


def test_venue_with_rooms_created_and_edited_by_its_organiser(organiser_client, training):
    form = organiser_client.get("/en/workspace/timisoara/setup/venues/add/").content.decode()
    # the city and each room's name are written side by side in the six languages
    for field in ("venue-city_en", "venue-city_hu", "rooms-0-name_pt", "rooms-1-name_it"):
        assert f'name="{field}"' in form, field
    assert "Name (Hungarian)" in form and "City (Romanian)" in form
    venue_form = {
        "venue-name": "Hotel Central",
        "venue-address": "Piața Victoriei 1",
        "venue-city_ro": "Timișoara",
        "venue-city_hu": "Temesvár",
        "venue-country": "RO",
        "rooms-TOTAL_FORMS": "2",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-name_ro": "Aula",
        "rooms-0-name_hu": "Díszterem",
        "rooms-0-capacity": "80",
        "rooms-0-position": "0",
        "rooms-1-position": "0",  # the extra form as the browser sends it, untouched
    }
    # a room with places but no name in any language, a venue without its city: refused
    refused = organiser_client.post(
        "/en/workspace/timisoara/setup/venues/add/",
        venue_form | {"venue-city_ro": "", "venue-city_hu": "", "rooms-1-capacity": "20"},
    )
    assert refused.status_code == 400
    assert text(refused).count("Write it in at least one language.") == 2
    assert not Venue.objects.filter(name="Hotel Central").exists()

    response = organiser_client.post("/en/workspace/timisoara/setup/venues/add/", venue_form)
    assert response.status_code == 302, response.content.decode()
    venue = Venue.objects.get(name="Hotel Central")
    room = venue.rooms.get()
    assert (room.name_ro, room.name_hu, room.name_en, room.capacity) == (
        "Aula",
        "Díszterem",
        None,
        80,
    )
    assert (venue.city_ro, venue.city_hu) == ("Timișoara", "Temesvár")
    listed = text(organiser_client.get("/hu/workspace/timisoara/setup/venues/"))
    assert "Temesvár" in listed and "Díszterem" in listed and "Aula" not in listed
    listed = text(organiser_client.get("/ro/workspace/timisoara/setup/venues/"))
    assert "Temesvár" not in listed and "Aula" in listed
    assert (
        organiser_client.get(f"/en/workspace/timisoara/setup/venues/{venue.pk}/").status_code == 200
    )
    # An item in that room: its name in the reader's language on the public programme.
    training.plenary.room = room
    training.plenary.save()
    assert "Díszterem" in text(Client().get("/hu/events/timisoara/"))
    assert "Aula" in text(Client().get("/ro/events/timisoara/"))


def test_venue_or_speaker_of_another_teams_event_is_not_editable(organiser_client, training):
    other = EventFactory(status=Event.Status.PUBLISHED)  # someone else's public event
    speaker = SpeakerFactory(name="Shared speaker")
    ProgrammeItemFactory(event=other).speakers.add(speaker)
    training.workshop.speakers.add(speaker)

    venue_page = organiser_client.get(f"/en/workspace/timisoara/setup/venues/{other.venue.pk}/")
    speaker_page = organiser_client.post(
        f"/en/workspace/timisoara/setup/speakers/{speaker.pk}/", {"last_name": "Renamed"}
    )

    assert venue_page.status_code == 404 and speaker_page.status_code == 404
    assert Speaker.objects.get(pk=speaker.pk).name == "Shared speaker"
    # The shared venue of their own event, too: it is another team's event's venue.
    other.venue = training.venue
    other.save()
    page = organiser_client.get(f"/en/workspace/timisoara/setup/venues/{training.venue.pk}/")
    assert page.status_code == 404


def test_speakers_names_in_the_readers_order(organiser_client, training, client):
    """A Hungarian page writes a Hungarian speaker's name family name first ("Horváth
    Eszter"), keeps a foreign one in its order; every other language writes the given name
    first. The setup form asks "Vezetéknév" before "Keresztnév" in Hungarian."""
    form = text(organiser_client.get("/hu/workspace/timisoara/setup/speakers/add/"))
    assert form.index("Vezetéknév") < form.index("Keresztnév")
    english_form = text(organiser_client.get("/en/workspace/timisoara/setup/speakers/add/"))
    assert english_form.index("First name") < english_form.index("Last name")
    response = organiser_client.post(
        "/hu/workspace/timisoara/setup/speakers/add/",
        {
            "last_name": "Horváth",
            "first_name": "Eszter",
            "organisation": OrganisationFactory(name="Fekete Sereg", country="HU").pk,
            "bio_hu": "Ifjúsági szakember.",
        },
    )
    assert response.status_code == 302
    eszter = Speaker.objects.get(first_name="Eszter", last_name="Horváth")
    maria = SpeakerFactory(
        first_name="Maria",
        last_name="Popescu",
        organisation=OrganisationFactory(name="CRIES", country="RO"),
    )
    training.workshop.speakers.add(maria, eszter)

    hungarian = text(client.get("/hu/events/timisoara/"))
    assert "Horváth Eszter (Fekete Sereg), Maria Popescu (CRIES)" in hungarian
    assert "Horváth Eszter: Ifjúsági szakember." in hungarian  # before her biography
    assert "Eszter Horváth" not in hungarian
    english = text(client.get("/en/events/timisoara/"))
    assert "Eszter Horváth (Fekete Sereg), Maria Popescu (CRIES)" in english
    assert "Horváth Eszter" not in english
    # the organiser's list, by family name, in the reader's order
    listed = text(organiser_client.get("/hu/workspace/timisoara/setup/speakers/"))
    assert listed.index("Horváth Eszter") < listed.index("Maria Popescu")
    assert "Eszter Horváth" not in listed
    # the calendar of the event, the embeddable programme and the API
    feed = client.get("/hu/calendar/events/timisoara.ics").content.decode()
    assert "Horváth Eszter (Fekete Sereg)\\, Maria Popescu (CRIES)" in feed.replace("\r\n ", "")
    english_feed = client.get("/en/calendar/events/timisoara.ics").content.decode()
    assert "Eszter Horváth (Fekete Sereg)" in english_feed.replace("\r\n ", "")
    widget = text(client.get("/hu/widget/events/timisoara/"))
    assert "Horváth Eszter, Maria Popescu" in widget
    for language, name in (("hu", "Horváth Eszter"), ("en", "Eszter Horváth")):
        body = client.get("/api/v1/events/timisoara/", {"lang": language}).json()
        [workshop] = [i for day in body["programme"] for i in day["items"] if i["speakers"]]
        assert [speaker["name"] for speaker in workshop["speakers"]] == [name, "Maria Popescu"]
        assert workshop["speakers"][0]["last_name"] == "Horváth"


def test_new_speakers_are_announced_in_each_readers_order(organiser_client, training):
    register(training, "bence@example.hu", "hu", [training.workshop])
    register(training, "bob@example.org", "en", [training.workshop])
    deliver_outbox()
    mail.outbox.clear()
    organiser = training.organisers.get()
    eszter = SpeakerFactory(
        first_name="Eszter",
        last_name="Horváth",
        organisation=OrganisationFactory(name="Fekete Sereg", country="HU"),
        created_by=organiser,
    )
    maria = SpeakerFactory(first_name="Maria", last_name="Popescu", created_by=organiser)
    organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{training.workshop.pk}/",
        item_post(training, training.workshop, speakers=[maria.pk, eszter.pk]),
    )
    organiser_client.post("/en/workspace/timisoara/setup/programme/announce/")
    deliver_outbox()

    by_recipient = {email.to[0]: email.body for email in mail.outbox}
    assert "Horváth Eszter, Maria Popescu" in by_recipient["bence@example.hu"]
    assert "Eszter Horváth" not in by_recipient["bence@example.hu"]
    assert "Eszter Horváth, Maria Popescu" in by_recipient["bob@example.org"]


# --- who may ---------------------------------------------------------------------------------


def setup_urls(event) -> list[str]:
    item = event.workshop.pk
    venue = event.venue.pk
    speaker = SpeakerFactory(created_by=event.organisers.get())
    event.workshop.speakers.add(speaker)
    base = f"/en/workspace/{event.slug}/setup"
    return [
        f"{base}/",
        f"{base}/texts/",
        f"{base}/publish/",
        f"{base}/unpublish/",
        f"{base}/programme/",
        f"{base}/programme/add/",
        f"{base}/programme/{item}/",
        f"{base}/programme/{item}/cancel/",
        f"{base}/programme/{item}/delete/",
        f"{base}/programme/announce/",
        f"{base}/venues/",
        f"{base}/venues/add/",
        f"{base}/venues/{venue}/",
        f"{base}/speakers/",
        f"{base}/speakers/add/",
        f"{base}/speakers/{speaker.pk}/",
    ]


def test_an_organiser_without_staff_flag_or_permission_reaches_every_setup_page(
    organiser_client, organiser, training
):
    urls = setup_urls(training)
    assert not organiser.is_staff and not organiser.get_all_permissions()
    for url in ["/en/workspace/new/", *urls]:
        response = organiser_client.get(url)
        if url.endswith("/delete/"):  # a published programme's items are cancelled instead
            assert response.status_code == 302, url
            continue
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "who", ["anonymous", "participant", "coordinator", "organiser of another event"]
)
def test_setup_pages_refuse_everyone_else_and_say_nothing_of_the_event(client, training, who):
    urls = setup_urls(training)
    training.description_en = "Secret plans for the training"
    training.save()
    if who != "anonymous":
        user = UserFactory(email=f"{who.replace(' ', '.')}@example.org")
        if who == "participant":
            register(training, user.email, "en")
        elif who == "coordinator":
            partner = OrganisationFactory()
            partner.coordinators.add(user)
            QuotaFactory(event=training, organisation=partner)
        else:
            EventFactory().organisers.add(user)
        client.force_login(user)
    for method in ("get", "post"):
        for url in urls:
            response = getattr(client, method)(url, {"title_en": "Hijacked", "name": "X"})
            if who == "anonymous":
                assert response.status_code == 302, url
                assert response["Location"].startswith("/en/accounts/login/")
            else:
                assert response.status_code == 404, (method, url)
            body = response.content.decode()
            assert "Timișoara" not in body and "Secret plans" not in body, url
    new = client.get("/en/workspace/new/")
    assert new.status_code == (
        302 if who == "anonymous" else 403 if who != "organiser of another event" else 200
    )
    training.refresh_from_db()
    assert training.title_en == "Training in Timișoara"
    assert training.status == Event.Status.PUBLISHED
    assert not training.workshop.cancelled and Room.objects.count() == 2


def test_organisers_decide_what_partner_coordinators_may_do_from_the_setup_page(
    organiser_client, training
):
    page = organiser_client.get("/en/workspace/timisoara/setup/")
    assert "Partner coordinators see sensitive answers" in text(page)
    data = form_values(page.content.decode())
    data["coordinators_see_sensitive_data"] = "on"
    data["coordinators_cancel_after_deadline"] = "on"

    response = organiser_client.post("/en/workspace/timisoara/setup/", data)

    assert response.status_code == 302, response.content.decode()
    training.refresh_from_db()
    assert training.coordinators_see_sensitive_data
    assert training.coordinators_cancel_after_deadline


# --- rooms, parallel workshops, what a copy moves, invites of announced changes --------------

FMT = "%Y-%m-%dT%H:%M"


def test_two_items_in_one_room_at_overlapping_times_are_refused(organiser_client, training):
    # The plenary (09:00-10:00) goes to Sala Mare, then a new item overlaps it there.
    url = f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/"
    assert (
        organiser_client.post(
            url, item_post(training, training.plenary, room=training.room_a.pk)
        ).status_code
        == 302
    )
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/programme/add/",
        item_post(
            training,
            title_en="Coffee with the mayor",
            starts_at=training.local(training.plenary.starts_at + timedelta(minutes=30)).strftime(
                FMT
            ),
            ends_at=training.local(training.plenary.ends_at + timedelta(minutes=30)).strftime(FMT),
            room=training.room_a.pk,
        ),
    )
    assert response.status_code == 400
    assert "Sala Mare is taken at that time by “Opening”" in text(response)
    assert "Choose another room or another time." in text(response)
    assert not ProgrammeItem.objects.filter(title_en="Coffee with the mayor").exists()

    # Back to back is no clash; another room at the same time neither.
    for title, starts, ends, room in (
        ("Right after", training.plenary.ends_at, training.plenary.ends_at, training.room_a),
        ("Next door", training.plenary.starts_at, training.plenary.starts_at, training.room_b),
    ):
        response = organiser_client.post(
            "/en/workspace/timisoara/setup/programme/add/",
            item_post(
                training,
                title_en=title,
                starts_at=training.local(starts).strftime(FMT),
                ends_at=training.local(ends + timedelta(minutes=45)).strftime(FMT),
                room=room.pk,
            ),
        )
        assert response.status_code == 302, text(response)

    # A cancelled item frees its room.
    organiser_client.post(f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/cancel/")
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/programme/add/",
        item_post(
            training,
            title_en="Coffee with the mayor",
            starts_at=training.local(training.plenary.starts_at).strftime(FMT),
            ends_at=training.local(training.plenary.starts_at + timedelta(minutes=30)).strftime(
                FMT
            ),
            room=training.room_a.pk,
        ),
    )
    assert response.status_code == 302, text(response)


def test_room_clash_is_refused_in_romanian_too(organiser_client, training):
    response = organiser_client.post(
        "/ro/workspace/timisoara/setup/programme/add/",
        item_post(
            training,
            title_en="Overlap",
            starts_at=training.local(training.workshop.starts_at).strftime(FMT),
            ends_at=training.local(training.workshop.ends_at).strftime(FMT),
            room=training.room_a.pk,
        ),
    )
    assert response.status_code == 400
    assert "Sala Mare este ocupată" in text(response)


def test_moving_one_of_parallel_workshops_warns_before_splitting_the_slot(
    organiser_client, training
):
    parallel = ProgrammeItemFactory(
        event=training,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Governance",
        room=training.room_b,
        capacity=20,
        starts_at=training.workshop.starts_at,
        ends_at=training.workshop.ends_at,
    )
    workshop = training.workshop
    url = f"/en/workspace/timisoara/setup/programme/{workshop.pk}/"
    later = {
        "starts_at": training.local(workshop.starts_at + timedelta(hours=3)).strftime(FMT),
        "ends_at": training.local(workshop.ends_at + timedelta(hours=3)).strftime(FMT),
    }

    response = organiser_client.post(url, item_post(training, workshop, **later))

    assert response.status_code == 200
    page = text(response)
    assert "This move splits a slot of parallel workshops" in page
    assert "“Mapping” starts at the same time as the workshops below" in page
    assert "Governance (11:00–12:30, Sala Mică)" in page
    assert "Nothing is saved until you confirm." in page
    html = response.content.decode()
    assert 'name="confirm_split" value="1"' in html
    assert 'role="alert"' in html
    workshop.refresh_from_db()
    assert workshop.starts_at == parallel.starts_at  # nothing moved yet

    response = organiser_client.post(
        url, item_post(training, workshop, confirm_split="1", **later), follow=True
    )
    assert "“Mapping” no longer runs in parallel with “Governance”" in text(response)
    workshop.refresh_from_db()
    assert workshop.starts_at == parallel.starts_at + timedelta(hours=3)

    # Moving both keeps them parallel: no warning for the last one to join.
    response = organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{parallel.pk}/",
        item_post(training, parallel, **later),
    )
    assert response.status_code == 302
    # Other edits of a parallel workshop (its room, its title) say nothing of slots.
    response = organiser_client.post(url, item_post(training, workshop, title_en="Maps"))
    assert response.status_code == 302


def test_a_workshop_moved_out_of_a_parallel_slot_is_optional_in_the_form(
    organiser_client, training, client
):
    """The move's warning says people can choose the moved workshop "as well": the form
    then offers each workshop left alone at its time without requiring it, and the
    choices made before the move keep working."""
    from registrations.models import Registration

    from ..factories import form_fields

    parallel = ProgrammeItemFactory(
        event=training,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Governance",
        room=training.room_b,
        capacity=20,
        starts_at=training.workshop.starts_at,
        ends_at=training.workshop.ends_at,
    )
    earlier = register(training, "early@example.org", "en", [parallel])
    register_url = "/en/events/timisoara/register/"
    page = client.get(register_url).content.decode()
    assert "I will not take part in this workshop" not in page  # one of two: required
    response = client.post(register_url, form_fields(email="none@example.org"))
    assert response.status_code == 400  # no workshop chosen in a parallel slot

    workshop = training.workshop
    later = {
        "starts_at": training.local(workshop.starts_at + timedelta(hours=3)).strftime(FMT),
        "ends_at": training.local(workshop.ends_at + timedelta(hours=3)).strftime(FMT),
    }
    organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{workshop.pk}/",
        item_post(training, workshop, confirm_split="1", **later),
    )

    page = client.get(register_url)
    html = page.content.decode()
    assert html.count("I will not take part in this workshop") == 2  # each slot alone now
    assert text(page).count("Optional.") >= 2
    # Neither workshop: registered all the same.
    response = client.post(register_url, form_fields(email="none@example.org"))
    assert response.status_code == 302
    assert not Registration.objects.get(email="none@example.org").workshop_choices.exists()
    # Both, now that they no longer run at the same time.
    both = {"workshop_0": str(parallel.pk), "workshop_1": str(workshop.pk)}
    response = client.post(register_url, form_fields(email="both@example.org", **both))
    assert response.status_code == 302
    chosen = Registration.objects.get(email="both@example.org").workshop_choices
    assert {choice.item_id for choice in chosen.all()} == {parallel.pk, workshop.pk}

    # The earlier registrant keeps Governance, and may drop it from the private page.
    manage = client.get(f"/en/r/{earlier.secret}/")
    assert "Governance" in text(manage)
    chosen_values = form_values(manage.content.decode())
    assert chosen_values["workshop_0"] == [str(parallel.pk)]
    assert chosen_values["workshop_1"] == [""]  # "I will not take part" is ticked
    client.post(f"/en/r/{earlier.secret}/", {"workshop_0": "", "workshop_1": ""})
    assert not earlier.workshop_choices.exists()


def test_the_copy_page_says_what_moves_and_what_is_reset(organiser_client, organiser):
    source = EventFactory(
        slug="nagyvazsony-2026",
        status=Event.Status.PUBLISHED,
        starts_at=at(-100, "09:00"),
        ends_at=at(-98, "17:00"),
        registration_opens_at=at(-160),
        registration_closes_at=at(-110),
    )
    source.organisers.add(organiser)
    page = text(organiser_client.get("/en/workspace/new/"))
    assert (
        "the programme and the registration window (opening and closing) move by the same "
        "number of days" in page
    )
    assert "The partner quotas are copied without their release dates" in page
    response = organiser_client.post(
        "/en/workspace/new/",
        {
            "action": "copy",
            "copy-source": source.pk,
            "copy-slug": "nagyvazsony-2027",
            "copy-first_day": (source.local_starts_at + timedelta(days=364)).date().isoformat(),
        },
        follow=True,
    )
    assert "The partner quotas have no release date yet" in text(response)
    copy = Event.objects.get(slug="nagyvazsony-2027")
    for name in ("registration_opens_at", "registration_closes_at"):  # same local time
        moved = source.local(getattr(source, name)) + timedelta(days=364)
        assert copy.local(getattr(copy, name)).replace(tzinfo=None) == moved.replace(tzinfo=None)
    romanian = text(organiser_client.get("/ro/workspace/new/"))
    assert "fără datele lor de eliberare" in romanian


def test_the_change_email_carries_the_updated_calendar_invite(organiser_client, training):
    from ..notifications.test_invites import invite_of

    ana = register(training, "ana@example.ro", "ro", [training.workshop])
    deliver_outbox()
    mail.outbox.clear()
    ana.refresh_from_db()
    sequence = ana.calendar_sequence
    workshop = training.workshop
    organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{workshop.pk}/",
        item_post(training, workshop, room=training.room_b.pk),
    )
    organiser_client.post("/en/workspace/timisoara/setup/programme/announce/")
    deliver_outbox()

    [sent] = mail.outbox
    assert sent.subject == "Modificări ale programului: Formare la Timișoara"
    method, entry = invite_of(sent)
    assert method == "REQUEST"
    assert int(entry["SEQUENCE"]) == sequence + 1
    assert "Sala Mică" in str(entry["DESCRIPTION"])
    ana.refresh_from_db()
    assert ana.calendar_sequence == sequence + 1


def test_programme_items_move_up_and_down_with_or_without_htmx(organiser_client, training):
    """A plain form moves an item (and the page comes back); htmx sends the same form and
    gets the programme alone, which it swaps in place."""
    url = "/en/workspace/timisoara/setup/programme/"
    workshop, plenary = training.workshop, training.plenary
    page = organiser_client.get(url)
    html = page.content.decode()
    assert f'name="move" value="up:{workshop.pk}"' in html
    assert f'name="move" value="down:{plenary.pk}"' in html
    assert f'value="up:{plenary.pk}"' not in html  # the first of its day
    assert 'hx-post="/en/workspace/timisoara/setup/programme/"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert page["Vary"] and "HX-Request" in page["Vary"]

    # Without JavaScript: a POST, then the page again with what happened.
    response = organiser_client.post(url, {"move": f"up:{workshop.pk}"}, follow=True)
    assert "“Mapping” now starts at 09:00." in text(response)
    workshop.refresh_from_db()
    plenary.refresh_from_db()
    local = training.local
    assert (
        local(workshop.starts_at).strftime("%H:%M"),
        local(workshop.ends_at).strftime("%H:%M"),
    ) == ("09:00", "10:30")
    assert (
        local(plenary.starts_at).strftime("%H:%M"),
        local(plenary.ends_at).strftime("%H:%M"),
    ) == ("11:30", "12:30")  # the hour between them kept
    # A published programme: both moves wait to be announced.
    assert ProgrammeChange.objects.filter(kind=ProgrammeChange.Kind.TIME).count() == 2

    # With htmx: the programme alone, swapped into the page.
    response = organiser_client.post(
        url, {"move": f"down:{workshop.pk}"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert 'id="programme-days"' in fragment
    assert "“Mapping” now starts at 11:00." in text(response)
    assert "changes to the published programme are not announced yet" in text(response)
    workshop.refresh_from_db()
    assert local(workshop.starts_at).strftime("%H:%M") == "11:00"

    # A move the programme does not offer is refused, and nothing moves.
    response = organiser_client.post(
        url, {"move": f"up:{plenary.pk}"}, headers={"HX-Request": "true"}
    )
    assert "This item cannot move there. Change its time instead." in text(response)
    response = organiser_client.post(url, {"move": "down:nothing"}, follow=True)
    assert "This item cannot move there." in text(response)
    plenary.refresh_from_db()
    assert local(plenary.starts_at).strftime("%H:%M") == "09:00"


def test_a_move_that_would_take_a_room_is_refused(organiser_client, training):
    """Swapping two items keeps the rooms free: another event's session in the room at
    the new time stops the move, and says which one."""
    training.plenary.room = training.room_b
    training.plenary.save()
    other = EventFactory(
        venue=training.venue, starts_at=training.starts_at, ends_at=training.ends_at
    )
    ProgrammeItemFactory(
        event=other,
        title_en="Board meeting",
        room=training.room_b,
        starts_at=training.workshop.starts_at + timedelta(minutes=30),
        ends_at=training.workshop.ends_at,
    )
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/programme/",
        {"move": f"up:{training.workshop.pk}"},
        follow=True,
    )
    assert "“Opening” cannot move there: “Board meeting” is in the way." in text(response)
    training.plenary.refresh_from_db()
    assert training.local(training.plenary.starts_at).strftime("%H:%M") == "09:00"


# --- what a cold tester found (issue 15) -----------------------------------------------------


def test_a_cancelled_workshop_is_shown_cancelled_in_the_email_invite_and_private_page(
    organiser_client, training, client
):
    from ..notifications.test_invites import invite_of

    ana = register(training, "ana@example.org", "en", [training.workshop])
    deliver_outbox()
    mail.outbox.clear()
    organiser_client.post(f"/en/workspace/timisoara/setup/programme/{training.workshop.pk}/cancel/")
    organiser_client.post("/en/workspace/timisoara/setup/programme/announce/")
    deliver_outbox()

    [sent] = mail.outbox
    assert "- Mapping: cancelled" in sent.body
    listed = sent.body.split("Your workshops:")[1]
    assert "Mapping (Sala Mare) [cancelled]" in listed
    html = sent.alternatives[0][0]
    assert "Mapping (Sala Mare) — cancelled" in html
    _method, entry = invite_of(sent)
    assert "Mapping (Sala Mare) [cancelled]" in str(entry["DESCRIPTION"])

    page = text(client.get(f"/en/r/{ana.secret}/"))
    assert "Mapping" in page
    assert "Confirmed" not in page.split("Your workshops")[1].split("Your calendar")[0]
    assert "Cancelled" in page.split("Your workshops")[1]


def settings_post(client, event, **overrides) -> dict:
    """What the event settings form posts, as the page showed it."""
    form = client.get(f"/en/workspace/{event.slug}/setup/").context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value not in (None, [])
    }
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data[key] = data[key].strftime("%Y-%m-%dT%H:%M")
    data.update({"host": event.host_id, "venue": event.venue_id})
    data["organisers"] = [user.pk for user in event.organisers.all()]
    data.update(overrides)
    return data


def test_a_new_time_zone_keeps_the_programmes_local_times(organiser_client, training):
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/",
        settings_post(organiser_client, training, timezone="Europe/Lisbon"),
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.timezone == "Europe/Lisbon"
    assert training.local_starts_at.strftime("%H:%M") == "09:00"
    workshop = ProgrammeItem.objects.get(pk=training.workshop.pk)
    assert training.local(workshop.starts_at).strftime("%H:%M") == "11:00"
    page = text(organiser_client.get("/en/workspace/timisoara/setup/programme/"))
    assert "11:00" in page and "Mapping" in page


def test_an_item_outside_the_event_is_named_in_the_error(organiser_client, training):
    late = training.local_ends_at.replace(hour=12).strftime("%Y-%m-%dT%H:%M")
    ProgrammeItemFactory(
        event=training,
        title_en="Farewell dinner",
        starts_at=at(32, "15:00", BUCHAREST),
        ends_at=at(32, "16:30", BUCHAREST),
    )
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/", settings_post(organiser_client, training, ends_at=late)
    )
    assert response.status_code == 400
    assert "Some programme items would fall outside the event: Farewell dinner." in text(response)


def test_a_copy_can_move_to_another_time_zone(organiser_client, training):
    first_day = (training.local_starts_at + timedelta(days=365)).date()
    response = organiser_client.post(
        "/en/workspace/new/",
        {
            "action": "copy",
            "copy-source": training.pk,
            "copy-slug": "lisbon",
            "copy-first_day": first_day.isoformat(),
            "copy-timezone": "Europe/Lisbon",
        },
    )
    assert response.status_code == 302
    copy = Event.objects.get(slug="lisbon")
    assert copy.timezone == "Europe/Lisbon"
    assert copy.local_starts_at.strftime("%H:%M") == "09:00"
    workshop = copy.programme_items.get(title_en="Mapping")
    assert copy.local(workshop.starts_at).strftime("%H:%M") == "11:00"
    # And back: only the time zone changes on the settings page.
    response = organiser_client.post(
        "/en/workspace/lisbon/setup/", settings_post(organiser_client, copy, timezone=BUCHAREST)
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert Event.objects.get(pk=copy.pk).local(workshop.starts_at).strftime("%H:%M") == "11:00"


def test_a_new_room_is_named_in_each_readers_language(organiser_client, training, client):
    Room.objects.filter(pk=training.room_a.pk).update(name_en="Big hall", name_ro="Sala Mare")
    Room.objects.filter(pk=training.room_b.pk).update(name_en="Small hall", name_ro="Sala Mică")
    register(training, "ana@example.ro", "ro", [training.workshop])
    deliver_outbox()
    mail.outbox.clear()
    workshop = training.workshop
    organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{workshop.pk}/",
        item_post(training, workshop, room=training.room_b.pk),
    )
    organiser_client.post("/en/workspace/timisoara/setup/programme/announce/")
    deliver_outbox()

    [sent] = mail.outbox
    assert "Cartografiere: acum în Sala Mică (înainte: Sala Mare)" in sent.body
    assert "Mapping: now in Small hall (was Big hall)" in text(client.get("/en/events/timisoara/"))
    ro_page = text(client.get("/ro/events/timisoara/"))
    assert "Cartografiere: acum în Sala Mică (înainte: Sala Mare)" in ro_page


def test_the_fallback_note_names_the_language_the_untranslated_text_is_shown_in(client, training):
    training.summary_en = "Four days on the social economy."
    training.save()
    page = text(client.get("/ro/events/timisoara/"))
    # The title is in Romanian; the summary shown is the English one.
    assert "nu este încă tradusă: este afișată în engleză" in page
    assert "afișată în română" not in page


def test_publish_confirmation_says_a_text_missing_in_the_main_language_is_missing_entirely(
    organiser_client, training
):
    training.status = Event.Status.DRAFT
    training.summary_en = training.summary_fr = training.summary_ro = "Three days."
    training.description_en = training.description_fr = training.description_ro = "Training."
    training.privacy_notice_en = training.privacy_notice_ro = ""
    training.privacy_notice_fr = "Un an."
    training.plenary.title_fr = "Ouverture"
    training.plenary.save()
    training.save()

    said = text(organiser_client.get("/en/workspace/timisoara/setup/publish/"))
    assert "Texts are missing" in said
    assert (
        "Missing in English, the event’s main language, so nothing in that language fills "
        "the gap: privacy notice" in said
    )
    assert "In English" not in said
    assert "shows these texts in English instead" not in said  # Romanian lacks the same one


def test_texts_of_languages_not_offered_are_not_shown_once_rewritten_or_dropped(
    organiser_client, training, client
):
    # Left from the event it was copied from, which offered Italian too.
    Event.objects.filter(pk=training.pk).update(title_it="Formazione (2025)")
    ProgrammeItem.objects.filter(pk=training.workshop.pk).update(title_it="Cartografia (2025)")
    training.refresh_from_db()
    workshop = ProgrammeItem.objects.get(pk=training.workshop.pk)

    # The English title is rewritten: the Italian one, which nobody can edit, goes.
    form = organiser_client.get("/en/workspace/timisoara/setup/texts/").context["form"]
    data = {name: value or "" for name, value in form.initial.items() if name in form.fields}
    data["title_en"] = "Training in Timișoara 2027"
    assert organiser_client.post("/en/workspace/timisoara/setup/texts/", data).status_code == 302
    organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{workshop.pk}/",
        item_post(training, workshop, title_en="Mapping 2027"),
    )
    page = text(client.get("/it/events/timisoara/"))
    assert "Training in Timișoara 2027" in page and "Mapping 2027" in page
    assert "(2025)" not in page
    ana = register(training, "ana@example.org", "it", [workshop])
    deliver_outbox()
    [sent] = [m for m in mail.outbox if m.to == [ana.email]]
    assert "(2025)" not in sent.subject + sent.body

    # The organisers stop offering French: the French texts are not shown any more.
    training.refresh_from_db()
    response = organiser_client.post(
        "/en/workspace/timisoara/setup/",
        settings_post(organiser_client, training, languages=["en", "ro"]),
    )
    assert response.status_code == 302
    page = text(client.get("/fr/events/timisoara/"))
    assert "Training in Timișoara 2027" in page and "Mapping 2027" in page
    assert "Formation à Timișoara" not in page and "Cartographie" not in page
    assert "Formare la Timișoara" in text(client.get("/ro/events/timisoara/"))


def test_another_teams_draft_does_not_lock_a_venues_creator_out(organiser_client, training):
    Venue.objects.filter(pk=training.venue.pk).update(created_by=training.organisers.get())
    stranger = UserFactory(email="other@example.org", is_staff=False)
    stranger.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    theirs = EventFactory(slug="theirs", status=Event.Status.DRAFT, venue=training.venue)
    theirs.organisers.add(stranger)

    url = f"/en/workspace/timisoara/setup/venues/{training.venue.pk}/"
    page = organiser_client.get(url)
    assert page.status_code == 200
    assert "Other teams’ events use this venue too" in text(page)
    other_client = Client()
    other_client.force_login(stranger)
    # The other team uses the venue; they do not edit what its creator described.
    assert (
        other_client.get(f"/en/workspace/theirs/setup/venues/{training.venue.pk}/").status_code
        == 404
    )


def test_names_and_titles_refuse_line_breaks_beside_the_field(organiser_client, training):
    venue_form = {
        "venue-name": "Hotel Central",
        "venue-city_ro": "Timișoara",
        "venue-country": "RO",
        "rooms-TOTAL_FORMS": "1",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-name_en": "Room\nwith a line break",
        "rooms-0-position": "0",
    }
    refused = organiser_client.post("/en/workspace/timisoara/setup/venues/add/", venue_form)
    assert refused.status_code == 400
    said = "Line breaks, tabs and invisible control characters are not allowed here."
    assert re.search(
        r'id="id_rooms-0-name_en_error"[^>]*><li>' + re.escape(said), refused.content.decode()
    )
    assert not Venue.objects.filter(name="Hotel Central").exists()

    workshop = training.workshop
    refused = organiser_client.post(
        f"/en/workspace/timisoara/setup/programme/{workshop.pk}/",
        item_post(training, workshop, title_en="Mapping\r\nBcc: x@example.org"),
    )
    assert refused.status_code == 400
    assert re.search(
        r'id="id_title_en_error"[^>]*><li>' + re.escape(said), refused.content.decode()
    )
    assert ProgrammeItem.objects.get(pk=workshop.pk).title_en == "Mapping"


def test_destructive_confirmations_say_how_many_people_are_concerned(organiser_client, training):
    for index in range(3):
        register(training, f"p{index}@example.org", "en", [training.workshop] if index else [])
    said = text(organiser_client.get("/en/workspace/timisoara/setup/unpublish/"))
    assert "3 people with a confirmed place are concerned." in said
    said = text(
        organiser_client.get(
            f"/en/workspace/timisoara/setup/programme/{training.workshop.pk}/cancel/"
        )
    )
    assert "2 people chose it; they are told when you announce the changes." in said
    said = text(
        organiser_client.get(
            f"/en/workspace/timisoara/setup/programme/{training.plenary.pk}/cancel/"
        )
    )
    assert "chose it" not in said
