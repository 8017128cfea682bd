"""Reads of registrations. Who may see which registration is decided here, once."""

from django.db.models import Count, Max, Q, QuerySet
from django.utils.crypto import constant_time_compare

from events.models import Event, Organisation

from .models import PersonalFeed, Registration


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


def personal_feed_by_token(token: str) -> PersonalFeed | None:
    """``<id>.<secret>``: found by id, the secret compared in constant time."""
    feed_id, _dot, secret = (token or "").partition(".")
    if not feed_id.isdigit() or not secret or len(secret) > 64:
        return None
    feed = PersonalFeed.objects.filter(pk=int(feed_id)).first()
    if feed is None or not constant_time_compare(secret, feed.secret):
        return None
    return feed


def personal_feed_registrations(feed: PersonalFeed) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(email=feed.email)
        .exclude(event__status="draft")
        .select_related("event__venue", "event__host")
        .prefetch_related(
            "workshop_choices__item__room",
            "workshop_choices__item__event__venue",
            "workshop_choices__item__speakers__organisation",
        )
        .order_by("event__starts_at")
    )


def personal_feed_version(feed: PersonalFeed) -> str:
    summary = personal_feed_registrations(feed).aggregate(
        count=Count("pk", distinct=True),
        changed=Max("updated_at"),
        sequence=Max("calendar_sequence"),
        event_changed=Max("event__updated_at"),
        item_changed=Max("workshop_choices__item__updated_at"),
        choices=Count("workshop_choices", distinct=True),
    )
    return ":".join(str(value) for value in summary.values()) + feed.secret[:4]
