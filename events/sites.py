"""Keep the sites framework's record (used by allauth's emails) in step with SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings


def sync_site(using: str = "default", **kwargs) -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Rencontres"}
    )
