"""Released quota places are given once, however many runs of the release task overlap
(beat and a worker, or two workers): the event's row lock serialises them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Event
from notifications.models import Kind, OutgoingMessage
from registrations import services
from registrations.models import Quota, Registration

from ..factories import EventFactory, OrganisationFactory, QuotaFactory, at, person

pytestmark = pytest.mark.django_db(transaction=True)

RUNS = 4


def test_overlapping_release_runs_give_each_place_once():
    event = EventFactory(capacity=3, registration_opens_at=at(-3), registration_closes_at=at(10))
    partner = OrganisationFactory(name="Largo")
    quota = QuotaFactory(event=event, organisation=partner, places=2, release_at=at(5))
    for index in range(5):  # one place for them, then the waiting list
        services.registration_create(event=event, person=person(email=f"p{index}@example.org"))
    Quota.objects.filter(pk=quota.pk).update(release_at=timezone.now() - timedelta(seconds=1))
    barrier = threading.Barrier(RUNS)

    def run(_index):
        try:
            barrier.wait(timeout=30)
            return len(services.quotas_release_due())
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=RUNS) as pool:
        promoted = list(pool.map(run, range(RUNS)))

    assert sorted(promoted) == [0] * (RUNS - 1) + [2]
    event = Event.objects.get(pk=event.pk)
    holding = Registration.objects.filter(event=event, status__in=Registration.HOLDING)
    assert holding.count() == event.places_taken == 3
    assert set(holding.values_list("email", flat=True)) == {
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    }
    told = OutgoingMessage.objects.filter(registration__event=event, kind=Kind.PROMOTED)
    assert sorted(told.values_list("recipient", flat=True)) == ["p1@example.org", "p2@example.org"]
