"""Registrations reacting to changes made in the events app (which knows nothing of us)."""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from events import signals as event_signals
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


@receiver(event_signals.event_rescheduled, dispatch_uid="registrations.sequence_on_move")
@receiver(event_signals.event_cancelled, dispatch_uid="registrations.sequence_on_cancel")
def raise_sequence_for_event(sender, event: Event, **kwargs):
    """Everyone's calendar entry for the event changes: their SEQUENCE goes up."""
    Registration.objects.filter(event=event).update(calendar_sequence=F("calendar_sequence") + 1)


@receiver(event_signals.programme_item_changed, dispatch_uid="registrations.sequence_on_item")
def raise_sequence_for_item(sender, item, **kwargs):
    Registration.objects.filter(workshop_choices__item=item).update(
        calendar_sequence=F("calendar_sequence") + 1
    )


@receiver(pre_save, sender=Registration, dispatch_uid="registrations.stamp_listing_consent")
def stamp_listing_consent(sender, instance: Registration, raw=False, update_fields=None, **kwargs):
    """The attendee-list consent is recorded like the privacy one: its time and the
    version of the event's privacy notice it was given under, whichever path saves the
    choice (registration form, confirmation of details); withdrawn, both are cleared."""
    if raw or (update_fields is not None and "listed_publicly" not in update_fields):
        return
    if instance.listed_publicly and instance.listed_publicly_consented_at is None:
        instance.listed_publicly_consented_at = timezone.now()
        instance.listed_publicly_consent_version = instance.event.privacy_notice_version
    elif not instance.listed_publicly:
        instance.listed_publicly_consented_at = None
        instance.listed_publicly_consent_version = ""
