"""Distances, Erasmus+ distance bands, travel grants, travel days and emissions, with the
2021 programme guide's table shipped by the data migration."""

from datetime import date
from decimal import Decimal

import pytest

from mobility import cities, services
from mobility.models import BandTable, DistanceBand, MeansOfTransport, MobilityDetails

from ..factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db

KM_PER_DEGREE = 6371.0 * 3.141592653589793 / 180


def guide_2021():
    table = BandTable.objects.get(year=2021)
    return list(DistanceBand.objects.filter(table=table)), {
        row.means: row for row in MeansOfTransport.objects.all()
    }


def travel(origin, venue_latitude, venue_longitude, means="train", **details):
    bands, means_data = guide_2021()
    event = EventFactory(
        venue=VenueFactory(latitude=venue_latitude, longitude=venue_longitude),
    )
    row = MobilityDetails(
        origin_latitude=origin[0], origin_longitude=origin[1], means=means, **details
    )
    return services.travel_compute(details=row, event=event, bands=bands, means=means_data)


def city(name, country):
    found = cities.city_find(name=name, country=country)
    return (found.latitude, found.longitude)


TIMISOARA = (Decimal("45.755900"), Decimal("21.229000"))  # CRIES, the venue
SAINT_ETIENNE = (Decimal("45.451900"), Decimal("4.391500"))  # Le Fil


@pytest.mark.parametrize(
    ("origin", "venue", "km", "band", "green_amount"),
    [
        (("Arad", "RO"), TIMISOARA, 48, "10–99 km", None),
        (("Szeged", "HU"), TIMISOARA, 100, "100–499 km", Decimal("210")),
        (("Budapest", "HU"), TIMISOARA, 255, "100–499 km", Decimal("210")),
        (("Paris", "FR"), TIMISOARA, 1460, "500–1999 km", Decimal("320")),
        (("Lisboa", "PT"), TIMISOARA, 2602, "2000–2999 km", Decimal("410")),
        (("Lyon", "FR"), SAINT_ETIENNE, 48, "10–99 km", None),
        (("Paris", "FR"), SAINT_ETIENNE, 408, "100–499 km", Decimal("210")),
        (("Lisbon", "PT"), SAINT_ETIENNE, 1341, "500–1999 km", Decimal("320")),
    ],
)
def test_band_of_real_city_pairs_among_the_partners(origin, venue, km, band, green_amount):
    result = travel(city(*origin), *venue)
    assert (result.km, result.band_label, result.green_amount) == (km, band, green_amount)


@pytest.mark.parametrize(
    ("km", "band"),
    [
        (9.9, ""),
        (10.01, "10–99 km"),
        (99.9, "10–99 km"),
        (100.01, "100–499 km"),
        (499.9, "100–499 km"),
        (500.01, "500–1999 km"),
        (1999.9, "500–1999 km"),
        (2000.01, "2000–2999 km"),
        (3999.9, "3000–3999 km"),
        (4000.01, "4000–7999 km"),
        (7999.9, "4000–7999 km"),
        (8000.01, "8000 km +"),
    ],
)
def test_band_edges_are_exact(km, band):
    """Along a meridian, ``km`` kilometres north of the venue: whole kilometres decide."""
    origin = (Decimal(km / KM_PER_DEGREE).quantize(Decimal("0.000001")), Decimal(0))
    result = travel(origin, Decimal(0), Decimal(0), means="plane")
    assert result.band_label == band
    assert result.km == int(km)


def test_green_travel_pays_the_green_unit_cost_and_plane_the_standard_one():
    lisbon = city("Lisboa", "PT")
    by_train = travel(lisbon, *TIMISOARA, means="train")
    by_plane = travel(lisbon, *TIMISOARA, means="plane")
    by_shared_car = travel(lisbon, *TIMISOARA, means="shared_car")
    assert (by_train.green, by_train.unit_cost) == (True, Decimal("410"))
    assert (by_plane.green, by_plane.unit_cost, by_plane.green_amount) == (
        False,
        Decimal("360"),
        None,
    )
    assert by_shared_car.unit_cost == Decimal("410")


def test_a_band_without_a_green_amount_pays_the_standard_one_to_green_travellers():
    far = (Decimal(4500 / KM_PER_DEGREE).quantize(Decimal("0.000001")), Decimal(0))
    result = travel(far, Decimal(0), Decimal(0), means="train")
    assert (result.green, result.green_amount, result.unit_cost) == (True, None, Decimal("820"))


def test_travel_days_are_two_or_up_to_six_with_green_travel():
    first, last = date(2026, 9, 10), date(2026, 9, 13)

    def days(green, arrival, departure):
        return services.travel_days(
            green=green, arrival=arrival, departure=departure, first_day=first, last_day=last
        )

    assert days(False, date(2026, 9, 6), date(2026, 9, 17)) == 2
    assert days(True, None, None) == 2
    assert days(True, date(2026, 9, 10), date(2026, 9, 13)) == 2  # same-day journeys
    assert days(True, date(2026, 9, 8), date(2026, 9, 15)) == 4
    assert days(True, date(2026, 9, 5), date(2026, 9, 18)) == 6  # capped


def test_emissions_count_the_return_journey_with_the_means_factor():
    lisbon = city("Lisboa", "PT")
    by_train = travel(lisbon, *TIMISOARA, means="train")
    by_plane = travel(lisbon, *TIMISOARA, means="plane")
    assert by_train.emissions_kg == Decimal("184.7")  # 2 * 2602 km * 35.5 g
    assert by_plane.emissions_kg > 4 * by_train.emissions_kg


def test_no_grant_without_a_city_of_origin_or_venue_coordinates():
    bands, means = guide_2021()
    event = EventFactory(venue=VenueFactory())  # no coordinates
    row = MobilityDetails(origin_latitude=Decimal(1), origin_longitude=Decimal(1), means="bus")
    result = services.travel_compute(details=row, event=event, bands=bands, means=means)
    assert (result.km, result.band, result.unit_cost) == (None, None, Decimal(0))


def test_city_names_match_whatever_their_accents_case_or_language():
    assert cities.city_find(name="TIMISOARA", country="RO").geonameid == 665087
    assert cities.city_find(name="Temesvár", country="RO").geonameid == 665087
    assert cities.city_find(name="Lisbon", country="ro") is None


def test_emission_factors_are_data_with_their_published_source():
    """The factors come from the UK government's conversion factors, with name, year and
    address; Lisbon to Timișoara (2,602 km one way) by plane is pinned with the 2024
    short-haul economy factor with radiative forcing, 0.156 kg CO2e per passenger-km."""
    plane = MeansOfTransport.objects.get(means="plane")
    assert plane.grams_co2e_per_km == Decimal("156")
    assert plane.source_year == 2024
    assert plane.source_url.startswith("https://www.gov.uk/government/publications/")
    assert plane.source == "UK Government GHG conversion factors for company reporting (DESNZ)"
    assert "radiative forcing" in plane.source_figure
    for row in MeansOfTransport.objects.all():
        assert row.source and row.source_year and row.source_url, row.means
    by_plane = travel(city("Lisboa", "PT"), *TIMISOARA, means="plane")
    assert by_plane.emissions_kg == Decimal("811.8")  # 2 * 2602 km * 0.156 kg
    by_train = travel(city("Lisboa", "PT"), *TIMISOARA, means="train")
    assert by_train.emissions_kg == Decimal("184.7")  # 2 * 2602 km * 0.03546 kg


def test_surface_factors_are_the_published_2025_rows_with_their_row_named():
    """Each surface means carries the DESNZ 2025 figure, the table's row it comes from,
    and says plainly what is an assumption rather than a published figure."""
    url = "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2025"
    expected = {
        "train": ("35.5", "National rail: 0.03546 kg"),
        "bus": ("27.8", "Coach: 0.02776 kg"),
        "car": ("167.3", "Average car > Unknown fuel: 0.16725 kg CO2e per km, the driver alone"),
        "shared_car": ("55.8", "divided by three people (the occupancy is assumed"),
        "boat": ("18.7", "Ferry > Foot passenger: 0.01871 kg"),
        "bike": ("0.0", "not in the table"),
        "other_sustainable": ("27.8", "not in the table: taken as"),
    }
    for means, (grams, row_named) in expected.items():
        row = MeansOfTransport.objects.get(means=means)
        assert str(row.grams_co2e_per_km) == grams, means
        assert (row.source_year, row.source_url) == (2025, url), means
        assert row.source == "UK Government GHG conversion factors for company reporting (DESNZ)"
        assert row_named in row.source_figure, means
    by_coach = travel(city("Lisboa", "PT"), *TIMISOARA, means="bus")
    assert by_coach.emissions_kg == Decimal("144.7")  # 2 * 2602 km * 0.02776 kg
