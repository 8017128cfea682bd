"""Every write of the evaluation app: the survey's setup (organisers) and a participant's
answers (once, while the survey is open). Keyword-only arguments, one transaction each."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, ProgrammeItem
from registrations.models import Registration

from . import selectors
from .models import Answer, Receipt, Response, Survey, SurveyQuestion


class SurveyError(Exception):
    """A rule refused the change; the message is for the person who tried."""


class AlreadyAnswered(SurveyError):
    pass


# --- setup --------------------------------------------------------------------------------


def survey_save(*, event: Event, closes_at: datetime, actor) -> Survey:
    """Create the event's survey, or move its closing date."""
    if closes_at <= event.ends_at:
        raise SurveyError(_("The survey opens when the event ends: close it after that."))
    with transaction.atomic():
        survey, _created = Survey.objects.select_for_update().get_or_create(
            event=event, defaults={"closes_at": closes_at}
        )
        if survey.closes_at != closes_at:
            survey.closes_at = closes_at
            survey.save(update_fields=["closes_at", "updated_at"])
        survey.event = event
        return survey


def question_save(*, question: SurveyQuestion, actor) -> SurveyQuestion:
    """Save a question. Its kind cannot change once it has answers (they would mean
    something else)."""
    with transaction.atomic():
        if question.pk:
            before = SurveyQuestion.objects.select_for_update().get(pk=question.pk)
            if before.kind != question.kind and before.answers.exists():
                raise SurveyError(
                    _("This question has answers already: its kind cannot change any more.")
                )
        question.save()
        return question


def question_delete(*, question: SurveyQuestion, actor) -> None:
    with transaction.atomic():
        question.delete()


def questions_reorder(*, survey: Survey, order: list[int], actor) -> None:
    with transaction.atomic():
        for position, pk in enumerate(order):
            SurveyQuestion.objects.filter(survey=survey, pk=pk).update(position=position)


def survey_copy(*, source: Event, copy: Event) -> Survey | None:
    """A copied event gets the source's questions and a closing date as long after its
    end as the source's was."""
    survey = Survey.objects.filter(event=source).first()
    if survey is None:
        return None
    new = Survey.objects.create(
        event=copy, closes_at=copy.ends_at + (survey.closes_at - source.ends_at)
    )
    for question in survey.questions.all():
        question.pk = None
        question.survey = new
        question.save()
    return new


# --- answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """One answer as the form read it."""

    question: SurveyQuestion
    item: ProgrammeItem | None
    rating: int | None
    text: str


def response_submit(
    *,
    survey: Survey,
    registration: Registration,
    answers: list[Given],
    signed: bool,
    now: datetime | None = None,
) -> Response:
    """Record a participant's answers, once: a ``Receipt`` says that this registration
    answered; the ``Response`` keeps their partner organisation and names them only if
    they chose to sign."""
    now = now or timezone.now()
    if not selectors.may_answer(registration):
        raise SurveyError(_("Only the event’s participants answer its survey."))
    state = survey.state(now)
    if state == "not_yet":
        raise SurveyError(_("The survey opens when the event ends."))
    if state == "closed":
        raise SurveyError(_("The survey is closed: answers are no longer accepted."))
    try:
        with transaction.atomic():
            Receipt.objects.create(
                survey=survey, registration=registration, answered_on=timezone.localdate(now)
            )
            response = Response.objects.create(
                survey=survey,
                organisation_id=registration.organisation_id,
                registration=registration if signed else None,
            )
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=given.question,
                    item=given.item,
                    rating=given.rating,
                    text=given.text,
                )
                for given in answers
                if given.rating is not None or given.text
            )
    except IntegrityError:
        raise AlreadyAnswered(_("You have answered this survey already. Thank you!")) from None
    return response
