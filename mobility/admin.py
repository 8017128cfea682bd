"""Distance bands, unit costs and emission factors are data a superuser keeps up to date
(a new programme year's table is added here); the admin is the superusers' only."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import (
    BandTable,
    DistanceBand,
    MeansOfTransport,
    Project,
    ProjectActivity,
    Series,
    SeriesEdition,
)


class DistanceBandInline(admin.TabularInline):
    model = DistanceBand
    extra = 0


@admin.register(BandTable)
class BandTableAdmin(admin.ModelAdmin):
    list_display = ("name", "year")
    inlines = [DistanceBandInline]


@admin.register(MeansOfTransport)
class MeansOfTransportAdmin(admin.ModelAdmin):
    list_display = ("means", "grams_co2e_per_km", "green_travel", "source_year")


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
