"""Towns that share a name in one country (Portland, Oregon and Portland, Maine) are told
apart: the participant is shown them, with their state, country, size and position, and
chooses theirs; nothing is chosen for them. Works as a plain form, without JavaScript."""

import re

import pytest
from django.utils import translation

from mobility import cities
from mobility.models import MobilityDetails

from ..events.test_pages import text
from .conftest import register
from .test_participant_pages import travel_form
from .test_registration_form import field_errors, marta, travel

pytestmark = pytest.mark.django_db

PORTLAND_OREGON, PORTLAND_MAINE = 5746545, 4975802


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def place_options(html: str, name: str) -> dict[str, str]:
    found = re.search(rf'<select name="{name}".*?</select>', html, flags=re.S)
    if not found:
        return {}
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(0))
    return dict(options)


def test_every_portland_of_the_united_states_is_a_candidate_with_its_state():
    found = cities.city_candidates(name="portland", country="us")
    assert [city.geonameid for city in found[:2]] == [PORTLAND_OREGON, PORTLAND_MAINE]
    assert (found[0].region, found[1].region) == ("Oregon", "Maine")
    assert len(found) >= 5 and len({city.geonameid for city in found}) == len(found)
    assert cities.city_candidates(name="Lisboa", country="PT")[0].region == ""
    assert cities.city_candidates(name="Nowhere at all", country="US") == []


def test_the_private_page_asks_which_portland_and_saves_the_one_chosen(client, timisoara):
    marta_ = register(timisoara, "Marta", timisoara.portugal)
    url = f"/en/r/{marta_.secret}/mobility/"
    assert place_options(client.get(url).content.decode(), "origin_place") == {}
    response = client.post(url, travel_form(origin_country="US", origin_city="Portland"))
    assert response.status_code == 200
    assert not MobilityDetails.objects.filter(registration=marta_).exists()
    html = response.content.decode()
    assert "Several towns are called Portland in this country (United States of America)" in text(
        response
    )
    options = place_options(html, "origin_place")
    assert options[""] == "Choose your town"
    assert options[str(PORTLAND_OREGON)] == (
        "Portland, Oregon (United States of America): 652,503 inhabitants, 45.52° N, 122.68° W"
    )
    assert options[str(PORTLAND_MAINE)].startswith(
        "Portland, Maine (United States of America): 66,881"
    )
    response = client.post(
        url,
        travel_form(origin_country="US", origin_city="Portland", origin_place=PORTLAND_MAINE),
    )
    assert response.status_code == 302
    details = MobilityDetails.objects.get(registration=marta_)
    assert (details.origin_geonameid, details.origin_city) == (PORTLAND_MAINE, "Portland")
    # Back on the page, the town saved is the one shown as chosen.
    html = client.get(url).content.decode()
    assert re.search(rf'<option value="{PORTLAND_MAINE}" selected>', html)


def test_a_town_alone_of_its_name_needs_no_choice(client, timisoara):
    marta_ = register(timisoara, "Marta", timisoara.portugal)
    url = f"/en/r/{marta_.secret}/mobility/"
    response = client.post(url, travel_form(origin_place=PORTLAND_OREGON))
    assert response.status_code == 302
    details = MobilityDetails.objects.get(registration=marta_)
    assert details.origin_city == "Lisbon"
    assert 'name="origin_place"' not in client.get(url).content.decode()


def test_the_registration_form_lists_the_candidates_beside_the_field(client, timisoara):
    url = f"/fr/events/{timisoara.slug}/register/"
    fields = marta(timisoara, **travel(mobility_origin_country="US"))
    fields["mobility_origin_city"] = "Portland"
    response = client.post(url, fields)
    assert response.status_code == 400  # the form again, with its messages
    assert "Portland" in field_errors(response, "mobility_origin_city")
    options = place_options(response.content.decode(), "mobility_origin_place")
    assert options[str(PORTLAND_OREGON)].startswith("Portland, Oregon (États-Unis")
    fields["mobility_origin_place"] = str(PORTLAND_OREGON)
    response = client.post(url, fields)
    assert response.status_code == 302, text(response)
    assert MobilityDetails.objects.get().origin_geonameid == PORTLAND_OREGON
