"""A participant who does not know their means of transport yet saves the rest of their
travel from the private page, and is not shown a grant computed as if they flew."""

import pytest
from django.utils import translation

from mobility.models import MobilityDetails

from ..events.test_pages import text
from .conftest import register
from .test_participant_pages import travel_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def test_i_do_not_know_yet_stays_a_valid_answer_on_the_private_page(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    url = f"/en/r/{marta.secret}/mobility/"
    assert "I do not know yet" in text(client.get(url))
    response = client.post(url, travel_form(means="", accommodation_nights="5"))
    assert response.status_code == 302
    details = MobilityDetails.objects.get(registration=marta)
    assert (details.means, details.accommodation_nights) == ("", 5)
    page = text(client.get(url))
    assert "Travel grant Not known yet: it depends on your means of transport." in page
    assert "Green travel Not known yet" in page
    assert "EUR" not in page
    page = text(client.get(f"/fr/r/{marta.secret}/mobility/"))
    assert "Pas encore connu" in page


def test_the_participant_sees_the_emissions_estimate_and_its_source(client, timisoara):
    marta = register(timisoara, "Marta", timisoara.portugal)
    url = f"/en/r/{marta.secret}/mobility/"
    client.post(url, travel_form(means="plane"))
    page = text(client.get(url))
    # Lisbon–Timișoara 2602 km one way, return by plane.
    assert "Estimated emissions of the return journey" in page
    assert "811.8 kg CO2e" in page
    assert "Source: UK Government GHG conversion factors" in page
    page = text(client.get(f"/fr/r/{marta.secret}/mobility/"))
    assert "Émissions estimées du voyage aller-retour" in page


def test_the_overview_counts_unknown_means_apart_not_as_non_green(client, timisoara):
    """Bence (Budapest) does not know yet how he travels: he is neither a green traveller
    nor counted at the standard (non-green) amount; the line and the total say so."""
    from .test_workspace_pages import travels

    marta = register(timisoara, "Marta", timisoara.portugal)
    travels(marta, "Lisboa", "PT", "train")
    bence = register(timisoara, "Bence", timisoara.hungary)
    travels(bence, "Budapest", "HU", "")
    zsofi = register(timisoara, "Zsofi", timisoara.hungary)
    travels(zsofi, "Szeged", "HU", "plane")
    client.force_login(timisoara.organiser)
    page = text(client.get(f"/en/workspace/{timisoara.slug}/mobility/"))
    assert "Means of transport not yet known" in page
    # Name, participants, accompanying, fewer opportunities, green, km, grant, emissions,
    # without a city, means not yet known: only Zsófi's plane (180 EUR) is in the grant.
    assert "Fekete Sereg 2 0 0 0 355 180 " in page
    assert page.split("Fekete Sereg 2 0 0 0 355 180 ", 1)[1].split()[1:3] == ["0", "1"]
    assert "Largo Residências 1 0 0 1 2,602 410 184.7 0 0" in page
    assert "Total 3 0 0 1 2,957 590 " in page
    assert "1 person does not know their means of transport yet" in page
    # The coordinator of the Hungarian delegation sees the same for their people.
    client.force_login(timisoara.hu_coordinator)
    page = text(client.get(f"/en/workspace/{timisoara.slug}/mobility/"))
    assert "Fekete Sereg 2 0 0 355 180 " in page


def test_a_long_haul_flight_takes_the_long_haul_factor(client, timisoara):
    from decimal import Decimal

    from .test_workspace_pages import travels

    rui = register(timisoara, "Rui", timisoara.portugal)
    travels(rui, "Portland", "US", "plane")  # Portland, Oregon: the most populous
    client.force_login(timisoara.organiser)
    page = text(client.get(f"/en/r/{rui.secret}/mobility/"))
    km = int(page.split("Distance to the venue (one way) ", 1)[1].split(" km")[0].replace(",", ""))
    assert km > 3700
    expected = (Decimal(2 * km) * Decimal("117.0") / 1000).quantize(Decimal("0.1"))
    assert f"{expected:,} kg CO2e" in page  # grouped as English groups thousands
    assert "A long-haul flight (more than 3,700 km):" in page
    assert "Long-haul, to/from UK" in page and "Economy class" in page
    # A short flight keeps the short-haul factor (Lisbon: 2602 km, 156 g).
    marta = register(timisoara, "Marta", timisoara.portugal)
    travels(marta, "Lisboa", "PT", "plane")
    page = text(client.get(f"/en/r/{marta.secret}/mobility/"))
    assert "811.8 kg CO2e" in page and "long-haul" not in page
