"""Ships the distance bands of the Erasmus+ programme guide 2021 and the emission factors
per means of transport, as data a superuser can correct or extend in the admin."""

from decimal import Decimal

from django.db import migrations

GUIDE_2021_SOURCE = (
    "European Commission, Erasmus+ Programme Guide 2021, Part B, Key Action 1 mobility "
    "projects: travel unit costs per participant for a return trip from the place of origin "
    "to the venue of the activity, by distance band of the one-way distance (the "
    "Commission's distance calculator); higher amounts for green travel (bus, train, "
    "car-pooling) in the bands of 100 to 3999 km."
)

BANDS_2021 = [
    # min km, max km, unit cost, green unit cost
    (10, 99, "23", None),
    (100, 499, "180", "210"),
    (500, 1999, "275", "320"),
    (2000, 2999, "360", "410"),
    (3000, 3999, "530", "610"),
    (4000, 7999, "820", None),
    (8000, None, "1500", None),
]

FACTORS_SOURCE = (
    "UK Government greenhouse gas conversion factors for company reporting 2023 (DESNZ), "
    "passenger transport, per passenger-km, rounded: {detail}."
)

MEANS = [
    # code, g CO2e per passenger-km, green travel, what the figure is
    ("plane", "155", False, "flights, short-haul, economy class, with radiative forcing"),
    ("train", "35", True, "national rail"),
    ("bus", "27", True, "coach"),
    ("car", "170", False, "average car of unknown fuel, driver alone"),
    ("shared_car", "57", True, "average car of unknown fuel shared by three people"),
    ("boat", "113", False, "ferry, average passenger"),
    ("bike", "0", True, "bicycle, no direct emissions"),
    ("other_sustainable", "27", True, "assumed as coach"),
]


def ship(apps, schema_editor):
    BandTable = apps.get_model("mobility", "BandTable")
    DistanceBand = apps.get_model("mobility", "DistanceBand")
    MeansOfTransport = apps.get_model("mobility", "MeansOfTransport")
    table, _created = BandTable.objects.get_or_create(
        name="Erasmus+ 2021", defaults={"year": 2021, "source": GUIDE_2021_SOURCE}
    )
    for min_km, max_km, cost, green in BANDS_2021:
        DistanceBand.objects.get_or_create(
            table=table,
            min_km=min_km,
            defaults={
                "max_km": max_km,
                "unit_cost": Decimal(cost),
                "green_unit_cost": Decimal(green) if green else None,
            },
        )
    for code, grams, green, detail in MEANS:
        MeansOfTransport.objects.get_or_create(
            means=code,
            defaults={
                "grams_co2e_per_km": Decimal(grams),
                "green_travel": green,
                "source": FACTORS_SOURCE.format(detail=detail),
            },
        )


def unship(apps, schema_editor):
    apps.get_model("mobility", "BandTable").objects.filter(name="Erasmus+ 2021").delete()
    apps.get_model("mobility", "MeansOfTransport").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("mobility", "0001_details_and_rates")]

    operations = [migrations.RunPython(ship, unship)]
