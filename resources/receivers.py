"""What the resources app adds to the public event page (events/signals.py): its part of
the published resources, per session and for the whole event.
And a deleted resource's files leave the storage once the deletion is committed (however
it was deleted: by itself, with its programme item or with its event)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.loader import render_to_string

from events import signals as event_signals
from events.selectors import EventPageAddition
from registrations import signals as registration_signals

from . import personal_data, selectors
from .models import Resource


@receiver(event_signals.event_page_additions, dispatch_uid="resources.page_additions")
def page_additions(sender, event, **kwargs):
    resources = list(selectors.resources_public(event=event))
    if not resources:
        return None
    by_item: dict[int, list] = {}
    whole_event = []
    for resource in resources:
        resource.event = event
        if resource.item_id:
            by_item.setdefault(resource.item_id, []).append(resource)
        else:
            whole_event.append(resource)
    return EventPageAddition(
        section=render_to_string(
            "resources/_event_resources.html", {"resources": whole_event, "event": event}
        )
        if whole_event
        else "",
        item_parts={
            item_id: render_to_string(
                "resources/_item_resources.html", {"resources": listed, "event": event}
            )
            for item_id, listed in by_item.items()
        },
    )


@receiver(post_delete, sender=Resource, dispatch_uid="resources.delete_files")
def delete_files(sender, instance, **kwargs):
    names = [field.name for field in (instance.file, instance.thumbnail) if field]
    if names:
        storage = instance.file.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)


@receiver(registration_signals.personal_data_retention, dispatch_uid="resources.retention")
def on_personal_data_retention(sender, now, **kwargs):
    return "resources", personal_data.anonymise_past(now)
