"""Notifications listening to what registrations and events announce.

Each receiver runs inside the transaction of the change and writes outbox rows there.
"""

from django.dispatch import receiver

from events import signals as event_signals
from registrations import signals as registration_signals

from . import personal_data, services
from .models import Kind


def _email_registration(registration, kind, **context):
    # Someone registered by their coordinator gets only the email inviting them to confirm
    # their details, until they have given their own consent (then on_details_confirmed).
    if registration.details_confirmed or kind == Kind.DELEGATE_INVITED:
        services.message_for_registration(registration=registration, kind=kind, context=context)


@receiver(registration_signals.registration_confirmed, dispatch_uid="n.confirmed")
def on_confirmed(sender, registration, new=False, **kwargs):
    # The confirmation and the reminders in one INSERT: this runs under the event's lock.
    if not registration.details_confirmed:
        return  # registered by a coordinator: nothing until their consent (see _email_registration)
    messages = services.reminders_planned(registration=registration, new=new)
    if registration.registered_by_id is None:
        confirmation = services.message_for_registration(
            registration=registration, kind=Kind.CONFIRMED, save=False
        )
        messages.insert(0, confirmation)
    services.messages_save(messages)


def _email_on(signal, kind: str) -> None:
    """Answer ``signal`` with the registration's email of ``kind``."""

    def receive(sender, registration, **kwargs):
        _email_registration(registration, kind)

    signal.connect(receive, weak=False, dispatch_uid=f"notifications.email.{kind}")


_email_on(registration_signals.registration_received, Kind.RECEIVED)
_email_on(registration_signals.registration_waitlisted, Kind.WAITLISTED)
_email_on(registration_signals.delegate_invited, Kind.DELEGATE_INVITED)
_email_on(registration_signals.registration_link_requested, Kind.PRIVATE_LINK)


@receiver(registration_signals.registration_approved, dispatch_uid="n.approved")
def on_approved(sender, registration, **kwargs):
    _email_registration(registration, Kind.APPROVED)
    if registration.details_confirmed:
        services.reminders_schedule(registration=registration)


@receiver(registration_signals.registration_rejected, dispatch_uid="n.rejected")
def on_rejected(sender, registration, **kwargs):
    services.pending_cancel(registration=registration)
    _email_registration(registration, Kind.REJECTED)


@receiver(registration_signals.registration_promoted, dispatch_uid="n.promoted")
def on_promoted(sender, registration, **kwargs):
    _email_registration(registration, Kind.PROMOTED)
    if registration.status == "confirmed" and registration.details_confirmed:
        services.reminders_schedule(registration=registration)


@receiver(registration_signals.registration_cancelled, dispatch_uid="n.cancelled")
def on_cancelled(sender, registration, by_organiser=False, **kwargs):
    services.pending_cancel(registration=registration)
    _email_registration(
        registration, Kind.CANCELLED_BY_ORGANISER if by_organiser else Kind.CANCELLED
    )


@receiver(registration_signals.registration_details_confirmed, dispatch_uid="n.details")
def on_details_confirmed(sender, registration, **kwargs):
    """A delegate gave their own consent: the email their registration's state calls for,
    and their reminders (those cancelled while they were held back are queued again)."""
    kind = {
        "confirmed": Kind.CONFIRMED,
        "pending": Kind.RECEIVED,
        "waitlisted": Kind.WAITLISTED,
    }.get(registration.status)
    if kind is not None:
        _email_registration(registration, kind)
    if registration.status == "confirmed":
        services.reminders_schedule(registration=registration)


@receiver(registration_signals.registration_changed, dispatch_uid="n.changed")
def on_changed(sender, registration, **kwargs):
    _email_registration(registration, Kind.WORKSHOPS_CHANGED)


@receiver(event_signals.event_rescheduled, dispatch_uid="n.rescheduled")
def on_event_rescheduled(sender, event, changed, **kwargs):
    services.notify_event_change(event=event, kind=Kind.EVENT_CHANGED, changed=changed)
    services.reminders_reschedule(event=event)


@receiver(event_signals.event_cancelled, dispatch_uid="n.event_cancelled")
def on_event_cancelled(sender, event, **kwargs):
    services.notify_event_change(event=event, kind=Kind.EVENT_CANCELLED)


@receiver(event_signals.programme_item_changed, dispatch_uid="n.item_changed")
def on_item_changed(sender, item, changed, **kwargs):
    services.notify_item_change(item=item, changed=changed)


# --- a person's data (registrations.personal_data) ---------------------------------------


@receiver(registration_signals.personal_data_export, dispatch_uid="n.personal_data_export")
def on_personal_data_export(sender, subject, **kwargs):
    return personal_data.export(subject)


@receiver(registration_signals.personal_data_erase, dispatch_uid="n.personal_data_erase")
def on_personal_data_erase(sender, subject, now, **kwargs):
    personal_data.erase(subject, now)


@receiver(registration_signals.personal_data_retention, dispatch_uid="n.personal_data_retention")
def on_personal_data_retention(sender, now, **kwargs):
    return "notifications", personal_data.anonymise_past(now)
