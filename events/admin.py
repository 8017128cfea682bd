"""The Django admin. Superusers manage everything; the events' organisers (staff who are
not superusers) manage only their own events.

For organisers, every list, every choice and every value a form accepts is limited to the
events they organise (``OrganiserScopedAdmin``): a crafted POST naming another event's
object is refused like any invalid choice. What several events share (organisations and
their partner coordinators, venues and their rooms, speakers) is edited by superusers
only (``SuperuserOnlyAdmin``), so that no organiser changes another event's page or names
the coordinators who see another event's participants. Organisers get their own setup
pages in the product; the admin is then for superusers only.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from . import selectors, services
from .models import Event, NetworkIdentity, Organisation, ProgrammeItem, Room, Speaker, Venue


class SuperuserOnlyAdmin:
    """A model admin that only superusers see or use, whatever the staff's permissions."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


def choices_for_organiser(model, user):
    """What a form of the admin may offer an organiser (a non-superuser) to point at, for
    a foreign key or a many-to-many to ``model``: objects of the events they organise, or
    what is public anyway; nothing for a model it does not know (closed by default)."""
    managed = selectors.events_managed_by(user)
    if model is Event:
        return managed
    if model is Organisation:
        return Organisation.objects.all()  # a public directory (the registration form lists it)
    if model is Venue:
        return selectors.venues_offered_to(user)
    if model is Room:
        return selectors.rooms_offered_to(user)
    if model is Speaker:
        return selectors.speakers_offered_to(user)
    if model is get_user_model():
        return selectors.accounts_offered_to(user)
    event_field = next(
        (
            field
            for field in model._meta.concrete_fields
            if field.name == "event" and field.related_model is Event
        ),
        None,
    )
    if event_field is not None:
        return model._default_manager.filter(event__in=managed)
    return model._default_manager.none()


class OrganiserScopedAdmin:
    """Mixed into every model admin and inline an organiser can reach: its foreign-key and
    many-to-many choices are ``choices_for_organiser`` (so saving another event's object
    is refused by the form), and it uses plain choice lists rather than autocompletion
    (whose lookups read the other model's admin, which organisers may not use)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = choices_for_organiser(db_field.related_model, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = choices_for_organiser(db_field.related_model, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        if not request.user.is_superuser:
            return ()
        return super().get_autocomplete_fields(request)


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnlyAdmin, TabbedTranslationAdmin):
    list_display = ("name", "city", "country", "listed")
    list_filter = ("country", "listed")
    search_fields = ("name", "city")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("coordinators",)


class RoomInline(SuperuserOnlyAdmin, admin.TabularInline):
    model = Room
    extra = 1


@admin.register(Venue)
class VenueAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "city", "country")
    list_filter = ("country",)
    search_fields = ("name", "city", "address")
    inlines = [RoomInline]


@admin.register(Speaker)
class SpeakerAdmin(SuperuserOnlyAdmin, TabbedTranslationAdmin):
    list_display = ("name", "organisation")
    search_fields = ("name",)


class EventAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProgrammeItemInline(OrganiserScopedAdmin, TranslationStackedInline):
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
class EventAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
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
        return selectors.events_managed_by(request.user).select_related("host", "venue")

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
class ProgrammeItemAdmin(OrganiserScopedAdmin, TabbedTranslationAdmin):
    list_display = ("title", "event", "kind", "starts_at", "room", "capacity")
    list_filter = ("kind", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title",)
    filter_horizontal = ("speakers",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(event__in=selectors.events_managed_by(request.user))
            .select_related("event", "room")
        )

    def save_model(self, request, obj, form, change):
        services.programme_item_save(
            item=obj, changed=form.changed_data if change else [], actor=request.user
        )


@admin.register(NetworkIdentity)
class NetworkIdentityAdmin(SuperuserOnlyAdmin, TabbedTranslationAdmin):
    """The network's name, logo, colours and contact: one row (its colours are refused
    when text in them would not be readable on white)."""

    fieldsets = [
        (None, {"fields": ["name", "logo", "footer"]}),
        (_("Colours"), {"fields": ["primary_colour", "accent_colour"]}),
        (_("Contact"), {"fields": ["email", "postal_address", "website"]}),
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
