"""Setting up an event's registration, in the workspace: window, capacity and approval,
places reserved per partner organisation, and the registration form's questions.

For the event's organisers only (and superusers): everyone else gets 404, as in the rest
of the workspace (``selectors.workspace_access``). Each page works without JavaScript;
each change is one service call.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from config.privacy import no_store
from events.formats import count_in_words
from events.models import Event

from . import selectors, services
from .models import Question, Quota, Registration
from .setup_forms import QuestionForm, QuotaForm, RegistrationSettingsForm


def organiser_event(request, slug: str) -> tuple[Event, selectors.WorkspaceAccess]:
    """The event and the user's access to it, if they organise it (its team, superusers);
    404 for everyone else: partner coordinators see its people, not its setup, its survey
    or its emails."""
    event = Event.objects.select_related("venue", "host").filter(slug=slug).first()
    access = selectors.workspace_access(user=request.user, event=event) if event else None
    if access is None or not access.is_organiser:
        raise Http404(_("No such event."))
    return event, access


def _render(request, template: str, event: Event, access, **context):
    context |= {"event": event, "access": access}
    return no_store(render(request, f"workspace/setup/{template}", context))


@login_required
def registration_settings(request, slug: str):
    event, access = organiser_event(request, slug)
    with timezone.override(event.tz):  # the times typed are the event's local times
        form = RegistrationSettingsForm(
            request.POST or None,
            event=event,
            initial={
                "registration_opens_at": event.registration_opens_at
                and timezone.localtime(event.registration_opens_at),
                "registration_closes_at": event.registration_closes_at
                and timezone.localtime(event.registration_closes_at),
                "capacity": event.capacity,
                "requires_approval": event.requires_approval,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.event_registration_settings_update(
                    event=event, actor=request.user, **form.cleaned_data
                )
            except services.RegistrationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The registration settings have been saved."))
                return redirect("workspace:setup_registration", slug=event.slug)
        questions = event.questions.count()
        counts = dict(
            Registration.objects.filter(event=event)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        return _render(
            request,
            "registration.html",
            event,
            access,
            form=form,
            waiting=counts.get(Registration.Status.WAITLISTED, 0),
            counts=counts,
            quotas=event.quotas.select_related("organisation").order_by("organisation__name"),
            questions=questions,
            questions_in_words=count_in_words(
                questions,
                one=pgettext("number of questions", "one"),
                two=pgettext("number of questions", "two"),
            ),
        )


@login_required
def quotas(request, slug: str):
    """The places reserved per partner organisation, and a form to add one."""
    event, access = organiser_event(request, slug)
    with timezone.override(event.tz):
        form = QuotaForm(request.POST or None, event=event)
        if request.method == "POST" and form.is_valid():
            services.quota_save(quota=Quota(event=event, **form.cleaned_data), actor=request.user)
            messages.success(
                request,
                _("%(count)d places are reserved for %(organisation)s.")
                % {
                    "count": form.cleaned_data["places"],
                    "organisation": form.cleaned_data["organisation"].name,
                },
            )
            return redirect("workspace:setup_quotas", slug=event.slug)
        rows = list(event.quotas.select_related("organisation").order_by("organisation__name"))
        held = dict(
            Registration.objects.filter(event=event, status__in=Registration.HOLDING)
            .values_list("organisation")
            .annotate(n=Count("pk"))
            .values_list("organisation", "n")
        )
        for quota in rows:
            quota.held = held.get(quota.organisation_id, 0)
        return _render(
            request, "quotas.html", event, access, form=form, quotas=rows, now=timezone.now()
        )


@login_required
def quota_edit(request, slug: str, pk: int):
    event, access = organiser_event(request, slug)
    quota = get_object_or_404(Quota.objects.select_related("organisation"), pk=pk, event=event)
    with timezone.override(event.tz):
        form = QuotaForm(
            request.POST or None,
            event=event,
            quota=quota,
            initial={
                "organisation": quota.organisation_id,
                "places": quota.places,
                "release_at": quota.release_at and timezone.localtime(quota.release_at),
            },
        )
        if request.method == "POST" and form.is_valid():
            for name, value in form.cleaned_data.items():
                setattr(quota, name, value)
            services.quota_save(quota=quota, actor=request.user)
            messages.success(request, _("The reserved places are saved."))
            return redirect("workspace:setup_quotas", slug=event.slug)
        return _render(request, "quota_edit.html", event, access, form=form, quota=quota)


@login_required
def quota_delete(request, slug: str, pk: int):
    """Asks first (GET), then deletes (POST)."""
    event, access = organiser_event(request, slug)
    quota = get_object_or_404(Quota.objects.select_related("organisation"), pk=pk, event=event)
    if request.method == "POST":
        services.quota_delete(quota=quota, actor=request.user)
        messages.success(
            request,
            _("Places are no longer reserved for %(organisation)s.")
            % {"organisation": quota.organisation.name},
        )
        return redirect("workspace:setup_quotas", slug=event.slug)
    return _render(request, "quota_delete.html", event, access, quota=quota)


def question_order_after_move(questions: list, move: str) -> list[int] | None:
    """The keys of ``questions`` in their new order after a question list's "move" button
    (``"up:<key>"`` or ``"down:<key>"``), or None when it moves nothing (the first one up,
    the last one down, or a value that names no question)."""
    keys = [question.pk for question in questions]
    direction, _colon, key = move.partition(":")
    if not key.isdigit() or int(key) not in keys or direction not in ("up", "down"):
        return None
    index = keys.index(int(key))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(keys):
        return None
    keys[index], keys[other] = keys[other], keys[index]
    return keys


@login_required
def questions(request, slug: str):
    """The registration form's questions in their order; POST moves one up or down."""
    event, access = organiser_event(request, slug)
    rows = list(
        event.questions.select_related("event", "shown_if_question")
        .prefetch_related("options")
        .annotate(answered=Count("answers"))
    )
    if request.method == "POST":
        order = question_order_after_move(rows, request.POST.get("move", ""))
        if order is not None:
            services.questions_reorder(event=event, order=order, actor=request.user)
            messages.success(request, _("The order of the questions is saved."))
        return redirect("workspace:setup_questions", slug=event.slug)
    return _render(request, "questions.html", event, access, questions=rows)


def _question_page(request, event: Event, access, question: Question | None):
    form = QuestionForm(request.POST or None, event=event, question=question)
    if request.method == "POST" and form.is_valid():
        instance, options, removed = form.apply(question or Question(event=event))
        try:
            services.question_save(
                question=instance, options=options, removed=removed, actor=request.user
            )
        except services.RegistrationError as error:
            form.add_error("shown_if", str(error))
        else:
            messages.success(
                request, _("The question “%(label)s” is saved.") % {"label": instance.i18n.label}
            )
            return redirect("workspace:setup_questions", slug=event.slug)
    return _render(request, "question_edit.html", event, access, form=form, question=question)


@login_required
def question_add(request, slug: str):
    event, access = organiser_event(request, slug)
    return _question_page(request, event, access, None)


@login_required
def question_edit(request, slug: str, pk: int):
    event, access = organiser_event(request, slug)
    question = get_object_or_404(Question.objects.select_related("event"), pk=pk, event=event)
    return _question_page(request, event, access, question)


def question_delete_page(
    request, event: Event, access, question, *, page: str, delete, answers_text, **context
):
    """A question's delete page, for the registration form and the feedback survey: asks
    first (GET: ``answers_text(count)`` says what goes with its answers), then deletes the
    question with the service ``delete`` (POST) and goes back to the questions' ``page``
    (a URL name taking the event's slug)."""
    if request.method == "POST":
        label = question.i18n.label
        delete(question=question, actor=request.user)
        messages.success(request, _("The question “%(label)s” is deleted.") % {"label": label})
        return redirect(page, slug=event.slug)
    context |= {
        "question": question,
        "back": page,
        "answers_text": answers_text(question.answers.count()),
    }
    return _render(request, "question_delete.html", event, access, **context)


def _people_who_answered(count: int) -> str:
    if not count:
        return _("Nobody has answered it yet.")
    return ngettext(
        "%(count)d person has answered it: their answer will be deleted.",
        "%(count)d people have answered it: their answers will be deleted.",
        count,
    ) % {"count": count}


@login_required
def question_delete(request, slug: str, pk: int):
    """Asks first (GET: how many answers and which questions go with it), then deletes."""
    event, access = organiser_event(request, slug)
    question = get_object_or_404(Question.objects.select_related("event"), pk=pk, event=event)
    return question_delete_page(
        request,
        event,
        access,
        question,
        page="workspace:setup_questions",
        delete=services.question_delete,
        answers_text=_people_who_answered,
        dependents=question.dependent_questions.select_related("event"),
    )


@login_required
def waiting_list_promote(request, slug: str):
    """Give the free places to the waiting list now, in order (POST)."""
    event, _access = organiser_event(request, slug)
    if request.method == "POST":
        promoted = services.waitlist_promote(event=event)
        messages.success(
            request,
            ngettext(
                "%(count)d person got a place from the waiting list.",
                "%(count)d people got a place from the waiting list.",
                len(promoted),
            )
            % {"count": len(promoted)},
        )
    return redirect("workspace:setup_registration", slug=event.slug)
