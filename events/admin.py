"""The Django admin, for superusers only (config/admin.py): they manage everything.
Organisers and coordinators work in the product's own pages (the workspace and its setup
pages), where the selectors decide who sees what."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from . import services
from .collation import country_choices, sorted_countries
from .models import Event, NetworkIdentity, Organisation, ProgrammeItem, Room, Speaker, Venue


class CountryOrderFilter(admin.FieldListFilter):
    """The countries a list's rows have, in the order of every other country list."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__exact"
        self.lookup_val = params.get(self.lookup_kwarg)  # a list of values, or None
        super().__init__(field, request, params, model, model_admin, field_path)
        codes = model_admin.get_queryset(request).values_list(field_path, flat=True)
        self.lookup_choices = sorted_countries({code for code in codes.distinct() if code})

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def choices(self, changelist):
        yield {
            "selected": self.lookup_val is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "display": _("All countries"),
        }
        for code, name in self.lookup_choices:
            yield {
                "selected": self.lookup_val is not None and code in self.lookup_val,
                "query_string": changelist.get_query_string({self.lookup_kwarg: code}),
                "display": name,
            }


class CountryOrderAdmin:
    """A ModelAdmin (or inline) whose country selects list the countries in the project's
    one order (``events.collation``), as the product's own forms do."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, CountryField) and isinstance(field, forms.ChoiceField):
            field.choices = country_choices
        return field


@admin.register(Organisation)
class OrganisationAdmin(CountryOrderAdmin, TabbedTranslationAdmin):
    list_display = ("name", "city", "country", "listed")
    list_filter = (("country", CountryOrderFilter), "listed")
    search_fields = ("name", "city")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("coordinators",)


class RoomInline(TranslationTabularInline):
    model = Room
    extra = 1


@admin.register(Venue)
class VenueAdmin(CountryOrderAdmin, TabbedTranslationAdmin):
    list_display = ("name", "city", "country")
    list_filter = (("country", CountryOrderFilter),)
    search_fields = ("name", "city", "address")
    inlines = [RoomInline]


@admin.register(Speaker)
class SpeakerAdmin(TabbedTranslationAdmin):
    list_display = ("full_name", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("first_name", "last_name")

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, speaker: Speaker) -> str:
        """In the admin's language's order ("Kandikó Rita" in Hungarian)."""
        return speaker.name


class EventAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProgrammeItemInline(TranslationStackedInline):
    model = ProgrammeItem
    extra = 0
    filter_horizontal = ("speakers",)
    fields = (
        "kind",
        "title",
        "description",
        ("starts_at", "ends_at"),
        ("room", "location"),
        "speakers",
        ("language", "capacity"),
    )


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    form = EventAdminForm
    list_display = ("title", "kind", "status", "starts_at", "host", "capacity")
    list_filter = ("status", "kind", ("host", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "slug")
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("organisers",)
    autocomplete_fields = ("host", "venue")
    inlines = [ProgrammeItemInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "status", "summary", "description")}),
        (
            _("Where and when"),
            {"fields": ("venue", "online_url", "timezone", "starts_at", "ends_at")},
        ),
        (
            _("Registration"),
            {
                "fields": (
                    "registration_opens_at",
                    "registration_closes_at",
                    "capacity",
                    "requires_approval",
                    "privacy_notice",
                    "privacy_notice_version",
                )
            },
        ),
        (
            _("Partner coordinators"),
            {
                "fields": (
                    "coordinators_see_sensitive_data",
                    "coordinators_cancel_after_deadline",
                )
            },
        ),
        (_("Languages"), {"fields": ("default_language", "languages")}),
        (_("Team"), {"fields": ("host", "organisers")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("host", "venue")

    def save_model(self, request, obj, form, change):
        services.event_save(
            event=obj, changed=form.changed_data if change else [], actor=request.user
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgrammeItem:
            return super().save_formset(request, form, formset, change)
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            item.delete()
        for item_form in formset.forms:
            if item_form.instance in items:
                services.programme_item_save(
                    item=item_form.instance, changed=item_form.changed_data, actor=request.user
                )
        formset.save_m2m()


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(TabbedTranslationAdmin):
    list_display = ("title", "event", "kind", "starts_at", "room", "capacity")
    list_filter = ("kind", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title",)
    filter_horizontal = ("speakers",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "room")

    def save_model(self, request, obj, form, change):
        services.programme_item_save(
            item=obj, changed=form.changed_data if change else [], actor=request.user
        )


@admin.register(NetworkIdentity)
class NetworkIdentityAdmin(CountryOrderAdmin, TabbedTranslationAdmin):
    """The network's name, logo, colours and contact: one row (its colours are refused
    when text in them would not be readable on white)."""

    fieldsets = [
        (None, {"fields": ["name", "logo", "footer"]}),
        (_("Colours"), {"fields": ["primary_colour", "accent_colour"]}),
        (_("Contact"), {"fields": ["email", "postal_address", "country", "website"]}),
    ]

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and not NetworkIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The list of one row opens that row (or the form to create it)."""
        from django.shortcuts import redirect

        if NetworkIdentity.objects.exists():
            return redirect("admin:events_networkidentity_change", 1)
        return redirect("admin:events_networkidentity_add")
