"""The events app reacting to changes of its own rows that others keep copies of."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import ProgrammeItem, Room
from .services import event_configuration_changed


@receiver(post_save, sender=ProgrammeItem, dispatch_uid="events.configuration_item_saved")
@receiver(post_delete, sender=ProgrammeItem, dispatch_uid="events.configuration_item_deleted")
def item_changes_configuration(sender, instance: ProgrammeItem, raw=False, **kwargs):
    """Workshops are offered on the registration form: a changed item changes it."""
    if not raw:
        event_configuration_changed(events=[instance.event_id])


@receiver(post_save, sender=Room, dispatch_uid="events.configuration_room_saved")
@receiver(pre_delete, sender=Room, dispatch_uid="events.configuration_room_deleted")
def room_changes_configuration(sender, instance: Room, created=False, raw=False, **kwargs):
    """A workshop is offered with its room's name (before a deletion: the items still
    point at the room)."""
    if not (raw or created):
        event_configuration_changed(events=Q(programme_items__room=instance))
