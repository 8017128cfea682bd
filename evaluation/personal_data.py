"""Survey answers as personal data (see ``registrations.personal_data``). Anonymous
answers name nobody; signed ones are in the person's copy, and lose their signature when
the person's data is erased or their registration anonymised past its period. That a
registration answered (``Receipt``) is in the copy too."""

from datetime import datetime

from django.db import transaction

from registrations.personal_data import DataSubject

from .models import Answer, Receipt, Response


def export(subject: DataSubject) -> dict:
    receipts = Receipt.objects.filter(registration_id__in=subject.registration_ids)
    signed = Answer.objects.filter(
        response__registration_id__in=subject.registration_ids
    ).select_related("question", "item", "response__registration")
    return {
        "feedback_surveys_answered": [
            {"registration": str(row.registration.uuid), "answered_on": row.answered_on.isoformat()}
            for row in receipts.select_related("registration")
        ],
        "signed_feedback": [
            {
                "registration": str(answer.response.registration.uuid),
                "question": answer.question.label,
                "session": answer.item.title if answer.item_id else None,
                "rating": answer.rating,
                "answer": answer.text,
            }
            for answer in signed
        ],
    }


def erase(subject: DataSubject, now: datetime) -> None:
    Response.objects.filter(registration_id__in=subject.registration_ids).update(registration=None)


def anonymise_past(now: datetime) -> int:
    with transaction.atomic():
        return Response.objects.filter(registration__anonymised_at__isnull=False).update(
            registration=None
        )
