"""Real delivery: a Celery worker process, the configured broker, a real SMTP server.

Each email must arrive exactly once, in the recipient's language, whatever happens to
the broker, the worker or the mail server on the way.
"""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation

from config.celery import app as celery_app
from events.services import event_reschedule
from notifications.content import SUBJECTS
from notifications.models import Kind, OutgoingMessage
from registrations import services as registrations

from ..factories import EventFactory, at, person
from ..smtp import SMTPServer
from ..workers import celery_worker, purge_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAST = {
    "NOTIFICATIONS_RETRY_BACKOFF": "0.2",
    "NOTIFICATIONS_MAX_ATTEMPTS": "3",
    "NOTIFICATIONS_STUCK_AFTER": "2",
    "NOTIFICATIONS_REENQUEUE_AFTER": "1",
    "OUTBOX_DISPATCH_SECONDS": "1",
}


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def worker_env(smtp):
    purge_broker()
    return {"EMAIL_URL": smtp.url, **FAST}


@pytest.fixture
def event(db):
    return EventFactory(
        title_en="Training in Timișoara",
        title_ro="Formare la Timișoara",
        title_fr="Formation à Timișoara",
        capacity=1,
        timezone="Europe/Bucharest",
        starts_at=at(30, "09:00", "Europe/Bucharest"),
        ends_at=at(32, "17:00", "Europe/Bucharest"),
        registration_opens_at=at(-5),
        registration_closes_at=at(25),
    )


def set_broker(url):
    """Point this process's publisher at another broker URL: the pooled connections to the
    old one are closed, so the next enqueue connects to the new URL."""
    celery_app.conf.broker_url = url
    # Celery keeps its producers and connections in pools (kombu's, keyed by URL): forget
    # the ones in use, so that the next enqueue takes them from the pool of ``url``.
    celery_app.amqp._producer_pool = None
    celery_app._pool = None


def subject(kind, language, event):
    with translation.override(language):
        return str(SUBJECTS[kind] % {"event": event.i18n.title})


def register(event, **kwargs):
    with transaction.atomic():  # committed, so its on_commit publishes the emails
        return registrations.registration_create(event=event, person=person(**kwargs))[0]


def settle(smtp, address, count, timeout=45):
    """Wait for ``count`` emails to ``address``, then a little longer for any extra."""
    wait_for(
        lambda: len(smtp.sink.to(address)) >= count,
        timeout=timeout,
        what=f"{count} email(s) to {address}",
    )
    time.sleep(1.5)
    return smtp.sink.to(address)


def test_each_change_puts_exactly_one_email_in_the_right_language_into_smtp(
    smtp, worker_env, event
):
    with celery_worker(extra_env=worker_env, beat=True):
        ana = register(event, email="ana@example.org", language="ro")
        [confirmation] = settle(smtp, "ana@example.org", 1)
        assert confirmation.subject == subject(Kind.CONFIRMED, "ro", event)
        assert confirmation.subject != subject(Kind.CONFIRMED, "en", event)
        assert "Formare la Timișoara" in confirmation.part("text/plain")

        marie = register(event, email="marie@example.org", language="fr")
        [waitlisted] = settle(smtp, "marie@example.org", 1)
        assert waitlisted.subject == subject(Kind.WAITLISTED, "fr", event)

        with transaction.atomic():
            registrations.registration_cancel(registration=ana)
        emails = settle(smtp, "marie@example.org", 2)
        assert [e.subject for e in emails][1] == subject(Kind.PROMOTED, "fr", event)
        assert len(settle(smtp, "ana@example.org", 2)) == 2  # ana: cancellation

        with transaction.atomic():
            event_reschedule(
                event=event,
                starts_at=event.starts_at + timedelta(days=1),
                ends_at=event.ends_at + timedelta(days=1),
            )
        emails = settle(smtp, "marie@example.org", 3)
        assert emails[2].subject == subject(Kind.EVENT_CHANGED, "fr", event)

        # A reminder falls due: the periodic dispatcher hands it to the worker, once.
        reminder = OutgoingMessage.objects.get(registration=marie, dedupe_key="reminder:7d")
        OutgoingMessage.objects.filter(pk=reminder.pk).update(due_at=timezone.now())
        emails = settle(smtp, "marie@example.org", 4)
        assert emails[3].subject == subject(Kind.REMINDER, "fr", event)
        assert len({e.message_id for e in emails}) == 4
        reminder.refresh_from_db()
        assert reminder.state == "sent" and reminder.attempts == 1


def test_a_committed_registrations_confirmation_is_published_and_delivered_by_a_worker(
    smtp, worker_env, event
):
    with celery_worker(extra_env=worker_env):  # no beat: nothing but the publish at commit
        ana = register(event, email="ana@example.org", language="ro")
        [confirmation] = settle(smtp, "ana@example.org", 1)
    row = OutgoingMessage.objects.get(registration=ana, kind=Kind.CONFIRMED)
    assert confirmation.message_id == row.message_id
    assert confirmation.subject == subject(Kind.CONFIRMED, "ro", event)
    assert row.state == "sent" and row.attempts == 1


def test_registrations_succeed_while_the_broker_is_down_and_mail_follows(smtp, worker_env, event):
    event.capacity = 10
    event.save()
    real_url = celery_app.conf.broker_url
    set_broker("redis://127.0.0.1:9/0")  # the broker is down: nothing listens there
    try:
        started = time.monotonic()
        people = [register(event, email=f"p{n}@example.org") for n in range(3)]
        assert time.monotonic() - started < 6, "registering must not wait on the broker"
    finally:
        set_broker(real_url)
    assert all(r.status == "confirmed" for r in people)
    queued = OutgoingMessage.objects.filter(kind=Kind.CONFIRMED)
    assert queued.count() == 3
    assert not queued.filter(enqueued_at__isnull=False).exists()

    with celery_worker(extra_env=worker_env, beat=True):  # the broker is back
        for n in range(3):
            assert len(settle(smtp, f"p{n}@example.org", 1)) == 1


def test_a_worker_killed_between_sending_and_recording_sends_the_email_once(
    smtp, worker_env, event
):
    event.capacity = 10
    event.save()
    killed = {}

    def kill_worker_once(message):
        if "victim@example.org" in str(message["To"]) and not killed:
            killed["pid"] = worker.pid
            os.killpg(worker.pid, signal.SIGKILL)

    smtp.sink.on_message = kill_worker_once
    with celery_worker(extra_env=worker_env) as worker:
        victim = register(event, email="victim@example.org")
        wait_for(lambda: killed, timeout=45, what="the worker to be killed mid-send")
    row = OutgoingMessage.objects.get(registration=victim, kind=Kind.CONFIRMED)
    assert row.state == "sending", "the worker died before recording SENT"
    bystander = register(event, email="bystander@example.org")

    with celery_worker(extra_env=worker_env, beat=True):
        wait_for(
            lambda: OutgoingMessage.objects.get(pk=row.pk).state == "sent",
            timeout=45,
            what="the stuck row to be sent again",
        )
        assert len(settle(smtp, "bystander@example.org", 1)) == 1
    deliveries = smtp.sink.to("victim@example.org")
    # The server had the email when the worker died: it is recorded SENT, not sent again.
    assert len(deliveries) == 1
    assert deliveries[0].message_id == row.message_id
    row.refresh_from_db()
    assert row.attempts == 1 and row.sent_at == row.handed_at
    assert (
        not OutgoingMessage.objects.exclude(state__in=["sent", "queued"])
        .filter(due_at__lte=timezone.now())
        .exists()
    )
    assert bystander.pk


def test_a_worker_killed_mid_batch_sends_again_only_the_email_in_flight(smtp, worker_env, event):
    """Five confirmations handed out by the dispatcher go to the worker as one batch; the
    worker dies while the server takes the third. The two before it were recorded SENT;
    the third was handed to the server but not recorded, so it is recorded SENT when found
    stuck, not sent again; the last two were claimed but never sent, so they are sent
    once, when found stuck."""
    event.capacity = 10
    event.save()
    real_url = celery_app.conf.broker_url
    set_broker("redis://127.0.0.1:9/0")  # nothing published: the rows wait for the dispatcher
    try:
        people = [register(event, email=f"b{n}@example.org") for n in range(5)]
    finally:
        set_broker(real_url)
    rows = [OutgoingMessage.objects.get(registration=r, kind=Kind.CONFIRMED) for r in people]
    killed = {}

    def kill_worker_once(message):
        if "b2@example.org" in str(message["To"]) and not killed:
            killed["pid"] = worker.pid
            os.killpg(worker.pid, signal.SIGKILL)

    smtp.sink.on_message = kill_worker_once
    with celery_worker(extra_env=worker_env, beat=True) as worker:
        wait_for(lambda: killed, timeout=45, what="the worker to be killed mid-batch")
    states = [OutgoingMessage.objects.get(pk=row.pk).state for row in rows]
    assert states == ["sent", "sent", "sending", "sending", "sending"]
    assert {r.connection for r in smtp.sink.received} == {1}, "one batch, one connection"

    smtp.sink.on_message = None
    with celery_worker(extra_env=worker_env, beat=True):
        wait_for(
            lambda: (
                set(
                    OutgoingMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list(
                        "state", flat=True
                    )
                )
                == {"sent"}
            ),
            timeout=45,
            what="the stuck rows to be sent",
        )
        deliveries = [settle(smtp, f"b{n}@example.org", 1) for n in range(5)]
    assert [len(d) for d in deliveries] == [1, 1, 1, 1, 1], "each exactly once"
    assert [OutgoingMessage.objects.get(pk=row.pk).attempts for row in rows] == [1, 1, 1, 2, 2]


def test_a_refusing_mail_server_marks_the_email_failed_with_its_answer(smtp, worker_env, event):
    smtp.sink.refuse.add("nobody@example.org")
    with celery_worker(extra_env=worker_env):
        registration = register(event, email="nobody@example.org")
        row = OutgoingMessage.objects.get(registration=registration, kind=Kind.CONFIRMED)
        wait_for(
            lambda: OutgoingMessage.objects.get(pk=row.pk).state == "failed",
            timeout=45,
            what="the refused email to be marked failed",
        )
    row.refresh_from_db()
    assert "550" in row.last_error and "No such mailbox" in row.last_error
    assert row.attempts == 1, "a permanent refusal is not retried"


def test_a_busy_then_down_mail_server_is_retried_then_failed(smtp, worker_env, event):
    smtp.sink.busy.add("later@example.org")
    with celery_worker(extra_env=worker_env):
        registration = register(event, email="later@example.org")
        row = OutgoingMessage.objects.get(registration=registration, kind=Kind.CONFIRMED)
        wait_for(
            lambda: OutgoingMessage.objects.get(pk=row.pk).state == "failed",
            timeout=60,
            what="retries to run out",
        )
    row.refresh_from_db()
    assert row.attempts == 3
    assert "451" in row.last_error

    down = {**worker_env, "EMAIL_URL": "smtp://127.0.0.1:9"}  # nothing listens there
    with celery_worker(extra_env=down):
        other = register(event.__class__.objects.get(pk=event.pk), email="x@example.org")
        row = OutgoingMessage.objects.filter(registration=other).order_by("pk").first()
        wait_for(
            lambda: OutgoingMessage.objects.get(pk=row.pk).state == "failed",
            timeout=60,
            what="retries to run out against a server that is down",
        )
    row.refresh_from_db()
    assert row.attempts == 3
    assert "Connection refused" in row.last_error or "Errno 111" in row.last_error
