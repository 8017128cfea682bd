"""The registration benchmark's second reference, ``bench/floor.py``'s ``minimum`` view,
writes what the registration form writes for the same POST, and no more: the benchmark's
"the least a registration must do" compares like with like."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from events.models import Event
from notifications.models import OutgoingMessage

from .factories import EventFactory, at, form_fields

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="the minimum counts its rate limits in Redis"
    ),
]

RESULT = re.compile(r"^/en/r/[A-Za-z0-9_-]{20,}/$")


def written(event: Event) -> tuple:
    event.refresh_from_db()
    registrations = sorted(
        (r.email, r.status, r.waitlisted_at is not None, r.privacy_consent_version, r.language)
        for r in event.registrations.all()
    )
    emails = sorted(
        (m.registration.email, m.kind, m.dedupe_key, m.state, m.enqueued_at is not None)
        for m in OutgoingMessage.objects.filter(event=event).select_related("registration")
    )
    return event.places_taken, registrations, emails


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_minimum_writes_the_rows_the_registration_form_writes(client):
    if connection.vendor != "postgresql":
        pytest.skip("the minimum is one PostgreSQL statement")
    window = {"registration_opens_at": at(-1), "registration_closes_at": at(10), "capacity": 1}
    application, minimum = EventFactory(**window), EventFactory(**window)
    answers = (
        (
            f"/en/events/{application.slug}/register/",
            f"/en/events/{application.slug}/register/sent/",
        ),
        (f"/floor/minimum/{minimum.pk}/", RESULT),
    )
    for path, answer in answers:
        for email in ("first@example.org", "Second@Example.org"):
            response = client.post(path, form_fields(email=email, language="en"))
            assert response.status_code == 302, response.content[:300]
            if isinstance(answer, str):  # the form's "check your email" page
                assert response["Location"] == answer
            else:
                assert answer.match(response["Location"])

    places_taken, registrations, emails = written(minimum)
    assert (places_taken, registrations, emails) == written(application)
    assert places_taken == 1
    assert [status for _email, status, *_rest in registrations] == ["confirmed", "waitlisted"]
    assert sorted(kind for _email, kind, *_rest in emails) == [
        "confirmed",
        "reminder",
        "reminder",
        "thanks",
        "waitlisted",
    ]


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_minimum_refuses_a_closed_window(client):
    if connection.vendor != "postgresql":
        pytest.skip("the minimum is one PostgreSQL statement")
    event = EventFactory(registration_opens_at=at(-3), registration_closes_at=at(-1))
    response = client.post(f"/floor/minimum/{event.pk}/", form_fields(language="en"))
    assert response.status_code == 400
    assert not event.registrations.exists()
