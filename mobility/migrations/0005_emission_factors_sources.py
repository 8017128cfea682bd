"""The emission factors with their source's name, year and address.

Checked in December 2026 against what could be found of the published UK factors (DESNZ,
"Greenhouse gas reporting: conversion factors"):

- plane: the 2024 condensed set gives 0.156 kg CO2e per passenger-km for an international
  short-haul flight to or from the UK, economy class, with the radiative-forcing uplift
  (the figure shipped in 0002, 155 g, was written from memory): corrected to 156 g, year
  2024. Most journeys to a European training are short-haul.
- the surface means keep the 2023 figures shipped in 0002, with the 2023 publication's
  address; they could not be compared with the published table in this session (see the
  README): a superuser corrects them in the admin when they are.
"""

from decimal import Decimal

from django.db import migrations

URL_2024 = "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2024"
URL_2023 = "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2023"
NAME = "UK Government GHG conversion factors for company reporting {year} (DESNZ), {detail}."

FACTORS = [
    # code, g CO2e per passenger-km, year, address, what the figure is
    (
        "plane",
        "156",
        2024,
        URL_2024,
        "business travel - air, short-haul international to/from the UK, economy class, "
        "with radiative forcing, per passenger-km (condensed set)",
    ),
    ("train", "35", 2023, URL_2023, "business travel - land, national rail, per passenger-km"),
    ("bus", "27", 2023, URL_2023, "business travel - land, coach, per passenger-km"),
    (
        "car",
        "170",
        2023,
        URL_2023,
        "business travel - land, average car of unknown fuel, per km, driver alone",
    ),
    (
        "shared_car",
        "57",
        2023,
        URL_2023,
        "business travel - land, average car of unknown fuel, per km, divided by three "
        "people",
    ),
    ("boat", "113", 2023, URL_2023, "business travel - sea, ferry, average passenger"),
    ("bike", "0", 2023, URL_2023, "no direct emissions (not in the factors)"),
    ("other_sustainable", "27", 2023, URL_2023, "taken as coach"),
]


def ship(apps, schema_editor):
    MeansOfTransport = apps.get_model("mobility", "MeansOfTransport")
    for code, grams, year, url, detail in FACTORS:
        MeansOfTransport.objects.filter(means=code).update(
            grams_co2e_per_km=Decimal(grams),
            source=NAME.format(year=year, detail=detail),
            source_year=year,
            source_url=url,
        )


class Migration(migrations.Migration):
    dependencies = [("mobility", "0004_settings_factors_and_evidence")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
