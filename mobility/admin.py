"""Distance bands, unit costs and emission factors are data a superuser keeps up to date
(a new programme year's table is added here); the admin is the superusers' only."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from modeltranslation.admin import TabbedTranslationAdmin

from .models import (
    BandTable,
    DistanceBand,
    MeansOfTransport,
    Project,
    ProjectActivity,
    Series,
    SeriesEdition,
    band_overlaps,
)


class DistanceBandFormSet(BaseInlineFormSet):
    """A table's bands, each checked by ``DistanceBand.clean``, and together: none may
    overlap another."""

    def clean(self):
        super().clean()
        bands = [
            (form.cleaned_data["min_km"], form.cleaned_data.get("max_km"))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("min_km") is not None
        ]
        problems = band_overlaps(bands)
        if problems:
            raise ValidationError(problems)


class DistanceBandInline(admin.TabularInline):
    model = DistanceBand
    formset = DistanceBandFormSet
    extra = 0


@admin.register(BandTable)
class BandTableAdmin(admin.ModelAdmin):
    list_display = ("name", "year")
    inlines = [DistanceBandInline]


@admin.register(MeansOfTransport)
class MeansOfTransportAdmin(admin.ModelAdmin):
    list_display = (
        "means",
        "grams_co2e_per_km",
        "long_haul_grams_co2e_per_km",
        "green_travel",
        "source_year",
    )


class _EventInline(admin.TabularInline):
    """The events a project or series holds, picked by key (no list of every event)."""

    extra = 0
    raw_id_fields = ("event",)


class ProjectActivityInline(_EventInline):
    model = ProjectActivity


@admin.register(Project)
class ProjectAdmin(TabbedTranslationAdmin):
    list_display = ("name", "programme", "grant_agreement_number", "starts_on", "ends_on")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("partners", "coordinators")
    inlines = [ProjectActivityInline]


class SeriesEditionInline(_EventInline):
    model = SeriesEdition


@admin.register(Series)
class SeriesAdmin(TabbedTranslationAdmin):
    list_display = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SeriesEditionInline]
