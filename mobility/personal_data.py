"""Travel details as personal data (see ``registrations.personal_data``): in the person's
copy, erased on request, and removed when the event's retention period ends.

Decision on erasure (GDPR art. 17), documented on the privacy page and in the README:

- Travel details of someone who did not attend (no check-in recorded: the event has not
  taken place yet, or they did not come) are deleted with the rest.
- Someone who attended a mobility is part of the Erasmus+ grant the beneficiary claims:
  the grant agreement obliges the beneficiary to keep the evidence of each funded
  participant's mobility (where they travelled from, when, how, as an accompanying person
  or a participant with fewer opportunities) until the end of the programme's retention
  period. Those fields are kept under art. 17(3)(b) (a legal obligation) and (e) (the
  defence of the grant claim), on the anonymised registration; everything else goes
  (date of birth, visa letter, accommodation nights, room-sharing wishes).
  ``evidence_only_since`` records when.
- Retention: when the event's retention period ends (``PERSONAL_DATA_RETENTION_DAYS`` for
  its kind; for trainings five years after the event, the programme's period), the travel
  details are deleted entirely, grant evidence included.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from events.models import Event
from registrations.models import Attendance
from registrations.personal_data import DataSubject, retention_days

from .models import MobilityDetails

#: What is not grant evidence: cleared on erasure after attending.
NOT_EVIDENCE = {
    "date_of_birth": None,
    "needs_visa_letter": False,
    "accommodation_nights": None,
    "room_sharing": "",
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
                "kept_as_grant_evidence_since": _moment(row.evidence_only_since),
            }
            for row in rows.select_related("registration")
        ]
    }


def erase(subject: DataSubject, now: datetime) -> None:
    """Inside the caller's transaction (``registrations.personal_data.person_erase``)."""
    rows = MobilityDetails.objects.filter(registration_id__in=subject.registration_ids)
    attended = Exists(Attendance.objects.filter(registration_id=OuterRef("registration_id")))
    rows = rows.annotate(attended=attended)
    rows.filter(attended=False).delete()
    rows.filter(attended=True, evidence_only_since__isnull=True).update(
        **NOT_EVIDENCE, evidence_only_since=now
    )
    rows.filter(attended=True).update(**NOT_EVIDENCE)


def anonymise_past(now: datetime) -> int:
    """Delete the travel details of the events whose retention period has ended."""
    removed = 0
    with transaction.atomic():
        for kind, _label in Event.Kind.choices:
            ended_before = now - timedelta(days=retention_days(kind))
            count, _per_model = MobilityDetails.objects.filter(
                registration__event__kind=kind, registration__event__ends_at__lt=ended_before
            ).delete()
            removed += count
    return removed
