"""A long-haul factor for the plane, chosen by the flight's length.

The plane's factor shipped in 0005 is DESNZ's short-haul one (2024: international
short-haul to/from the UK, economy, with radiative forcing, 156 g): a 9,000 km flight
was counted with it. DESNZ's methodology classes flights up to 3,700 km as short haul and
longer ones as long haul. Checked in December 2026 against the 2025 "flat file" of the UK
Department for Energy Security and Net Zero, "Greenhouse gas reporting: conversion factors
2025", column "GHG Conversion Factor 2025" (read from a public copy of the flat file:
github.com/scope3emissiontest-oss/JulesProject, defra_factors_2025_v2/
category_business_travel_air.csv): Business travel- air > Flights > Long-haul, to/from UK
> Economy class > With RF: 0.11704 kg CO2e per passenger-km (row 21_316_3170_11_1),
stored as 117.0 g. (The same table's "Average passenger" long-haul figure, 0.15282 kg,
averages every class; economy is the class of the short-haul figure kept.)
A superuser corrects either figure, or the distance, in the admin.
"""

from decimal import Decimal

from django.db import migrations, models

SOURCE = (
    "UK Government GHG conversion factors for company reporting 2025 (DESNZ), flat file, "
    "Business travel- air > Flights > Long-haul, to/from UK > Economy class > With RF: "
    "0.11704 kg CO2e per passenger-km; long haul beyond 3,700 km (DESNZ methodology)."
)


def ship(apps, schema_editor):
    MeansOfTransport = apps.get_model("mobility", "MeansOfTransport")
    MeansOfTransport.objects.filter(means="plane").update(
        long_haul_from_km=3700,
        long_haul_grams_co2e_per_km=Decimal("117.0"),
        long_haul_source=SOURCE,
    )


class Migration(migrations.Migration):
    dependencies = [("mobility", "0009_project_action_series_description_translated")]

    operations = [
        migrations.AddField(
            model_name="meansoftransport",
            name="long_haul_from_km",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Beyond this one-way distance, the long-haul factor applies.",
                null=True,
                verbose_name="long haul beyond (km)",
            ),
        ),
        migrations.AddField(
            model_name="meansoftransport",
            name="long_haul_grams_co2e_per_km",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                max_digits=7,
                null=True,
                verbose_name="long-haul emissions (g CO2e per passenger-km)",
            ),
        ),
        migrations.AddField(
            model_name="meansoftransport",
            name="long_haul_source",
            field=models.TextField(blank=True, verbose_name="source of the long-haul factor"),
        ),
        migrations.RunPython(ship, migrations.RunPython.noop),
    ]
