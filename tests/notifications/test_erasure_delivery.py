"""After a person erases their data, a real worker sends them nothing: what was queued for
them (already handed to the broker included) is cancelled, and the waiting list's first
person is told they have the place."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Kind, OutgoingMessage
from registrations import personal_data
from registrations import services as registrations

from ..factories import EventFactory, at, person
from ..smtp import SMTPServer
from ..workers import celery_worker, purge_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


def test_a_worker_sends_nothing_to_someone_who_erased_their_data(smtp):
    purge_broker()
    event = EventFactory(capacity=1, registration_opens_at=at(-5), registration_closes_at=at(25))
    with transaction.atomic():
        ana = registrations.registration_create(
            event=event, person=person(email="ana@example.org")
        )[0]
        bela = registrations.registration_create(
            event=event, person=person(email="bela@example.org")
        )[0]
    assert (ana.status, bela.status) == ("confirmed", "waitlisted")
    # Her confirmation is in the broker already, her reminders are queued for later.
    queued = OutgoingMessage.objects.filter(registration=ana, state="queued")
    assert queued.filter(kind=Kind.CONFIRMED).exists()
    assert queued.filter(kind=Kind.REMINDER).exists()

    personal_data.person_erase(subject=personal_data.subject_of_registration(ana))
    # Her reminders would be due now: the dispatcher must still leave them alone.
    OutgoingMessage.objects.filter(registration=ana).update(due_at=timezone.now())

    environment = {"EMAIL_URL": smtp.url, "OUTBOX_DISPATCH_SECONDS": "1"}
    with celery_worker(extra_env=environment, beat=True):
        wait_for(
            lambda: len(smtp.sink.to("bela@example.org")) >= 2,
            timeout=45,
            what="bela's waiting-list and promotion emails",
        )
        time.sleep(3)  # a few dispatcher rounds, for anything that should not go

    assert smtp.sink.to("ana@example.org") == []
    assert not OutgoingMessage.objects.filter(registration=ana).exclude(state="cancelled")
    bela.refresh_from_db()
    assert bela.status == "confirmed"
