"""The outbox: every email is a row here first, then sent by a Celery worker.

The database is the source of truth; the broker only carries the send tasks. A row moves
QUEUED -> SENDING -> SENT (or FAILED, or CANCELLED when it no longer applies) and is
never sent twice by a duplicated, retried or redelivered task.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.model_fields import actor_field
from events.models import Event
from registrations.models import Registration


class Kind(models.TextChoices):
    ACCOUNT = "account", _("Account email")
    RECEIVED = "received", _("Registration received")
    CONFIRMED = "confirmed", _("Registration confirmed")
    APPROVED = "approved", _("Registration approved")
    REJECTED = "rejected", _("Registration rejected")
    WAITLISTED = "waitlisted", _("Put on the waiting list")
    PROMOTED = "promoted", _("Promoted from the waiting list")
    CANCELLED = "cancelled", _("Cancelled by the participant")
    CANCELLED_BY_ORGANISER = "cancelled_by_organiser", _("Cancelled by an organiser")
    WORKSHOPS_CHANGED = "workshops_changed", _("Workshop choices changed")
    EVENT_CHANGED = "event_changed", _("Event moved")
    WORKSHOP_CHANGED = "workshop_changed", _("Workshop moved")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
    REMINDER = "reminder", _("Reminder")
    DIGEST = "digest", _("Programme of the day")
    THANKS = "thanks", _("Thanks after the event")
    DELEGATE_INVITED = "delegate_invited", _("Registered by a coordinator")
    BROADCAST = "broadcast", _("Message from the organisers")
    PRIVATE_LINK = "private_link", _("Private link sent again")
    PROGRAMME_CHANGED = "programme_changed", _("Programme changes")
    RESOURCES_PUBLISHED = "resources_published", _("Resources published")
    UPLOAD_LINK = "upload_link", _("Upload link for a speaker")


#: Kinds that are only worth sending while the registration still holds its place.
WHILE_ACTIVE = {Kind.REMINDER, Kind.DIGEST, Kind.THANKS, Kind.RESOURCES_PUBLISHED}
#: Kinds whose subject and bodies are written (in the recipient's language) by the app that
#: writes the row, and sent as they are: account emails (allauth's, with their codes) and
#: speakers' upload links (resources/: an app above this one, with its own secret).
PRERENDERED = {Kind.ACCOUNT, Kind.UPLOAD_LINK}


class ReminderSchedule(models.Model):
    """When reminders go out for an event: ``days_before`` the start, at a local hour."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    days_before = models.PositiveSmallIntegerField(_("days before the start"))
    local_time = models.TimeField(_("local time"), default=time(9, 0))

    class Meta:
        ordering = ["event", "-days_before"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder schedule")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "days_before"], name="reminder_schedule_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before} / {self.local_time:%H:%M}"


class NotificationSettings(models.Model):
    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("event"),
    )
    daily_digest = models.BooleanField(
        _("morning digest of the day’s programme"),
        default=False,
        help_text=_("For events of several days: each morning, the day’s programme."),
    )
    digest_time = models.TimeField(_("digest time"), default=time(7, 30))
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    #: The organisers' own paragraph in the confirmation and in the reminders, per
    #: language (notifications/translation.py adds one column per language).
    confirmation_text = models.TextField(_("paragraph in the confirmation"), blank=True)
    reminder_text = models.TextField(_("paragraph in the reminders"), blank=True)

    TRANSLATED_FIELDS = ("confirmation_text", "reminder_text")

    class Meta:
        verbose_name = _("email settings")
        verbose_name_plural = _("email settings")

    def __str__(self) -> str:
        return str(self.event)


class Broadcast(models.Model):
    """A message organisers write to a filtered set of participants."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="broadcasts"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    statuses = models.JSONField(_("statuses"), default=list, blank=True)
    organisation_ids = models.JSONField(default=list, blank=True, verbose_name=_("organisations"))
    workshop_ids = models.JSONField(default=list, blank=True, verbose_name=_("workshops"))
    registration_ids = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Chosen one by one in the participant list."),
        verbose_name=_("registrations"),
    )
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")

    def __str__(self) -> str:
        return self.subject


class OutgoingMessage(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", pgettext_lazy("email state", "Failed")
        CANCELLED = "cancelled", pgettext_lazy("email state", "Cancelled")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    broadcast = models.ForeignKey(
        Broadcast,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("message to participants"),
    )
    dedupe_key = models.CharField(
        max_length=60, blank=True, default="", verbose_name=_("deduplication key")
    )
    context = models.JSONField(default=dict, blank=True, verbose_name=_("context"))
    # Account emails come rendered by allauth (they carry one-time codes and links).
    subject = models.CharField(max_length=300, blank=True, verbose_name=_("subject"))
    body_text = models.TextField(blank=True, verbose_name=_("text version"))
    body_html = models.TextField(blank=True, verbose_name=_("HTML version"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("queued at"))
    sending_since = models.DateTimeField(null=True, blank=True, verbose_name=_("sending since"))
    #: Set, on a SENDING row, just before the end of the email's data goes to the server;
    #: a row found stuck with it set was taken by the server (see notifications/services.py).
    handed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("handed to the mail server at")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Unique by a constraint (see Meta), which makes no LIKE-pattern index on PostgreSQL.
    message_id = models.CharField(_("Message-ID"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        constraints = [
            models.UniqueConstraint(fields=["message_id"], name="outgoing_message_id_unique"),
            # A second reminder (digest, thanks, broadcast…) of the same key for the same
            # registration cannot exist.
            models.UniqueConstraint(
                fields=["registration", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="outgoing_message_once_per_registration_and_key",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "sending", "sent", "failed", "cancelled"]),
                name="outgoing_message_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="outgoing_message_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
