"""Handing rows to the workers: a committed change publishes its emails when it commits,
a rolled-back one publishes nothing, and a publish that is lost is made good by the
periodic dispatcher at its next run."""

import subprocess
import sys

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Kind, OutgoingMessage
from notifications.services import SEND_TASK
from registrations import services as registrations

from ..factories import EventFactory, at, person
from ..workers import ROOT, process_environment, purge_broker, tasks_in_broker

pytestmark = pytest.mark.django_db(transaction=True)


def register(event, email):
    with transaction.atomic():  # committed: its on_commit publishes the emails
        return registrations.registration_create(event=event, person=person(email=email))[0]


@pytest.fixture
def event(db):
    return EventFactory(capacity=10, registration_opens_at=at(-1), registration_closes_at=at(5))


def test_a_registrations_emails_are_published_when_it_commits(event):
    purge_broker()

    ana = register(event, "ana@example.org")

    # In the broker as soon as the transaction has committed, and marked as handed out.
    confirmation = OutgoingMessage.objects.get(registration=ana, kind=Kind.CONFIRMED)
    assert tasks_in_broker() == [(SEND_TASK, [confirmation.pk])]
    assert confirmation.enqueued_at is not None
    assert not OutgoingMessage.objects.filter(registration=ana, kind=Kind.REMINDER).filter(
        enqueued_at__isnull=False
    ), "reminders are not due: the dispatcher hands them out when they are"


def test_nothing_is_published_for_a_transaction_rolled_back(event):
    purge_broker()

    with pytest.raises(RuntimeError), transaction.atomic():
        registrations.registration_create(event=event, person=person(email="gone@example.org"))
        raise RuntimeError("the request failed after registering")

    assert tasks_in_broker() == []
    assert not OutgoingMessage.objects.exists()


REGISTER_THEN_DIE = """
import os
from django.db import transaction
from events.models import Event
from registrations import services
from tests.factories import person

with transaction.atomic():
    # Runs first after the commit: the process dies before publishing anything.
    transaction.on_commit(lambda: os._exit(0))
    services.registration_create(
        event=Event.objects.get(pk={event}), person=person(email="lost@example.org")
    )
"""


def test_a_publish_lost_with_its_process_is_made_good_by_the_dispatchers_next_run(event):
    """A web process dies between its commit and its publish: the confirmation is in the
    database, in no queue. The dispatcher's next run hands it out (not minutes later)."""
    purge_broker()
    code = REGISTER_THEN_DIE.format(event=event.pk)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=process_environment(),
        check=True,
        timeout=60,
    )
    confirmation = OutgoingMessage.objects.get(kind=Kind.CONFIRMED)
    assert confirmation.registration.email == "lost@example.org"
    assert tasks_in_broker() == [], "the process died before publishing"

    assert services.outbox_dispatch() == 1

    assert tasks_in_broker() == [(SEND_TASK, [confirmation.pk])]
