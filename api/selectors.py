"""Reads of the API and the widget. Who may read what is decided by the apps below
(``events.selectors`` for public events, ``registrations.selectors`` for participants);
this module only narrows what they give."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from events import selectors as event_selectors
from events.models import Event, Organisation
from resources import selectors as resource_selectors
from resources.models import Resource

from .models import ApiToken
from .services import KEY_START, key_digest


def token_by_key(key: str) -> ApiToken | None:
    """The token behind a key (revoked and expired ones included: the caller says why it
    refuses them), or None."""
    if not key.startswith(KEY_START) or len(key) > 100:
        return None
    prefix, _sep, _secret = key.removeprefix(KEY_START).partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not constant_time_compare(key_digest(key), token.key_hash):
        return None
    return token


def tokens_of(user) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def public_events(
    *,
    when: str = "upcoming",
    kind: str = "",
    country: str = "",
    organisation: str = "",
    now: datetime | None = None,
) -> QuerySet[Event]:
    """What everyone sees of the events (never a draft), as on the public list; ``when``
    is ``upcoming`` (not yet ended, soonest first), ``past`` (latest first) or ``all``."""
    now = now or timezone.now()
    if when == "all":
        events = event_selectors.events_visible_to(AnonymousUser()).order_by("starts_at")
        if kind:
            events = events.filter(kind=kind)
        if country:
            events = events.filter(
                Q(venue__country=country) | Q(venue__isnull=True, host__country=country)
            )
    else:
        events = event_selectors.event_list(
            user=AnonymousUser(), past=when == "past", kind=kind, country=country, now=now
        )
    if organisation:
        events = events.filter(
            Q(host__slug=organisation) | Q(co_organisers__slug=organisation)
        ).distinct()
    return events.prefetch_related("co_organisers")


def public_event(*, slug: str) -> Event:
    """A public event; raises Event.DoesNotExist for a draft or an unknown slug."""
    return event_selectors.event_get(user=AnonymousUser(), slug=slug)


def public_resources(*, event: Event) -> QuerySet[Resource]:
    """The published resources of a public event (``resources.selectors`` decides which),
    with what their titles' fallbacks read (the event's language) in the same query."""
    return resource_selectors.resources_public(event=event).select_related("event", "item__event")


def public_resources_by_item(*, event: Event) -> tuple[list[Resource], dict[int, list[Resource]]]:
    """The same resources in one query, as the event's page shows them: those of the whole
    event, and those of each programme item (by the item's pk)."""
    whole_event: list[Resource] = []
    by_item: dict[int, list[Resource]] = {}
    for resource in public_resources(event=event):
        if resource.item_id:
            by_item.setdefault(resource.item_id, []).append(resource)
        else:
            whole_event.append(resource)
    return whole_event, by_item


def listed_organisations() -> QuerySet[Organisation]:
    """Only the organisations that agreed to appear in the public directory."""
    return Organisation.objects.filter(listed=True).order_by("name")


def organisations_with_public_events() -> QuerySet[Organisation]:
    """Listed organisations hosting or co-organising a public event: those a widget is
    offered for (``organisation_for_widget`` answers no other)."""
    public = event_selectors.events_visible_to(AnonymousUser()).values("pk")
    return (
        listed_organisations()
        .filter(Q(hosted_events__in=public) | Q(co_organised_events__in=public))
        .distinct()
        .order_by("name")
    )


def organisation_for_widget(*, slug: str) -> Organisation:
    """A listed organisation, for its widget; raises Organisation.DoesNotExist for any
    other (one that never agreed to be listed, or withdrew its consent).

    The widget is a page of its own about the organisation, framed on other sites: like
    the directory, it exists only with the organisation's consent. The older calendar
    feed of an organisation's events (``events:organisation_feed``) is left open to
    any organisation on purpose: it lists public events, whose hosts are public on each
    event's page anyway."""
    return listed_organisations().get(slug=slug)


def organisation_upcoming_events(*, organisation: Organisation) -> QuerySet[Event]:
    return public_events(organisation=organisation.slug)
