"""The emission factors' source is the publication's name only; which figure of it each
factor is moves to ``source_figure``. The private travel page writes the sentence around the
name in the reader's language; the English description of each figure, inside the source,
read there as untranslated text. The figures shipped by 0005 (2023, 2024) and 0006 (2025,
"flat file, …") are split; a source a superuser has changed is left as it is.
"""

from django.db import migrations, models

SHIPPED = "UK Government GHG conversion factors for company reporting {year} (DESNZ), "
NAME = "UK Government GHG conversion factors for company reporting (DESNZ)"


def split(apps, schema_editor):
    MeansOfTransport = apps.get_model("mobility", "MeansOfTransport")
    for row in MeansOfTransport.objects.all():
        shipped = SHIPPED.format(year=row.source_year) if row.source_year else None
        if shipped and row.source.startswith(shipped):
            row.source_figure = row.source.removeprefix(shipped).removesuffix(".")
            row.source = NAME
            row.save(update_fields=["source", "source_figure"])


class Migration(migrations.Migration):
    dependencies = [("mobility", "0007_drop_asks_accompanying_role_is_the_source")]

    operations = [
        migrations.AddField(
            model_name="meansoftransport",
            name="source_figure",
            field=models.TextField(blank=True, verbose_name="figure taken from the source"),
        ),
        migrations.RunPython(split, migrations.RunPython.noop),
    ]
