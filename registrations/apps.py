from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import event_setup, ratelimit, receivers  # noqa: F401 (connects the receivers)

        try:
            ratelimit.parse(settings.REGISTRATION_RATE_LIMIT)
        except ValueError as error:
            raise ImproperlyConfigured(f"REGISTRATION_RATE_LIMIT: {error}") from error
