"""Reads of events and programmes, shared by pages, feeds and exports.

Who may see what is decided here, once: drafts are visible only to their organisers.
"""

import functools
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField, Count, Field, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Event, Organisation, ProgrammeItem


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


def event_rows(model, select: str, *, output_field: type[Field], **equal) -> RawSQL:
    """A subquery on the rows of ``model`` that belong to the event of the outer query
    (``model.event``), for ``QuerySet.annotate``: ``select`` is the select list (``1``, a
    column name), ``equal`` the other columns' values (passed as parameters).

    Written as SQL because the registration path annotates the event with several of
    them, and compiling one ``Exists(Model.objects.filter(...))`` each cost more than the
    event's query itself. The text is built once per shape.
    """
    sql = _event_rows_sql(model, select, tuple(equal))
    return RawSQL(sql, tuple(equal.values()), output_field=_output(output_field))  # noqa: S611


def event_has_rows(model, **equal) -> RawSQL:
    """EXISTS (a row of ``model`` for the outer query's event): see ``event_rows``."""
    sql = f"EXISTS ({_event_rows_sql(model, '1', tuple(equal))})"
    return RawSQL(sql, tuple(equal.values()), output_field=_output(BooleanField))  # noqa: S611


@functools.cache
def _event_rows_sql(model, select: str, names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)

    def column(name: str) -> str:
        return f"{table}.{quote(model._meta.get_field(name).column)}"

    outer = f"{quote(Event._meta.db_table)}.{quote(Event._meta.pk.column)}"
    conditions = [f"{column('event')} = {outer}", *(f"{column(name)} = %s" for name in names)]
    select = column(select) if select != "1" else select
    # Only quoted names from the models' metadata go into the text; values are parameters.
    return f"SELECT {select} FROM {table} WHERE {' AND '.join(conditions)}"  # noqa: S608


def event_row(
    names: tuple[str, ...], *, by: str, value, extra: tuple[RawSQL, ...] = (), lock=False
) -> tuple | None:
    """The columns ``names`` of the event whose field ``by`` (``"slug"``, ``"id"``) equals
    ``value``, then the value of each ``extra`` subquery (``event_rows``), as the ORM would
    return them (converted for the database backend); None when there is no such event.
    ``lock``: ``SELECT ... FOR NO KEY UPDATE`` (where the database has row locks): other
    such locks wait, rows that refer to the event can still be written meanwhile.

    One plain statement, written once per shape: the registration path reads its event's
    live columns twice per request (before the form, and under the lock), and building a
    queryset of this 50-column, six-language model each time cost more than the read.
    """
    sql, converters = _event_row_statement(
        names, by, tuple((raw.sql, type(raw.output_field)) for raw in extra), lock
    )
    params = [param for raw in extra for param in raw.params]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, value])
        row = cursor.fetchone()
    if row is None:
        return None
    return tuple(
        _converted(value, expression, functions)
        for value, (expression, functions) in zip(row, converters, strict=True)
    )


def _converted(value, expression, functions):
    for function in functions:
        value = function(value, expression, connection)
    return value


@functools.cache
def _event_row_statement(names, by, extra, lock) -> tuple[str, list]:
    quote = connection.ops.quote_name
    table = Event._meta.db_table
    expressions = [Event._meta.get_field(name).get_col(table) for name in names]
    expressions += [RawSQL(sql, (), output_field=_output(output)) for sql, output in extra]  # noqa: S611
    converters = [
        (
            expression,
            connection.ops.get_db_converters(expression) + expression.get_db_converters(connection),
        )
        for expression in expressions
    ]
    columns = [f"{quote(table)}.{quote(Event._meta.get_field(name).column)}" for name in names]
    columns += [f"({sql})" for sql, _output_field in extra]
    where = f"{quote(table)}.{quote(Event._meta.get_field(by).column)}"
    # Only quoted names from the model's metadata and event_rows' texts go into the text;
    # values are parameters.
    sql = f"SELECT {', '.join(columns)} FROM {quote(table)} WHERE {where} = %s"  # noqa: S608
    if lock and connection.features.has_select_for_no_key_update:
        sql += " FOR NO KEY UPDATE"
    elif lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql, converters


@functools.cache
def _output(field_class: type[Field]) -> Field:
    """One output field instance per type (building a Field is not free)."""
    return field_class()


def events_managed_by(user) -> QuerySet[Event]:
    """Events a user may change: all for superusers, else those whose team they are in."""
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(pk__in=user.organised_events.values("pk"))


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


def feed_version(events: QuerySet[Event]) -> ContentVersion:
    """What a feed of events (one entry each, at its venue) is made of, in one query: it
    changes whenever an entry is added, removed or edited."""
    summary = events.order_by().aggregate(
        count=Count("pk", distinct=True),
        changed=Max("updated_at"),
        venues_changed=Max("venue__updated_at"),
    )
    return _version(summary["count"], summary["changed"], summary["venues_changed"])


@dataclass(frozen=True)
class EventVersion:
    """The versions of what is shown of one event, read in one query (``event_version``).

    ``programme``: the event's row, its venue and its programme (items, their rooms,
    speakers and the speakers' organisations), what its calendar shows. ``page``: that,
    and what the event page adds: places taken (the event's and its workshops'), whether
    registering is offered (it ends at a moment), the host organisation.
    """

    programme: ContentVersion
    page: ContentVersion


def event_version(*, user, slug: str) -> EventVersion:
    """The versions of the event ``slug`` if ``user`` may see it (Event.DoesNotExist if
    not), from one aggregate query over its programme's rows, so that a page or feed
    knows whether it changed before it reads anything else.

    The rows are joined, so an item with several speakers is counted once per speaker:
    ``links`` counts the speaker links exactly, and the sum of places taken weighs each
    item by its speakers, which still changes whenever one item's places change.
    """
    item = "programme_items"
    row = (
        Event.objects.filter(event_visibility(user), slug=slug)
        .values(
            "pk",
            "status",
            "starts_at",
            "registration_closes_at",
            "places_taken",
            "updated_at",
            "venue__updated_at",
            "host__updated_at",
        )
        .annotate(
            items=Count(item, distinct=True),
            items_changed=Max(f"{item}__updated_at"),
            places_weighed=Sum(f"{item}__places_taken"),
            rooms_changed=Max(f"{item}__room__updated_at"),
            links=Count(f"{item}__speakers"),
            speakers_changed=Max(f"{item}__speakers__updated_at"),
            organisations_changed=Max(f"{item}__speakers__organisation__updated_at"),
        )
        .get()
    )
    programme = (
        row["pk"],
        row["updated_at"],
        row["venue__updated_at"],
        row["items"],
        row["items_changed"],
        row["rooms_changed"],
        row["links"],
        row["speakers_changed"],
        row["organisations_changed"],
    )
    # Event.offers_registration, from the row's values.
    offers_registration = row["status"] == Event.Status.PUBLISHED and timezone.now() < (
        row["registration_closes_at"] or row["starts_at"]
    )
    return EventVersion(
        programme=_version(*programme),
        page=_version(
            *programme,
            row["places_taken"],
            row["places_weighed"],
            offers_registration,
            row["host__updated_at"],
        ),
    )


def feed_event(*, slug: str) -> Event:
    return events_visible_to(AnonymousUser()).get(slug=slug)


def organisation_feed_version(*, slug: str) -> ContentVersion:
    """The version of an organisation's feed (its name, the events it hosts and their
    venues), in one query; Organisation.DoesNotExist if there is no such organisation."""
    public = ~Q(hosted_events__status=Event.Status.DRAFT)
    row = (
        Organisation.objects.filter(slug=slug)
        .values("pk", "updated_at")
        .annotate(
            events=Count("hosted_events", filter=public),
            events_changed=Max("hosted_events__updated_at", filter=public),
            venues_changed=Max("hosted_events__venue__updated_at", filter=public),
        )
        .get()
    )
    return _version(*row.values())
