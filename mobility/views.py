"""Mobility pages: the participant's travel details (reached only by their private link)
and the organisers' and coordinators' mobility overview and spreadsheets (the workspace's
permission checks: ``registrations.selectors.workspace_access``)."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from config.privacy import no_store
from events.downloads import disposition, event_file_name, file_name
from events.models import Event
from registrations import selectors as registration_selectors
from registrations.models import Registration
from registrations.private_page import PrivatePageLink
from registrations.text import isolated

from . import documents, exports, selectors, services
from .forms import (
    MobilityDetailsForm,
    MobilitySettingsForm,
    OrganiserDetailsForm,
    details_initial,
)
from .models import MobilityDetails, Project, ProjectActivity, Series, SeriesEdition


def private_page_link(registration: Registration) -> PrivatePageLink | None:
    """The link from a mobility's private registration page to the travel details."""
    if not services.is_mobility(registration.event) or registration.status in (
        Registration.Status.CANCELLED,
        Registration.Status.REJECTED,
    ):
        return None
    missing = (
        not MobilityDetails.objects.filter(registration=registration)
        .exclude(origin_city="")
        .exists()
    )
    return PrivatePageLink(
        url=reverse("mobility:details", kwargs={"secret": registration.secret}),
        label=_("Your travel details") if not missing else _("Enter your travel details"),
        note=_("This training is a mobility: tell the organisers how and when you travel.")
        if missing
        else "",
        to_do=missing,
    )


def certificate_link(registration: Registration) -> PrivatePageLink | None:
    """After the event, the link to the attendance certificate, for those checked in."""
    if not registration.event.is_past or not documents.days_attended(registration):
        return None
    return PrivatePageLink(
        url=reverse("mobility:certificate", kwargs={"secret": registration.secret}),
        label=_("Download your certificate of attendance (PDF)"),
    )


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = disposition(name)
    return no_store(response)


def _language(request, default: str) -> str:
    known = {code for code, _name in django_settings.LANGUAGES}
    chosen = request.GET.get("language", "")
    return chosen if chosen in known else default


# --- the participant ----------------------------------------------------------------


def details(request, secret: str):
    registration = registration_selectors.registration_by_secret(secret)
    if registration is None or not services.is_mobility(registration.event):
        raise Http404(_("This link is not valid any more. Ask the organisers for a new one."))
    event = registration.event
    settings = selectors.settings_of(event)
    current = selectors.details_of(registration)
    can_edit = not settings.locked and registration.status not in (
        Registration.Status.CANCELLED,
        Registration.Status.REJECTED,
    )
    with timezone.override(event.tz):
        form = MobilityDetailsForm(
            request.POST if request.method == "POST" and can_edit else None,
            settings=settings,
            tz=event.tz,
            zone=event.timezone_label,
            initial=details_initial(current),
        )
        if request.method == "POST" and can_edit and form.is_valid():
            try:
                services.mobility_details_save(registration=registration, data=form.details())
            except services.MobilityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your travel details are saved."))
                return redirect("mobility:details", secret=registration.secret)
        context = {
            "registration": registration,
            "event": event,
            "settings": settings,
            "details": current,
            "travel": selectors.travel_of(
                registration=registration, settings=settings, details=current
            ),
            "means_data": selectors.means_data(current),
            "contact_email": "" if can_edit else selectors.contact_email(event),
            "form": form,
            "can_edit": can_edit,
        }
        response = render(request, "mobility/details.html", context)
    return no_store(response)


def certificate(request, secret: str):
    """The participant's attendance certificate, in their language, once the event is
    over, if they were checked in at least once."""
    registration = registration_selectors.registration_by_secret(secret)
    if registration is None:
        raise Http404(_("This link is not valid any more. Ask the organisers for a new one."))
    if not registration.event.is_past or not documents.days_attended(registration):
        raise Http404(
            _("A certificate is issued after the event to those whose attendance was recorded.")
        )
    body = documents.certificates_pdf([registration])
    label = pgettext("file name", "certificate")
    return _pdf(body, event_file_name(registration.event, label, extension="pdf"))


def visa_letter(request, secret: str):
    """A confirmed participant's visa invitation letter, if they asked for one, in the
    language chosen (``?language=``; their own by default)."""
    registration = registration_selectors.registration_by_secret(secret)
    details = selectors.details_of(registration) if registration else None
    if (
        details is None
        or not details.needs_visa_letter
        or registration.status != Registration.Status.CONFIRMED
    ):
        raise Http404(_("An invitation letter is for confirmed participants who asked for one."))
    language = _language(request, registration.language)
    asked = selectors.settings_of(registration.event).asks_date_of_birth
    body = documents.visa_letters_pdf([registration], language=language, with_birth=asked)
    label = pgettext("file name", "invitation-letter")
    return _pdf(body, event_file_name(registration.event, label, language, extension="pdf"))


# --- organisers and coordinators ----------------------------------------------------


def _workspace(request, slug: str):
    event = Event.objects.select_related("venue", "host").filter(slug=slug).first()
    access = (
        registration_selectors.workspace_access(user=request.user, event=event) if event else None
    )
    if access is None or not services.is_mobility(event):
        raise Http404(_("No such event."))
    return event, access


def _organiser_workspace(request, slug: str):
    """The event, for its organisers only (a 404 for coordinators and everyone else)."""
    event, access = _workspace(request, slug)
    if not access.is_organiser:
        raise Http404(_("No such event."))
    return event


@login_required
def overview(request, slug: str):
    event, access = _workspace(request, slug)
    settings = selectors.settings_of(event)
    lines = selectors.mobility_overview(access=access, event=event)
    context = {
        "project_activity": ProjectActivity.objects.filter(event=event)
        .select_related("project")
        .first(),
        "event": event,
        "access": access,
        "settings": settings,
        "lines": lines[:-1],
        "total": lines[-1],
        "sees_fewer": selectors.sees_fewer_opportunities(access=access, settings=settings),
        "sensitive_columns": selectors.report_sensitive_columns(access=access, settings=settings),
    }
    return no_store(render(request, "mobility/overview.html", context))


@login_required
def setup(request, slug: str):
    """The event's mobility settings, among its setup pages (organisers only)."""
    event, access = _workspace(request, slug)
    if not access.is_organiser:
        raise Http404(_("No such event."))
    settings = selectors.settings_of(event)
    activity = ProjectActivity.objects.filter(event=event).first()
    edition = SeriesEdition.objects.filter(event=event).first()
    form = MobilitySettingsForm(
        request.POST if request.method == "POST" else None,
        projects=selectors.linkable_projects(event=event),
        series=selectors.linkable_series(user=request.user, event=event),
        initial={
            "band_table": settings.band_table_id,
            "asks_date_of_birth": settings.asks_date_of_birth,
            "coordinators_see_fewer_opportunities": settings.coordinators_see_fewer_opportunities,
            "locked": settings.locked,
            "project": activity.project_id if activity else None,
            "activity_type": activity.type if activity else "",
            "series": edition.series_id if edition else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = services.mobility_settings_update(event=event, **form.cleaned_data)
        messages.success(request, _("The mobility settings are saved."))
        if saved.erased_dates_of_birth:
            messages.info(
                request,
                ngettext(
                    "The date of birth is no longer asked: the one given is erased.",
                    "The date of birth is no longer asked: the %(count)d given are erased.",
                    saved.erased_dates_of_birth,
                )
                % {"count": saved.erased_dates_of_birth},
            )
        return redirect("mobility:setup", slug=event.slug)
    context = {
        "event": event,
        "access": access,
        "settings": settings,
        "form": form,
        "section": "mobility",
    }
    return no_store(render(request, "workspace/setup/mobility.html", context))


@login_required
def person_details(request, slug: str, registration):
    """An organiser corrects one person's travel details, fewer-opportunities answer and
    role, even after the lock (coordinators: no)."""
    event = _organiser_workspace(request, slug)
    access = registration_selectors.workspace_access(user=request.user, event=event)
    registration = get_object_or_404(
        registration_selectors.participants(access=access, event=event), uuid=registration
    )
    settings = selectors.settings_of(event)
    current = selectors.details_of(registration)
    with timezone.override(event.tz):
        form = OrganiserDetailsForm(
            request.POST if request.method == "POST" else None,
            settings=settings,
            tz=event.tz,
            zone=event.timezone_label,
            initial={**details_initial(current), "role": registration.role},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.mobility_details_correct(
                    registration=registration,
                    data=form.details(),
                    role=form.cleaned_data["role"],
                )
            except services.MobilityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The travel details of %(name)s are saved.")
                    % {"name": isolated(registration.full_name)},
                )
                return redirect("mobility:person", slug=event.slug, registration=registration.uuid)
        context = {
            "event": event,
            "access": access,
            "registration": registration,
            "settings": settings,
            "travel": selectors.travel_of(
                registration=registration, settings=settings, details=current
            ),
            "form": form,
        }
        response = render(request, "mobility/person.html", context)
    return no_store(response)


@login_required
@require_POST
def lock(request, slug: str):
    event = _organiser_workspace(request, slug)
    locked = request.POST.get("locked") == "1"
    services.mobility_lock(event=event, locked=locked)
    messages.success(
        request,
        _("Participants can no longer change their travel details.")
        if locked
        else _("Participants can change their travel details again."),
    )
    return redirect("mobility:overview", slug=event.slug)


def _spreadsheet(body: bytes, event: Event, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exports.SPREADSHEET)
    response["Content-Disposition"] = disposition(event_file_name(event, name, extension="xlsx"))
    return no_store(response)


@login_required
def report_export(request, slug: str):
    event, access = _workspace(request, slug)
    chosen = request.GET.get("sensitive") == "1"
    fewer, birth = selectors.report_sensitive_columns(
        access=access, settings=selectors.settings_of(event)
    )
    fewer, birth = chosen and fewer, chosen and birth
    rows = selectors.mobility_rows(access=access, event=event)
    body = exports.beneficiary_report(event=event, rows=rows, fewer=fewer, birth=birth)
    return _spreadsheet(body, event, pgettext("file name", "mobility-report"))


@login_required
def youthpass_export(request, slug: str):
    event, access = _workspace(request, slug)
    rows = selectors.mobility_rows(access=access, event=event)
    body = exports.youthpass_participants(event=event, rows=rows)
    return _spreadsheet(body, event, "youthpass")


@login_required
def rooming_export(request, slug: str):
    event, access = _workspace(request, slug)
    rows = selectors.mobility_rows(access=access, event=event)
    return _spreadsheet(
        exports.rooming_list(event=event, rows=rows), event, pgettext("file name", "rooming-list")
    )


@login_required
def arrivals_export(request, slug: str):
    event, access = _workspace(request, slug)
    rows = selectors.mobility_rows(access=access, event=event)
    return _spreadsheet(
        exports.arrivals_board(event=event, rows=rows),
        event,
        pgettext("file name", "arrivals-and-departures"),
    )


@login_required
def certificates_export(request, slug: str):
    """Every certificate the user may see (people with recorded attendance), in bulk."""
    event, access = _workspace(request, slug)
    if not event.is_past:
        messages.info(request, _("Certificates of attendance are issued once the event is over."))
        return redirect("mobility:overview", slug=event.slug)
    rows = selectors.mobility_rows(access=access, event=event)
    people = [row.registration for row in rows if documents.days_attended(row.registration)]
    if not people:
        messages.info(request, _("Nobody’s attendance is recorded yet: no certificate to issue."))
        return redirect("mobility:overview", slug=event.slug)
    label = pgettext("file name", "certificates")
    return _pdf(documents.certificates_pdf(people), event_file_name(event, label, extension="pdf"))


@login_required
def visa_letters_export(request, slug: str):
    """The invitation letters of the confirmed participants who asked for one."""
    event, access = _workspace(request, slug)
    rows = selectors.mobility_rows(access=access, event=event)
    people = [
        row.registration
        for row in rows
        if row.details
        and row.details.needs_visa_letter
        and row.registration.status == Registration.Status.CONFIRMED
    ]
    if not people:
        messages.info(request, _("Nobody asked for an invitation letter."))
        return redirect("mobility:overview", slug=event.slug)
    language = _language(request, event.default_language)
    body = documents.visa_letters_pdf(
        people,
        language=language,
        with_birth=selectors.report_sensitive_columns(
            access=access, settings=selectors.settings_of(event)
        )[1],
    )
    label = pgettext("file name", "invitation-letters")
    return _pdf(body, event_file_name(event, label, language, extension="pdf"))


# --- projects and series ------------------------------------------------------------


def project_page(request, slug: str):
    """A project's public page: its partners and the calendar of its activities."""
    project = get_object_or_404(
        Project.objects.select_related("coordinating_organisation"), slug=slug
    )
    context = {
        "project": project,
        "partners": project.partners.order_by("country", "name"),
        "activities": selectors.project_public_activities(project),
    }
    return render(request, "mobility/project.html", context)


def series_page(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    context = {"series": series, "editions": selectors.series_editions(series)}
    return render(request, "mobility/series.html", context)


def _project_workspace(request, slug: str):
    project = Project.objects.filter(slug=slug).first()
    visible = selectors.project_access(user=request.user, project=project) if project else []
    if not visible:
        raise Http404(_("No such project."))
    return project, visible


@login_required
def project_overview(request, slug: str):
    project, visible = _project_workspace(request, slug)
    overview = selectors.project_overview(visible=visible)
    context = {
        "project": project,
        "sees_fewer": selectors.project_sees_fewer_opportunities(visible=visible),
        **overview,
    }
    return no_store(render(request, "mobility/project_overview.html", context))


@login_required
def project_report_export(request, slug: str):
    """The beneficiary report's mobility activities for every activity the user sees."""
    project, visible = _project_workspace(request, slug)
    rows = selectors.project_overview(visible=visible)["rows"]
    fewer = request.GET.get("sensitive") == "1" and selectors.project_sees_fewer_opportunities(
        visible=visible
    )
    body = exports.project_report(project=project, rows=rows, fewer=fewer)
    response = HttpResponse(body, content_type=exports.SPREADSHEET)
    name = file_name(project.name, pgettext("file name", "mobility-report"), extension="xlsx")
    response["Content-Disposition"] = disposition(name)
    return no_store(response)
