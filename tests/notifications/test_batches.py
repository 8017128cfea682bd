"""Sending in batches: one send task takes many rows, claims them together and sends them
over one SMTP connection, each email still its own, each row still sent once."""

import io
import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
import zxingcpp
from django.db import connection
from django.utils import timezone
from PIL import Image

from events.models import ProgrammeItem
from notifications import services
from notifications.models import Kind, NotificationSettings, OutgoingMessage
from notifications.rendering import build_email
from registrations import services as registrations

from ..factories import EventFactory, ProgrammeItemFactory, RoomFactory, VenueFactory, at, person
from ..outbox import deliver_outbox
from ..smtp import SMTPServer, free_port

pytestmark = pytest.mark.django_db

BUCHAREST = "Europe/Bucharest"


@pytest.fixture
def training(db):
    venue = VenueFactory(name="CRIES", city="Timișoara", country="RO")
    event = EventFactory(
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        title_fr="Formation à Timișoara",
        timezone=BUCHAREST,
        venue=venue,
        capacity=10,
        starts_at=at(30, "09:00", BUCHAREST),
        ends_at=at(32, "17:00", BUCHAREST),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )
    event.workshops = [
        ProgrammeItemFactory(
            event=event,
            kind=ProgrammeItem.Kind.WORKSHOP,
            title_en=title,
            starts_at=at(30, "11:00", BUCHAREST),
            ends_at=at(30, "12:30", BUCHAREST),
            room=RoomFactory(venue=venue, name=room),
            capacity=1,
        )
        for title, room in (("Mapping", "Sala mare"), ("Podcasts", "Sala mică"))
    ]
    return event


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server


def register(event, **kwargs):
    return registrations.registration_create(event=event, person=person(**kwargs))[0]


def reminders(people):
    """Each person's 7-day reminder, and a moment at which they are all due."""
    rows = [OutgoingMessage.objects.get(registration=r, dedupe_key="reminder:7d") for r in people]
    return [row.pk for row in rows], max(row.due_at for row in rows) + timedelta(seconds=1)


def three_people(event):
    mapping, podcasts = event.workshops
    return [
        register(event, first_name="Ana", email="ana@example.org", language="ro",
                 workshops=[mapping]),
        register(event, first_name="Marie", email="marie@example.org", language="fr",
                 workshops=[podcasts]),
        # Mapping is full: Bence waits for a place in it.
        register(event, first_name="Bence", email="bence@example.org", language="en",
                 workshops=[mapping]),
    ]  # fmt: skip


def png_of(received) -> bytes:
    [png] = [
        p.get_content() for p in received.message.walk() if p.get_content_type() == "image/png"
    ]
    return png


def scanned(received) -> str:
    """What a phone reads from the email's check-in code."""
    return zxingcpp.read_barcode(Image.open(io.BytesIO(png_of(received)))).text


def test_a_batch_goes_out_over_one_connection_each_email_its_own(smtp, training):
    people = three_people(training)
    ids, due = reminders(people)

    outcome = services.messages_send(message_ids=ids, now=due)

    assert outcome == {"sent": 3}
    received = smtp.sink.received
    assert [r.recipients for r in received] == [["ana@example.org"], ["marie@example.org"],
                                                ["bence@example.org"]]  # fmt: skip
    assert {r.connection for r in received} == {1}, "one SMTP connection for the batch"
    ana, marie, bence = received
    assert "Formare la Timișoara" in ana.subject
    assert "Formare la Timișoara" in ana.part("text/plain") and "Ana" in ana.part("text/plain")
    assert "Formation à Timișoara" in marie.part("text/plain")
    assert "Marie" in marie.part("text/plain") and "Podcasts" in marie.part("text/plain")
    assert "Mapping" not in marie.part("text/plain")
    assert "Mapping (Sala mare) [waiting list]" in bence.part("text/plain")
    assert "Mapping (Sala mare) [" not in ana.part("text/plain")
    for registration, email in zip(people, received, strict=True):
        checkin = f"/workspace/{training.slug}/checkin/{registration.uuid}/"
        assert scanned(email).endswith(checkin), "each code opens its own person's check-in"
        assert (
            email.message_id
            == OutgoingMessage.objects.get(pk=ids[people.index(registration)]).message_id
        )
    rows = OutgoingMessage.objects.filter(pk__in=ids)
    assert all(row.state == "sent" and row.attempts == 1 and row.sent_at for row in rows)


def test_running_a_batch_again_or_an_overlapping_one_sends_nothing_twice(smtp, training):
    people = three_people(training)
    ids, due = reminders(people)

    assert services.messages_send(message_ids=ids[:2], now=due)["sent"] == 2
    assert services.messages_send(message_ids=ids[1:], now=due) == {"sent": 1, "skipped": 1}
    assert services.messages_send(message_ids=ids, now=due) == {"skipped": 3}
    assert sorted(r.recipients[0] for r in smtp.sink.received) == [
        "ana@example.org", "bence@example.org", "marie@example.org"
    ]  # fmt: skip


def test_a_refused_and_a_busy_recipient_do_not_stop_the_rest_of_the_batch(smtp, training):
    people = three_people(training)
    ids, due = reminders(people)
    smtp.sink.refuse.add("ana@example.org")
    smtp.sink.busy.add("marie@example.org")

    outcome = services.messages_send(message_ids=ids, now=due)

    assert outcome == {"failed": 1, "retry": 1, "sent": 1}
    assert [r.recipients for r in smtp.sink.received] == [["bence@example.org"]]
    assert smtp.sink.received[0].connection == 1, "a refusal does not cost a new connection"
    ana, marie, bence = (OutgoingMessage.objects.get(pk=pk) for pk in ids)
    assert ana.state == "failed" and "550" in ana.last_error and "No such mailbox" in ana.last_error
    assert marie.state == "queued" and "451" in marie.last_error
    assert marie.due_at > timezone.now()
    assert bence.state == "sent"


def test_a_mail_server_that_is_down_puts_the_whole_batch_back_for_a_retry(settings, training):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    ids, due = reminders(three_people(training))

    assert services.messages_send(message_ids=ids, now=due) == {"retry": 3}
    for row in OutgoingMessage.objects.filter(pk__in=ids):
        assert row.state == "queued" and row.attempts == 1 and row.due_at > timezone.now()
        assert "Connection refused" in row.last_error or "Errno 111" in row.last_error


def test_an_email_built_from_a_claimed_batch_reads_as_one_built_alone(training):
    """Each email of a batch is each person's own: Ioana and Ana share a language but not
    a workshop; Marie gets a reminder and a digest."""
    NotificationSettings.objects.create(
        event=training, daily_digest=True, reply_to="team@example.org"
    )
    people = three_people(training)
    people.append(
        register(training, first_name="Ioana", email="ioana@example.org", language="ro",
                 workshops=[training.workshops[1]])
    )  # fmt: skip
    deliver_outbox()  # the confirmations
    ids, _due = reminders(people)
    digest = OutgoingMessage.objects.filter(registration=people[1], kind=Kind.DIGEST).first()
    claimed = services.messages_claim(
        message_ids=[*ids, digest.pk], now=digest.due_at + timedelta(seconds=1)
    )
    assert len(claimed) == 5
    emails = {}
    for message in claimed:
        alone = build_email(OutgoingMessage.objects.get(pk=message.pk))
        together = emails[message.pk] = build_email(message)
        assert together.subject == alone.subject
        assert together.body == alone.body
        assert together.alternatives == alone.alternatives
        assert together.reply_to == alone.reply_to == ["team@example.org"]
    ana, ioana = emails[ids[0]].body, emails[ids[3]].body
    assert "Mapping (Sala mare)" in ana and "Podcasts" not in ana
    assert "Podcasts (Sala mică)" in ioana and "Mapping" not in ioana
    assert "Formare la Timișoara" in ana and "Formare la Timișoara" in ioana


@pytest.mark.django_db(transaction=True)
def test_each_email_is_recorded_sent_before_the_next_reaches_the_server(smtp, training):
    """Each email is recorded SENT before the next is handed to the server: a worker
    killed at any moment leaves at most the one in flight sent and not recorded (no
    batching of the SENT records, no second email in flight)."""
    people = three_people(training)
    people += [register(training, first_name=f"P{n}", email=f"p{n}@example.org") for n in range(3)]
    ids, due = reminders([p for p in people if p.status == "confirmed"])
    seen = []

    def states_when_received(message):
        def read():  # in a thread of its own: the server's event loop runs no queries
            try:
                rows = OutgoingMessage.objects.filter(pk__in=ids).order_by("pk")
                seen.append(list(rows.values_list("state", flat=True)))
            finally:
                connection.close()

        reader = threading.Thread(target=read)
        reader.start()
        reader.join()

    smtp.sink.on_message = states_when_received
    assert services.messages_send(message_ids=ids, now=due) == {"sent": len(ids)}

    assert seen == [["sent"] * n + ["sending"] * (len(ids) - n) for n in range(len(ids))], (
        "when an email reaches the server, every one before it is SENT, none after it"
    )


def test_without_a_cache_the_check_in_code_is_made_for_each_email(settings, smtp, training):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens
        }
    }
    [ana, *_others] = three_people(training)
    ids, due = reminders([ana])

    assert services.messages_send(message_ids=ids, now=due) == {"sent": 1}

    assert scanned(smtp.sink.received[0]).endswith(f"/checkin/{ana.uuid}/")


def test_an_emails_parts_read_back_as_the_email_package_writes_them(training):
    [ana, *_others] = three_people(training)
    row = OutgoingMessage.objects.get(registration=ana, kind=Kind.CONFIRMED)
    built = build_email(row)

    parsed = message_from_bytes(built.message().as_bytes(), policy=email_policy)

    assert [part.get_content_type() for part in parsed.walk() if not part.is_multipart()] == [
        "text/plain", "text/html", "text/calendar", "image/png", "application/ics"
    ]  # fmt: skip
    assert parsed["Message-ID"] == row.message_id


@pytest.mark.django_db(transaction=True)
def test_rows_claimed_again_by_another_worker_are_not_sent_by_the_first(smtp, training, settings):
    """A worker so slow that its rows were found stuck and claimed again by another sends
    none of them: only the one the server already had when the other claim came."""
    ids, due = reminders(three_people(training))
    later = due + timedelta(seconds=settings.NOTIFICATIONS_STUCK_AFTER + 1)
    claimed_again = []

    def claim_again(message):
        def claim():  # another worker, on its own connection
            try:
                claimed_again.extend(services.messages_claim(message_ids=ids, now=later))
            finally:
                connection.close()

        if not claimed_again:
            other = threading.Thread(target=claim)
            other.start()
            other.join()

    smtp.sink.on_message = claim_again
    assert services.messages_send(message_ids=ids, now=due) == {"sent": 1, "skipped": 2}

    assert [r.recipients for r in smtp.sink.received] == [["ana@example.org"]]
    assert [m.pk for m in claimed_again] == ids[1:]
    rows = list(OutgoingMessage.objects.filter(pk__in=ids).order_by("pk"))
    assert [(r.state, r.attempts, r.handed_at is None) for r in rows] == [
        ("sent", 1, False), ("sending", 2, True), ("sending", 2, True)
    ]  # fmt: skip
