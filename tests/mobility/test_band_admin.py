"""The admin refuses a table of distance bands that would compute nonsense: bands that
overlap, negative unit costs, a green amount below the standard one."""

import pytest

from mobility.models import BandTable

from ..events.test_pages import text
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def table_form(*bands):
    data = {
        "name": "Programme guide 2027",
        "year": "2027",
        "source": "Erasmus+ programme guide 2027",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for index, (start, end, cost, green) in enumerate(bands):
        data |= {
            f"bands-{index}-min_km": str(start),
            f"bands-{index}-max_km": "" if end is None else str(end),
            f"bands-{index}-unit_cost": str(cost),
            f"bands-{index}-green_unit_cost": "" if green is None else str(green),
        }
    return data


URL = "/en/admin/mobility/bandtable/add/"


def test_overlapping_bands_are_refused(admin_client):
    response = admin_client.post(
        URL, table_form((10, 99, 23, None), (90, 499, 180, 210), (500, None, 275, None))
    )
    assert response.status_code == 200
    assert "The bands from 10 km and from 90 km overlap." in text(response)
    response = admin_client.post(URL, table_form((10, None, 23, None), (100, 499, 180, 210)))
    assert "The bands from 10 km and from 100 km overlap." in text(response)
    assert not BandTable.objects.filter(year=2027).exists()


def test_negative_costs_and_a_green_amount_below_the_standard_are_refused(admin_client):
    response = admin_client.post(URL, table_form((10, 99, -23, None), (100, 499, 180, 150)))
    page = text(response)
    assert "A unit cost cannot be negative." in page
    assert "The green travel unit cost cannot be lower than the standard one." in page
    assert not BandTable.objects.filter(year=2027).exists()


def test_a_sound_table_is_saved(admin_client):
    response = admin_client.post(
        URL, table_form((10, 99, 23, None), (100, 499, 180, 210), (500, None, 275, 320))
    )
    assert response.status_code == 302
    assert BandTable.objects.get(year=2027).bands.count() == 3
