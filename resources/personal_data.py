"""Speakers' names and email addresses on their upload links are personal data: kept while
the link can be used, anonymised ``RETENTION_DAYS_FILES`` days after it expired or was
revoked (by the periodic retention task, ``registrations.signals.personal_data_retention``).
The resources they sent stay (they are published under their own titles)."""

from datetime import datetime, timedelta

from django.db.models import Q

from notifications.personal_data import ANONYMISED_RECIPIENT
from registrations.personal_data import files_retention_days

from .models import UploadLink


def anonymise_past(now: datetime) -> int:
    cutoff = now - timedelta(days=files_retention_days())
    return (
        UploadLink.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))
        .exclude(email=ANONYMISED_RECIPIENT)
        .update(name="", email=ANONYMISED_RECIPIENT)
    )
