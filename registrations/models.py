"""Registrations, their answers and workshop choices, quotas, and participant profiles.

Places are counted on the event row (``Event.places_taken``) and on each workshop
(``ProgrammeItem.places_taken``), both capped by CHECK constraints; every change goes
through ``services.py`` with the event row locked.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from events.i18n import Localized
from events.model_fields import (
    actor_field,
    optional_organisation_field,
    optional_programme_item_field,
)
from events.models import Event, Organisation, ProgrammeItem

from .names import person_name


def new_secret() -> str:
    """256 random bits, URL-safe: the key of a private link."""
    return secrets.token_urlsafe(32)


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    SPEAKER = "speaker", _("Speaker or trainer")
    ORGANISER = "organiser", _("Organiser")
    ACCOMPANYING = "accompanying", _("Accompanying person")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("account"),
    )
    organisation = optional_organisation_field(_("partner organisation"), related_name="+")
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class Question(models.Model):
    class Kind(models.TextChoices):
        LINE = "line", _("One line of text")
        TEXT = "text", _("Text")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        YES_NO = "yes_no", _("Yes or no")
        DATE = "date", _("Date")
        NUMBER = "number", _("Number")

    TRANSLATED_FIELDS = ("label", "help_text")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    #: Asked only when the answer to ``shown_if_question`` is ``shown_if_value``: an
    #: option's key (as text) for a choice question, "yes" or "no" for a yes-or-no one.
    shown_if_question = models.ForeignKey(
        "self",
        verbose_name=_("shown only when the answer to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dependent_questions",
    )
    shown_if_value = models.CharField(_("shown for the answer"), max_length=20, blank=True)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.i18n.label

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, self.event.default_language)

    @property
    def is_conditional(self) -> bool:
        return self.shown_if_question_id is not None

    def condition_holds(self, answer) -> bool:
        """Whether ``answer`` (the one given to ``shown_if_question``: an option key, a
        list of them, or True/False) is the one this question is shown for."""
        if isinstance(answer, bool):
            answer = "yes" if answer else "no"
        if isinstance(answer, (list, tuple, set)):
            return self.shown_if_value in {str(part) for part in answer}
        return answer not in (None, "") and str(answer) == self.shown_if_value


def questions_asked(questions, answers: dict) -> set[int]:
    """The keys of the questions that apply, given ``answers`` (question key: answer): a
    question shown only for some answer to another applies when that other one applies
    and was answered so. Answers to questions that do not apply are ignored."""
    by_key = {question.pk: question for question in questions}
    decided: dict[int, bool] = {}

    def applies(question, seen=()) -> bool:
        if question.pk in decided:
            return decided[question.pk]
        parent = by_key.get(question.shown_if_question_id)
        if question.shown_if_question_id is None:
            result = True
        elif parent is None or parent.pk in seen:
            result = False
        else:
            result = applies(parent, (*seen, question.pk)) and question.condition_holds(
                answers.get(parent.pk)
            )
        decided[question.pk] = result
        return result

    return {question.pk for question in questions if applies(question)}


class QuestionOption(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.i18n.label

    @property
    def i18n(self) -> Localized:
        return Localized(self, ("label",), self.question.event.default_language)


class Quota(models.Model):
    """Places of an event reserved for one partner organisation until ``release_at``."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="quotas"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    places = models.PositiveIntegerField(_("reserved places"))
    release_at = models.DateTimeField(
        _("unused places released at"),
        null=True,
        blank=True,
        help_text=_("After this moment, reserved places nobody took are open to everyone."),
    )
    #: When the scheduled task gave this quota's unused places to the waiting list
    #: (``services.quotas_release_due``); cleared when ``release_at`` changes.
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("partner quota")
        verbose_name_plural = _("partner quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="quota_one_per_event_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.places}"


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("registration status", "Waiting for approval")
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "Confirmed")
        WAITLISTED = "waitlisted", pgettext_lazy("registration status", "On the waiting list")
        REJECTED = "rejected", pgettext_lazy("registration status", "Rejected")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    #: Statuses that hold one of the event's places.
    HOLDING = (Status.PENDING, Status.CONFIRMED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    # Unique by a constraint, not ``unique=True``: on PostgreSQL that would add a second,
    # LIKE-pattern index that no query uses and every registration would have to fill.
    secret = models.CharField(
        max_length=64, default=new_secret, editable=False, verbose_name=_("private link key")
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="registrations",
        db_index=False,  # led by (event, email) and (event, status, waitlisted_at)
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    email = models.EmailField(_("email"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    role = models.CharField(
        _("role"), max_length=15, choices=Role.choices, default=Role.PARTICIPANT
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    privacy_consent_version = models.CharField(
        max_length=20, blank=True, verbose_name=_("privacy notice version agreed to")
    )
    privacy_consented_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("privacy notice agreed at")
    )
    listed_publicly = models.BooleanField(_("appears in the attendee list"), default=False)
    # The attendee-list consent, like the privacy one: when it was given and under which
    # version of the event's privacy notice (stamped by ``receivers.stamp_listing_consent``).
    listed_publicly_consent_version = models.CharField(
        max_length=20, blank=True, verbose_name=_("attendee list consent version")
    )
    listed_publicly_consented_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("attendee list consent given at")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations_made",
    )
    details_confirmed = models.BooleanField(_("details confirmed by the participant"), default=True)
    waitlisted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("put on the waiting list at")
    )
    decided_by = actor_field(_("decided by"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    #: When the person's data was erased or reached its retention period
    #: (``personal_data``): the row stays, counted, without anything that names them.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    #: SEQUENCE of this person's calendar entry for the event (invites and personal feed):
    #: raised whenever its time, place, workshops or status change.
    calendar_sequence = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("calendar sequence")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["event", "created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], name="registration_one_per_email_per_event"
            ),
            models.UniqueConstraint(fields=["secret"], name="registration_secret_unique"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "confirmed", "waitlisted", "rejected", "cancelled"]
                ),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlist_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(email__contains=" "), name="registration_email_normalised"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        """The name in the active language's order ("Horváth Eszter" on a Hungarian page)."""
        return self.name_in()

    def name_in(self, language: str | None = None) -> str:
        """The name as a text in ``language`` (default: the active one) writes it."""
        if self.anonymised_at is not None:
            return str(_("Anonymised participant"))
        return person_name(
            self.first_name,
            self.last_name,
            language=language,
            own_language=self.language,
            country=self.country,
        )

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDING

    @property
    def can_change(self) -> bool:
        """The participant may still change workshops or cancel (until the deadline)."""
        return self.status not in (self.Status.CANCELLED, self.Status.REJECTED) and (
            timezone.now() < self.event.registration_deadline
        )

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class WorkshopChoice(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("workshop place", "Confirmed")
        WAITLISTED = "waitlisted", pgettext_lazy("workshop place", "On the waiting list")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="workshop_choices",
        verbose_name=_("registration"),
    )
    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["item__starts_at", "created_at"]
        verbose_name = _("workshop choice")
        verbose_name_plural = _("workshop choices")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "item"], name="workshop_choice_once_per_item"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="workshop_choice_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} → {self.item}"


class Answer(models.Model):
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("registration"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.JSONField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class PersonalFeed(models.Model):
    """A person's calendar feed (every registration made with one address), behind a
    secret. The URL carries ``<id>.<secret>``: the row is found by id and the secret
    compared in constant time. Resetting the secret retires every copy of the old URL."""

    email = models.EmailField(_("email"), unique=True)
    secret = models.CharField(
        max_length=64, default=new_secret, verbose_name=_("calendar address key")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    reset_at = models.DateTimeField(null=True, blank=True, verbose_name=_("address reset at"))

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self) -> str:
        return self.email

    @property
    def token(self) -> str:
        return f"{self.pk}.{self.secret}"


class Attendance(models.Model):
    """Someone was there: for a day of the event, or for one session of it."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    day = models.DateField(_("day"))
    item = optional_programme_item_field(_("session"), related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = actor_field(_("checked in by"))

    class Meta:
        ordering = ["day", "checked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"],
                condition=Q(item__isnull=True),
                name="attendance_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["registration", "item"],
                condition=Q(item__isnull=False),
                name="attendance_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.day}"


class ExportPreset(models.Model):
    """Columns an organiser chose for an event's exports, saved under a name."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="export_presets", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(_("columns"), default=list)
    created_by = actor_field(_("created by"))

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("export preset")
        verbose_name_plural = _("export presets")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="export_preset_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ExportJob(models.Model):
    """A large export built by a worker while the page shows its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", pgettext_lazy("export state", "Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("event")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    format = models.CharField(max_length=20, verbose_name=_("format"))
    query = models.JSONField(default=dict, verbose_name=_("filters"))
    columns = models.JSONField(default=list, verbose_name=_("columns"))
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, verbose_name=_("state")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("rows in total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("rows done"))
    file = models.FileField(upload_to="exports/", blank=True, verbose_name=_("file"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.event} {self.format} {self.state}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
