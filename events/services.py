"""Writes on events and programme items that others must hear about.

Moving an event or a workshop in time or place raises its calendar ``SEQUENCE`` and
announces the change (notifications then tells the people concerned).
"""

from django.db import transaction
from django.db.models import F

from . import signals
from .models import Event, ProgrammeItem

EVENT_TIME_AND_PLACE = ("starts_at", "ends_at", "venue", "timezone", "online_url")
ITEM_TIME_AND_PLACE = ("starts_at", "ends_at", "room", "location")


def event_save(*, event: Event, changed: list[str] | tuple[str, ...], actor=None) -> Event:
    """Save an edited event (the admin's form) and announce what changed."""
    with transaction.atomic():
        previous = Event.objects.select_for_update().filter(pk=event.pk).first()
        moved = [name for name in EVENT_TIME_AND_PLACE if name in changed]
        if previous is not None and moved:
            event.sequence = previous.sequence + 1
        event.save()
        if previous is None:
            return event
        if moved:
            signals.event_rescheduled.send(sender=Event, event=event, changed=moved, actor=actor)
        if "status" in changed and event.status == Event.Status.CANCELLED:
            Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
            event.refresh_from_db(fields=["sequence"])
            signals.event_cancelled.send(sender=Event, event=event, actor=actor)
        return event


def event_reschedule(
    *, event: Event, starts_at, ends_at, shift_programme: bool = True, actor=None
) -> Event:
    """Move an event (and, by default, its whole programme by the same amount)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        delta = starts_at - event.starts_at
        event.starts_at, event.ends_at = starts_at, ends_at
        event_save(event=event, changed=["starts_at", "ends_at"], actor=actor)
        if shift_programme and delta:
            # The event row first, then its items: the database checks each item against
            # the event's new dates.
            for item in event.programme_items.all():
                item.starts_at += delta
                item.ends_at += delta
                programme_item_save(
                    item=item, changed=["starts_at", "ends_at"], actor=actor, announce=False
                )
        return event


def programme_item_save(
    *, item: ProgrammeItem, changed, actor=None, announce: bool = True
) -> ProgrammeItem:
    with transaction.atomic():
        moved = [name for name in ITEM_TIME_AND_PLACE if name in changed]
        if item.pk and moved:
            item.sequence = (
                ProgrammeItem.objects.filter(pk=item.pk).values_list("sequence", flat=True).get()
                + 1
            )
        is_new = item.pk is None
        item.save()
        if moved and not is_new and announce:
            signals.programme_item_changed.send(
                sender=ProgrammeItem, item=item, changed=moved, actor=actor
            )
        return item
