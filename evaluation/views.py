"""The survey's pages: its setup and results for the event's organisers (workspace), and
the survey itself for participants, reached by their private link (``/r/<secret>/``).

Organisers are those the workspace treats as organisers
(``registrations.setup_views.organiser_event``): the event's team and superusers; everyone
else, partner coordinators included, gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from config.privacy import no_store
from events.downloads import disposition, event_file_name
from registrations import selectors as registration_selectors
from registrations.setup_views import (
    organiser_event,
    question_delete_page,
    question_order_after_move,
)

from . import exports, selectors, services
from .forms import AnswerForm, SurveyQuestionForm, SurveySettingsForm
from .models import MINIMUM_GROUP, SurveyQuestion


def _render(request, template: str, event, access, status: int = 200, **context):
    context |= {"event": event, "access": access}
    return no_store(render(request, f"evaluation/{template}", context, status=status))


# --- setup --------------------------------------------------------------------------------


@login_required
def setup(request, slug: str):
    """The survey's closing date, and its questions in their order (POST "move" moves one
    up or down)."""
    event, access = organiser_event(request, slug)
    survey = selectors.survey_of(event)
    questions = []
    if survey is not None:
        questions = list(survey.questions.annotate(answered=Count("answers")))
        for question in questions:
            question.survey = survey
    if request.method == "POST" and "move" in request.POST:
        order = question_order_after_move(questions, request.POST["move"])
        if order is not None:
            services.questions_reorder(survey=survey, order=order, actor=request.user)
            messages.success(request, _("The order of the questions is saved."))
        return redirect("evaluation:setup", slug=event.slug)
    with timezone.override(event.tz):
        initial = {}
        if survey is not None:
            initial["closes_at"] = timezone.localtime(survey.closes_at)
        form = SurveySettingsForm(
            request.POST if request.method == "POST" else None, event=event, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_save(
                    event=event, closes_at=form.cleaned_data["closes_at"], actor=request.user
                )
            except services.SurveyError as error:
                form.add_error("closes_at", str(error))
            else:
                messages.success(request, _("The feedback survey is saved."))
                return redirect("evaluation:setup", slug=event.slug)
        return _render(
            request,
            "setup.html",
            event,
            access,
            status=400 if form.errors else 200,
            form=form,
            survey=survey,
            questions=questions,
            state=survey.state() if survey else None,
        )


def _survey_or_back(request, event):
    survey = selectors.survey_of(event)
    if survey is None:
        messages.error(request, _("Set the survey’s closing date first."))
    return survey


def _question_page(request, event, access, survey, question: SurveyQuestion | None):
    form = SurveyQuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        instance = form.apply(question or SurveyQuestion(survey=survey))
        try:
            services.question_save(question=instance, actor=request.user)
        except services.SurveyError as error:
            form.add_error("kind", str(error))
        else:
            messages.success(
                request, _("The question “%(label)s” is saved.") % {"label": instance.i18n.label}
            )
            return redirect("evaluation:setup", slug=event.slug)
    return _render(
        request,
        "question_edit.html",
        event,
        access,
        status=400 if form.errors else 200,
        form=form,
        question=question,
    )


@login_required
def question_add(request, slug: str):
    event, access = organiser_event(request, slug)
    survey = _survey_or_back(request, event)
    if survey is None:
        return redirect("evaluation:setup", slug=event.slug)
    return _question_page(request, event, access, survey, None)


def _question(event, pk: int) -> SurveyQuestion:
    question = get_object_or_404(
        SurveyQuestion.objects.select_related("survey__event"), pk=pk, survey__event=event
    )
    return question


@login_required
def question_edit(request, slug: str, pk: int):
    event, access = organiser_event(request, slug)
    question = _question(event, pk)
    return _question_page(request, event, access, question.survey, question)


def _answers_deleted(count: int) -> str:
    return ngettext(
        "It has %(count)d answer: it will be deleted.",
        "It has %(count)d answers: they will be deleted.",
        count,
    ) % {"count": count}


@login_required
def question_delete(request, slug: str, pk: int):
    """Asks first (GET: how many answers go with it), then deletes (POST)."""
    event, access = organiser_event(request, slug)
    question = _question(event, pk)
    return question_delete_page(
        request,
        event,
        access,
        question,
        page="evaluation:setup",
        delete=services.question_delete,
        answers_text=_answers_deleted,
        section=_("Feedback survey"),
    )


# --- results ------------------------------------------------------------------------------


def _results(event):
    survey = selectors.survey_of(event)
    if survey is None:
        return None
    return selectors.results(survey=survey, no_organisation=_("No partner organisation"))


@login_required
def results(request, slug: str):
    event, access = organiser_event(request, slug)
    found = _results(event)
    context = {"results": found, "minimum": MINIMUM_GROUP}
    if found is not None:
        context |= {
            "state": found.survey.state(),
            "answered": selectors.receipts_count(found.survey),
            "eligible": selectors.eligible_count(found.survey),
        }
    return _render(request, "results.html", event, access, **context)


@login_required
def export(request, slug: str, format: str):
    event, _access = organiser_event(request, slug)
    found = _results(event)
    if found is None or format not in ("csv", "xlsx"):
        raise Http404(_("No such event."))
    name = event_file_name(event, pgettext("file name", "feedback"), extension=format)
    if format == "csv":
        body, content_type = exports.csv_bytes(found), exports.CSV_TYPE
    else:
        body = exports.xlsx_bytes(found, title=event.i18n.title)
        content_type = exports.XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = disposition(name)
    return no_store(response)


# --- the participant ----------------------------------------------------------------------


def answer(request, secret: str):
    """The survey, by the participant's private link: answered once, while it is open."""
    registration = registration_selectors.registration_by_secret(secret)
    if registration is None or not selectors.may_answer(registration):
        raise Http404(_("This link is not valid any more. Ask the organisers for a new one."))
    event = registration.event
    survey = selectors.survey_of(event)
    if survey is None:
        raise Http404(_("This event has no feedback survey."))
    questions = selectors.questions_of(survey)
    sessions = selectors.sessions_of(registration)
    answered = selectors.has_answered(survey=survey, registration=registration)
    state = survey.state()
    can_answer = state == "open" and not answered and bool(questions)
    form = AnswerForm(
        request.POST if request.method == "POST" and can_answer else None,
        questions=questions,
        sessions=sessions,
    )
    if request.method == "POST":
        if not can_answer:
            if answered:
                messages.error(request, _("You have answered this survey already. Thank you!"))
            else:
                messages.error(request, _("The survey is closed: answers are no longer accepted."))
            return redirect("evaluation:answer", secret=registration.secret)
        if form.is_valid():
            try:
                services.response_submit(
                    survey=survey,
                    registration=registration,
                    answers=form.answers(),
                    signed=form.cleaned_data["sign"],
                )
            except services.SurveyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Thank you: your answers are saved."))
            return redirect("evaluation:answer", secret=registration.secret)
    context = {
        "registration": registration,
        "event": event,
        "survey": survey,
        "state": state,
        "answered": answered,
        "can_answer": can_answer,
        "form": form,
    }
    with timezone.override(event.tz):
        response = render(
            request, "evaluation/answer.html", context, status=400 if form.errors else 200
        )
    return no_store(response)
