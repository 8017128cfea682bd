"""Reads of events and programmes, shared by pages, feeds and exports.

Who may see what is decided here, once: drafts are visible only to their organisers.
"""

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from . import signals
from .collation import sorted_countries
from .models import (
    Event,
    NetworkIdentity,
    Organisation,
    ProgrammeChange,
    ProgrammeItem,
    Speaker,
    Venue,
)


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
    codes = {event.country.code for event in events_visible_to(user) if event.country}
    return sorted_countries(codes)


@dataclass(frozen=True)
class PublicPlaces:
    """An event's places as the public page tells them: what a person without a
    partner's reserved place can take (``open``), and the places still reserved for
    partner organisations until ``release_at`` (None: until registration closes)."""

    capacity: int | None
    open: int | None = None
    reserved: int = 0
    release_at: datetime | None = None


def public_places(*, event: Event, now: datetime | None = None) -> PublicPlaces:
    """As ``registrations.services.Places.free_for`` counts them for someone without a
    quota: places reserved for a partner and not taken yet are not open before their
    release time."""
    if event.capacity is None:
        return PublicPlaces(capacity=None)
    now = now or timezone.now()
    quotas = list(event.quotas.filter(Q(release_at__isnull=True) | Q(release_at__gt=now)))
    reserved, release_at = 0, None
    if quotas:
        holding = event.registrations.model.HOLDING
        held = dict(
            event.registrations.filter(
                status__in=holding, organisation__in=[quota.organisation_id for quota in quotas]
            )
            .order_by()
            .values("organisation")
            .annotate(held=Count("pk"))
            .values_list("organisation", "held")
        )
        left = {quota: quota.places - held.get(quota.organisation_id, 0) for quota in quotas}
        outstanding = [quota for quota, count in left.items() if count > 0]
        reserved = sum(left[quota] for quota in outstanding)
        dates = [quota.release_at for quota in outstanding if quota.release_at]
        release_at = min(dates) if dates else None
    free = max(event.capacity - event.places_taken - reserved, 0)
    return PublicPlaces(
        capacity=event.capacity, open=free, reserved=reserved, release_at=release_at
    )


def confirmed_registrations_count(*, event: Event) -> int:
    """How many people hold a confirmed place (said before unpublishing the event)."""
    registrations = event.registrations
    return registrations.filter(status=registrations.model.Status.CONFIRMED).count()


def item_chosen_count(*, item: ProgrammeItem) -> int:
    """How many people with a registration still running chose the workshop ``item``
    (said before cancelling it)."""
    status = item.event.registrations.model.Status
    return (
        item.choices.exclude(registration__status__in=(status.CANCELLED, status.REJECTED))
        .values("registration")
        .distinct()
        .count()
    )


def event_get(*, user, slug: str) -> Event:
    """The event if ``user`` may see it; raises Event.DoesNotExist otherwise."""
    return events_visible_to(user).get(slug=slug)


def event_for_registration(*, user, slug: str) -> Event:
    """The event as its registration form and rules read it, if ``user`` may see it
    (raises Event.DoesNotExist otherwise): without the venue and host that the event's
    pages join (about half of the read's cost), which the form does not show."""
    return Event.objects.filter(event_visibility(user)).get(slug=slug)


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


def programme_moves(days: list[ProgrammeDay]) -> dict[int, dict[str, ProgrammeItem]]:
    """For the setup page's "move up" and "move down": ``{item id: {"up"|"down": the item
    it would swap places with}}``. An item alone at its time (not cancelled) swaps with the
    one just before or after it on the same day when that one is alone at its time too;
    parallel sessions move by editing their time."""
    moves: dict[int, dict[str, ProgrammeItem]] = {}
    for day in days:
        single = [
            slot.items[0] if len(slot.items) == 1 and not slot.items[0].cancelled else None
            for slot in day.slots
        ]
        for index, item in enumerate(single):
            if item is None:
                continue
            if index > 0 and single[index - 1] is not None:
                moves.setdefault(item.pk, {})["up"] = single[index - 1]
            if index + 1 < len(single) and single[index + 1] is not None:
                moves.setdefault(item.pk, {})["down"] = single[index + 1]
    return moves


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
    """The events an organisation hosts or co-organises."""
    return (
        events_visible_to(AnonymousUser())
        .filter(Q(host=organisation) | Q(pk__in=organisation.co_organised_events.values("pk")))
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class ContentVersion:
    """When what a page or feed shows last changed (``changed``, for Last-Modified) and a
    token that changes with every edit of it (``token``, for ETags and cache keys)."""

    changed: datetime | None
    token: str


def _version(*parts) -> ContentVersion:
    moments = [part for part in parts if isinstance(part, datetime)]
    token = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return ContentVersion(changed=max(moments, default=None), token=token)


def network_feed_version() -> tuple[ContentVersion, str]:
    """What the network's feed (one entry per event, at its venue) is made of, and the
    network's name (the feed's name), in one query: it changes whenever an entry is
    added, removed or edited, or the network renamed."""
    summary = (
        network_feed_events()
        .order_by()
        .aggregate(
            count=Count("pk", distinct=True),
            changed=Max("updated_at"),
            venues_changed=Max("venue__updated_at"),
            network=Max(Subquery(NetworkIdentity.objects.filter(pk=1).values("name")[:1])),
        )
    )
    name = summary["network"] or NetworkIdentity.DEFAULT_NAME
    version = _version(summary["count"], summary["changed"], summary["venues_changed"], name)
    return version, name


@dataclass(frozen=True)
class EventVersion:
    """The versions of what is shown of one event, read from its row (``event_version``).

    ``programme``: what its calendar shows: the event's row and what
    ``content_changed_at`` follows (its programme, rooms, speakers, venue and
    organisations, and what the apps above add to its page: resources, project, series).
    ``page``: that, and what the event page adds: places taken (the event's on its row;
    its workshops' mark ``content_changed_at``), whether registering is offered (it ends
    at a moment) and the network's header and footer.
    """

    programme: ContentVersion
    page: ContentVersion
    #: The network identity's ``updated_at`` (None: not set), for ``network_identity``.
    network_changed: datetime | None = None


#: The columns of the event's row that its versions are made of.
_VERSION_FIELDS = (
    "pk",
    "status",
    "starts_at",
    "registration_closes_at",
    "places_taken",
    "sequence",
    "updated_at",
    "content_changed_at",
)


def _programme_parts(row: dict) -> tuple:
    return (row["pk"], row["updated_at"], row["content_changed_at"], row["sequence"])


def event_version(*, user, slug: str) -> EventVersion:
    """The versions of the event ``slug`` if ``user`` may see it (Event.DoesNotExist if
    not), from its row alone, so that a page or feed knows whether it changed before it
    reads anything else. Whether ``user`` may see a draft (its organisers only, as
    ``event_visibility`` says) is asked only when it is one: the query of every other
    event is the same for every reader."""
    row = (
        Event.objects.values(*_VERSION_FIELDS)
        .annotate(network_changed=network_changed_subquery())
        .get(slug=slug)
    )
    if (
        row["status"] == Event.Status.DRAFT
        and not events_managed_by(user).filter(pk=row["pk"]).exists()
    ):
        raise Event.DoesNotExist
    # Event.offers_registration, from the row's values.
    offers_registration = row["status"] == Event.Status.PUBLISHED and timezone.now() < (
        row["registration_closes_at"] or row["starts_at"]
    )
    programme = _programme_parts(row)
    return EventVersion(
        programme=_version(*programme),
        page=_version(
            *programme,
            row["places_taken"],
            offers_registration,
            row["network_changed"],  # the page's header and footer
        ),
        network_changed=row["network_changed"],
    )


def event_programme_version(*, slug: str) -> ContentVersion:
    """What the calendar of the published (or cancelled) event ``slug`` shows: its row and
    what ``content_changed_at`` follows (``EventVersion.programme``), read from those
    columns alone; Event.DoesNotExist if there is no such event."""
    row = (
        Event.objects.published()
        .values("pk", "updated_at", "content_changed_at", "sequence")
        .get(slug=slug)
    )
    return _version(*_programme_parts(row))


@dataclass
class EventPageAddition:
    """What an app above adds to the public event page (``signals.event_page_additions``),
    rendered by its own templates: a section after the programme, and a part of each
    programme item's card (by item id). Plain strings are escaped when merged."""

    section: str = ""
    item_parts: dict[int, str] = field(default_factory=dict)


def event_page_additions(*, event: Event) -> EventPageAddition:
    """What the apps above add to the event page, merged."""
    sections: list[str] = []
    parts: dict[int, list[str]] = {}
    for _receiver, answer in signals.event_page_additions.send(sender=Event, event=event):
        if not answer:
            continue
        sections.append(conditional_escape(answer.section))
        for item_id, part in answer.item_parts.items():
            parts.setdefault(item_id, []).append(conditional_escape(part))
    return EventPageAddition(
        section=_joined(sections),
        item_parts={item_id: _joined(pieces) for item_id, pieces in parts.items()},
    )


def _joined(pieces: list[str]) -> SafeString:
    # Each piece is escaped already (conditional_escape keeps what is safe as it is).
    return mark_safe("".join(pieces))  # noqa: S308


def feed_event(*, slug: str) -> Event:
    return events_visible_to(AnonymousUser()).get(slug=slug)


def organisation_feed_version(*, slug: str) -> ContentVersion:
    """The version of an organisation's feed (its name, the events it hosts or
    co-organises and their venues), in one query; Organisation.DoesNotExist if there is no
    such organisation."""
    hosted = ~Q(hosted_events__status=Event.Status.DRAFT)
    co_organised = ~Q(co_organised_events__status=Event.Status.DRAFT)
    row = (
        Organisation.objects.filter(slug=slug)
        .values("pk", "updated_at")
        .annotate(
            events=Count("hosted_events", filter=hosted, distinct=True),
            events_changed=Max("hosted_events__updated_at", filter=hosted),
            venues_changed=Max("hosted_events__venue__updated_at", filter=hosted),
            co_events=Count("co_organised_events", filter=co_organised, distinct=True),
            co_changed=Max("co_organised_events__updated_at", filter=co_organised),
            co_venues_changed=Max("co_organised_events__venue__updated_at", filter=co_organised),
        )
        .get()
    )
    return _version(*row.values())


# --- organisers' setup pages ----------------------------------------------------------------

#: Members of this group may create events (and become the new event's organisers).
ORGANISERS_GROUP = "Organisers"


def events_organised_by(user) -> QuerySet[Event]:
    """Events whose setup pages ``user`` may open: every event for superusers, else those
    whose organising team they are in. Anyone else gets a 404 on those pages."""
    return events_managed_by(user)


def may_create_events(user) -> bool:
    """Superusers, members of the Organisers group, and anyone already in an event's
    organising team may create events (they become the new event's organisers)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=ORGANISERS_GROUP).exists() or user.organised_events.exists()


def event_for_setup(*, user, slug: str) -> Event:
    """The event if ``user`` may set it up; raises Event.DoesNotExist otherwise."""
    return events_organised_by(user).select_related("venue", "host").get(slug=slug)


def _only_used_by_own_events(user, used_by: QuerySet[Event], created_by_id) -> bool:
    if user.is_superuser:
        return True
    if created_by_id is not None and created_by_id == user.pk:
        # Its creator keeps it: another team choosing it for their event (a draft, even)
        # does not lock them out of the place they described.
        return True
    own = events_managed_by(user).values("pk")
    if used_by.exclude(pk__in=own).exists():
        return False  # shared with an event this user does not organise
    return used_by.exists() or created_by_id == user.pk


def venue_editable_by(user, venue: Venue) -> bool:
    """An organiser edits a venue (and its rooms) if they created it, whoever else uses
    it; else only while no event of someone else uses it (each event they organise)."""
    return _only_used_by_own_events(user, Event.objects.filter(venue=venue), venue.created_by_id)


def venue_used_by_others(user, venue: Venue) -> bool:
    """Whether events ``user`` does not organise use ``venue`` (its creator edits it all
    the same, and is told their changes show on those events' pages)."""
    own = events_managed_by(user).values("pk")
    return Event.objects.filter(venue=venue).exclude(pk__in=own).exists()


def speaker_editable_by(user, speaker: Speaker) -> bool:
    """The same rule as venues, for speakers (their bio shows on public pages)."""
    used_by = Event.objects.filter(programme_items__speakers=speaker).distinct()
    return _only_used_by_own_events(user, used_by, speaker.created_by_id)


def _offered_or_created(user, model, offered: QuerySet):
    if user.is_superuser:
        return model.objects.all()
    return model.objects.filter(Q(pk__in=offered.values("pk")) | Q(created_by=user)).distinct()


def venues_for_setup(user) -> QuerySet[Venue]:
    """Venues an organiser may choose, and those they created."""
    return _offered_or_created(user, Venue, venues_offered_to(user))


def speakers_for_setup(user) -> QuerySet[Speaker]:
    """Speakers an organiser may choose, and those they created."""
    return _offered_or_created(user, Speaker, speakers_offered_to(user))


def team_accounts_offered(*, user, event: Event) -> QuerySet:
    """Accounts an organiser may put in an event's organising team: those
    ``accounts_offered_to`` gives (members of the teams they are in) and the event's
    current team (people of a co-organising organisation a superuser added). Never the
    coordinators of an organisation just because it was named co-organiser: naming one
    would otherwise list its people."""
    accounts = accounts_offered_to(user)
    if user.is_superuser:
        return accounts
    return (
        get_user_model()
        .objects.filter(Q(pk__in=accounts.values("pk")) | Q(pk__in=event.organisers.values("pk")))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def programme_changes_pending(*, event: Event) -> QuerySet[ProgrammeChange]:
    """Changes to the published programme not announced yet."""
    return event.programme_changes.filter(announced_at__isnull=True).select_related(
        "event", "item__event"
    )


def programme_changes_public(*, event: Event) -> QuerySet[ProgrammeChange]:
    """What changed in the programme, as the event page lists it (latest first)."""
    return event.programme_changes.select_related("event", "item__event").order_by(
        "-created_at", "-pk"
    )


@dataclass
class LanguageCompleteness:
    code: str
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def event_completeness(*, event: Event) -> list[LanguageCompleteness]:
    """For each language the event is offered in, which of its texts are still empty
    (the event's own texts and its programme items' titles)."""
    from modeltranslation.utils import build_localized_fieldname

    languages = event.languages or [event.default_language]
    required = ("title", "summary", "description", "privacy_notice")
    items = list(event.programme_items.all())
    result = []
    for code in languages:
        missing = [
            name
            for name in required
            if not getattr(event, build_localized_fieldname(name, code), "")
        ]
        if any(not getattr(item, build_localized_fieldname("title", code), "") for item in items):
            missing.append("programme")
        result.append(LanguageCompleteness(code=code, missing=missing))
    return result


def programme_changes_listed(*, ids: list[int]) -> list[ProgrammeChange]:
    """The changes of an announcement email, in the order they were made."""
    return list(
        ProgrammeChange.objects.filter(pk__in=ids)
        .select_related("event", "item__event")
        .order_by("created_at", "pk")
    )


# --- the network's identity -------------------------------------------------------------


def network_identity() -> NetworkIdentity:
    """The network's name, logo, colours and contact: its one row, read in one query (so
    an edit shows at the next request, with no cache to clear), or the defaults (an
    unsaved row) when a superuser has set nothing."""
    return NetworkIdentity.objects.filter(pk=1).first() or NetworkIdentity()


def network_identity_cached(*, changed: datetime | None) -> NetworkIdentity:
    """``network_identity`` when a query read the row's ``updated_at`` already (``changed``,
    None: no row; ``event_version`` reads it): from Django's cache, keyed on it."""
    key = f"events:network:{changed.timestamp() if changed else 'none'}"
    return cache.get_or_set(key, network_identity, NETWORK_CACHE_SECONDS)


NETWORK_CACHE_SECONDS = 24 * 60 * 60


def network_changed_subquery() -> Subquery:
    """The network row's ``updated_at``, as a column of another query."""
    return Subquery(NetworkIdentity.objects.filter(pk=1).values("updated_at")[:1])


def programme_slot_split(*, item: ProgrammeItem, starts_at: datetime) -> list[ProgrammeItem]:
    """The workshops ``item`` runs in parallel with now (same start: people choose one of
    them) that it would leave if it started at ``starts_at`` instead."""
    if not item.pk or item.kind != ProgrammeItem.Kind.WORKSHOP or item.cancelled:
        return []
    previous = ProgrammeItem.objects.filter(pk=item.pk).values_list("starts_at", flat=True).get()
    if previous == starts_at:
        return []
    return list(
        ProgrammeItem.objects.filter(
            event_id=item.event_id,
            kind=ProgrammeItem.Kind.WORKSHOP,
            cancelled=False,
            starts_at=previous,
        )
        .exclude(pk=item.pk)
        .select_related("event")
        .order_by("room__position", "pk")
    )
