"""After the lock, the organisers still correct one person's travel details,
fewer-opportunities answer and role; coordinators do not."""

import pytest

from mobility.models import MobilityDetails
from mobility.services import mobility_lock
from registrations.models import Registration

from ..events.test_pages import text
from .test_workspace_pages import delegations, travels  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_organiser_corrects_a_persons_travel_after_the_lock(client, delegations):  # noqa: F811
    marta = delegations.people["marta"]
    mobility_lock(event=delegations, locked=True)
    client.force_login(delegations.organiser)
    participants = text(client.get(f"/en/workspace/{delegations.slug}/participants/"))
    assert "Travel details" in participants
    url = f"/en/workspace/{delegations.slug}/mobility/people/{marta.uuid}/"
    page = client.get(url)
    assert "Travel details are locked" in text(page)
    assert 'value="Lisbon"' in page.content.decode()
    response = client.post(
        url,
        {
            "origin_country": "PT",
            "origin_city": "Porto",
            "means": "bus",
            "role": "accompanying",
            "room_sharing": "With Bence",
        },
    )
    assert response.status_code == 302
    assert "The travel details of \u2068Marta Tester\u2069 are saved." in text(client.get(url))
    details = MobilityDetails.objects.get(registration=marta)
    assert (details.origin_city, details.means, details.fewer_opportunities) == (
        "Porto",
        "bus",
        False,
    )
    assert details.accompanying_person
    assert Registration.objects.get(pk=marta.pk).role == "accompanying"
    # The participant still cannot change them.
    own = text(client.get(f"/en/r/{marta.secret}/mobility/"))
    assert "Save my travel details" not in own


def test_a_coordinator_cannot_correct_travel_details(client, delegations):  # noqa: F811
    bence = delegations.people["bence"]
    client.force_login(delegations.hu_coordinator)
    url = f"/en/workspace/{delegations.slug}/mobility/people/{bence.uuid}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "accompanying", "means": "plane"}).status_code == 404
    assert MobilityDetails.objects.get(registration=bence).means == "train"
    participants = text(client.get(f"/en/workspace/{delegations.slug}/participants/"))
    assert "Travel details" not in participants


def test_a_persons_travel_page_takes_the_french_colons(client, delegations):  # noqa: F811
    marta = delegations.people["marta"]
    client.force_login(delegations.organiser)
    page = client.get(f"/fr/workspace/{delegations.slug}/mobility/people/{marta.uuid}/")
    html = page.content.decode()
    assert f"<h1>Informations de voyage\u00a0: <bdi>{marta.full_name}</bdi></h1>" in html
    assert "Distance jusqu’au lieu (aller simple)\u00a0: " in html
    assert "Tranche de distance\u00a0: " in html
    overview = client.get(f"/fr/workspace/{delegations.slug}/mobility/").content.decode()
    assert "<h1>Mobilité\u00a0: " in overview
