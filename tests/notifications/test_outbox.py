"""The outbox: which emails a change writes, when they fall due, what they say."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from events.models import ProgrammeItem
from events.services import event_reschedule, event_save, programme_item_save
from notifications import services
from notifications.models import Broadcast, Kind, OutgoingMessage, ReminderSchedule
from registrations import services as registrations
from registrations.models import Profile

from ..factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RoomFactory,
    UserFactory,
    VenueFactory,
    at,
    person,
)
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db

BUCHAREST = "Europe/Bucharest"


@pytest.fixture
def training(db):
    venue = VenueFactory(
        name="CRIES", city="Timișoara", country="RO", address="Strada Mărășești 14"
    )
    return EventFactory(
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        timezone=BUCHAREST,
        venue=venue,
        capacity=2,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(33, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )


def register(event, **kwargs):
    return registrations.registration_create(event=event, person=person(**kwargs))[0]


def rows(registration, **filters):
    return OutgoingMessage.objects.filter(registration=registration, **filters)


def test_registering_writes_one_confirmation_and_the_reminders_at_local_hours(training):
    registration = register(training, language="ro")
    confirmation = rows(registration, kind=Kind.CONFIRMED).get()
    assert confirmation.state == "queued" and confirmation.language == "ro"
    reminders = rows(registration, kind=Kind.REMINDER).order_by("due_at")
    assert [r.dedupe_key for r in reminders] == ["reminder:7d", "reminder:1d"]
    local = [timezone.localtime(r.due_at, training.tz) for r in reminders]
    assert [(d.date(), d.strftime("%H:%M")) for d in local] == [
        (training.local_starts_at.date() - timedelta(days=7), "09:00"),
        (training.local_starts_at.date() - timedelta(days=1), "09:00"),
    ]
    assert rows(registration, kind=Kind.THANKS).get().due_at > training.ends_at


def test_the_confirmation_email_speaks_the_recipients_language_and_the_events_time(training):
    register(training, language="ro", first_name="Ana", email="ana@example.org")
    deliver_outbox()
    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert "Formare la Timișoara" in email.subject
    assert "Înscrierea" in email.subject or "confirmat" in email.subject.lower()
    assert "Ana" in email.body
    assert "09:00" in email.body and "(UTC+0" in email.body
    assert "Strada Mărășești 14" in email.body
    assert "http://127.0.0.1:8000/ro/r/" in email.body  # the link opens in her language
    html = email.alternatives[0][0]
    assert "/r/" in html and 'lang="ro"' in html
    assert email.extra_headers["Message-ID"].startswith("<")


def test_a_users_preferred_language_wins_over_the_form_language(training):
    user = UserFactory()
    Profile.objects.create(user=user, preferred_language="hu")
    registration, _ = registrations.registration_create(
        event=training, person=person(language="en"), user=user
    )
    assert rows(registration, kind=Kind.CONFIRMED).get().language == "hu"


def test_user_text_is_escaped_in_the_html_email(training):
    register(training, first_name='<img src=x onerror="alert(1)">')
    deliver_outbox()
    html = mail.outbox[0].alternatives[0][0]
    assert "<img src=x" not in html
    assert "&lt;img" in html
    assert '<img src=x onerror="alert(1)">' in mail.outbox[0].body  # plain text stays plain


def test_sending_a_row_twice_sends_one_email(training):
    registration = register(training)
    message = rows(registration, kind=Kind.CONFIRMED).get()
    assert services.message_send(message_id=message.pk) == "sent"
    assert services.message_send(message_id=message.pk) == "skipped"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.state == "sent" and message.sent_at and message.attempts == 1


def test_a_second_reminder_of_the_same_kind_is_impossible(training):
    registration = register(training)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingMessage.objects.create(
            kind=Kind.REMINDER,
            recipient=registration.email,
            language="en",
            registration=registration,
            dedupe_key="reminder:7d",
            due_at=timezone.now(),
            message_id="<dup@example.org>",
        )


def test_registering_after_a_reminders_time_does_not_send_a_stale_one(training):
    soon = EventFactory(
        starts_at=at(3, "09:00"),
        ends_at=at(3, "18:00"),
        registration_opens_at=at(-5),
        registration_closes_at=at(2),
    )
    registration = register(soon)
    assert list(rows(registration, kind=Kind.REMINDER).values_list("dedupe_key", flat=True)) == [
        "reminder:1d"
    ]


def test_the_organisers_reminder_schedule_is_used(training):
    ReminderSchedule.objects.create(
        event=training, days_before=3, local_time=timezone.datetime(2000, 1, 1, 18, 0).time()
    )
    registration = register(training)
    [reminder] = rows(registration, kind=Kind.REMINDER)
    assert timezone.localtime(reminder.due_at, training.tz).strftime("%H:%M") == "18:00"


def test_a_reminder_that_falls_due_is_sent_once_with_the_programme(training):
    workshop = ProgrammeItemFactory(
        event=training,
        kind=ProgrammeItem.Kind.WORKSHOP,
        title_en="Mapping",
        starts_at=at(30, "11:00", BUCHAREST),
        ends_at=at(30, "12:30", BUCHAREST),
        room=RoomFactory(venue=training.venue, name="Sala mare"),
    )
    registration = register(training, language="en", workshops=[workshop])
    deliver_outbox()
    mail.outbox.clear()
    reminder = rows(registration, dedupe_key="reminder:7d").get()
    deliver_outbox(now=reminder.due_at + timedelta(seconds=1))
    deliver_outbox(now=reminder.due_at + timedelta(seconds=2))
    [email] = mail.outbox
    assert email.subject.startswith("Reminder:")
    assert "Mapping" in email.body and "Sala mare" in email.body and "11:00" in email.body, (
        "British English: 24-hour times"
    )


def test_moving_the_event_moves_pending_reminders_and_tells_participants(training):
    registration = register(training, language="en")
    old = rows(registration, dedupe_key="reminder:7d").get().due_at
    event_reschedule(
        event=training,
        starts_at=training.starts_at + timedelta(days=2),
        ends_at=training.ends_at + timedelta(days=2),
    )
    assert rows(registration, dedupe_key="reminder:7d").get().due_at == old + timedelta(days=2)
    changed = rows(registration, kind=Kind.EVENT_CHANGED).get()
    deliver_outbox()
    email = next(e for e in mail.outbox if e.extra_headers["Message-ID"] == changed.message_id)
    assert "New date or place" in email.subject
    training.refresh_from_db()
    assert training.sequence == 1


def test_moving_a_workshop_tells_those_who_chose_it(training):
    room = RoomFactory(venue=training.venue, name="Atelier 1")
    workshop = ProgrammeItemFactory(
        event=training,
        kind=ProgrammeItem.Kind.WORKSHOP,
        starts_at=at(30, "11:00", BUCHAREST),
        ends_at=at(30, "12:30", BUCHAREST),
    )
    chooser = register(training, workshops=[workshop])
    other = register(training)
    workshop.room = room
    programme_item_save(item=workshop, changed=["room"])
    assert rows(chooser, kind=Kind.WORKSHOP_CHANGED).count() == 1
    assert not rows(other, kind=Kind.WORKSHOP_CHANGED).exists()


def test_cancelling_drops_pending_reminders_and_confirms_the_cancellation(training):
    registration = register(training)
    registrations.registration_cancel(registration=registration)
    assert not rows(registration, kind=Kind.REMINDER, state="queued").exists()
    assert rows(registration, kind=Kind.CANCELLED).count() == 1


def test_promotion_from_the_waiting_list_writes_one_email_and_the_reminders(training):
    first, _second = register(training), register(training)
    waiting = register(training)
    assert rows(waiting, kind=Kind.WAITLISTED).count() == 1
    assert not rows(waiting, kind=Kind.REMINDER).exists()
    registrations.registration_cancel(registration=first)
    assert rows(waiting, kind=Kind.PROMOTED).count() == 1
    assert rows(waiting, kind=Kind.REMINDER).count() == 2


def test_cancelling_the_event_tells_everyone(training):
    people = [register(training) for _ in range(3)]
    training.status = "cancelled"
    event_save(event=training, changed=["status"])
    for registration in people:
        assert rows(registration, kind=Kind.EVENT_CANCELLED).count() == 1


def test_a_delegate_gets_one_invitation_instead_of_a_confirmation(training):
    partner = OrganisationFactory()
    coordinator = UserFactory(first_name="Mihaela", last_name="Vețan")
    partner.coordinators.add(coordinator)
    [(registration, _)] = registrations.delegation_register(
        coordinator=coordinator, event=training, organisation=partner, people=[person()]
    )
    assert list(
        rows(registration)
        .exclude(kind__in=[Kind.REMINDER, Kind.THANKS])
        .values_list("kind", flat=True)
    ) == [Kind.DELEGATE_INVITED]
    deliver_outbox()
    assert "Mihaela Vețan" in mail.outbox[0].body
    assert "/details/" in mail.outbox[0].body


def test_an_organisers_message_goes_to_the_filtered_participants_once(training):
    training.capacity = 10
    training.save()
    partner = OrganisationFactory()
    ours = [register(training, organisation=partner) for _ in range(2)]
    register(training)
    deliver_outbox()
    broadcast = Broadcast.objects.create(
        event=training,
        subject_en="Bus at 8:00",
        body_en="Meet at the station.",
        subject_ro="Autobuz la 8:00",
        organisation_ids=[partner.pk],
    )
    assert services.broadcast_send(broadcast=broadcast) == 2
    assert services.broadcast_send(broadcast=broadcast) == 0
    mail.outbox.clear()
    deliver_outbox()
    assert sorted(e.to[0] for e in mail.outbox) == sorted(r.email for r in ours)
    romanian = [e for e in mail.outbox if e.subject == "Autobuz la 8:00"]
    assert len(romanian) == 2  # both registered in Romanian; the body falls back to English
    assert "Meet at the station." in romanian[0].body


def test_a_multi_day_event_can_send_a_morning_digest_of_each_day(training):
    from notifications.models import NotificationSettings

    NotificationSettings.objects.create(event=training, daily_digest=True)
    ProgrammeItemFactory(
        event=training,
        title_en="Field visit",
        starts_at=at(31, "14:00", BUCHAREST),
        ends_at=at(31, "17:00", BUCHAREST),
    )
    registration = register(training, language="en")
    digests = rows(registration, kind=Kind.DIGEST).order_by("due_at")
    assert digests.count() == 4, "one per day of a four-day event"
    second_day = digests[1]
    assert timezone.localtime(second_day.due_at, training.tz).strftime("%H:%M") == "07:30"
    deliver_outbox()
    mail.outbox.clear()
    deliver_outbox(now=second_day.due_at + timedelta(seconds=1))
    digest = next(e for e in mail.outbox if e.extra_headers["Message-ID"] == second_day.message_id)
    assert digest.subject.startswith("Today’s programme")
    assert "Field visit" in digest.body


def test_the_check_in_code_scans_to_the_persons_check_in_page(training):
    registration = register(training, first_name="Ana", email="ana@example.org")
    deliver_outbox()
    [email] = mail.outbox
    [image] = [p for p in email.message().walk() if p.get_content_type() == "image/png"]
    code = zxingcpp.read_barcode(Image.open(io.BytesIO(image.get_payload(decode=True))))
    assert code.text == (
        f"http://127.0.0.1:8000/ro/workspace/{training.slug}/checkin/{registration.uuid}/"
    )
    assert code.ec_level == "M"


@pytest.mark.parametrize("ended_days_ago, sent", [(2, True), (30, False)])
def test_dates_corrected_into_the_past_still_send_the_thanks_if_recent(ended_days_ago, sent):
    """An organiser corrects the dates of an event that already took place: the queued
    thanks (with the survey link) goes out at once, unless the event ended long ago."""
    event = EventFactory(
        timezone=BUCHAREST,
        starts_at=at(3, "09:00", BUCHAREST),
        ends_at=at(3, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(2),
    )
    registration = register(event, language="en")
    assert rows(registration, dedupe_key="thanks", state="queued").exists()
    deliver_outbox()
    mail.outbox.clear()
    event.registration_opens_at = at(-ended_days_ago - 9)
    event.registration_closes_at = at(-ended_days_ago - 2)
    event.save(update_fields=["registration_opens_at", "registration_closes_at"])
    event_reschedule(
        event=event,
        starts_at=at(-ended_days_ago - 1, "09:00", BUCHAREST),
        ends_at=at(-ended_days_ago, "17:00", BUCHAREST),
    )
    thanks = rows(registration, dedupe_key="thanks").get()
    assert thanks.state == ("queued" if sent else "cancelled")
    deliver_outbox()
    assert any(m.extra_headers["Message-ID"] == thanks.message_id for m in mail.outbox) == sent
