from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_http_methods, require_POST

from events import calendar
from events import selectors as event_selectors
from events.downloads import file_name
from events.feeds import calendar_response, etag_of
from events.models import Event, NetworkIdentity, Organisation

from . import private_page, ratelimit, selectors, services
from .calendars import personal_entries
from .forms import (
    DelegationFormSet,
    ProfileForm,
    RegistrationForm,
    WorkshopChoiceForm,
    default_person_language,
    details_initial,
)
from .models import Profile, Registration
from .text import isolated


def _event_or_404(request, slug: str, read=event_selectors.event_get) -> Event:
    try:
        return read(user=request.user, slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None


def _initial_from_account(request, event: Event) -> dict:
    initial = {"language": default_person_language(event)}
    user = request.user
    if user.is_authenticated:
        profile = Profile.objects.filter(user=user).first()
        initial |= {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        if profile:
            initial |= {
                "organisation": str(profile.organisation_id or ""),
                "organisation_name": profile.organisation_name,
                "country": profile.country.code if profile.country else "",
                "language": profile.preferred_language,
            }
    return initial


def register(request, slug: str):
    event = _event_or_404(request, slug, read=event_selectors.event_for_registration)
    state = event.registration_state()
    organisations = Organisation.objects.all()
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        organisations=organisations,
        initial=_initial_from_account(request, event),
    )
    status = 200
    if request.method == "POST" and state == "open":
        given = request.POST.get("email", "")
        owner = services.normalise_email(given) in selectors.verified_emails(request.user)
        limited = not ratelimit.allow(request, email=given, verified_owner=owner)
        if limited:
            form.add_error(None, _("Too many registrations from here. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            person = form.person()
            # Only the verified owner of the address is shown the registration at once;
            # anyone else gets the same answer whether the address is new or known, and
            # the private link goes to the address (knowing an address opens nothing).
            try:
                registration, _created = services.registration_create(
                    event=event,
                    person=person,
                    user=request.user if owner else None,
                    questions=form.questions,
                )
            except services.RegistrationError as error:
                form.add_error(None, str(error))
            else:
                if owner:
                    return redirect("registrations:manage", secret=registration.secret)
                return redirect("registrations:check_email", slug=event.slug)
        if status == 200:
            status = 400
    context = {
        "event": event,
        "form": form,
        "state": state,
        "closed_message": services.registration_closed_message(event) if state != "open" else "",
    }
    return render(request, "registrations/register.html", context, status=status)


def check_email(request, slug: str):
    """What every registration made through the public form answers, new or not: the
    private link is in the email sent to the address given."""
    event = _event_or_404(request, slug)
    return render(request, "registrations/check_email.html", {"event": event})


def manage(request, secret: str):
    registration = private_page.registration_or_404(secret)
    event = registration.event
    current = {choice.item_id for choice in registration.workshop_choices.all()}
    initial = {}
    workshop_form = WorkshopChoiceForm(event=event)
    for name in workshop_form.slot_fields:
        for value, _label in workshop_form.fields[name].choices:
            if value and int(value) in current:
                initial[name] = value
            elif not value:  # an optional workshop they did not choose: "not this one"
                initial.setdefault(name, "")
    workshop_form = WorkshopChoiceForm(
        request.POST if request.method == "POST" else None, event=event, initial=initial
    )
    if request.method == "POST" and workshop_form.is_valid():
        try:
            services.registration_update_workshops(
                registration=registration, workshops=workshop_form.workshops()
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your workshop choices have been saved."))
        return redirect("registrations:manage", secret=registration.secret)
    context = {
        "registration": registration,
        "event": event,
        "position": selectors.waitlist_position(registration),
        "workshop_form": workshop_form,
        "choices": registration.workshop_choices.select_related("item__room", "item__event"),
        "feed": services.personal_feed_get_or_create(email=registration.email),
        "can_change": registration.can_change,
        "can_reopen": registration.status == Registration.Status.CANCELLED
        and event.registration_state() == "open",
        "private_page_links": private_page.links_of(registration),
    }
    return render(request, "registrations/manage.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request, secret: str):
    """GET asks for confirmation (a page, so that it works without JavaScript); POST
    cancels."""
    registration = private_page.registration_or_404(secret)
    if request.method == "GET":
        if not registration.can_change:
            return redirect("registrations:manage", secret=registration.secret)
        context = {"registration": registration, "event": registration.event}
        return render(request, "registrations/cancel.html", context)
    try:
        services.registration_cancel(registration=registration)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("registrations:manage", secret=registration.secret)


@require_POST
def reopen(request, secret: str):
    """Register again, from the private link of a cancelled registration."""
    registration = private_page.registration_or_404(secret)
    workshop_form = WorkshopChoiceForm(request.POST, event=registration.event)
    if not workshop_form.is_valid():
        messages.error(request, _("Choose your workshops to register again."))
        return redirect("registrations:manage", secret=registration.secret)
    try:
        services.registration_reopen(registration=registration, workshops=workshop_form.workshops())
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are registered again."))
    return redirect("registrations:manage", secret=registration.secret)


@require_POST
def reset_link(request, secret: str):
    registration = private_page.registration_or_404(secret)
    services.registration_regenerate_secret(registration=registration)
    messages.success(
        request, _("A new private link was made; the old one no longer works. Keep this one.")
    )
    return redirect("registrations:manage", secret=registration.secret)


def confirm_details(request, secret: str):
    registration = private_page.registration_or_404(secret)
    event = registration.event
    initial = details_initial(registration)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        organisations=Organisation.objects.filter(pk=registration.organisation_id),
        initial=initial,
        registration=registration,
    )
    for name in form.slot_fields:
        del form.fields[name]
    form.slot_fields = []
    form.fields["email"].disabled = True
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_confirm_details(registration=registration, person=form.person())
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you, your details are confirmed."))
            return redirect("registrations:manage", secret=registration.secret)
    return render(
        request,
        "registrations/confirm_details.html",
        {"form": form, "event": event, "registration": registration},
    )


@never_cache
@login_required
def my_registrations(request):
    registrations = list(selectors.registrations_of_user(request.user))
    for registration in registrations:
        registration.position = selectors.waitlist_position(registration)
    return render(request, "registrations/my_registrations.html", {"registrations": registrations})


@login_required
def coordinator_home(request):
    organisations = selectors.organisations_coordinated_by(request.user)
    events = event_selectors.event_list(user=request.user)
    return render(
        request,
        "registrations/coordinator_home.html",
        {"organisations": organisations, "events": events},
    )


@never_cache
@login_required
def delegation(request, organisation: str, slug: str):
    organisation = get_object_or_404(
        selectors.organisations_coordinated_by(request.user), slug=organisation
    )
    event = _event_or_404(request, slug)
    formset = DelegationFormSet(
        request.POST if request.method == "POST" else None,
        prefix="delegate",
        form_kwargs={"event": event},
    )
    if request.method == "POST" and formset.is_valid():
        people = [
            services.Person(**form.cleaned_data) for form in formset.forms if form.cleaned_data
        ]
        try:
            results = services.delegation_register(
                coordinator=request.user, event=event, organisation=organisation, people=people
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            created = sum(1 for _registration, was_created in results if was_created)
            messages.success(
                request,
                ngettext(
                    "%(count)d person registered; they receive an email to confirm their details.",
                    "%(count)d people registered; each one receives an email to confirm "
                    "their details.",
                    created,
                )
                % {"count": created},
            )
            return redirect(
                "registrations:delegation", organisation=organisation.slug, slug=event.slug
            )
    registrations = selectors.delegation(user=request.user, event=event, organisation=organisation)
    quota = event.quotas.filter(organisation=organisation).first()
    held = sum(1 for registration in registrations if registration.holds_place)
    return render(
        request,
        "registrations/delegation.html",
        {
            "event": event,
            "organisation": organisation,
            "formset": formset,
            "registrations": registrations,
            "quota": quota,
            "held": held,
        },
    )


@login_required
@require_POST
def decide(request, pk: int, decision: str):
    registration = get_object_or_404(
        Registration.objects.select_related("event", "organisation"), pk=pk
    )
    if not services.can_decide(request.user, registration):
        raise PermissionDenied
    action = {"approve": services.registration_approve, "reject": services.registration_reject}
    if decision not in action:
        raise Http404
    try:
        action[decision](registration=registration, actor=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Saved: %(name)s is now “%(status)s”.")
            % {
                "name": isolated(registration.full_name),
                "status": Registration.objects.get(pk=pk).get_status_display(),
            },
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("registrations:coordinator")


@never_cache
@login_required
def profile(request):
    instance = Profile.objects.filter(user=request.user).first()
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "organisation": instance.organisation if instance else None,
        "organisation_name": instance.organisation_name if instance else "",
        "country": instance.country.code if instance and instance.country else "",
        "preferred_language": instance.preferred_language if instance else get_language(),
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("registrations:profile")
    return render(request, "registrations/profile.html", {"form": form})


def _feed_etag(request, token):
    feed = selectors.personal_feed_by_token(token)
    if feed is None:
        return None
    return etag_of("personal", get_language(), selectors.personal_feed_version(feed))


@condition(etag_func=_feed_etag)
def personal_feed(request, token: str):
    feed = selectors.personal_feed_by_token(token)
    if feed is None:
        raise Http404(_("This calendar address is not valid any more."))
    language = get_language()
    entries = personal_entries(selectors.personal_feed_registrations(feed), language)
    network = event_selectors.network_identity().name or NetworkIdentity.DEFAULT_NAME
    body = calendar.build(entries, name=_("%(network)s: my events") % {"network": network})
    filename = file_name(pgettext("file name", "my-calendar"), extension="ics")
    return calendar_response(body, filename=filename, private=True)


@require_POST
def reset_feed(request, secret: str):
    registration = private_page.registration_or_404(secret)
    services.personal_feed_reset(email=registration.email)
    messages.success(
        request,
        _(
            "Your calendar has a new address; the old one no longer works. "
            "Subscribe again with the new one."
        ),
    )
    return redirect("registrations:manage", secret=registration.secret)


def attendee_list(request, secret: str):
    """Who else is coming (those who agreed to appear: name, organisation, country only),
    for a participant whose place is confirmed."""
    registration = private_page.registration_or_404(secret)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404(_("The attendee list is for confirmed participants."))
    people = selectors.public_attendee_list(event=registration.event)
    response = render(
        request,
        "registrations/attendees.html",
        {"event": registration.event, "people": people, "registration": registration},
    )
    response["Cache-Control"] = "no-store, private"
    return response
