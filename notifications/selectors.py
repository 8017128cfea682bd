"""Reads of the notifications app's configuration."""

from datetime import time

from django.db.models import TimeField

from events.models import Event
from events.selectors import event_has_rows, event_rows

from .models import NotificationSettings, ReminderSchedule

DEFAULT_REMINDER_TIME = time(9, 0)
DEFAULT_REMINDER_DAYS = (7, 1)


def schedule_annotations() -> dict:
    """What ``event_schedule`` reads, as annotations of an event's own query (the
    registration path loads them with the event: ``EVENT_FOR_REGISTRATION_ANNOTATIONS``)."""
    return {
        "has_reminder_schedule": event_has_rows(ReminderSchedule),
        "daily_digest_time": event_rows(
            NotificationSettings, "digest_time", output_field=TimeField, daily_digest=True
        ),
    }


def event_schedule(
    event: Event, *, digest: bool = True
) -> tuple[list[tuple[int, time]], time | None]:
    """An event's reminder offsets, ``[(days before the start, local time), ...]`` latest
    first (the default when organisers set none), and the time of its morning digest, or
    None (always None unless ``digest``). Taken from ``schedule_annotations`` when the
    event was loaded with them, else read (one small query each)."""
    if getattr(event, "has_reminder_schedule", True):
        offsets = list(
            ReminderSchedule.objects.filter(event=event)
            .order_by("-days_before")
            .values_list("days_before", "local_time")
        )
    else:
        offsets = []
    if not digest:
        digest_time = None
    elif hasattr(event, "daily_digest_time"):
        digest_time = event.daily_digest_time
    else:
        digest_time = (
            NotificationSettings.objects.filter(event=event, daily_digest=True)
            .values_list("digest_time", flat=True)
            .first()
        )
    return offsets or [(days, DEFAULT_REMINDER_TIME) for days in DEFAULT_REMINDER_DAYS], digest_time
