"""The emission factors of the surface means, checked against the published UK factors.

Checked in December 2026. The 2024 table itself could not be read in this session; the
2025 one could, as the "flat file" of the UK Department for Energy Security and Net Zero
(DESNZ), "Greenhouse gas reporting: conversion factors 2025", column "GHG Conversion
Factor 2025", rows "kg CO2e" (read from a public copy of the flat file:
github.com/scope3emissiontest-oss/JulesProject, defra_factors_2025_v2/
category_business_travel_land.csv and category_business_travel_sea.csv). Each figure is
stored with its row of the table, rounded to 0.1 g:

- train: Business travel- land, Rail, National rail: 0.03546 kg per passenger-km. The
  table's "International rail" (0.00446 kg) is Eurostar's figure (mostly French
  electricity) and is not used: most journeys to a training are on national networks.
- bus: Business travel- land, Bus, Coach: 0.02776 kg per passenger-km.
- car: Business travel- land, Cars (by size), Average car, Unknown fuel: 0.16725 kg per
  vehicle-km, the driver alone.
- shared car: the same per vehicle-km divided by three people (the occupancy is this
  product's assumption, not the table's).
- boat: Business travel- sea, Ferry, Foot passenger: 0.01871 kg per passenger-km (whoever
  takes their car on board gives "car" as main means). The table's average of all
  passengers, foot and car, is 0.1127 kg.
- bike: not in the table (no direct emissions): 0 by assumption.
- other sustainable means: not in the table: taken as coach.

The plane keeps the 2024 figure of 0005 (short-haul international, economy, with
radiative forcing, 156 g). A superuser corrects any figure in the admin.
"""

from decimal import Decimal

from django.db import migrations

URL_2025 = "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2025"
NAME = (
    "UK Government GHG conversion factors for company reporting 2025 (DESNZ), flat file, "
    "{detail}."
)

FACTORS = [
    # code, g CO2e per passenger-km, what the figure is
    (
        "train",
        "35.5",
        "Business travel- land > Rail > National rail: 0.03546 kg CO2e per passenger-km",
    ),
    ("bus", "27.8", "Business travel- land > Bus > Coach: 0.02776 kg CO2e per passenger-km"),
    (
        "car",
        "167.3",
        "Business travel- land > Cars (by size) > Average car > Unknown fuel: 0.16725 kg CO2e "
        "per km, the driver alone",
    ),
    (
        "shared_car",
        "55.8",
        "Business travel- land > Cars (by size) > Average car > Unknown fuel: 0.16725 kg CO2e "
        "per km, divided by three people (the occupancy is assumed, not in the table)",
    ),
    (
        "boat",
        "18.7",
        "Business travel- sea > Ferry > Foot passenger: 0.01871 kg CO2e per passenger-km",
    ),
    (
        "bike",
        "0",
        "not in the table (no direct emissions): 0 by assumption",
    ),
    (
        "other_sustainable",
        "27.8",
        "not in the table: taken as Business travel- land > Bus > Coach (0.02776 kg CO2e "
        "per passenger-km)",
    ),
]


def ship(apps, schema_editor):
    MeansOfTransport = apps.get_model("mobility", "MeansOfTransport")
    for code, grams, detail in FACTORS:
        MeansOfTransport.objects.filter(means=code).update(
            grams_co2e_per_km=Decimal(grams),
            source=NAME.format(detail=detail),
            source_year=2025,
            source_url=URL_2025,
        )


class Migration(migrations.Migration):
    dependencies = [("mobility", "0005_emission_factors_sources")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
