"""Distance bands, unit costs and emission factors are data a superuser keeps up to date
(a new programme year's table is added here); organisers never reach this admin."""

from django.contrib import admin

from events.admin import SuperuserOnlyAdmin

from .models import BandTable, DistanceBand, MeansOfTransport


class DistanceBandInline(admin.TabularInline):
    model = DistanceBand
    extra = 0


@admin.register(BandTable)
class BandTableAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "year")
    inlines = [DistanceBandInline]


@admin.register(MeansOfTransport)
class MeansOfTransportAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ("means", "grams_co2e_per_km", "green_travel")
