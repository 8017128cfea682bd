from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from registrations import personal_data

        from . import personal_data as outbox_personal_data
        from . import receivers  # noqa: F401 (connects the receivers)

        # The outbox holds personal data too: exported, erased and anonymised with the rest.
        personal_data.owner_register(
            personal_data.Owner(
                name="notifications",
                export=outbox_personal_data.export,
                erase=outbox_personal_data.erase,
                anonymise_past=outbox_personal_data.anonymise_past,
            )
        )
