"""Organisers see what every email did, can resend a failed one, and write to participants."""

import pytest

from notifications.models import Broadcast, Kind, OutgoingMessage
from registrations import services as registrations

from ..events.test_pages import text
from ..factories import EventFactory, UserFactory, at, person
from ..outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    organiser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(organiser)
    return client


@pytest.fixture
def event(db):
    return EventFactory(
        title_en="Closing event",
        capacity=10,
        registration_opens_at=at(-3),
        registration_closes_at=at(10),
    )


def test_failed_emails_show_their_reason_and_can_be_sent_again(organiser_client, event):
    registration = registrations.registration_create(
        event=event, person=person(email="gone@example.org")
    )[0]
    row = OutgoingMessage.objects.get(registration=registration, kind=Kind.CONFIRMED)
    OutgoingMessage.objects.filter(pk=row.pk).update(
        state="failed", last_error="SMTPRecipientsRefused: 550 No such mailbox", attempts=1
    )
    page = text(organiser_client.get("/en/admin/notifications/outgoingmessage/?state=failed"))
    assert "gone@example.org" in page and "550 No such mailbox" in page
    page = text(
        organiser_client.get(f"/en/admin/registrations/registration/{registration.pk}/change/")
    )
    assert "550 No such mailbox" in page

    organiser_client.post(
        "/en/admin/notifications/outgoingmessage/",
        {"action": "resend", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.state == "queued" and row.attempts == 0
    deliver_outbox()
    row.refresh_from_db()
    assert row.state == "sent"


def test_a_message_to_participants_is_queued_with_its_progress(organiser_client, event):
    for number in range(3):
        registrations.registration_create(event=event, person=person(email=f"p{number}@ex.org"))
    response = organiser_client.post(
        "/en/admin/notifications/broadcast/add/",
        {
            "event": event.pk,
            "subject_en": "Bus times",
            "body_en": "The bus leaves at 8:00.",
            "statuses": ["confirmed"],
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    broadcast = Broadcast.objects.get()
    assert broadcast.messages.count() == 3
    page = text(organiser_client.get(f"/en/admin/notifications/broadcast/{broadcast.pk}/change/"))
    assert "0 of 3 sent, 0 failed" in page
    deliver_outbox()
    page = text(organiser_client.get(f"/en/admin/notifications/broadcast/{broadcast.pk}/change/"))
    assert "3 of 3 sent, 0 failed" in page


def test_organisers_follow_emails_in_the_workspace_not_the_admin(client, event):
    registrations.registration_create(event=event, person=person(email="mine@example.org"))
    organiser = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_outgoingmessage", "change_outgoingmessage"])
    )
    event.organisers.add(organiser)
    client.force_login(organiser)
    response = client.get("/en/admin/notifications/outgoingmessage/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "mine@example.org" in text(client.get(f"/en/workspace/{event.slug}/emails/"))
