# A speaker's name in two fields, given and family name, as a registration's: Hungarian
# pages write a Hungarian name family name first ("Horváth Eszter").

from django.db import migrations, models


def split_names(apps, schema_editor):
    """ "Eszter Horváth" → "Eszter", "Horváth": the family name after the last space (a
    name without a space is a family name alone)."""
    Speaker = apps.get_model("events", "Speaker")
    for speaker in Speaker.objects.all().only("pk", "name"):
        first, _space, last = " ".join(speaker.name.split()).rpartition(" ")
        Speaker.objects.filter(pk=speaker.pk).update(first_name=first[:100], last_name=last)


def join_names(apps, schema_editor):
    Speaker = apps.get_model("events", "Speaker")
    for speaker in Speaker.objects.all().only("pk", "first_name", "last_name"):
        name = " ".join(part for part in (speaker.first_name, speaker.last_name) if part)
        Speaker.objects.filter(pk=speaker.pk).update(name=name[:200])


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0015_labels_typographic_apostrophes"),
    ]

    operations = [
        migrations.AddField(
            model_name="speaker",
            name="first_name",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="first name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="speaker",
            name="last_name",
            field=models.CharField(default="", max_length=200, verbose_name="last name"),
            preserve_default=False,
        ),
        migrations.RunPython(split_names, join_names, elidable=False),
        # Blank, so that undoing the migration can add the column back to existing rows.
        migrations.AlterField(
            model_name="speaker",
            name="name",
            field=models.CharField(blank=True, max_length=200, verbose_name="name"),
        ),
        migrations.RemoveField(
            model_name="speaker",
            name="name",
        ),
        migrations.AlterModelOptions(
            name="speaker",
            options={
                "ordering": ["last_name", "first_name"],
                "verbose_name": "speaker",
                "verbose_name_plural": "speakers",
            },
        ),
    ]
