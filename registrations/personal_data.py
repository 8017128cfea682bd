"""A person's data: their copy (GDPR art. 15 and 20), its erasure (art. 17), and its
retention period (art. 5(1)(e)).

Each app owns the personal data of its own models and says how to export, erase and
anonymise it past its period. This module holds the registrations app's own
(registrations, answers, workshop choices, attendance, consents, the personal calendar
feed, the profile) and the three services the views and the periodic task call. The apps
above registrations take part by receiving its signals (``signals.personal_data_export``,
``personal_data_erase`` and ``personal_data_retention``): notifications answers for its
outbox in ``notifications/receivers.py``. Registrations never imports them.

Erasure decisions (documented on the privacy page and in the README):

- A registration to an event that has not started yet, still holding a place, waiting for
  approval or on the waiting list, is first cancelled through ``services.registration_cancel``
  (the place goes to the waiting list, whose first person is promoted), whatever the
  participant's cancellation deadline: that deadline does not limit the right to erasure.
- A registration to an event that has started is kept as an anonymous, counted row (its
  status, workshops and attendance stay, so that counts, places and reports stay right).
- Either way the row keeps its organisation, country, role and language and loses
  everything that names the person: names, address (replaced by a unique address under
  the reserved ``.invalid`` domain), account links, answers, needs, the attendee-list
  choice and the private link (a new secret nobody knows).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events.models import Event

from . import services, signals
from .models import (
    Answer,
    ExportJob,
    PersonalFeed,
    Profile,
    Question,
    Registration,
    new_secret,
)
from .selectors import verified_emails

#: The domain of anonymised addresses: reserved (RFC 2606), so that no email can reach it.
ANONYMISED_DOMAIN = "anonymised.invalid"


@dataclass(frozen=True)
class DataSubject:
    """Whose data: the addresses they proved they hold (the private link's address, or
    their account's verified ones), their account if any, and their registrations (read
    once, before any of them is anonymised)."""

    emails: frozenset[str]
    registration_ids: tuple[int, ...] = ()
    user: Any = None


# --- who ---------------------------------------------------------------------------------


def subject_of_registration(registration: Registration) -> DataSubject:
    """The person behind a private link: its address, and every registration made with it
    (the personal calendar feed gathers the same ones)."""
    email = registration.email
    ids = Registration.objects.filter(email=email).values_list("pk", flat=True)
    return DataSubject(emails=frozenset([email]), registration_ids=tuple(ids))


def subject_of_user(user) -> DataSubject:
    """An account holder: their account's address and verified ones, the registrations
    made while logged in or with those addresses."""
    emails = set(verified_emails(user))
    if user.email:
        emails.add(services.normalise_email(user.email))
    ids = Registration.objects.filter(Q(user=user) | Q(email__in=emails)).values_list(
        "pk", flat=True
    )
    return DataSubject(emails=frozenset(emails), registration_ids=tuple(ids), user=user)


# --- retention periods -------------------------------------------------------------------


def retention_days(kind: str) -> int:
    """Days after an event of ``kind`` ends before its participants' data is anonymised."""
    periods = settings.PERSONAL_DATA_RETENTION_DAYS
    return periods.get(kind, max(periods.values()))


def retention_ends_on(event: Event) -> date:
    """The day, in the event's time zone, from which its participants' data is anonymised."""
    return event.local(event.ends_at + timedelta(days=retention_days(event.kind))).date()


def retention_periods() -> list[tuple[str, int]]:
    """(kind label, days) for every kind of event: what the privacy page lists."""
    return [(label, retention_days(kind)) for kind, label in Event.Kind.choices]


def files_retention_days() -> int:
    return settings.PERSONAL_DATA_FILES_RETENTION_DAYS


# --- the registrations app's own data ----------------------------------------------------


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _answer_text(answer: Answer) -> Any:
    """An answer as the person gave it: the chosen options' labels rather than their keys."""
    if answer.question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return answer.value
    labels = {str(option.pk): option.i18n.label for option in answer.question.options.all()}
    if isinstance(answer.value, list):
        return [labels.get(str(value), value) for value in answer.value]
    return labels.get(str(answer.value), answer.value)


def _registration_export(registration: Registration) -> dict:
    event = registration.event
    return {
        "event": {
            "title": event.i18n.title,
            "address": reverse("events:detail", args=[event.slug]),
            "starts_at": _moment(event.starts_at),
            "ends_at": _moment(event.ends_at),
            "data_kept_until": retention_ends_on(event).isoformat(),
        },
        "status": registration.status,
        "email": registration.email,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "organisation": registration.organisation_label,
        "country": registration.country.code if registration.country else "",
        "role": registration.role,
        "language": registration.language,
        "dietary_needs": registration.dietary_needs,
        "accessibility_needs": registration.accessibility_needs,
        "registered_by_coordinator": registration.registered_by_id is not None,
        "details_confirmed": registration.details_confirmed,
        "consents": {
            "privacy_notice": {
                "version": registration.privacy_consent_version,
                "given_at": _moment(registration.privacy_consented_at),
            },
            "attendee_list": {
                "listed": registration.listed_publicly,
                "version": registration.listed_publicly_consent_version,
                "given_at": _moment(registration.listed_publicly_consented_at),
            },
        },
        "answers": [
            {"question": answer.question.i18n.label, "answer": _answer_text(answer)}
            for answer in sorted(
                registration.answers.all(), key=lambda a: (a.question.position, a.question_id)
            )
        ],
        "workshops": [
            {
                "title": choice.item.i18n.title,
                "starts_at": _moment(choice.item.starts_at),
                "status": choice.status,
            }
            for choice in registration.workshop_choices.all()
        ],
        "attendance": [
            {
                "day": attendance.day.isoformat(),
                "session": attendance.item.i18n.title if attendance.item_id else None,
                "checked_in_at": _moment(attendance.checked_in_at),
            }
            for attendance in registration.attendances.all()
        ],
        "created_at": _moment(registration.created_at),
        "updated_at": _moment(registration.updated_at),
        "waitlisted_at": _moment(registration.waitlisted_at),
        "decided_at": _moment(registration.decided_at),
        "cancelled_at": _moment(registration.cancelled_at),
    }


def export(subject: DataSubject) -> dict:
    """Everything the registrations app holds about the person, as JSON-ready values."""
    registrations = (
        Registration.objects.filter(pk__in=subject.registration_ids)
        .select_related("event", "organisation")
        .prefetch_related(
            "answers__question__event",
            "answers__question__options__question__event",
            "workshop_choices__item__event",
            "attendances__item__event",
        )
        .order_by("event__starts_at", "pk")
    )
    feeds = PersonalFeed.objects.filter(email__in=subject.emails).order_by("pk")
    data = {
        "registrations": [_registration_export(registration) for registration in registrations],
        "personal_calendar_feeds": [
            {
                "email": feed.email,
                "address": reverse("registrations:personal_feed", args=[feed.token]),
                "created_at": _moment(feed.created_at),
                "reset_at": _moment(feed.reset_at),
            }
            for feed in feeds
        ],
    }
    if subject.user is not None:
        user = subject.user
        profile = Profile.objects.filter(user=user).select_related("organisation").first()
        data["account"] = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _moment(user.date_joined),
            "last_login": _moment(user.last_login),
            "verified_emails": sorted(verified_emails(user)),
            # The events app's links to the account (its speakers are public programme
            # content, tied to no account or address).
            "organiser_of": [event.slug for event in user.organised_events.order_by("pk")],
            "coordinator_of": [
                organisation.name for organisation in user.coordinated_organisations.all()
            ],
            "profile": profile
            and {
                "organisation": (
                    profile.organisation.name
                    if profile.organisation_id
                    else profile.organisation_name
                ),
                "country": profile.country.code if profile.country else "",
                "preferred_language": profile.preferred_language,
            },
        }
    return data


def anonymised_email(registration: Registration) -> str:
    return f"{registration.uuid.hex}@{ANONYMISED_DOMAIN}"


def _anonymise(registration: Registration, now: datetime) -> None:
    """Remove what names the person from the row; what counts stays (see the module)."""
    Answer.objects.filter(registration=registration).delete()
    Registration.objects.filter(pk=registration.pk).update(
        email=anonymised_email(registration),
        first_name="",
        last_name="",
        user=None,
        registered_by=None,
        decided_by=None,
        dietary_needs="",
        accessibility_needs="",
        listed_publicly=False,
        secret=new_secret(),
        anonymised_at=now,
        updated_at=now,
    )


def _event_started(event: Event, now: datetime) -> bool:
    return event.starts_at <= now


def _erase_registration(registration: Registration, now: datetime) -> None:
    active = (*Registration.HOLDING, Registration.Status.WAITLISTED)
    if registration.status in active and not _event_started(registration.event, now):
        # The place goes to the waiting list under the usual rules; the cancellation email
        # this writes is cancelled with every other pending one (notifications' owner).
        # Past the participant's own deadline only organisers may cancel: erasure is not
        # limited by that deadline, so it cancels as they would.
        past_deadline = now >= registration.event.registration_deadline
        services.registration_cancel(registration=registration, by_organiser=past_deadline, now=now)
    _anonymise(registration, now)


def erase(subject: DataSubject, now: datetime) -> None:
    registrations = Registration.objects.filter(
        pk__in=subject.registration_ids, anonymised_at__isnull=True
    ).select_related("event")
    for registration in registrations.order_by("pk"):
        _erase_registration(registration, now)
    PersonalFeed.objects.filter(email__in=subject.emails).delete()


def _anonymise_past_registrations(now: datetime) -> int:
    count = 0
    for kind, _label in Event.Kind.choices:
        ended_before = now - timedelta(days=retention_days(kind))
        due = Registration.objects.filter(
            event__kind=kind, event__ends_at__lt=ended_before, anonymised_at__isnull=True
        )
        for registration in due.order_by("pk").iterator():
            with transaction.atomic():
                _anonymise(registration, now)
            count += 1
    # A feed with no registration left in its name shows nothing and names someone.
    kept = Registration.objects.filter(anonymised_at__isnull=True).values("email")
    removed, _per_model = PersonalFeed.objects.exclude(email__in=kept).delete()
    return count + removed


def _purge_export_files(now: datetime) -> int:
    """Exports built by workers hold lists of people: deleted, file and row, after
    ``PERSONAL_DATA_FILES_RETENTION_DAYS``."""
    old = ExportJob.objects.filter(created_at__lt=now - timedelta(days=files_retention_days()))
    count = 0
    for job in old.order_by("pk"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


def anonymise_past(now: datetime) -> int:
    return _anonymise_past_registrations(now) + _purge_export_files(now)


# --- what the views and the periodic task call -------------------------------------------


def person_export(*, subject: DataSubject) -> dict:
    """The person's copy of their data: registrations' sections, then those of the apps
    that answer ``personal_data_export`` (each receiver returns a dict of sections)."""
    data = {"generated_at": timezone.now().isoformat(), **export(subject)}
    for _receiver, sections in signals.personal_data_export.send(
        sender=DataSubject, subject=subject
    ):
        data.update(sections)
    return data


def person_erase(*, subject: DataSubject, now: datetime | None = None) -> None:
    """Erase the person's data in one transaction: registrations first (cancelling what
    still holds a place), then the apps that receive ``personal_data_erase``
    (notifications cancels every email not sent yet, the cancellations just written
    included)."""
    now = now or timezone.now()
    with transaction.atomic():
        erase(subject, now)
        signals.personal_data_erase.send(sender=DataSubject, subject=subject, now=now)


def account_delete(*, user, now: datetime | None = None) -> None:
    """Erase an account holder's data, then the account itself (its profile, addresses
    and sessions' user go with it)."""
    with transaction.atomic():
        person_erase(subject=subject_of_user(user), now=now)
        get_user_model().objects.filter(pk=user.pk).delete()


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Anonymise what has passed its retention period: registrations', then each app's
    that receives ``personal_data_retention`` (each returns ``(name, rows changed)``).
    Safe to run again: what is anonymised already is left alone."""
    now = now or timezone.now()
    changed = {"registrations": anonymise_past(now)}
    for _receiver, (name, count) in signals.personal_data_retention.send(
        sender=DataSubject, now=now
    ):
        changed[name] = count
    return changed
