"""Every write that carries a registration rule.

Each service is one transaction that first locks the event's row (``SELECT ... FOR NO
KEY UPDATE``; on SQLite every transaction is ``BEGIN IMMEDIATE``, so writers are
serialised by the database), then reads what its rules need with ordinary queries,
counts under that lock, and writes: places held on the event and on each workshop are
counters on those rows, capped by CHECK constraints, so even a bug here cannot overbook
silently. Services that change one registration then lock it (``_lock_registration``),
always in that order, so that two of them never wait for each other in a circle.

What happened is announced with the signals of ``registrations.signals``, sent inside
the transaction; notifications listens and writes its outbox rows in the same one.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.formats import date_format
from events.models import Event, Organisation, ProgrammeItem

from . import signals
from .models import (
    Answer,
    PersonalFeed,
    Question,
    Registration,
    Role,
    WorkshopChoice,
    new_secret,
    questions_asked,
)


class RegistrationError(Exception):
    """A rule refused the change; ``str(error)`` is a sentence for the user."""


@dataclass
class Person:
    """What a participant tells us about themselves."""

    email: str
    first_name: str
    last_name: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    country: str = ""
    role: str = Role.PARTICIPANT
    language: str = "en"
    dietary_needs: str = ""
    accessibility_needs: str = ""
    privacy_consent: bool = False
    listed_publicly: bool = False
    answers: dict[int, Any] = field(default_factory=dict)
    workshops: list[ProgrammeItem] = field(default_factory=list)
    #: What the apps above registrations asked in the form (``form_extensions``): pairs
    #: of the extension and its cleaned values, saved with the registration.
    extensions: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def _lock_event(event_id: int) -> Event:
    """The event, its row locked until the transaction ends. ``FOR NO KEY UPDATE``: other
    such locks wait, rows that merely refer to the event do not. ``REGISTRATIONS_LOCK_EVENT``
    turns the lock off for the concurrency test's control, which shows the overbooking."""
    events = Event.objects.all()
    if getattr(settings, "REGISTRATIONS_LOCK_EVENT", True):
        events = events.select_for_update(no_key=True)
    return events.get(pk=event_id)


#: What a new registration's rules and writes read from its event: read again under the
#: row's lock, on the event the caller read in its request (the rest of that row, its
#: texts in every language, is neither counted nor checked here).
RULE_FIELDS = (
    "status",
    "registration_opens_at",
    "registration_closes_at",
    "starts_at",
    "ends_at",
    "timezone",
    "capacity",
    "places_taken",
    "requires_approval",
    "privacy_notice_version",
)


def _lock_event_for_rules(event: Event) -> Event:
    """``event`` with its row locked (as ``_lock_event``) and its ``RULE_FIELDS`` read
    again under the lock."""
    events = Event.objects.all()
    if getattr(settings, "REGISTRATIONS_LOCK_EVENT", True):
        events = events.select_for_update(no_key=True)
    event.refresh_from_db(fields=RULE_FIELDS, from_queryset=events)
    return event


def _lock_registration(
    registration: Registration,
    *,
    actor=None,
    decision: str = "",
    statuses: tuple[str, ...] | None = None,
    refusal: str = "",
) -> tuple[Event, Registration]:
    """Lock the registration's event, then the registration, and check the change.

    ``decision`` (``"approve"``...): the change is a decision, which only ``can_decide``
    users may take (``PermissionError`` otherwise). ``statuses``: the statuses it applies
    to (``RegistrationError(refusal)`` otherwise). Returns the locked event and the
    registration as read under the locks.
    """
    event = _lock_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if decision and not can_decide(actor, registration):
        raise PermissionError(f"not allowed to {decision} this registration")
    if statuses is not None and registration.status not in statuses:
        raise RegistrationError(refusal)
    return event, registration


ENDED = (Registration.Status.CANCELLED, Registration.Status.REJECTED)


# --- counting places ---------------------------------------------------------------------


class Places:
    """The event's places as counted under its lock: taken, and reserved per partner.

    Counted once (two queries, whatever the number of registrations), then kept up to
    date as places are given, so that promoting a long waiting list stays cheap.
    """

    def __init__(self, event: Event, now: datetime):
        self.event = event
        self.quotas = [
            quota
            for quota in event.quotas.all()
            if quota.release_at is None or quota.release_at > now
        ]
        # Places held per partner matter only while some places are still reserved.
        self.held = Counter()
        if self.quotas:
            self.held.update(
                dict(
                    Registration.objects.filter(
                        event=event,
                        status__in=Registration.HOLDING,
                    )
                    .filter(
                        organisation__in=[quota.organisation_id for quota in self.quotas],
                    )
                    .order_by()
                    .values("organisation")
                    .annotate(held=Count("pk"))
                    .values_list("organisation", "held")
                )
            )

    @property
    def full(self) -> bool:
        return self.event.capacity is not None and (self.event.places_taken >= self.event.capacity)

    def free_for(self, organisation_id: int | None) -> int | None:
        """Places a person of ``organisation_id`` may take now (None: no limit).

        Places reserved for other partners and not yet taken are not free, until their
        quota's release time has passed; a partner's own reserved places are free for its
        people.
        """
        if self.event.capacity is None:
            return None
        reserved_for_others = sum(
            max(quota.places - self.held[quota.organisation_id], 0)
            for quota in self.quotas
            if quota.organisation_id != organisation_id
        )
        return self.event.capacity - self.event.places_taken - reserved_for_others

    def has_place_for(self, organisation_id: int | None) -> bool:
        free = self.free_for(organisation_id)
        return free is None or free > 0

    def give(self, registration: Registration, actor=None) -> None:
        """Move ``registration`` from the waiting list into a place."""
        registration.status = (
            Registration.Status.PENDING
            if self.event.requires_approval
            else Registration.Status.CONFIRMED
        )
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        _raise_calendar_sequence(registration)
        _take_place(self.event)
        if registration.organisation_id:
            self.held[registration.organisation_id] += 1
        _claim_waitlisted_workshops(registration)
        signals.registration_promoted.send(
            sender=Registration, registration=registration, actor=actor
        )


def _raise_calendar_sequence(registration: Registration) -> None:
    """The person's calendar entry changed (status, workshops): invites and the personal
    feed must show a higher SEQUENCE."""
    registration.calendar_sequence += 1
    Registration.objects.filter(pk=registration.pk).update(
        calendar_sequence=F("calendar_sequence") + 1
    )


def _set_places_taken(row: Event | ProgrammeItem, places_taken: int) -> None:
    """Write a counter computed from the value read under the event's lock.

    ``update()`` rather than ``save()``: no model signals, no other column touched.
    It is deliberately a read-modify-write: correct under the lock, and the concurrency
    control test shows what happens to it without the lock.
    """
    row.places_taken = places_taken
    type(row).objects.filter(pk=row.pk).update(places_taken=places_taken)
    if isinstance(row, ProgrammeItem):  # a workshop's places show on its event's page
        Event.objects.filter(pk=row.event_id).content_changed()


def _take_place(event: Event) -> None:
    _set_places_taken(event, event.places_taken + 1)


def _release_place(event: Event) -> None:
    _set_places_taken(event, event.places_taken - 1)


# --- workshops ---------------------------------------------------------------------------


def _check_workshops(event: Event, workshops: list[ProgrammeItem]) -> None:
    starts = Counter(item.starts_at for item in workshops)
    if any(item.event_id != event.pk or not item.needs_choice for item in workshops):
        raise RegistrationError(_("Choose workshops of this event only."))
    if any(count > 1 for count in starts.values()):
        raise RegistrationError(_("Choose one workshop per time slot."))


def _add_workshops(registration: Registration, items: list[ProgrammeItem]) -> None:
    """Choose workshops (read under the event's lock): a place in each one that has room
    if the registration holds a place, else its waiting list."""
    choices = []
    for item in items:
        if registration.holds_place and (
            item.capacity is None or item.places_taken < item.capacity
        ):
            status = WorkshopChoice.Status.CONFIRMED
            _set_places_taken(item, item.places_taken + 1)
        else:
            status = WorkshopChoice.Status.WAITLISTED
        choices.append(WorkshopChoice(registration=registration, item=item, status=status))
    WorkshopChoice.objects.bulk_create(choices)


def _drop_workshop(choice: WorkshopChoice) -> None:
    if choice.status == WorkshopChoice.Status.CONFIRMED:
        item = ProgrammeItem.objects.get(pk=choice.item_id)
        _set_places_taken(item, item.places_taken - 1)
        choice.delete()
        _promote_workshop(item)
    else:
        choice.delete()


def _promote_workshop(item: ProgrammeItem) -> list[WorkshopChoice]:
    """Give freed workshop places to the waiting list, first come first served."""
    promoted = []
    waiting = (
        WorkshopChoice.objects.filter(
            item=item,
            status=WorkshopChoice.Status.WAITLISTED,
            registration__status__in=Registration.HOLDING,
        )
        .select_related("registration")
        .order_by("created_at", "pk")
    )
    for choice in waiting:
        if item.capacity is not None and item.places_taken >= item.capacity:
            break
        choice.status = WorkshopChoice.Status.CONFIRMED
        choice.save(update_fields=["status"])
        _set_places_taken(item, item.places_taken + 1)
        _raise_calendar_sequence(choice.registration)
        promoted.append(choice)
        signals.registration_changed.send(
            sender=Registration, registration=choice.registration, actor=None
        )
    return promoted


def _claim_waitlisted_workshops(registration: Registration) -> None:
    for choice in registration.workshop_choices.filter(status=WorkshopChoice.Status.WAITLISTED):
        item = ProgrammeItem.objects.get(pk=choice.item_id)
        if item.capacity is None or item.places_taken < item.capacity:
            choice.status = WorkshopChoice.Status.CONFIRMED
            choice.save(update_fields=["status"])
            _set_places_taken(item, item.places_taken + 1)


def _release_workshops(registration: Registration) -> None:
    for choice in list(registration.workshop_choices.select_related("item")):
        _drop_workshop(choice)


# --- answers -----------------------------------------------------------------------------


def _json_answer(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):  # a number question (the form's DecimalField)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (list, tuple, set)):
        return [str(part) for part in value]
    return value


def _save_answers(
    registration: Registration,
    answers: dict[int, Any],
    *,
    new: bool = False,
    complete: bool = True,
    questions: list[Question] | None = None,
):
    """Check the answers against the event's questions, then write them (``new``: the
    registration has none yet, so they are inserted in one statement). ``complete``: the
    required questions must be answered; not so for someone registered by a coordinator,
    who answers them when confirming their own details (``registration_confirm_details``).
    ``questions``: the event's questions as the caller's request already read them (read
    here if None)."""
    if questions is None:
        questions = registration.event.questions.order_by("position", "pk")
    questions = {question.pk: question for question in questions}
    if any(question_id not in questions for question_id in answers):
        raise RegistrationError(_("An answer was given to a question of another event."))
    # A question shown only for some answer to another is neither required nor kept
    # when that answer was not given.
    asked = questions_asked(questions.values(), answers)
    answers = {pk: (value if pk in asked else None) for pk, value in answers.items()}
    missing = [
        question.i18n.label
        for question in questions.values()
        if complete
        and question.required
        and question.pk in asked
        and answers.get(question.pk) in (None, "", [])
    ]
    if missing:
        raise RegistrationError(
            _("Please answer: %(questions)s") % {"questions": ", ".join(missing)}
        )
    given = {pk: value for pk, value in answers.items() if value not in (None, "", [])}
    if new:
        Answer.objects.bulk_create(
            Answer(registration=registration, question_id=pk, value=_json_answer(value))
            for pk, value in given.items()
        )
        return
    Answer.objects.filter(registration=registration, question_id__in=answers).exclude(
        question_id__in=given
    ).delete()
    for question_id, value in given.items():
        Answer.objects.update_or_create(
            registration=registration,
            question_id=question_id,
            defaults={"value": _json_answer(value)},
        )


# --- the services ------------------------------------------------------------------------


def _save_extensions(registration: Registration, person: Person, *, new: bool, actor) -> None:
    """The rows of what the apps above registrations asked in the form, in the
    registration's transaction (``form_extensions``)."""
    for extension, cleaned in person.extensions:
        extension.save(registration=registration, cleaned=cleaned, new=new, actor=actor)


def registration_closed_message(event: Event, now: datetime | None = None) -> str:
    """Why registering is not possible now, with the date it opens or closed."""
    state = event.registration_state(now)
    local = timezone.localtime
    if event.status != Event.Status.PUBLISHED:
        return _("Registration is not open for this event.")
    if state == "not_yet":
        return _("Registration opens on %(date)s.") % {
            "date": date_format(local(event.registration_opens_at, event.tz), "DATETIME_FORMAT")
        }
    return _("Registration closed on %(date)s.") % {
        "date": date_format(local(event.registration_deadline, event.tz), "DATETIME_FORMAT")
    }


def registration_create(
    *,
    event: Event,
    person: Person,
    user=None,
    registered_by=None,
    now: datetime | None = None,
    questions: list[Question] | None = None,
) -> tuple[Registration, bool]:
    """Register ``person``: confirmed, pending approval, or on the waiting list.

    Returns ``(registration, created)``. A submission with an address that has a
    registration for the event already (whatever its status, cancelled included) returns
    it with ``created=False`` and changes nothing on it: knowing someone's address opens
    nothing. Unless a coordinator or ``user`` made the submission, the private link is
    sent to that address instead (``signals.registration_link_requested``), so that the
    caller answers exactly as for a new registration. A cancelled registration is made
    again only from its own private link (``registration_reopen``).

    ``user``: the account whose verified address this is (the caller checks); a new
    registration is attached to it, and the caller may show an existing one at once.

    ``questions``: the event's questions as the caller's form read them in this request
    (the answers are checked against them); read here when None. The lock serialises
    places, not the form's configuration (editing a question does not take it), so a
    second read under the lock would guarantee nothing more.

    One transaction: lock the event, look for the address's registration, check the rules,
    count the places, write the registration, its answers, its workshop choices and (by
    the receivers of what it announces) its emails, commit.
    """
    now = now or timezone.now()
    email = normalise_email(person.email)
    try:
        with transaction.atomic():
            event = _lock_event_for_rules(event)
            # One at most (unique per event and address): no ordering, so no join.
            existing = Registration.objects.filter(event=event, email=email).order_by().first()
            if existing is not None:
                existing.event = event
                if user is None and registered_by is None:
                    signals.registration_link_requested.send(
                        sender=Registration, registration=existing, actor=None
                    )
                return existing, False
            return _register(event, person, email, user, registered_by, now, questions), True
    except IntegrityError:
        # Two submissions of one address raced past each other (possible only with the
        # event lock turned off): the unique constraint kept one; return it.
        existing = Registration.objects.filter(event=event, email=email).first()
        if existing is None:
            raise
        return existing, False


def _register(event: Event, person: Person, email: str, user, registered_by, now, questions):
    """The rules and the writes of a new registration, under the event's lock."""
    if event.registration_state(now) != "open":
        raise RegistrationError(registration_closed_message(event, now))
    if not person.privacy_consent and registered_by is None:
        raise RegistrationError(_("Please accept the privacy notice to register."))
    # The workshops as they are now (the form read them before the lock).
    chosen = [item.pk for item in person.workshops]
    workshops = list(ProgrammeItem.objects.filter(pk__in=chosen)) if chosen else []
    _check_workshops(event, workshops)
    status = _status_given(event, Places(event, now), person.organisation)
    registration = Registration(event=event, email=email)
    _fill(registration, person, status, user=user, registered_by=registered_by, now=now)
    registration.save()
    if registration.holds_place:
        _take_place(event)
    # A coordinator registers names: the person answers the organisers' questions (and,
    # for a mobility, gives their travel) when they confirm their details.
    _save_answers(
        registration,
        person.answers,
        new=True,
        complete=registration.details_confirmed,
        questions=questions,
    )
    _add_workshops(registration, workshops)
    _save_extensions(registration, person, new=True, actor=registered_by)
    _announce(registration, status, registered_by=registered_by, new=True)
    return registration


def _status_given(event: Event, places: Places, organisation: Organisation | None) -> str:
    """The status a registration gets from the places counted under the event's lock."""
    if not places.has_place_for(organisation.pk if organisation else None):
        return Registration.Status.WAITLISTED
    if event.requires_approval:
        return Registration.Status.PENDING
    return Registration.Status.CONFIRMED


def registration_reopen(
    *,
    registration: Registration,
    workshops: list[ProgrammeItem] = (),
    now: datetime | None = None,
):
    """Make a cancelled registration again, from its own private link: with the details
    it had, confirmed, pending approval or on the waiting list as the places allow. Its
    workshops went with the cancellation: ``workshops`` are the ones chosen again (a place
    in each that has room, else its waiting list), as a new registration chooses them."""
    now = now or timezone.now()
    with transaction.atomic():
        event, registration = _lock_registration(
            registration,
            statuses=(Registration.Status.CANCELLED,),
            refusal=_("Only a cancelled registration can be made again."),
        )
        if event.registration_state(now) != "open":
            raise RegistrationError(registration_closed_message(event, now))
        workshops = list(ProgrammeItem.objects.filter(pk__in=[item.pk for item in workshops]))
        _check_workshops(event, workshops)
        status = _status_given(event, Places(event, now), registration.organisation)
        registration.status = status
        registration.waitlisted_at = now if status == Registration.Status.WAITLISTED else None
        registration.cancelled_at = None
        registration.decided_at = registration.decided_by = None
        registration.save()
        _raise_calendar_sequence(registration)
        if registration.holds_place:
            _take_place(event)
        _add_workshops(registration, workshops)
        _announce(registration, status, registered_by=None, new=False)
        return registration


def _fill(registration: Registration, person: Person, status: str, *, user, registered_by, now):
    """Write what the person said, and the status, into the registration's fields."""
    event = registration.event
    registration.status = status
    registration.user = user or registration.user
    registration.registered_by = registered_by
    registration.details_confirmed = registered_by is None
    registration.first_name = person.first_name.strip()
    registration.last_name = person.last_name.strip()
    registration.organisation = person.organisation
    registration.organisation_name = (
        person.organisation.name if person.organisation else person.organisation_name
    ).strip()
    registration.country = person.country
    registration.role = person.role
    registration.language = person.language
    registration.dietary_needs = person.dietary_needs.strip()
    registration.accessibility_needs = person.accessibility_needs.strip()
    if person.privacy_consent:
        registration.privacy_consent_version = event.privacy_notice_version
        registration.privacy_consented_at = now
    registration.listed_publicly = person.listed_publicly
    registration.waitlisted_at = now if status == Registration.Status.WAITLISTED else None
    registration.cancelled_at = None
    registration.decided_at = registration.decided_by = None


def _announce(registration: Registration, status: str, *, registered_by, new: bool) -> None:
    announce = {
        Registration.Status.CONFIRMED: signals.registration_confirmed,
        Registration.Status.PENDING: signals.registration_received,
        Registration.Status.WAITLISTED: signals.registration_waitlisted,
    }[status]
    announce.send(sender=Registration, registration=registration, actor=registered_by, new=new)
    if registered_by is not None:
        signals.delegate_invited.send(
            sender=Registration, registration=registration, actor=registered_by
        )


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Give free places to the waiting list in order, respecting partner quotas.

    Someone further down the list may be promoted before someone above when the free
    place is reserved for their organisation.
    """
    promoted = []
    places = Places(event, now)
    waiting = Registration.objects.filter(
        event=event, status=Registration.Status.WAITLISTED
    ).order_by("waitlisted_at", "pk")
    for registration in waiting.iterator():
        if places.full:
            break
        if places.has_place_for(registration.organisation_id):
            places.give(registration)
            promoted.append(registration)
    return promoted


def waitlist_promote(*, event: Event, now: datetime | None = None) -> list[Registration]:
    """Promote from the waiting list as far as free places allow (capacity raised, quota
    released…)."""
    with transaction.atomic():
        event = _lock_event(event.pk)
        return _promote(event, now or timezone.now())


def _free_and_promote(registration: Registration, event: Event, was_holding: bool, now) -> None:
    _release_workshops(registration)
    if was_holding:
        _release_place(event)
        _promote(event, now)


def registration_cancel(
    *,
    registration: Registration,
    actor=None,
    by_organiser: bool = False,
    now: datetime | None = None,
) -> Registration:
    """Cancel a registration; its places go to the waiting lists."""
    now = now or timezone.now()
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status in ENDED:
            return registration
        if not by_organiser and now >= event.registration_deadline:
            raise RegistrationError(
                _("Changes were possible until %(date)s. Please write to the organisers.")
                % {
                    "date": date_format(
                        timezone.localtime(event.registration_deadline, event.tz), "DATETIME_FORMAT"
                    )
                }
            )
        was_holding = registration.holds_place
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "cancelled_at", "waitlisted_at", "updated_at"])
        _raise_calendar_sequence(registration)
        _free_and_promote(registration, event, was_holding, now)
        signals.registration_cancelled.send(
            sender=Registration,
            registration=registration,
            actor=actor,
            by_organiser=by_organiser,
        )
        return registration


def can_decide(user, registration: Registration) -> bool:
    """Organisers of the event, and coordinators of the participant's organisation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or registration.event.organisers.filter(pk=user.pk).exists():
        return True
    return bool(
        registration.organisation_id
        and registration.organisation.coordinators.filter(pk=user.pk).exists()
    )


def registration_approve(*, registration: Registration, actor) -> Registration:
    with transaction.atomic():
        _event, registration = _lock_registration(
            registration,
            actor=actor,
            decision="approve",
            statuses=(Registration.Status.PENDING,),
            refusal=_("Only a registration waiting for approval can be approved."),
        )
        registration.status = Registration.Status.CONFIRMED
        registration.decided_by, registration.decided_at = actor, timezone.now()
        registration.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        _raise_calendar_sequence(registration)
        signals.registration_approved.send(
            sender=Registration, registration=registration, actor=actor
        )
        return registration


def registration_reject(*, registration: Registration, actor, now=None) -> Registration:
    now = now or timezone.now()
    with transaction.atomic():
        event, registration = _lock_registration(
            registration,
            actor=actor,
            decision="reject",
            statuses=(Registration.Status.PENDING, Registration.Status.WAITLISTED),
            refusal=_("Only a pending or waiting registration can be rejected."),
        )
        was_holding = registration.holds_place
        registration.status = Registration.Status.REJECTED
        registration.waitlisted_at = None
        registration.decided_by, registration.decided_at = actor, now
        registration.save()
        _raise_calendar_sequence(registration)
        _free_and_promote(registration, event, was_holding, now)
        signals.registration_rejected.send(
            sender=Registration, registration=registration, actor=actor
        )
        return registration


def registration_update_workshops(
    *, registration: Registration, workshops: list[ProgrammeItem], actor=None, now=None
) -> Registration:
    """Replace a registration's workshop choices; freed places go to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        active = tuple(status for status in Registration.Status if status not in ENDED)
        event, registration = _lock_registration(
            registration,
            statuses=active,
            refusal=_("This registration is no longer active."),
        )
        if now >= event.registration_deadline:
            raise RegistrationError(_("Workshop choices can no longer be changed."))
        _check_workshops(event, workshops)
        wanted = {item.pk for item in workshops}
        current = {choice.item_id: choice for choice in registration.workshop_choices.all()}
        if wanted == set(current):
            return registration
        for item_id, choice in current.items():
            if item_id not in wanted:
                _drop_workshop(choice)
        # Read after the places of dropped workshops were freed (and perhaps given away).
        _add_workshops(
            registration, list(ProgrammeItem.objects.filter(pk__in=wanted - set(current)))
        )
        _raise_calendar_sequence(registration)
        signals.registration_changed.send(
            sender=Registration, registration=registration, actor=actor
        )
        return registration


def registration_confirm_details(*, registration: Registration, person: Person) -> Registration:
    """A delegate registered by their coordinator confirms and completes their details."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not person.privacy_consent:
            raise RegistrationError(_("Please accept the privacy notice to register."))
        for name in (
            "first_name",
            "last_name",
            "country",
            "role",
            "language",
            "dietary_needs",
            "accessibility_needs",
            "listed_publicly",
        ):
            setattr(registration, name, getattr(person, name))
        registration.privacy_consent_version = registration.event.privacy_notice_version
        registration.privacy_consented_at = timezone.now()
        first_consent = not registration.details_confirmed
        registration.details_confirmed = True
        registration.save()
        _save_answers(registration, person.answers)
        _save_extensions(registration, person, new=False, actor=None)
        if first_consent:
            # Until now they were sent only the invitation to confirm: what their
            # registration's state calls for follows (notifications).
            signals.registration_details_confirmed.send(
                sender=Registration, registration=registration, actor=None
            )
        return registration


def registration_regenerate_secret(*, registration: Registration) -> Registration:
    """Revoke the private link and issue a new one."""
    registration.secret = new_secret()
    registration.save(update_fields=["secret", "updated_at"])
    return registration


def delegation_register(
    *,
    coordinator,
    event: Event,
    organisation: Organisation,
    people: list[Person],
) -> list[tuple[Registration, bool]]:
    """A partner coordinator registers members of their delegation; each one receives an
    email to confirm and complete their own details."""
    if not organisation.coordinators.filter(pk=coordinator.pk).exists():
        raise PermissionError("only the organisation's coordinators register its delegation")
    results = []
    with transaction.atomic():
        for person in people:
            # Consent is the delegate's own: recorded when they confirm their details.
            person.organisation = organisation
            person.privacy_consent = False
            results.append(
                registration_create(event=event, person=person, registered_by=coordinator)
            )
    return results


def profile_update(
    *,
    user,
    first_name: str,
    last_name: str,
    organisation,
    organisation_name: str,
    country: str,
    preferred_language: str,
):
    from .models import Profile

    with transaction.atomic():
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        profile, _created = Profile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": organisation,
                "organisation_name": organisation_name.strip(),
                "country": country,
                "preferred_language": preferred_language,
            },
        )
        return profile


def personal_feed_get_or_create(*, email: str):
    feed, _created = PersonalFeed.objects.get_or_create(email=normalise_email(email))
    return feed


def personal_feed_reset(*, email: str):
    """A new secret: the old feed address stops working at once."""
    with transaction.atomic():
        feed, _created = PersonalFeed.objects.select_for_update().get_or_create(
            email=normalise_email(email)
        )
        feed.secret = new_secret()
        feed.reset_at = timezone.now()
        feed.save(update_fields=["secret", "reset_at"])
        return feed


# --- the organisers' workspace -----------------------------------------------------------


def registration_promote(*, registration: Registration, actor, now=None) -> Registration:
    """An organiser moves one person up from the waiting list, if a place is free for them."""
    now = now or timezone.now()
    with transaction.atomic():
        event, registration = _lock_registration(
            registration,
            actor=actor,
            decision="promote",
            statuses=(Registration.Status.WAITLISTED,),
            refusal=_("Only someone on the waiting list can be promoted."),
        )
        places = Places(event, now)
        if not places.has_place_for(registration.organisation_id):
            raise RegistrationError(
                _("There is no free place for %(name)s.") % {"name": registration.full_name}
            )
        places.give(registration, actor=actor)
        return registration


def registration_cancel_by_team(
    *, registration: Registration, actor, now: datetime | None = None
) -> Registration:
    """Cancel a registration from the workspace: the event's organisers may at any time,
    the partner coordinator of the person's organisation only within
    ``coordinator_cancel_check``. The person is told the organisers cancelled it."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        if not can_decide(actor, registration):
            raise PermissionError("not allowed to cancel this registration")
        coordinator_cancel_check(event=event, actor=actor, now=now)
        return registration_cancel(
            registration=registration, actor=actor, by_organiser=True, now=now
        )


def coordinator_cancel_check(*, event: Event, actor, now: datetime) -> None:
    """Partner coordinators cancel their delegates' registrations until the event's
    deadline (the registration deadline, as participants do), unless the event lets them
    after it; its organisers (and superusers) at any time. Raises RegistrationError."""
    if actor.is_superuser or event.organisers.filter(pk=actor.pk).exists():
        return
    if event.coordinators_cancel_after_deadline or now < event.registration_deadline:
        return
    raise RegistrationError(
        _("Coordinators could cancel until %(date)s. Please ask the event’s organisers.")
        % {
            "date": date_format(
                timezone.localtime(event.registration_deadline, event.tz), "DATETIME_FORMAT"
            )
        }
    )


def attendance_mark(
    *,
    registration: Registration,
    day: date,
    item=None,
    actor=None,
    present: bool = True,
    now: datetime | None = None,
):
    """Mark someone present (or not) for a day of the event, or for one session; never
    present for a day still to come (in the event's time zone): attendance certificates
    are made from these marks."""
    from .models import Attendance

    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Only confirmed participants can be checked in."))
    event = registration.event
    days = event.local_starts_at.date(), event.local_ends_at.date()
    if not days[0] <= day <= days[1]:
        raise RegistrationError(_("This day is not a day of the event."))
    if present and day > timezone.localtime(now or timezone.now(), event.tz).date():
        raise RegistrationError(_("Nobody can be checked in for a day still to come."))
    if item is not None:
        if item.event_id != event.pk or event.local(item.starts_at).date() != day:
            raise RegistrationError(_("This session is not on the chosen day."))
        # One mark per session (whatever day was chosen before): recording it again is harmless.
        lookup = {"registration": registration, "item": item}
    else:
        lookup = {"registration": registration, "day": day, "item": None}
    with transaction.atomic():
        if present:
            attendance, _created = Attendance.objects.get_or_create(
                **lookup, defaults={"checked_in_by": actor, "day": day}
            )
            if attendance.day != day:  # a session's mark is on the session's day
                attendance.day = day
                attendance.save(update_fields=["day"])
            return attendance
        Attendance.objects.filter(**lookup).delete()
        return None


def export_preset_save(*, event: Event, name: str, columns: list[str], actor):
    from .models import ExportPreset

    preset, _created = ExportPreset.objects.update_or_create(
        event=event, name=name.strip()[:100], defaults={"columns": columns, "created_by": actor}
    )
    return preset


def export_job_create(
    *, event: Event, actor, format: str, query: dict, columns: list[str], total: int
):
    """A large export, to be built by a worker (``tasks.export_build``)."""
    from .models import ExportJob

    job = ExportJob.objects.create(
        event=event, requested_by=actor, format=format, query=query, columns=columns, total=total
    )
    transaction.on_commit(lambda: export_job_enqueue(job.pk))
    return job


def export_job_enqueue(job_id: int) -> None:
    from celery import current_app

    try:
        current_app.send_task("registrations.export_build", args=[job_id])
    except Exception:  # the job row is safe; the progress page rings again
        import logging

        logging.getLogger(__name__).warning("broker unavailable for export %s", job_id)


# --- setting up an event's registration (registrations/setup_views.py) -------------------


def quotas_release_due(*, now: datetime | None = None) -> list[Registration]:
    """Give the places of every quota whose release time has passed and that was not
    released yet to the waiting list, in order (``_promote``), and mark those quotas
    released. One transaction per event, its row locked; running it again finds nothing
    to release. Returns the registrations promoted (each is told by email: notifications
    listens to ``registration_promoted``)."""
    from .models import Quota

    now = now or timezone.now()
    due = Quota.objects.filter(release_at__lte=now, released_at__isnull=True)
    promoted: list[Registration] = []
    for event_id in sorted(set(due.values_list("event_id", flat=True))):
        with transaction.atomic():
            event = _lock_event(event_id)
            # Read again under the lock: another run may have released them meanwhile.
            quotas = list(due.filter(event_id=event_id).select_for_update())
            if not quotas:
                continue
            promoted += _promote(event, now)
            Quota.objects.filter(pk__in=[quota.pk for quota in quotas]).update(released_at=now)
            # The public page says how many places are reserved, and until when.
            Event.objects.filter(pk=event_id).content_changed()
    return promoted


def event_registration_settings_update(
    *,
    event: Event,
    actor,
    registration_opens_at: datetime | None,
    registration_closes_at: datetime | None,
    capacity: int | None,
    requires_approval: bool,
) -> Event:
    """Change an event's registration window, capacity and approval. A capacity below
    the places already taken is refused; a larger one gives the new places to the
    waiting list (``receivers.promote_when_event_changes``)."""
    with transaction.atomic():
        locked = _lock_event(event.pk)
        if capacity is not None and capacity < locked.places_taken:
            raise RegistrationError(
                _("%(count)d places are taken already: the capacity cannot be lower.")
                % {"count": locked.places_taken}
            )
        locked.registration_opens_at = registration_opens_at
        locked.registration_closes_at = registration_closes_at
        locked.capacity = capacity
        locked.requires_approval = requires_approval
        if (
            registration_opens_at
            and registration_closes_at
            and registration_closes_at <= registration_opens_at
        ):
            raise RegistrationError(_("Registration must close after it opens."))
        locked.save(
            update_fields=[
                "registration_opens_at",
                "registration_closes_at",
                "capacity",
                "requires_approval",
                "updated_at",
            ]
        )
        return locked


def quota_save(*, quota, actor) -> Any:
    """Add or change a partner's reserved places. A new release time makes the quota due
    for release again; places it no longer reserves go to the waiting list
    (``receivers.promote_when_quota_changes``)."""
    from .models import Quota

    with transaction.atomic():
        _lock_event(quota.event_id)
        if quota.pk:
            before = Quota.objects.get(pk=quota.pk)
            if before.release_at != quota.release_at:
                quota.released_at = None
        quota.save()
        Event.objects.filter(pk=quota.event_id).content_changed()
        return quota


def quota_delete(*, quota, actor) -> None:
    """Stop reserving places for a partner: they are free for everyone at once."""
    with transaction.atomic():
        event = _lock_event(quota.event_id)
        quota.delete()
        _promote(event, timezone.now())
        Event.objects.filter(pk=event.pk).content_changed()


def question_save(*, question, options: list, removed: list, actor) -> Any:
    """Save a question of the registration form with its options (``options``: unsaved
    or changed ``QuestionOption`` rows, in their order; ``removed``: options to delete,
    with the answers that chose them no longer matching). Options exist only for choice
    questions; a condition may only depend on another question of the same event."""
    from .models import Question

    choice_kinds = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
    with transaction.atomic():
        if question.shown_if_question_id and (
            question.shown_if_question.event_id != question.event_id
            or question.shown_if_question_id == question.pk
        ):
            raise RegistrationError(_("Choose a condition on another question of this event."))
        question.save()
        for option in removed:
            if option.pk and option.question_id == question.pk:
                option.delete()
        if question.kind in choice_kinds:
            for position, option in enumerate(options):
                option.question = question
                option.position = position
                option.save()
        else:
            question.options.all().delete()
        return question


def question_delete(*, question, actor) -> None:
    """Remove a question, its answers and the questions shown only for its answers."""
    with transaction.atomic():
        question.delete()


def questions_reorder(*, event: Event, order: list[int], actor) -> None:
    """Number the event's questions in the order given (keys of its questions; the others
    keep their relative order after them)."""
    from .models import Question

    with transaction.atomic():
        questions = {question.pk: question for question in Question.objects.filter(event=event)}
        keys = [pk for pk in order if pk in questions]
        keys += [pk for pk in questions if pk not in keys]
        for position, pk in enumerate(keys):
            if questions[pk].position != position:
                Question.objects.filter(pk=pk).update(position=position)
