"""Reads of registrations. Who may see which registration is decided here, once."""

from django.db.models import Q, QuerySet

from events.models import Event, Organisation

from .models import Registration


def registration_by_secret(secret: str) -> Registration | None:
    """The registration behind a private link (the link is the credential)."""
    if not secret or len(secret) > 64:
        return None
    return (
        Registration.objects.select_related("event__venue", "event__host", "organisation")
        .prefetch_related("workshop_choices__item__room")
        .filter(secret=secret)
        .first()
    )


def verified_emails(user) -> list[str]:
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return []
    return [
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def registrations_of_user(user) -> QuerySet[Registration]:
    """A person's registrations: those made while logged in, and every one made with an
    address they have verified."""
    if not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(Q(user=user) | Q(email__in=verified_emails(user)))
        .select_related("event__venue", "event__host")
        .prefetch_related("workshop_choices__item")
        .order_by("-event__starts_at")
    )


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITLISTED,
        )
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def organisations_coordinated_by(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return user.coordinated_organisations.all()


def delegation(*, user, event: Event, organisation: Organisation) -> QuerySet[Registration]:
    """An organisation's registrations for an event, for its coordinators only."""
    if not organisation.coordinators.filter(pk=user.pk).exists():
        return Registration.objects.none()
    return (
        Registration.objects.filter(event=event, organisation=organisation)
        .select_related("event")
        .order_by("status", "last_name", "first_name")
    )
