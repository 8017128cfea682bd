"""Reads of the notifications app's configuration."""

from datetime import time

from events.models import Event

DEFAULT_REMINDER_TIME = time(9, 0)
DEFAULT_REMINDER_DAYS = (7, 1)


def event_schedule(
    event: Event, *, digest: bool = True
) -> tuple[list[tuple[int, time]], time | None]:
    """An event's reminder offsets, ``[(days before the start, local time), ...]`` latest
    first (7 and 1 days before at 09:00 when organisers set none), and the time of its
    morning digest, or None (always None unless ``digest``). One query: the event's row
    joined to its reminder schedule (a row per offset) and its settings."""
    rows = (
        Event.objects.filter(pk=event.pk)
        .order_by("-reminder_schedule__days_before")
        .values_list(
            "reminder_schedule__days_before",
            "reminder_schedule__local_time",
            "notification_settings__daily_digest",
            "notification_settings__digest_time",
        )
    )
    offsets, digest_time = [], None
    for days_before, local_time, daily_digest, at in rows:
        if days_before is not None:
            offsets.append((days_before, local_time))
        if digest and daily_digest:
            digest_time = at
    default = [(days, DEFAULT_REMINDER_TIME) for days in DEFAULT_REMINDER_DAYS]
    return offsets or default, digest_time
