"""Thin Celery tasks of the events app. Safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="events.programme_changes_announce_quiet", ignore_result=True)
def programme_changes_announce_quiet() -> int:
    """Announce the programme changes of events whose programme has been quiet for a
    while (``PROGRAMME_CHANGES_QUIET_MINUTES``): the organisers forgot the button."""
    return services.programme_changes_announce_quiet()
