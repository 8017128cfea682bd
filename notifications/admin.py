from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from events.models import Event, Organisation, ProgrammeItem
from registrations.admin import EventWithRegistrationsAdmin, RegistrationAdmin
from registrations.models import Registration

from . import services
from .models import Broadcast, NotificationSettings, OutgoingMessage, ReminderSchedule


class ReminderScheduleInline(admin.TabularInline):
    model = ReminderSchedule
    extra = 0


class NotificationSettingsInline(admin.StackedInline):
    model = NotificationSettings
    can_delete = False


admin.site.unregister(Event)


@admin.register(Event)
class EventWithNotificationsAdmin(EventWithRegistrationsAdmin):
    """The events admin, with the reminder schedule and email settings of an event."""

    inlines = [
        *EventWithRegistrationsAdmin.inlines,
        ReminderScheduleInline,
        NotificationSettingsInline,
    ]


class MessageInline(admin.TabularInline):
    model = OutgoingMessage
    extra = 0
    can_delete = False
    fields = ("kind", "state", "attempts", "due_at", "sent_at", "last_error")
    readonly_fields = fields
    ordering = ["due_at"]

    def has_add_permission(self, request, obj=None):
        return False


admin.site.unregister(Registration)


@admin.register(Registration)
class RegistrationWithMessagesAdmin(RegistrationAdmin):
    """Registrations, with every email each one was sent and what became of it."""

    inlines = [*RegistrationAdmin.inlines, MessageInline]


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    list_display = (
        "recipient",
        "kind",
        "event",
        "state",
        "attempts",
        "due_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("state", "kind", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("recipient", "message_id")
    readonly_fields = [field.name for field in OutgoingMessage._meta.fields]
    actions = ["resend"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("Send the selected failed emails again"))
    def resend(self, request, queryset):
        done = 0
        for message in queryset.filter(state__in=["failed", "cancelled"]):
            services.message_resend(message=message)
            done += 1
        self.message_user(
            request,
            ngettext("%d email queued again.", "%d emails queued again.", done) % done,
            messages.SUCCESS,
        )


class BroadcastForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=_("Statuses"),
        choices=Registration.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone except cancelled and rejected registrations."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.all(), required=False
    )
    workshops = forms.ModelMultipleChoiceField(
        label=_("Workshops"),
        queryset=ProgrammeItem.objects.filter(kind=ProgrammeItem.Kind.WORKSHOP),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["organisations"] = self.instance.organisation_ids
            self.initial["workshops"] = self.instance.workshop_ids

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        workshops = cleaned.get("workshops") or []
        if event is not None and any(item.event_id != event.pk for item in workshops):
            self.add_error("workshops", _("Choose workshops of this event only."))
        return cleaned

    def save(self, commit=True):
        self.instance.organisation_ids = [o.pk for o in self.cleaned_data["organisations"]]
        self.instance.workshop_ids = [w.pk for w in self.cleaned_data["workshops"]]
        return super().save(commit)


@admin.register(Broadcast)
class BroadcastAdmin(TabbedTranslationAdmin):
    form = BroadcastForm
    list_display = ("subject", "event", "created_at", "progress")
    list_filter = (("event", admin.RelatedOnlyFieldListFilter),)
    readonly_fields = ("progress", "created_by")
    fields = ("event", "subject", "body", "statuses", "organisations", "workshops", "progress")

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)
        if not change:
            count = services.broadcast_send(broadcast=obj)
            self.message_user(
                request,
                ngettext(
                    "%d email queued; the workers are sending it.",
                    "%d emails queued; the workers are sending them.",
                    count,
                )
                % count,
            )

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if not obj.pk:
            return "—"
        counts = obj.messages.aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(state="sent")),
            failed=Count("pk", filter=Q(state="failed")),
        )
        return _("%(sent)d of %(total)d sent, %(failed)d failed") % counts
