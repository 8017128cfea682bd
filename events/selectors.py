"""Reads of events and programmes, shared by pages, feeds and exports.

Who may see what is decided here, once: drafts are visible only to their organisers.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from .models import Event, ProgrammeItem, Room, Speaker, Venue


def events_visible_to(user) -> QuerySet[Event]:
    """Published and cancelled events for everyone; drafts only for their organisers."""
    return Event.objects.select_related("venue", "host").filter(event_visibility(user))


def event_visibility(user) -> Q:
    """The condition behind ``events_visible_to``, for a query of events built elsewhere."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    public = ~Q(status=Event.Status.DRAFT)
    if user.is_authenticated:
        return public | Q(pk__in=user.organised_events.values("pk"))
    return public


def events_managed_by(user) -> QuerySet[Event]:
    """Events a user may change: all for superusers, else those whose team they are in."""
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(pk__in=user.organised_events.values("pk"))


def venues_offered_to(user) -> QuerySet[Venue]:
    """Venues an organiser may choose for an event: those of the events they organise and
    those already on public pages; every venue for superusers."""
    if user.is_superuser:
        return Venue.objects.all()
    return Venue.objects.filter(
        Q(events__in=events_managed_by(user)) | Q(events__in=Event.objects.published())
    ).distinct()


def rooms_offered_to(user) -> QuerySet[Room]:
    """Rooms an organiser may give a programme item: those of the venues of the events
    they organise (an item's room must be in its event's venue anyway)."""
    if user.is_superuser:
        return Room.objects.select_related("venue")
    return (
        Room.objects.filter(venue__events__in=events_managed_by(user))
        .select_related("venue")
        .distinct()
    )


def speakers_offered_to(user) -> QuerySet[Speaker]:
    """Speakers an organiser may put in a programme: those of the events they organise and
    those already on public programmes; every speaker for superusers."""
    if user.is_superuser:
        return Speaker.objects.all()
    return Speaker.objects.filter(
        Q(programme_items__event__in=events_managed_by(user))
        | Q(programme_items__event__in=Event.objects.published())
    ).distinct()


def accounts_offered_to(user) -> QuerySet:
    """Accounts an organiser may add to the team of an event they organise: themselves and
    the members of the teams they are in, never the other accounts (participants,
    coordinators, other events' organisers). Every account for superusers."""
    accounts = get_user_model().objects.order_by("last_name", "first_name", "email")
    if user.is_superuser:
        return accounts
    if not user.is_authenticated:
        return accounts.none()
    return accounts.filter(
        Q(pk=user.pk) | Q(organised_events__in=events_managed_by(user))
    ).distinct()


def event_list(
    *, user, past: bool = False, kind: str = "", country: str = "", now: datetime | None = None
) -> QuerySet[Event]:
    now = now or timezone.now()
    events = events_visible_to(user)
    if past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at")
    if kind:
        events = events.filter(kind=kind)
    if country:
        events = events.filter(
            Q(venue__country=country) | Q(venue__isnull=True, host__country=country)
        )
    return events


def event_countries(*, user) -> list[tuple[str, str]]:
    """Countries where visible events take place, for the filter's choices."""
    seen: dict[str, str] = {}
    for event in events_visible_to(user):
        country = event.country
        if country:
            seen[country.code] = country.name
    return sorted(seen.items(), key=lambda item: item[1])


def event_get(*, user, slug: str) -> Event:
    """The event if ``user`` may see it; raises Event.DoesNotExist otherwise."""
    return events_visible_to(user).get(slug=slug)


@dataclass
class ProgrammeSlot:
    starts_at: datetime
    items: list[ProgrammeItem] = field(default_factory=list)

    @property
    def is_parallel(self) -> bool:
        return len(self.items) > 1


@dataclass
class ProgrammeDay:
    day: date
    slots: list[ProgrammeSlot] = field(default_factory=list)


def programme_items(*, event: Event) -> QuerySet[ProgrammeItem]:
    """The event's items, each with its room and speakers. Read through the event's own
    manager, so every ``item.event`` is ``event`` itself (its venue loaded once), not a
    copy of the event and its venue joined to every item."""
    return (
        event.programme_items.select_related("room")
        .prefetch_related("speakers__organisation")
        .order_by("starts_at", "room__position", "room__name", "pk")
    )


def programme_days(*, event: Event) -> list[ProgrammeDay]:
    """The programme day by day (in the event's time zone); items starting together form
    one slot, shown side by side by room when they run in parallel."""
    days: OrderedDict[date, ProgrammeDay] = OrderedDict()
    for item in programme_items(event=event):
        local_start = event.local(item.starts_at)
        day = days.setdefault(local_start.date(), ProgrammeDay(day=local_start.date()))
        if not day.slots or day.slots[-1].starts_at != item.starts_at:
            day.slots.append(ProgrammeSlot(starts_at=item.starts_at))
        day.slots[-1].items.append(item)
    return list(days.values())


# --- calendar feeds (read by calendar clients: never logged in, never drafts) -------------

FEED_HISTORY = timedelta(days=92)


def network_feed_events(*, now: datetime | None = None) -> QuerySet[Event]:
    """Every published (or cancelled) event: upcoming, and the last three months."""
    now = now or timezone.now()
    return (
        events_visible_to(AnonymousUser())
        .filter(ends_at__gte=now - FEED_HISTORY)
        .order_by("starts_at")
    )


def organisation_feed_events(*, organisation) -> QuerySet[Event]:
    return events_visible_to(AnonymousUser()).filter(host=organisation).order_by("starts_at")


def feed_event(*, slug: str) -> Event:
    return events_visible_to(AnonymousUser()).get(slug=slug)


def feed_version(events: QuerySet[Event], *, with_items: bool = False) -> str:
    """What a feed's ETag is made of: it changes whenever any entry in it changes."""
    summary = events.aggregate(count=Count("pk", distinct=True), changed=Max("updated_at"))
    version = f"{summary['count']}:{summary['changed']}"
    if with_items:
        items = ProgrammeItem.objects.filter(event__in=events).aggregate(
            count=Count("pk"), changed=Max("updated_at")
        )
        version += f":{items['count']}:{items['changed']}"
    return version
