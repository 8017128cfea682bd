from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from registrations.selectors import EVENT_FOR_REGISTRATION_ANNOTATIONS

        from . import event_setup, receivers  # noqa: F401 (connects the receivers)
        from .selectors import schedule_annotations

        # Registering someone plans their reminders: the schedule comes with the event.
        EVENT_FOR_REGISTRATION_ANNOTATIONS.append(schedule_annotations)
