"""Writes on events and programme items that others must hear about.

Moving an event or a workshop in time or place raises its calendar ``SEQUENCE`` and
announces the change (notifications then tells the people concerned).
"""

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signals
from .models import (
    Event,
    Organisation,
    ProgrammeChange,
    ProgrammeItem,
    Speaker,
    Venue,
    same_local_time,
)

EVENT_TIME_AND_PLACE = ("starts_at", "ends_at", "venue", "timezone", "online_url")
ITEM_TIME_AND_PLACE = ("starts_at", "ends_at", "room", "location")


def event_save(*, event: Event, changed: list[str] | tuple[str, ...], actor=None) -> Event:
    """Save an edited event (the admin's form) and announce what changed."""
    with transaction.atomic():
        previous = Event.objects.select_for_update().filter(pk=event.pk).first()
        moved = [name for name in EVENT_TIME_AND_PLACE if name in changed]
        if previous is not None and moved:
            event.sequence = previous.sequence + 1
        removed = previous is not None and set(_offered(previous)) - set(_offered(event))
        if removed:
            _texts_cleared(event, _offered(event))
        elif previous is not None and (rewritten := _rewritten(event, changed)):
            _texts_cleared(event, _offered(event), rewritten)
        event.save()
        if previous is None:
            return event
        if removed:
            for item in event.programme_items.all():
                if cleared := _texts_cleared(item, _offered(event)):
                    item.save(update_fields=cleared)
        if previous.timezone != event.timezone:
            # The programme keeps its local times: each item moves with the event's zone
            # (the event row first: the database checks each item against its dates).
            new_tz = zoneinfo.ZoneInfo(event.timezone)
            for item in event.programme_items.all():
                item.starts_at = same_local_time(item.starts_at, previous.tz, new_tz)
                item.ends_at = same_local_time(item.ends_at, previous.tz, new_tz)
                programme_item_save(
                    item=item, changed=["starts_at", "ends_at"], actor=actor, announce=False
                )
        if moved:
            signals.event_rescheduled.send(sender=Event, event=event, changed=moved, actor=actor)
        if "status" in changed and event.status == Event.Status.CANCELLED:
            Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
            event.refresh_from_db(fields=["sequence"])
            signals.event_cancelled.send(sender=Event, event=event, actor=actor)
        return event


def event_reschedule(
    *, event: Event, starts_at, ends_at, shift_programme: bool = True, actor=None
) -> Event:
    """Move an event (and, by default, its whole programme by the same amount)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        delta = starts_at - event.starts_at
        event.starts_at, event.ends_at = starts_at, ends_at
        event_save(event=event, changed=["starts_at", "ends_at"], actor=actor)
        if shift_programme and delta:
            # The event row first, then its items: the database checks each item against
            # the event's new dates.
            for item in event.programme_items.all():
                item.starts_at += delta
                item.ends_at += delta
                programme_item_save(
                    item=item, changed=["starts_at", "ends_at"], actor=actor, announce=False
                )
        return event


def programme_item_save(
    *, item: ProgrammeItem, changed, actor=None, announce: bool = True
) -> ProgrammeItem:
    with transaction.atomic():
        # "location_fr" changed: the location changed (it is written in each language).
        changed_fields = {name.rsplit("_", 1)[0] for name in changed if name[:9] == "location_"}
        changed_fields.update(changed)
        moved = [name for name in ITEM_TIME_AND_PLACE if name in changed_fields]
        if item.pk and moved:
            item.sequence = (
                ProgrammeItem.objects.filter(pk=item.pk).values_list("sequence", flat=True).get()
                + 1
            )
        is_new = item.pk is None
        item.save()
        if moved and not is_new and announce:
            signals.programme_item_changed.send(
                sender=ProgrammeItem, item=item, changed=moved, actor=actor
            )
        return item


# --- organisers' setup pages ----------------------------------------------------------------


def _texts_cleared(obj, offered, names=None) -> list[str]:
    """Empty ``obj``'s texts (``names``, else all) in the languages not ``offered``:
    nobody can edit them on the setup pages, so once the event stops offering their
    language, or the text is rewritten in the languages it offers, they are out of date
    (a copy's texts from the event it was copied from): the public pages and emails fall
    back to the event's own language rather than show them. Returns the columns emptied."""
    cleared = []
    for name in names or obj.TRANSLATED_FIELDS:
        for code in settings.MODELTRANSLATION_LANGUAGES:
            column = f"{name}_{code}"
            if code not in offered and getattr(obj, column):
                setattr(obj, column, None if obj._meta.get_field(column).null else "")
                cleared.append(column)
    return cleared


def _offered(event: Event) -> list[str]:
    return event.languages or [event.default_language]


def _rewritten(obj, changed) -> list[str]:
    """The translated texts among the ``changed`` columns ("title_en" → "title")."""
    return [
        name for name in obj.TRANSLATED_FIELDS if any(c.startswith(f"{name}_") for c in changed)
    ]


def event_create(
    *, event: Event, actor, co_organisers: Iterable[Organisation] = (), organisers=()
) -> Event:
    """Create an event as a draft; ``actor`` joins its organising team."""
    with transaction.atomic():
        event.status = Event.Status.DRAFT
        event.save()
        event.organisers.add(actor, *organisers)
        event.co_organisers.set(co_organisers)
        return event


def _shift_days(moment: datetime | None, *, days: int, tz, to_tz=None) -> datetime | None:
    """``moment`` moved by whole days in the time zone ``tz``, keeping its time of day
    there (across a change of summer time, too), or the same time of day in ``to_tz``."""
    if moment is None:
        return None
    local = timezone.localtime(moment, tz)
    day = local.date() + timedelta(days=days)
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=to_tz or tz)


EVENT_FIELDS_NOT_COPIED = {
    "id",
    "uuid",
    "slug",
    "status",
    "places_taken",
    "sequence",
    "created_at",
    "updated_at",
}
ITEM_FIELDS_NOT_COPIED = {
    "id",
    "uuid",
    "event",
    "places_taken",
    "sequence",
    "cancelled",
    "updated_at",
}


def event_copy(*, source: Event, slug: str, first_day: date, actor, time_zone: str = "") -> Event:
    """A draft copy of ``source`` starting on ``first_day``: its texts in every language,
    venue, co-organisers and settings, and its programme (cancelled items left out)
    moved by the same number of days, each item at the same local time of day (in
    ``time_zone`` when the copy takes place in another one). The apps above copy their
    own configuration on ``signals.event_copied``."""
    days = (first_day - source.local_starts_at.date()).days
    tz = source.tz
    to_tz = zoneinfo.ZoneInfo(time_zone) if time_zone else tz
    with transaction.atomic():
        copy = Event()
        for field in Event._meta.concrete_fields:
            if field.name not in EVENT_FIELDS_NOT_COPIED:
                setattr(copy, field.attname, getattr(source, field.attname))
        copy.slug = slug
        copy.status = Event.Status.DRAFT
        copy.timezone = time_zone or source.timezone
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            setattr(copy, name, _shift_days(getattr(source, name), days=days, tz=tz, to_tz=to_tz))
        copy.save()
        copy.organisers.add(actor)
        copy.co_organisers.set(source.co_organisers.all())
        for item in source.programme_items.filter(cancelled=False).prefetch_related("speakers"):
            new = ProgrammeItem(event=copy)
            for field in ProgrammeItem._meta.concrete_fields:
                if field.name not in ITEM_FIELDS_NOT_COPIED:
                    setattr(new, field.attname, getattr(item, field.attname))
            new.starts_at = _shift_days(item.starts_at, days=days, tz=tz, to_tz=to_tz)
            new.ends_at = _shift_days(item.ends_at, days=days, tz=tz, to_tz=to_tz)
            new.save()
            new.speakers.set(item.speakers.all())
        signals.event_copied.send(sender=Event, source=source, copy=copy, actor=actor)
        return copy


def event_publish(*, event: Event, actor) -> Event:
    """Put a draft on the public pages (and open its registration window)."""
    event.status = Event.Status.PUBLISHED
    return event_save(event=event, changed=["status"], actor=actor)


def event_unpublish(*, event: Event, actor) -> Event:
    """Take a published event back to a draft that only its organisers see."""
    event.status = Event.Status.DRAFT
    return event_save(event=event, changed=["status"], actor=actor)


def _place(item: ProgrammeItem) -> str:
    """The item's room or other place, named in the event's default language (a record
    of the change keeps one name)."""
    language = item.event.default_language
    if item.room_id:
        return item.room.i18n.in_language("name", language)
    return item.i18n.in_language("location", language)


def _place_names(item: ProgrammeItem) -> dict[str, str]:
    """The item's room or other place in each language, as a reader of that language
    gets it (with the event's fallbacks): a record of a change names it in each."""
    names = {}
    for code in settings.MODELTRANSLATION_LANGUAGES:
        if item.room_id:
            names[code] = item.room.i18n.in_language("name", code)
        else:
            names[code] = item.i18n.in_language("location", code)
    return names


def _speaker_names(speakers, language: str) -> str:
    """The speakers' names as a text in ``language`` writes them, by family name."""
    ordered = sorted(speakers, key=lambda speaker: (speaker.last_name, speaker.first_name))
    return ", ".join(speaker.name_in(language) for speaker in ordered)


def _speaker_names_each(speakers) -> dict[str, str]:
    """The speakers' names in each language ("Kandikó Rita" in Hungarian, "Rita Kandikó"
    in the others): a record of a change names them as each reader writes them."""
    return {code: _speaker_names(speakers, code) for code in settings.MODELTRANSLATION_LANGUAGES}


def programme_item_setup_save(
    *, item: ProgrammeItem, changed: Iterable[str], speakers: Iterable[Speaker], actor
) -> ProgrammeItem:
    """Save an item from the setup pages. Once the event is published, what people would
    want to know (a new item, a new time, room or speakers) is recorded as
    ``ProgrammeChange`` rows, announced later in one batch
    (``programme_changes_announce``) rather than one email per edit."""
    changed = list(changed)
    speakers = list(speakers)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=item.event_id)
        previous = None
        if item.pk:
            previous = ProgrammeItem.objects.select_related("room").get(pk=item.pk)
            before_speakers = list(previous.speakers.select_related("organisation"))
            if rewritten := _rewritten(item, changed):
                _texts_cleared(item, _offered(event), rewritten)
        programme_item_save(item=item, changed=changed, actor=actor, announce=False)
        item.speakers.set(speakers)
        if event.status != Event.Status.PUBLISHED or item.cancelled:
            return item
        record = {
            "event": event,
            "item": item,
            "item_title": item.i18n.title,
            "workshop": item.kind == ProgrammeItem.Kind.WORKSHOP,
        }
        rows = []
        if previous is None:
            rows.append(
                ProgrammeChange(
                    kind=ProgrammeChange.Kind.ADDED, starts_after=item.starts_at, **record
                )
            )
        else:
            if previous.starts_at != item.starts_at or previous.ends_at != item.ends_at:
                rows.append(
                    ProgrammeChange(
                        kind=ProgrammeChange.Kind.TIME,
                        starts_before=previous.starts_at,
                        starts_after=item.starts_at,
                        **record,
                    )
                )
            if _place(previous) != _place(item):
                rows.append(
                    ProgrammeChange(
                        kind=ProgrammeChange.Kind.ROOM,
                        before=_place(previous),
                        after=_place(item),
                        before_names=_place_names(previous),
                        after_names=_place_names(item),
                        **record,
                    )
                )
            if {speaker.pk for speaker in before_speakers} != {speaker.pk for speaker in speakers}:
                rows.append(
                    ProgrammeChange(
                        kind=ProgrammeChange.Kind.SPEAKERS,
                        before=_speaker_names(before_speakers, event.default_language),
                        after=_speaker_names(speakers, event.default_language),
                        before_names=_speaker_names_each(before_speakers),
                        after_names=_speaker_names_each(speakers),
                        **record,
                    )
                )
        ProgrammeChange.objects.bulk_create(rows)
        return item


def programme_items_swap(*, first: ProgrammeItem, second: ProgrammeItem, actor) -> None:
    """Swap two consecutive items of a day (``first`` the earlier one): ``second`` starts
    when ``first`` started, ``first`` ends when ``second`` ended, each keeps its length and
    the gap between them stays. Saved as any edit (changes of a published programme are
    recorded for the next announcement); refused with a ValidationError when a room would
    be taken, or an item would start with another one (it would become a parallel session)."""
    length_first = first.ends_at - first.starts_at
    length_second = second.ends_at - second.starts_at
    gap = second.starts_at - first.ends_at
    start = first.starts_at
    second.starts_at, second.ends_at = start, start + length_second
    first.starts_at = second.ends_at + gap
    first.ends_at = first.starts_at + length_first
    pair = (first.pk, second.pk)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=first.event_id)
        for item in (first, second):
            others = ProgrammeItem.objects.filter(cancelled=False).exclude(pk__in=pair)
            clash = None
            if item.room_id:
                clash = others.filter(
                    room_id=item.room_id, starts_at__lt=item.ends_at, ends_at__gt=item.starts_at
                ).first()
            together = others.filter(event_id=item.event_id, starts_at=item.starts_at).first()
            if clash or together:
                raise ValidationError(
                    _(
                        "“%(title)s” cannot move there: “%(other)s” is in the way. "
                        "Change its time instead."
                    )
                    % {"title": item.i18n.title, "other": (clash or together).i18n.title}
                )
        for item in (second, first):
            programme_item_setup_save(
                item=item,
                changed=["starts_at", "ends_at"],
                speakers=item.speakers.all(),
                actor=actor,
            )


def programme_item_cancel(*, item: ProgrammeItem, actor) -> ProgrammeItem:
    """Mark an item cancelled: it stays on the programme, struck through, and the change
    is recorded for the next announcement when the event is published."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=item.event_id)
        item.cancelled = True
        ProgrammeItem.objects.filter(pk=item.pk).update(
            cancelled=True, sequence=F("sequence") + 1, updated_at=timezone.now()
        )
        Event.objects.filter(pk=event.pk).content_changed()
        if event.status == Event.Status.PUBLISHED:
            ProgrammeChange.objects.create(
                event=event,
                item=item,
                kind=ProgrammeChange.Kind.CANCELLED,
                item_title=item.i18n.title,
                workshop=item.kind == ProgrammeItem.Kind.WORKSHOP,
                starts_before=item.starts_at,
            )
        return item


def programme_item_delete(*, item: ProgrammeItem, actor) -> None:
    """Delete an item of a draft programme. Items of a published event are cancelled
    instead (people may have chosen them and are told)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=item.event_id)
        if event.status == Event.Status.PUBLISHED:
            raise PermissionError("Items of a published programme are cancelled, not deleted.")
        item.delete()


def programme_changes_announce(*, event: Event, now: datetime | None = None) -> tuple[int, int]:
    """Announce the changes not yet announced, in one batch: they are marked announced
    and ``signals.programme_changes_announced`` lets notifications write one email per
    person concerned. Returns (changes, people written to)."""
    now = now or timezone.now()
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        changes = list(
            event.programme_changes.filter(announced_at__isnull=True)
            .select_for_update()
            .order_by("created_at", "pk")
        )
        if not changes:
            return 0, 0
        ProgrammeChange.objects.filter(pk__in=[change.pk for change in changes]).update(
            announced_at=now
        )
        responses = signals.programme_changes_announced.send(
            sender=Event, event=event, changes=changes
        )
        people = sum(reply for _receiver, reply in responses if isinstance(reply, int))
        return len(changes), people


def programme_changes_audience(*, event: Event, changes: list[ProgrammeChange]) -> int:
    """How many people an announcement of ``changes`` would write to."""
    responses = signals.programme_changes_audience.send(sender=Event, event=event, changes=changes)
    return sum(reply for _receiver, reply in responses if isinstance(reply, int))


def programme_changes_announce_quiet(*, now: datetime | None = None) -> int:
    """Announce the pending changes of every event whose programme has not changed for
    ``PROGRAMME_CHANGES_QUIET_MINUTES`` (run by the beat), so an announcement the
    organisers forgot still goes out, once the editing is over. Returns how many events."""
    now = now or timezone.now()
    quiet = timedelta(minutes=settings.PROGRAMME_CHANGES_QUIET_MINUTES)
    due = (
        ProgrammeChange.objects.filter(announced_at__isnull=True)
        .values("event")
        .annotate(last=Max("created_at"))
        .filter(last__lte=now - quiet)
        .values_list("event", flat=True)
    )
    count = 0
    for event in Event.objects.filter(pk__in=list(due)):
        changes, _people = programme_changes_announce(event=event, now=now)
        count += bool(changes)
    return count


def venue_save(*, venue: Venue, actor) -> Venue:
    """Save a venue from the setup pages (a new one remembers who created it)."""
    with transaction.atomic():
        if venue.pk is None:
            venue.created_by = actor
        venue.save()
        return venue


def speaker_save(*, speaker: Speaker, actor) -> Speaker:
    """Save a speaker from the setup pages (a new one remembers who created it)."""
    with transaction.atomic():
        if speaker.pk is None:
            speaker.created_by = actor
        speaker.save()
        return speaker
