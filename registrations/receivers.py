"""Registrations reacting to changes made in the events app (which knows nothing of us)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Event

from .models import Quota, Registration
from .services import waitlist_promote


@receiver(post_save, sender=Event, dispatch_uid="registrations.promote_on_event_change")
def promote_when_event_changes(sender, instance: Event, created: bool, raw=False, **kwargs):
    """Capacity raised: the waiting list moves up, in the same transaction."""
    if created or raw:
        return
    if Registration.objects.filter(event=instance, status=Registration.Status.WAITLISTED).exists():
        with transaction.atomic():
            waitlist_promote(event=instance)


@receiver(post_save, sender=Quota, dispatch_uid="registrations.promote_on_quota_change")
def promote_when_quota_changes(sender, instance: Quota, raw=False, **kwargs):
    """A quota lowered or released earlier: reserved places may be free for the list."""
    if raw:
        return
    if Registration.objects.filter(
        event_id=instance.event_id, status=Registration.Status.WAITLISTED
    ).exists():
        waitlist_promote(event=instance.event)
