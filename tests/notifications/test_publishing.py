"""Handing rows to the workers: the rows of several requests go out in one send task,
published from a thread of the process, and none is forgotten."""

import pytest
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Kind, OutgoingMessage
from notifications.services import SEND_TASK, enqueue_soon_wait
from registrations import services as registrations

from ..factories import EventFactory, at, person
from ..workers import purge_broker

pytestmark = pytest.mark.django_db(transaction=True)


def tasks_in_broker() -> list[tuple[str, list]]:
    """(task name, first argument) of every task waiting in the broker's queue, taken out."""
    found = []
    with celery_app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                args, _kwargs, _embed = message.decode()
                found.append((message.headers["task"], args[0]))
                message.ack()
        finally:
            queue.close()
    return found


def register(event, email):
    with transaction.atomic():  # committed: its on_commit rings the bell
        return registrations.registration_create(event=event, person=person(email=email))[0]


def test_the_emails_of_several_registrations_go_out_in_one_task(settings):
    settings.NOTIFICATIONS_PUBLISH_DELAY = 2.0  # the gathering time: longer than 5 requests
    event = EventFactory(capacity=10, registration_opens_at=at(-1), registration_closes_at=at(5))
    purge_broker()

    people = [register(event, f"p{n}@example.org") for n in range(5)]
    assert enqueue_soon_wait(timeout=10)

    confirmations = OutgoingMessage.objects.filter(registration__in=people, kind=Kind.CONFIRMED)
    assert confirmations.count() == 5
    assert not confirmations.filter(enqueued_at__isnull=True).exists()
    assert tasks_in_broker() == [(SEND_TASK, sorted(row.pk for row in confirmations))]


def test_nothing_is_published_for_a_transaction_rolled_back(settings):
    settings.NOTIFICATIONS_PUBLISH_DELAY = 0.05
    event = EventFactory(capacity=10, registration_opens_at=at(-1), registration_closes_at=at(5))
    purge_broker()

    with pytest.raises(RuntimeError), transaction.atomic():
        registrations.registration_create(event=event, person=person(email="gone@example.org"))
        raise RuntimeError("the request failed after registering")
    kept = register(event, "kept@example.org")
    assert enqueue_soon_wait(timeout=10)

    confirmation = OutgoingMessage.objects.get(kind=Kind.CONFIRMED)
    assert confirmation.registration == kept
    assert tasks_in_broker() == [(SEND_TASK, [confirmation.pk])]
