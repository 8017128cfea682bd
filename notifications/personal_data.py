"""The personal data of the outbox: the emails written to a person, their states, and the
bodies stored for account emails (one-time codes, links).

Called by the receivers of registrations' personal-data signals (``receivers.py``), after
registrations' own part: when a person's data is erased, registrations has cancelled and
anonymised their registrations first; here every email to them not sent yet is cancelled
(the cancellation just written included: nothing goes out after an erasure), and the
rows that stay, for the organisers' counts, lose the address, context and bodies.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from registrations.models import Registration
from registrations.personal_data import ANONYMISED_DOMAIN, DataSubject, files_retention_days

from .models import OutgoingMessage

#: The recipient left on rows of an erased address that belong to no registration.
ANONYMISED_RECIPIENT = f"erased@{ANONYMISED_DOMAIN}"

NOT_SENT = (OutgoingMessage.State.QUEUED, OutgoingMessage.State.SENDING)
SCRUBBED = {"context": {}, "subject": "", "body_text": "", "body_html": ""}


def _rows(subject: DataSubject):
    return OutgoingMessage.objects.filter(
        Q(recipient__in=subject.emails) | Q(registration_id__in=subject.registration_ids)
    )


def export(subject: DataSubject) -> dict:
    rows = _rows(subject).select_related("event").order_by("created_at", "pk")
    return {
        "emails": [
            {
                "kind": row.kind,
                "description": str(row.get_kind_display()),
                "event": row.event.i18n.title if row.event_id else None,
                "recipient": row.recipient,
                "language": row.language,
                "state": row.state,
                "due_at": row.due_at.isoformat(),
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                "subject": row.subject,
                "created_at": row.created_at.isoformat(),
            }
            for row in rows
        ]
    }


def _cancel_and_scrub(rows, recipient: str, now: datetime) -> None:
    rows.filter(state__in=NOT_SENT).update(state=OutgoingMessage.State.CANCELLED, updated_at=now)
    rows.update(recipient=recipient, updated_at=now, **SCRUBBED)


def _scrub_registrations(registration_ids, now: datetime) -> int:
    """The rows of anonymised registrations take the registration's anonymised address."""
    registrations = Registration.objects.filter(
        pk__in=registration_ids, anonymised_at__isnull=False
    )
    count = 0
    for registration_id, email in registrations.values_list("pk", "email"):
        rows = OutgoingMessage.objects.filter(registration_id=registration_id)
        _cancel_and_scrub(rows, email, now)
        count += 1
    return count


def erase(subject: DataSubject, now: datetime) -> None:
    """Inside the erasure's transaction, after registrations' own erasure."""
    _scrub_registrations(subject.registration_ids, now)
    _cancel_and_scrub(
        OutgoingMessage.objects.filter(recipient__in=subject.emails), ANONYMISED_RECIPIENT, now
    )


def anonymise_past(now: datetime) -> int:
    """Rows of registrations anonymised by their retention period lose their address;
    stored bodies and account emails' addresses go after ``files_retention_days``."""
    with transaction.atomic():
        stale = (
            OutgoingMessage.objects.filter(registration__anonymised_at__isnull=False)
            .exclude(recipient=F("registration__email"))
            .values_list("registration_id", flat=True)
            .distinct()
        )
        count = _scrub_registrations(list(stale), now)
    old = OutgoingMessage.objects.filter(
        created_at__lt=now - timedelta(days=files_retention_days()),
        state__in=[
            OutgoingMessage.State.SENT,
            OutgoingMessage.State.FAILED,
            OutgoingMessage.State.CANCELLED,
        ],
    )
    with transaction.atomic():
        count += old.exclude(subject="", body_text="", body_html="").update(
            subject="", body_text="", body_html="", updated_at=now
        )
        count += (
            old.filter(registration__isnull=True, event__isnull=True)
            .exclude(recipient=ANONYMISED_RECIPIENT)
            .update(recipient=ANONYMISED_RECIPIENT, updated_at=now)
        )
    return count
