"""Notifications' part of the events app's setup pages.

- A copied event gets the source's reminder schedule and email settings.
- Announced programme changes: one email per person concerned for the whole batch, in
  their own language (``Kind.PROGRAMME_CHANGED``), listing the changes that concern them.
"""

from django.dispatch import receiver

from events import signals as event_signals
from events.models import Event
from registrations.event_setup import registrations_concerned

from . import services
from .models import Kind, NotificationSettings, ReminderSchedule


@receiver(event_signals.event_copied, dispatch_uid="notifications.copy_configuration")
def copy_configuration(sender, source: Event, copy: Event, **kwargs):
    ReminderSchedule.objects.bulk_create(
        [
            ReminderSchedule(event=copy, days_before=row.days_before, local_time=row.local_time)
            for row in source.reminder_schedule.all()
        ]
    )
    settings = NotificationSettings.objects.filter(event=source).first()
    if settings is not None:  # every setting, the organisers' paragraphs in each language too
        NotificationSettings.objects.create(
            **{
                field.attname: getattr(settings, field.attname)
                for field in NotificationSettings._meta.concrete_fields
                if not field.primary_key and field.name != "event"
            },
            event=copy,
        )


@receiver(event_signals.programme_changes_announced, dispatch_uid="notifications.changes")
def write_announcements(sender, event: Event, changes, **kwargs) -> int:
    concerned = registrations_concerned(event=event, changes=changes)
    messages = [
        services.message_for_registration(
            registration=registration,
            kind=Kind.PROGRAMME_CHANGED,
            context={"changes": [change.pk for change in its_changes]},
            save=False,
        )
        for registration, its_changes in concerned.items()
    ]
    services.messages_save(messages)
    return len(messages)
