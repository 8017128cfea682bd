"""Once the organisers lock the travel details, the private page says where to write
(the event's contact address, else the network's) and shows every detail read-only."""

import pytest

from events.models import Event, NetworkIdentity
from mobility import services as mobility_services

from ..events.test_pages import text
from .conftest import register
from .test_participant_pages import travel_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    client.post(
        f"/en/r/{marta.secret}/mobility/",
        travel_form(needs_visa_letter="on", accommodation_nights="4", room_sharing="With João"),
    )
    mobility_services.mobility_lock(event=timisoara, locked=True)
    return marta


def test_the_locked_page_gives_the_events_contact_address_and_every_detail(
    client, timisoara, locked
):
    Event.objects.filter(pk=timisoara.pk).update(contact_email="mobility@cries.example")
    response = client.get(f"/en/r/{locked.secret}/mobility/")
    assert 'href="mailto:mobility@cries.example"' in response.content.decode()
    page = text(response)
    assert "write to them at mobility@cries.example" in page
    assert "Accommodation nights 4" in page
    assert "Room-sharing wishes With João" in page
    assert "Visa invitation letter yes" in page
    assert "Date of birth 25 April 1990" in page
    assert "Save my travel details" not in page


def test_without_an_event_address_the_networks(client, timisoara, locked):
    NetworkIdentity.objects.update_or_create(pk=1, defaults={"email": "hello@network.example"})
    page = text(client.get(f"/fr/r/{locked.secret}/mobility/"))
    assert "écrivez-lui à hello@network.example" in page
