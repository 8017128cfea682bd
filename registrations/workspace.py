"""The organisers' workspace: overview, participant list, exports, check-in.

Every view starts with ``_workspace``, which asks ``selectors.workspace_access`` who the
user is for this event: the event's organisers see everyone, a partner coordinator their
own organisation's people, anyone else nothing (404, so as not to confirm the event's
participants exist). Filters live in the session: no name or email in any URL.
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext
from django.views.decorators.http import require_POST

from config.privacy import no_store
from events.downloads import disposition, event_file_name
from events.models import Event, ProgrammeItem

from . import exports, exports_jobs, selectors, services
from .exports_jobs import filters_from_query
from .forms import CheckinSearchForm, ExportForm, ParticipantFilterForm
from .models import ExportJob, ExportPreset, Registration
from .text import isolated


def _workspace(request, slug: str) -> tuple[Event, selectors.WorkspaceAccess]:
    event = Event.objects.select_related("venue", "host").filter(slug=slug).first()
    access = selectors.workspace_access(user=request.user, event=event) if event else None
    if access is None:
        raise Http404(_("No such event."))
    return event, access


def _session_key(event: Event) -> str:
    return f"workspace:{event.pk}:filters"


def _current_query(request, event: Event) -> dict:
    return request.session.get(_session_key(event), {})


def _current_list(request, event, access):
    return selectors.participant_list(
        access=access, event=event, filters=filters_from_query(_current_query(request, event))
    )


def _primary_key(value: str | None) -> int | None:
    """The primary key a form sent, or None when the value is not one: a hand-made POST
    may send anything ("abc", "²", a number beyond the database's integers)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


@login_required
def home(request):
    events = selectors.events_in_workspace(user=request.user).order_by("-starts_at")
    return no_store(render(request, "workspace/home.html", {"events": events}))


@login_required
def overview(request, slug: str):
    event, access = _workspace(request, slug)
    context = {
        "event": event,
        "access": access,
        "overview": selectors.event_overview(access=access, event=event),
    }
    return no_store(render(request, "workspace/overview.html", context))


@login_required
def participant_list(request, slug: str):
    event, access = _workspace(request, slug)
    visible = selectors.participants(access=access, event=event)
    query = _current_query(request, event)
    if request.method == "POST" and request.POST.get("action") == "reset":
        request.session.pop(_session_key(event), None)
        return redirect("workspace:participants", slug=event.slug)
    if request.method == "POST" and request.POST.get("action") == "filter":
        form = ParticipantFilterForm(request.POST, event=event, registrations=visible)
        if form.is_valid():
            request.session[_session_key(event)] = form.query()
            return redirect("workspace:participants", slug=event.slug)
    else:
        initial = {**query, **{f"answer_{k}": v for k, v in query.get("answers", {}).items()}}
        form = ParticipantFilterForm(initial=initial, event=event, registrations=visible)
    registrations = _current_list(request, event, access).prefetch_related(
        "workshop_choices__item", "attendances"
    )
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    columns = exports.available_columns(event, sensitive=access.sees_sensitive_data)
    context = {
        "event": event,
        "access": access,
        "form": form,
        "page": page,
        "count": page.paginator.count,
        "filtered": bool(query),
        "export_form": ExportForm(
            columns=columns,
            presets=event.export_presets.all(),
            initial={"columns": exports.DEFAULT_COLUMNS},
        ),
        "threshold": settings.EXPORT_ASYNC_THRESHOLD,
    }
    return no_store(render(request, "workspace/participants.html", context))


BULK = {
    "approve": services.registration_approve,
    "reject": services.registration_reject,
    "promote": services.registration_promote,
    "cancel": services.registration_cancel_by_team,
}


#: The registrations each bulk action applies to (the services refuse the others).
APPLIES_TO = {
    "approve": (Registration.Status.PENDING,),
    "reject": (Registration.Status.PENDING, Registration.Status.WAITLISTED),
    "promote": (Registration.Status.WAITLISTED,),
    "cancel": (
        Registration.Status.PENDING,
        Registration.Status.CONFIRMED,
        Registration.Status.WAITLISTED,
    ),
}
#: What the chosen people the action does not apply to are told (none of them).
NOT_APPLICABLE = {
    "approve": gettext_lazy("None of the people chosen waits for approval."),
    "reject": gettext_lazy("None of the people chosen waits for approval or on the waiting list."),
    "promote": gettext_lazy("None of the people chosen is on the waiting list."),
    "cancel": gettext_lazy(
        "The registrations of the people chosen are cancelled or rejected already."
    ),
}

#: Bulk actions that ask for confirmation first, with the number of people they touch.
CONFIRM_FIRST = {
    "approve": ngettext_lazy(
        "Approve the registration of %(count)d person?",
        "Approve the registrations of %(count)d people?",
        "count",
    ),
    "reject": ngettext_lazy(
        "Reject the registration of %(count)d person?",
        "Reject the registrations of %(count)d people?",
        "count",
    ),
    "promote": ngettext_lazy(
        "Promote %(count)d person from the waiting list?",
        "Promote %(count)d people from the waiting list?",
        "count",
    ),
    "cancel": ngettext_lazy(
        "Cancel the registration of %(count)d person?",
        "Cancel the registrations of %(count)d people?",
        "count",
    ),
}
#: Problems listed one by one after a bulk action; beyond, only their number.
BULK_PROBLEMS_LISTED = 10


def _bulk_selection(request, event, access):
    """The people a bulk action is for: everyone the list's filters match (``scope=all``,
    "select all N matching", every page), else the rows ticked; always within what the
    user may see."""
    if request.POST.get("scope") == "all":
        return _current_list(request, event, access)
    ids = [pk for pk in map(_primary_key, request.POST.getlist("selected")) if pk is not None]
    return selectors.participants(access=access, event=event).filter(pk__in=ids)


@login_required
@require_POST
def bulk(request, slug: str):
    event, access = _workspace(request, slug)
    action = request.POST.get("bulk_action", "")
    chosen = _bulk_selection(request, event, access)
    if action == "write":
        request.session[f"workspace:{event.pk}:recipients"] = list(
            chosen.values_list("pk", flat=True)
        )
        return redirect("notifications:write", slug=event.slug)
    if action not in BULK:
        messages.error(request, _("Choose an action."))
        return redirect("workspace:participants", slug=event.slug)
    people = list(chosen.select_related("event", "organisation"))
    if not people:
        messages.error(request, _("Choose the people first: tick them, or select all."))
        return redirect("workspace:participants", slug=event.slug)
    chosen_count = len(people)
    people = [person for person in people if person.status in APPLIES_TO[action]]
    if not people:
        messages.error(request, NOT_APPLICABLE[action])
        return redirect("workspace:participants", slug=event.slug)
    if request.POST.get("confirmed") != "1":
        question = CONFIRM_FIRST[action] % {"count": len(people)}
        context = {"event": event, "access": access, "action": action, "question": question}
        context["people"] = people
        context["skipped"] = chosen_count - len(people)
        return no_store(render(request, "workspace/bulk_confirm.html", context))
    done, problems = 0, []
    for registration in people:
        try:
            BULK[action](registration=registration, actor=request.user)
            done += 1
        except services.RegistrationError as error:
            problems.append(f"{isolated(registration.full_name)}: {error}")
        except PermissionError:
            problems.append(
                _("%(name)s: not allowed.") % {"name": isolated(registration.full_name)}
            )
    for problem in problems[:BULK_PROBLEMS_LISTED]:
        messages.warning(request, problem)
    if len(problems) > BULK_PROBLEMS_LISTED:
        more = len(problems) - BULK_PROBLEMS_LISTED
        messages.warning(
            request,
            ngettext("…and %(count)d more.", "…and %(count)d more.", more) % {"count": more},
        )
    messages.success(
        request,
        ngettext("%(count)d registration updated.", "%(count)d registrations updated.", done)
        % {"count": done},
    )
    return redirect("workspace:participants", slug=event.slug)


@login_required
def workshop_list(request, slug: str, item: int):
    event, access = _workspace(request, slug)
    workshop = get_object_or_404(ProgrammeItem, pk=item, event=event)
    choices = (
        workshop.choices.filter(registration__in=selectors.participants(access=access, event=event))
        .select_related("registration__organisation")
        .order_by("status", "registration__last_name", "registration__first_name")
    )
    context = {"event": event, "workshop": workshop, "choices": choices}
    return no_store(render(request, "workspace/workshop.html", context))


@login_required
@require_POST
def export(request, slug: str):
    event, access = _workspace(request, slug)
    columns = exports.available_columns(event, sensitive=access.sees_sensitive_data)
    form = ExportForm(request.POST, columns=columns, presets=event.export_presets.all())
    if not form.is_valid():
        messages.error(request, _("Choose a format for the export."))
        return redirect("workspace:participants", slug=event.slug)
    keys = form.chosen_columns()
    if form.cleaned_data.get("save_as") and access.is_organiser:
        services.export_preset_save(
            event=event, name=form.cleaned_data["save_as"], columns=keys, actor=request.user
        )
    registrations = _current_list(request, event, access)
    chosen = exports.choose_columns(event, keys, sensitive=access.sees_sensitive_data)
    kind = form.cleaned_data["format"]
    total = registrations.count()
    if kind in exports.LIST_FORMATS and total > settings.EXPORT_ASYNC_THRESHOLD:
        job = services.export_job_create(
            event=event,
            actor=request.user,
            format=kind,
            query=_current_query(request, event),
            columns=[c.key for c in chosen],
            total=total,
        )
        return redirect("workspace:export_job", slug=event.slug, job=job.uuid)
    stamp = timezone.localtime(timezone.now(), event.tz).strftime("%Y%m%d-%H%M")
    exported = exports.export_file(
        event=event,
        registrations=registrations,
        columns=chosen,
        format=kind,
        per_session=form.cleaned_data["per_session"],
        stamp=stamp,
    )
    response_class = HttpResponse if isinstance(exported.content, bytes) else StreamingHttpResponse
    response = response_class(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = disposition(exported.filename)
    return no_store(response)


@login_required
def export_job(request, slug: str, job):
    """A large export's progress (GET), and starting it again when it waits too long for
    a worker (POST)."""
    event, _access = _workspace(request, slug)
    job = get_object_or_404(ExportJob, uuid=job, event=event, requested_by=request.user)
    if request.method == "POST":
        exports_jobs.export_job_restart(job=job)
        return redirect("workspace:export_job", slug=event.slug, job=job.uuid)
    context = {
        "event": event,
        "job": job,
        "waits_too_long": exports_jobs.export_job_waits_too_long(job),
    }
    return no_store(render(request, "workspace/export_job.html", context))


@login_required
def export_download(request, slug: str, job):
    event, _access = _workspace(request, slug)
    job = get_object_or_404(
        ExportJob, uuid=job, event=event, requested_by=request.user, state=ExportJob.State.DONE
    )
    # Named like the exports made at once, in the reader's language (the stored file's
    # name is the job's uuid): "orszagos-talalkozo-resztvevok-20270315-0900.csv".
    stamp = timezone.localtime(job.created_at, event.tz).strftime("%Y%m%d-%H%M")
    suffix = job.file.name.rsplit(".", 1)[-1]
    label = pgettext("file name", "participants")
    filename = event_file_name(event, label, stamp, extension=suffix)
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)
    return no_store(response)


@login_required
def checkin(request, slug: str):
    event, access = _workspace(request, slug)
    today = timezone.localtime(timezone.now(), event.tz).date()
    days = exports.event_days(event)
    default_day = today if today in days else days[0]
    form = CheckinSearchForm(request.POST or None, event=event, initial={"day": default_day})
    found = []
    day, session = default_day, None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        session = form.cleaned_data.get("session")
        search = form.cleaned_data.get("search", "")
        if search:
            found = list(
                selectors.participant_list(
                    access=access,
                    event=event,
                    filters=selectors.ParticipantFilter(
                        search=search, statuses=[Registration.Status.CONFIRMED]
                    ),
                ).prefetch_related("attendances")[:20]
            )
    for registration in found:
        registration.present = any(
            a.day == day and a.item_id == session for a in registration.attendances.all()
        )
    context = {"event": event, "form": form, "found": found, "day": day, "session": session}
    return no_store(render(request, "workspace/checkin.html", context))


@login_required
def checkin_person(request, slug: str, registration):
    """What a phone opens when it scans the QR code of a confirmation email."""
    event, access = _workspace(request, slug)
    try:
        registration = selectors.registration_for_checkin(
            access=access, event=event, uuid=registration
        )
    except Registration.DoesNotExist:
        raise Http404(_("This person is not registered for this event.")) from None
    today = timezone.localtime(timezone.now(), event.tz).date()
    days = exports.event_days(event)
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("day", ""))
        except ValueError:
            day = today
        item = event.programme_items.filter(pk=_primary_key(request.POST.get("session"))).first()
        present = request.POST.get("present", "1") == "1"
        try:
            services.attendance_mark(
                registration=registration, day=day, item=item, actor=request.user, present=present
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                (
                    _("%(name)s is checked in.")
                    if present
                    else _("%(name)s is no longer checked in.")
                )
                % {"name": isolated(registration.full_name)},
            )
        if request.POST.get("next") == "search":
            return redirect("workspace:checkin", slug=event.slug)
        return redirect("workspace:checkin_person", slug=event.slug, registration=registration.uuid)
    attendances = registration.attendances.select_related("item")
    context = {
        "event": event,
        "registration": registration,
        "attendances": attendances,
        "days": days,
        "today": today if today in days else days[0],
    }
    return no_store(render(request, "workspace/checkin_person.html", context))


@login_required
def presets(request, slug: str):
    event, access = _workspace(request, slug)
    if request.method == "POST" and access.is_organiser:
        ExportPreset.objects.filter(
            event=event, pk=_primary_key(request.POST.get("delete"))
        ).delete()
    return redirect("workspace:participants", slug=event.slug)
