from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from events.admin import CountryOrderAdmin, EventAdmin
from events.models import Event

from . import services
from .models import Profile, Question, QuestionOption, Quota, Registration, WorkshopChoice


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ("organisation",)


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = ("kind", "label", "help_text", "required", "position")


admin.site.unregister(Event)


@admin.register(Event)
class EventWithRegistrationsAdmin(EventAdmin):
    """The events admin, with what registrations add to an event: quotas and questions."""

    inlines = [*EventAdmin.inlines, QuotaInline, QuestionInline]


class QuestionOptionInline(TranslationTabularInline):
    model = QuestionOption
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("label", "event", "kind", "required")
    list_filter = ("kind", ("event", admin.RelatedOnlyFieldListFilter))
    inlines = [QuestionOptionInline]


class WorkshopChoiceInline(admin.TabularInline):
    model = WorkshopChoice
    extra = 0
    readonly_fields = ("item", "status", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(CountryOrderAdmin, admin.ModelAdmin):
    list_display = ("full_name", "email", "event", "organisation_label", "status", "created_at")
    list_filter = ("status", "role", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("first_name", "last_name", "email", "organisation_name")
    readonly_fields = (
        "event",
        "status",
        "user",
        "registered_by",
        "waitlisted_at",
        "decided_by",
        "decided_at",
        "cancelled_at",
        "privacy_consent_version",
        "privacy_consented_at",
        "created_at",
    )
    inlines = [WorkshopChoiceInline]
    actions = ["approve", "reject", "cancel"]

    def has_add_permission(self, request):
        return False  # registrations are made through the form, where the rules apply

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "organisation")

    def _apply(self, request, queryset, service, **kwargs):
        done = 0
        for registration in queryset:
            try:
                service(registration=registration, actor=request.user, **kwargs)
                done += 1
            except (services.RegistrationError, PermissionError) as error:
                self.message_user(request, f"{registration}: {error}", messages.WARNING)
        self.message_user(
            request, ngettext("%d registration updated.", "%d registrations updated.", done) % done
        )

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request, queryset):
        self._apply(request, queryset, services.registration_approve)

    @admin.action(description=_("Reject the selected registrations"))
    def reject(self, request, queryset):
        self._apply(request, queryset, services.registration_reject)

    @admin.action(description=_("Cancel the selected registrations"))
    def cancel(self, request, queryset):
        self._apply(request, queryset, services.registration_cancel, by_organiser=True)


@admin.register(Profile)
class ProfileAdmin(CountryOrderAdmin, admin.ModelAdmin):
    list_display = ("user", "organisation", "country", "preferred_language")
    search_fields = ("user__email", "user__last_name")
