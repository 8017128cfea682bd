"""Travel details as personal data (see ``registrations.personal_data``): in the person's
copy, erased with their registrations, and thinned when a registration is anonymised past
its retention period. What a grant report counts stays (city of origin, dates, means,
accompanying person); what names or singles out the person goes (date of birth,
fewer opportunities, room-sharing wishes, visa letter)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from registrations.personal_data import DataSubject

from .models import MobilityDetails

SENSITIVE_CLEARED = {
    "date_of_birth": None,
    "fewer_opportunities": False,
    "room_sharing": "",
    "needs_visa_letter": False,
}


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(subject: DataSubject) -> dict:
    rows = MobilityDetails.objects.filter(registration_id__in=subject.registration_ids)
    return {
        "mobility": [
            {
                "registration": str(row.registration.uuid),
                "city_of_origin": row.origin_city,
                "country_of_origin": row.origin_country.code,
                "arrival": _moment(row.arrival_at),
                "departure": _moment(row.departure_at),
                "means_of_transport": row.means,
                "needs_visa_letter": row.needs_visa_letter,
                "accommodation_nights": row.accommodation_nights,
                "room_sharing": row.room_sharing,
                "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else None,
                "accompanying_person": row.accompanying_person,
                "fewer_opportunities": row.fewer_opportunities,
            }
            for row in rows.select_related("registration")
        ]
    }


def erase(subject: DataSubject, now: datetime) -> None:
    MobilityDetails.objects.filter(registration_id__in=subject.registration_ids).update(
        **SENSITIVE_CLEARED
    )


def anonymise_past(now: datetime) -> int:
    with transaction.atomic():
        return (
            MobilityDetails.objects.filter(registration__anonymised_at__isnull=False)
            .filter(
                Q(date_of_birth__isnull=False)
                | Q(fewer_opportunities=True)
                | ~Q(room_sharing="")
                | Q(needs_visa_letter=True)
            )
            .update(**SENSITIVE_CLEARED)
        )
