"""Reads of the notifications app's configuration."""

from datetime import time

from events.models import Event

from .models import NotificationSettings, ReminderSchedule

DEFAULT_REMINDER_TIME = time(9, 0)
DEFAULT_REMINDER_DAYS = (7, 1)


def event_schedule(
    event: Event, *, digest: bool = True
) -> tuple[list[tuple[int, time]], time | None]:
    """An event's reminder offsets, ``[(days before the start, local time), ...]`` latest
    first (7 and 1 days before at 09:00 when organisers set none), and the time of its
    morning digest, or None (always None unless ``digest``)."""
    offsets = list(
        ReminderSchedule.objects.filter(event=event)
        .order_by("-days_before")
        .values_list("days_before", "local_time")
    )
    digest_time = None
    if digest:
        digest_time = (
            NotificationSettings.objects.filter(event=event, daily_digest=True)
            .values_list("digest_time", flat=True)
            .first()
        )
    default = [(days, DEFAULT_REMINDER_TIME) for days in DEFAULT_REMINDER_DAYS]
    return offsets or default, digest_time
