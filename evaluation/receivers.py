"""The evaluation app answering what the apps below it announce (they know nothing of
us): the survey's link in the "thanks" email and on the private page, a copied event's
survey, and the personal data of those who signed their answers."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from events import signals as event_signals
from notifications import signals as notification_signals
from notifications.email_links import EmailLink
from notifications.models import Kind
from registrations import signals as registration_signals
from registrations.private_page import PrivatePageLink

from . import personal_data, selectors, services


def _survey_to_answer(registration):
    """The event's survey, if it is open and this registration may still answer it."""
    if not selectors.may_answer(registration):
        return None
    survey = selectors.survey_of(registration.event)
    if survey is None or not survey.is_open() or not survey.questions.exists():
        return None
    if selectors.has_answered(survey=survey, registration=registration):
        return None
    return survey


@receiver(notification_signals.email_links, dispatch_uid="evaluation.thanks_email_link")
def survey_email_link(sender, message, registration, **kwargs):
    """The "thanks" email after the event carries the survey's link, in the recipient's
    language (active while the email is written)."""
    if message.kind != Kind.THANKS or _survey_to_answer(registration) is None:
        return None
    return EmailLink(
        path=reverse("evaluation:answer", kwargs={"secret": registration.secret}),
        label=_("Give your feedback"),
        note=_("Tell the organisers what you thought of the event: it takes a few minutes."),
    )


@receiver(registration_signals.private_page_links, dispatch_uid="evaluation.private_page_link")
def survey_private_page_link(sender, registration, **kwargs):
    if _survey_to_answer(registration) is None:
        return None
    return PrivatePageLink(
        url=reverse("evaluation:answer", kwargs={"secret": registration.secret}),
        label=_("Give your feedback"),
        note=_("Tell the organisers what you thought of the event: it takes a few minutes."),
        to_do=True,
    )


@receiver(event_signals.event_copied, dispatch_uid="evaluation.copy_survey")
def copy_survey(sender, source, copy, **kwargs):
    services.survey_copy(source=source, copy=copy)


@receiver(registration_signals.personal_data_export, dispatch_uid="evaluation.data_export")
def on_personal_data_export(sender, subject, **kwargs):
    return personal_data.export(subject)


@receiver(registration_signals.personal_data_erase, dispatch_uid="evaluation.data_erase")
def on_personal_data_erase(sender, subject, now, **kwargs):
    personal_data.erase(subject, now)


@receiver(registration_signals.personal_data_retention, dispatch_uid="evaluation.retention")
def on_personal_data_retention(sender, now, **kwargs):
    return "evaluation", personal_data.anonymise_past(now)
