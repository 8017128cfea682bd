"""An event's feedback survey, its questions, and the answers participants give.

Answers are anonymous unless the participant signs them: a ``Response`` names its
registration only when signed, and keeps the partner organisation (for the breakdown,
shown only for groups of ``MINIMUM_GROUP`` answers or more). ``Receipt`` records THAT a
registration answered (to refuse a second answer), never which response is theirs:
responses and answers have random keys and no time, so neither their order nor a
timestamp ties them to a receipt.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.i18n import Localized
from events.model_fields import optional_organisation_field, optional_programme_item_field
from events.models import Event
from registrations.models import Registration

#: A breakdown group (a session, a partner organisation) is shown with this many answers
#: or more: fewer could tell who answered what.
MINIMUM_GROUP = 3
RATINGS = (1, 2, 3, 4, 5)


class Survey(models.Model):
    """One per event: it opens when the event ends and closes at ``closes_at``."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="survey"
    )
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def opens_at(self):
        return self.event.ends_at

    def state(self, now=None) -> str:
        """ "not_yet" (the event has not ended), "open" or "closed"."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "not_yet"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now=None) -> bool:
        return self.state(now) == "open"


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        TEXT = "text", _("Open answer")

    TRANSLATED_FIELDS = ("label", "help_text")

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("feedback survey"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RATING)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    per_session = models.BooleanField(
        _("asked for each session"),
        default=False,
        help_text=_(
            "Each participant answers it for every workshop or session they chose or attended."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.i18n.label

    @property
    def i18n(self) -> Localized:
        return Localized(self, self.TRANSLATED_FIELDS, self.survey.event.default_language)


class Response(models.Model):
    """One participant's answers. No time and a random key: nothing ties it to the
    ``Receipt`` of the registration that gave it, unless the participant signed it."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("UUID")
    )
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("feedback survey"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    organisation = optional_organisation_field(_("partner organisation"), related_name="+")
    #: Only when the participant chose to sign their answers.
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("signed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(self.survey)


class Answer(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("UUID")
    )
    response = models.ForeignKey(
        Response,
        verbose_name=_("survey response"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    #: The session it rates, for a question asked per session.
    item = optional_programme_item_field(_("session"), related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="survey_answer_rating_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(item__isnull=True),
                name="survey_answer_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "item"],
                condition=Q(item__isnull=False),
                name="survey_answer_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.text}"


class Receipt(models.Model):
    """A registration has answered the survey (once): which answers are theirs is not
    recorded here."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("feedback survey"), on_delete=models.CASCADE, related_name="receipts"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="survey_receipts",
    )
    answered_on = models.DateField(_("answered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("survey receipt")
        verbose_name_plural = _("survey receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="survey_answered_once_per_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} → {self.survey}"
