"""What a Hungarian participant reads (a native reviewer's cold walk): the waiting-list
email's subject, the cancel page and the private page of a cancelled registration."""

import pytest
from django.core import mail

from registrations import services

from .events.test_pages import text
from .factories import EventFactory, at, person
from .outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(db):
    event = EventFactory(
        slug="kozgyules",
        title_en="Network assembly",
        title_hu="Hálózati közgyűlés",
        capacity=1,
        registration_opens_at=at(-5),
        languages=["en", "hu"],
    )
    services.registration_create(
        event=event, person=person(email="first@example.org", language="hu")
    )
    return event


def test_the_waiting_list_email_says_who_got_on_it(full_event):
    services.registration_create(
        event=full_event, person=person(email="eszter@example.org", language="hu")
    )
    deliver_outbox()
    [sent] = [message for message in mail.outbox if message.to == ["eszter@example.org"]]
    assert sent.subject == "Várólistára került: Hálózati közgyűlés"


def test_the_cancel_page_and_the_cancelled_registration_read_as_hungarian(client, full_event):
    registration = full_event.registrations.get()
    page = text(client.get(f"/hu/r/{registration.secret}/cancel/"))
    assert "Helyét (és a műhelyekben foglalt helyeit) a várólistán következők" in page, page
    assert "privát hivatkozásán keresztül újra regisztrálhat" in page
    services.registration_cancel(registration=registration)
    page = text(client.get(f"/hu/r/{registration.secret}/"))
    assert "Ez a regisztráció le van mondva." in page, page
    assert "lemondták" not in page
