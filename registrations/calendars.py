"""Calendar entries for a person's registrations (personal feed and emailed invites).

Built with ``events.calendar``, the one calendar builder.

- The registration's own entry (UID from the registration's UUID) stands for the event in
  that person's calendar; its SEQUENCE is ``Registration.calendar_sequence``, raised on
  every change of time, place, workshops or status. Invites use it alone (one VEVENT is
  what every mail client shows), with the chosen workshops in its description.
- In the personal feed, each chosen workshop is an entry of its own (UID from the
  registration's and the workshop's UUIDs, SEQUENCE the workshop's).
"""

import uuid

from django.utils import translation
from django.utils.formats import time_format

from events.calendar import Attendee, Entry, event_entry, item_entry, uid
from events.formats import date_format

from .models import Registration, WorkshopChoice
from .selectors import registration_workshops

VISIBLE = (
    Registration.Status.CONFIRMED,
    Registration.Status.PENDING,
    Registration.Status.WAITLISTED,
)


def registration_uid(registration: Registration) -> str:
    return uid("registration", registration.uuid)


def choice_uid(registration: Registration, item) -> str:
    return uid("choice", uuid.uuid5(registration.uuid, str(item.uuid)))


def _status(registration: Registration) -> str:
    if registration.event.status == "cancelled" or registration.status not in VISIBLE:
        return "CANCELLED"
    if registration.status == Registration.Status.CONFIRMED:
        return "CONFIRMED"
    return "TENTATIVE"


def registration_entry(
    registration: Registration, language: str, *, workshops: list[WorkshopChoice] | None = None
) -> Entry:
    """The registration's own entry. ``workshops``: its workshop choices with their items
    and rooms when the caller has them already (the email rendering and the personal feed
    do); else they are read here, in one query."""
    with translation.override(language):
        # The event's kind (CATEGORIES) and country (LOCATION) in the recipient's language.
        entry = event_entry(registration.event, language)
    entry.uid = registration_uid(registration)
    entry.sequence = registration.calendar_sequence
    entry.status = _status(registration)
    entry.last_modified = max(registration.updated_at, registration.event.updated_at)
    choices = registration_workshops(registration) if workshops is None else workshops
    if choices:
        with translation.override(language):
            lines = [translation.gettext("Your workshops:")]
            for choice in sorted(choices, key=lambda c: c.item.starts_at):
                item = choice.item
                start = date_format(
                    registration.event.local(item.starts_at), "SHORT_DATETIME_FORMAT"
                )
                end = time_format(registration.event.local(item.ends_at), "TIME_FORMAT")
                room = f" ({item.room.name})" if item.room_id else ""
                if item.cancelled:
                    waiting = " " + translation.gettext("[cancelled]")
                elif choice.status == WorkshopChoice.Status.WAITLISTED:
                    waiting = " " + translation.gettext("[waiting list]")
                else:
                    waiting = ""
                lines.append(
                    f"- {start}–{end} {item.i18n.in_language('title', language)}{room}{waiting}"
                )
        entry.description = "\n".join([entry.description, "", *lines]).strip()
    entry.attendees = [
        Attendee(
            email=registration.email,
            name=registration.name_in(language),
            partstat={"CONFIRMED": "ACCEPTED", "CANCELLED": "DECLINED"}.get(
                entry.status, "TENTATIVE"
            ),
        )
    ]
    return entry


def personal_entries(registrations, language: str) -> list[Entry]:
    """The personal feed: each visible registration, and each workshop it chose."""
    entries = []
    for registration in registrations:
        if registration.status not in VISIBLE or registration.event.status == "draft":
            continue
        choices = list(registration.workshop_choices.all())  # prefetched by the selector
        entry = registration_entry(registration, language, workshops=choices)
        entry.attendees = []  # a feed is not an invitation
        entries.append(entry)
        for choice in choices:
            tentative = (
                choice.status == WorkshopChoice.Status.WAITLISTED or entry.status == "TENTATIVE"
            )
            entries.append(
                item_entry(
                    choice.item,
                    language,
                    uid_value=choice_uid(registration, choice.item),
                    status="CANCELLED"
                    if entry.status == "CANCELLED" or choice.item.cancelled
                    else ("TENTATIVE" if tentative else "CONFIRMED"),
                )
            )
    return entries
