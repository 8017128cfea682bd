from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "mobility"
    verbose_name = _("Mobility")

    def ready(self):
        from registrations import personal_data, private_page

        from . import personal_data as mobility_personal_data
        from .views import certificate_link, private_page_link

        # Travel details are personal data: exported, erased and anonymised with the rest.
        personal_data.owner_register(
            personal_data.Owner(
                name="mobility",
                export=mobility_personal_data.export,
                erase=mobility_personal_data.erase,
                anonymise_past=mobility_personal_data.anonymise_past,
            )
        )
        # The participant's private page links to their travel details (mobility events).
        private_page.PRIVATE_PAGE_LINKS.append(private_page_link)
        # After the event, those who were checked in download their certificate there.
        private_page.PRIVATE_PAGE_LINKS.append(certificate_link)
