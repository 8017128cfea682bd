"""Reads of registrations. Who may see which registration is decided here, once."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.crypto import constant_time_compare

from events.models import Event, NetworkIdentity, Organisation, ProgrammeItem

from .models import Answer, PersonalFeed, Registration, WorkshopChoice


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


def registration_workshops(registration: Registration) -> list[WorkshopChoice]:
    """A registration's workshop choices in time order, each with its item, the item's
    room and event, in one query: what an email lists and its calendar invite describes
    (the email rendering reads them once for both)."""
    return list(registration.workshop_choices.select_related("item__room", "item__event"))


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
        # The feed's name is the network's: renaming it makes a new version.
        network=Max(Subquery(NetworkIdentity.objects.filter(pk=1).values("name")[:1])),
    )
    return ":".join(str(value) for value in summary.values()) + feed.secret[:4]


# --- the organisers' workspace -----------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceAccess:
    """What a user may see of an event's participants. ``organisations`` is None for the
    event's organisers (everyone), else the partner organisations they coordinate."""

    role: str  # "organiser" or "coordinator"
    organisations: frozenset[int] | None
    #: Whether sensitive answers (dietary and accessibility needs) are shown, in lists,
    #: the overview and exports: always to the event's organisers, to its partner
    #: coordinators only where the event says they need them.
    sees_sensitive_data: bool = False

    @property
    def is_organiser(self) -> bool:
        return self.role == "organiser"


def workspace_access(*, user, event: Event) -> WorkspaceAccess | None:
    """The one place deciding who sees an event's participants; None means nothing."""
    if not user.is_authenticated or (
        event.status == Event.Status.DRAFT
        and not (user.is_superuser or event.organisers.filter(pk=user.pk).exists())
    ):
        return None
    if user.is_superuser or event.organisers.filter(pk=user.pk).exists():
        return WorkspaceAccess("organiser", None, sees_sensitive_data=True)
    # A coordinator sees the event only if one of their organisations takes part in it.
    involved = Organisation.objects.filter(
        Q(registrations__event=event) | Q(quotas__event=event), coordinators=user
    ).values_list("pk", flat=True)
    coordinated = frozenset(involved)
    if coordinated:
        return WorkspaceAccess(
            "coordinator",
            coordinated,
            sees_sensitive_data=event.coordinators_see_sensitive_data,
        )
    return None


def events_in_workspace(*, user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    # Coordinators reach an event through their organisation once it is public; a draft
    # is its organising team's alone.
    coordinated = Q(registrations__organisation__coordinators=user) | Q(
        quotas__organisation__coordinators=user
    )
    return Event.objects.filter(
        Q(organisers=user) | (coordinated & ~Q(status=Event.Status.DRAFT))
    ).distinct()


def participants(*, access: WorkspaceAccess, event: Event) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event)
    if access.organisations is not None:
        registrations = registrations.filter(organisation_id__in=access.organisations)
    return registrations


SORTS = {
    "name": ("last_name", "first_name"),
    "organisation": ("organisation_name", "last_name"),
    "country": ("country", "last_name"),
    "status": ("status", "last_name"),
    "registered": ("created_at",),
}


@dataclass
class ParticipantFilter:
    search: str = ""
    statuses: list[str] = field(default_factory=list)
    organisation: int | None = None
    country: str = ""
    role: str = ""
    workshop: int | None = None
    answers: dict[int, str] = field(default_factory=dict)  # question id -> value
    sort: str = "name"
    descending: bool = False


def participant_list(
    *, access: WorkspaceAccess, event: Event, filters: ParticipantFilter
) -> QuerySet[Registration]:
    """The participants a user may see, filtered and sorted as on the screen; exports use
    exactly this list."""
    registrations = participants(access=access, event=event)
    if filters.search:
        for word in filters.search.split():
            registrations = registrations.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation_name__icontains=word)
            )
    if filters.statuses:
        registrations = registrations.filter(status__in=filters.statuses)
    if filters.organisation:
        registrations = registrations.filter(organisation_id=filters.organisation)
    if filters.country:
        registrations = registrations.filter(country=filters.country)
    if filters.role:
        registrations = registrations.filter(role=filters.role)
    if filters.workshop:
        registrations = registrations.filter(workshop_choices__item_id=filters.workshop)
    for question_id, value in filters.answers.items():
        if value in ("", None):
            continue
        answer = Answer.objects.filter(registration=OuterRef("pk"), question_id=question_id)
        if value in ("true", "false"):
            answer = answer.filter(value=(value == "true"))
        else:
            # A single choice is stored as "12", a multiple one as ["12", "15"].
            answer = answer.filter(Q(value=value) | Q(value__icontains=f'"{value}"'))
        registrations = registrations.filter(Exists(answer))
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.descending:
        order = tuple(f"-{name}" for name in order)
    return registrations.select_related("organisation").order_by(*order, "pk")


def event_overview(*, access: WorkspaceAccess, event: Event) -> dict:
    registrations = participants(access=access, event=event)
    by_status = dict(
        registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    holding = registrations.filter(status__in=Registration.HOLDING)
    by_organisation = list(
        holding.values("organisation_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation_name")
    )
    by_country = list(holding.values("country").annotate(n=Count("pk")).order_by("-n"))
    workshops = (
        ProgrammeItem.objects.filter(event=event, kind=ProgrammeItem.Kind.WORKSHOP)
        .annotate(
            visible_confirmed=Count(
                "choices", filter=Q(choices__status="confirmed", choices__registration__in=holding)
            ),
            visible_waiting=Count(
                "choices",
                filter=Q(choices__status="waitlisted", choices__registration__in=registrations),
            ),
        )
        .select_related("room", "event")
        .order_by("starts_at", "room__position")
    )
    return {
        "by_status": by_status,
        "by_organisation": by_organisation,
        "by_country": by_country,
        "workshops": workshops,
        **_overview_needs(access=access, holding=holding),
    }


def _overview_needs(*, access: WorkspaceAccess, holding: QuerySet[Registration]) -> dict:
    """The overview's dietary and accessibility needs; None for each when ``access`` does
    not see sensitive answers."""
    if not access.sees_sensitive_data:
        return {"dietary": None, "accessibility": None}
    dietary = list(
        holding.exclude(dietary_needs="")
        .values("dietary_needs")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    accessibility = list(
        holding.exclude(accessibility_needs="").values(
            "first_name", "last_name", "language", "country", "accessibility_needs"
        )
    )
    return {"dietary": dietary, "accessibility": accessibility}


def public_attendee_list(*, event: Event) -> QuerySet[Registration]:
    """Those who agreed to appear: name, organisation and country only."""
    return (
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, listed_publicly=True
        )
        .order_by("last_name", "first_name")
        .values("first_name", "last_name", "organisation_name", "country", "language")
    )


def registration_for_checkin(*, access: WorkspaceAccess, event: Event, uuid) -> Registration:
    return participants(access=access, event=event).get(uuid=uuid)
