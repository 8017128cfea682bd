"""Registrations' part of the events app's setup pages (events knows nothing of us).

- A copied event gets copies of the source's questions (with their options, in every
  language) and partner quotas (without a release date: the organisers set the new
  one).
- Who is concerned by changes to a published programme: the people who chose a changed
  workshop, and everyone holding a place for any other change.
"""

from django.db.models import F
from django.dispatch import receiver

from events import signals as event_signals
from events.models import Event, ProgrammeChange

from .models import Quota, Registration


def _copy_row(row, **overrides):
    """An unsaved copy of ``row`` (every concrete field, translations included)."""
    copy = type(row)()
    for field in type(row)._meta.concrete_fields:
        if not field.primary_key:
            setattr(copy, field.attname, getattr(row, field.attname))
    for name, value in overrides.items():
        setattr(copy, name, value)
    return copy


@receiver(event_signals.event_copied, dispatch_uid="registrations.copy_configuration")
def copy_configuration(sender, source: Event, copy: Event, **kwargs):
    questions = {}  # the source question's key -> its copy
    options = {}  # the source option's key (as text) -> its copy's, as conditions name them
    for question in source.questions.prefetch_related("options"):
        new_question = _copy_row(question, event=copy, shown_if_question=None)
        new_question.save()
        questions[question.pk] = new_question
        for option in question.options.all():
            new_option = _copy_row(option, question=new_question)
            new_option.save()
            options[str(option.pk)] = str(new_option.pk)
    # A question asked only for some answer to another one asks it of the copies.
    for question in source.questions.filter(shown_if_question__isnull=False):
        new_question = questions[question.pk]
        new_question.shown_if_question = questions[question.shown_if_question_id]
        new_question.shown_if_value = options.get(question.shown_if_value, question.shown_if_value)
        new_question.save(update_fields=["shown_if_question", "shown_if_value"])
    Quota.objects.bulk_create(
        [_copy_row(quota, event=copy, release_at=None) for quota in source.quotas.all()]
    )


def registrations_concerned(*, event: Event, changes: list[ProgrammeChange]) -> dict:
    """``{registration: [changes that concern them]}`` among the people holding a place
    (confirmed or awaiting approval)."""
    holding = Registration.objects.filter(event=event, status__in=Registration.HOLDING)
    concerned: dict[int, list[ProgrammeChange]] = {}
    everyone = None
    for change in changes:
        if change.workshop and change.kind != ProgrammeChange.Kind.ADDED and change.item_id:
            people = holding.filter(
                workshop_choices__item_id=change.item_id,
            ).values_list("pk", flat=True)
        else:
            if everyone is None:
                everyone = list(holding.values_list("pk", flat=True))
            people = everyone
        for pk in people:
            concerned.setdefault(pk, []).append(change)
    registrations = holding.filter(pk__in=concerned).select_related("event", "user__profile")
    return {registration: concerned[registration.pk] for registration in registrations}


@receiver(event_signals.programme_changes_audience, dispatch_uid="registrations.audience")
def count_audience(sender, event: Event, changes, **kwargs) -> int:
    return len(registrations_concerned(event=event, changes=changes))


@receiver(
    event_signals.programme_changes_announced, dispatch_uid="registrations.sequence_on_changes"
)
def raise_sequence_for_changes(sender, event: Event, changes, **kwargs):
    """Their calendar entries change: SEQUENCE goes up (returns None: it writes no email)."""
    concerned = registrations_concerned(event=event, changes=changes)
    pks = [registration.pk for registration in concerned]
    Registration.objects.filter(pk__in=pks).update(calendar_sequence=F("calendar_sequence") + 1)
