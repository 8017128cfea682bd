"""Mobility answering the signals of events and registrations (they know nothing of us)."""

from django.dispatch import receiver
from django.template.loader import render_to_string

from events import signals as event_signals
from events.models import Event
from events.selectors import EventPageAddition
from registrations import signals as registration_signals
from registrations.models import Registration

from . import personal_data, selectors, services
from .forms import MobilityFormExtension
from .views import certificate_link, private_page_link


# The registration form of a mobility asks the travel details (and the form a delegate
# confirms their details with, until the organisers lock them).
@receiver(registration_signals.registration_form_extensions, dispatch_uid="mobility.form_extension")
def registration_form_travel(sender, event, registration=None, **kwargs):
    if not services.is_mobility(event):
        return None
    settings = selectors.settings_of(event)
    if registration is not None and (
        settings.locked
        or registration.status in (Registration.Status.CANCELLED, Registration.Status.REJECTED)
    ):
        return None  # shown, not editable, on the travel details page
    details = selectors.details_of(registration) if registration is not None else None
    return MobilityFormExtension(event=event, settings=settings, details=details)


# Travel details are personal data: exported, erased and anonymised with the rest.
@receiver(registration_signals.personal_data_export, dispatch_uid="mobility.data_export")
def on_personal_data_export(sender, subject, **kwargs):
    return personal_data.export(subject)


@receiver(registration_signals.personal_data_erase, dispatch_uid="mobility.data_erase")
def on_personal_data_erase(sender, subject, now, **kwargs):
    personal_data.erase(subject, now)


@receiver(registration_signals.personal_data_retention, dispatch_uid="mobility.retention")
def on_personal_data_retention(sender, now, **kwargs):
    return "mobility", personal_data.anonymise_past(now)


# The private page links to the travel details (mobility events) and, after the event, to
# the attendance certificate of those who were checked in.
@receiver(registration_signals.private_page_links, dispatch_uid="mobility.travel_link")
def travel_details_link(sender, registration, **kwargs):
    return private_page_link(registration)


@receiver(registration_signals.private_page_links, dispatch_uid="mobility.certificate_link")
def attendance_certificate_link(sender, registration, **kwargs):
    return certificate_link(registration)


# The public event page links to the event's project and series (their public pages).
@receiver(event_signals.event_page_additions, dispatch_uid="mobility.page_additions")
def page_additions(sender, event, **kwargs):
    activity, edition = selectors.event_project_and_series(event=event)
    if activity is None and edition is None:
        return None
    return EventPageAddition(
        section=render_to_string(
            "mobility/_event_project_series.html", {"activity": activity, "edition": edition}
        )
    )


# A copy of an event (the setup pages) stays in its project, as the same kind of activity,
# and in its series, with the same mobility settings (travel details unlocked).
@receiver(event_signals.event_copied, dispatch_uid="mobility.copy_configuration")
def copy_configuration(sender, source: Event, copy: Event, **kwargs):
    services.copy_configuration(source=source, copy=copy)
