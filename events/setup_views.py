"""The organisers' setup pages of the events app: create (or copy) an event, edit it with
its languages side by side, publish it, build its programme, announce changes, and keep
its venues and speakers.

Every page asks ``selectors.event_for_setup`` first: only the event's organising team
(and superusers) get past it, everyone else a 404 that says nothing of the event. No
Django model permission or staff flag is needed. The rules live in ``services``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.privacy import no_store

from . import selectors, services
from .forms import (
    EventCopyForm,
    EventCreateForm,
    EventSettingsForm,
    EventTextsForm,
    ProgrammeItemForm,
    RoomFormSet,
    SpeakerForm,
    VenueForm,
    language_name,
)
from .htmx import is_htmx, varies
from .models import Event, ProgrammeItem, Venue


def setup_event(request, slug: str) -> Event:
    """The event whose setup pages ``request.user`` may see (its organisers, superusers);
    404 for everyone else (``selectors.event_for_setup``)."""
    try:
        return selectors.event_for_setup(user=request.user, slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None


def _page(request, template: str, context: dict, status: int = 200):
    return no_store(render(request, f"events/setup/{template}", context, status=status))


def _completeness(event: Event) -> list[dict]:
    return [
        {
            "code": row.code,
            "name": language_name(row.code),
            "complete": row.complete,
            "missing": [MISSING_LABELS[name] for name in row.missing],
        }
        for row in selectors.event_completeness(event=event)
    ]


MISSING_LABELS = {
    "title": Event._meta.get_field("title").verbose_name,
    "summary": Event._meta.get_field("summary").verbose_name,
    "description": Event._meta.get_field("description").verbose_name,
    "privacy_notice": Event._meta.get_field("privacy_notice").verbose_name,
    "programme": ProgrammeItem._meta.verbose_name_plural,
}


@login_required
def event_new(request):
    """A new event, from scratch or as a copy of one the user organises."""
    if not selectors.may_create_events(request.user):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    create_form = EventCreateForm(
        request.POST if action == "create" else None, user=request.user, prefix="new"
    )
    copy_form = EventCopyForm(
        request.POST if action == "copy" else None, user=request.user, prefix="copy"
    )
    if action == "create" and create_form.is_valid():
        event = services.event_create(
            event=create_form.save(commit=False),
            actor=request.user,
            co_organisers=create_form.cleaned_data["co_organisers"],
        )
        messages.success(request, _("The event is created as a draft."))
        return redirect("setup:event", slug=event.slug)
    if action == "copy" and copy_form.is_valid():
        event = services.event_copy(
            source=copy_form.cleaned_data["source"],
            slug=copy_form.cleaned_data["slug"],
            first_day=copy_form.cleaned_data["first_day"],
            time_zone=copy_form.cleaned_data["timezone"],
            actor=request.user,
        )
        messages.success(
            request, _("The copy is created as a draft. Check its dates, texts and programme.")
        )
        messages.info(
            request,
            _(
                "The registration window moved with the dates. The partner quotas have no "
                "release date yet: set them on the registration settings page."
            ),
        )
        return redirect("setup:event", slug=event.slug)
    status = 400 if action else 200
    return _page(request, "new.html", {"create_form": create_form, "copy_form": copy_form}, status)


@login_required
def event_settings(request, slug: str):
    event = setup_event(request, slug)
    form = EventSettingsForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.event_save(
                event=form.save(commit=False), changed=form.changed_fields(), actor=request.user
            )
            form.save_m2m()
        messages.success(request, _("The event is saved."))
        return redirect("setup:event", slug=event.slug)
    context = {"event": event, "form": form, "completeness": _completeness(event)}
    return _page(request, "event.html", context, 400 if form.errors else 200)


@login_required
def event_texts(request, slug: str):
    event = setup_event(request, slug)
    form = EventTextsForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.event_save(event=form.save(), changed=form.changed_data, actor=request.user)
        messages.success(request, _("The texts are saved."))
        return redirect("setup:texts", slug=event.slug)
    context = {"event": event, "form": form, "completeness": _completeness(event)}
    return _page(request, "texts.html", context, 400 if form.errors else 200)


def _confirm(request, event, *, question: str, button: str, back: str, danger=False, **extra):
    context = {
        "event": event,
        "question": question,
        "button": button,
        "back": back,
        "danger": danger,
        **extra,
    }
    return _page(request, "confirm.html", context)


def _concerned(count: int, sentence) -> str:
    """The sentence saying how many people an action concerns, added after a
    confirmation's question; nothing when nobody is concerned."""
    return " " + sentence(count) % {"count": count} if count else ""


def _ask_then_do(request, event: Event, do, done: str, page: str, **confirm):
    """Ask (GET); do it (POST), say ``done`` and go back to the setup ``page``."""
    if request.method == "POST":
        do()
        messages.success(request, done)
        return redirect(page, slug=event.slug)
    return _confirm(request, event, back=reverse(page, args=[event.slug]), **confirm)


@login_required
def event_publish(request, slug: str):
    event = setup_event(request, slug)
    return _ask_then_do(
        request,
        event,
        lambda: services.event_publish(event=event, actor=request.user),
        _("The event is published."),
        "setup:event",
        question=_(
            "Publish this event? Everyone will see its page, and registration opens on its dates."
        ),
        button=_("Publish"),
        # What is still missing in each language, said before it goes public.
        **_missing_texts(event),
        fallback=language_name(event.default_language),
    )


def _missing_texts(event: Event) -> dict:
    """``incomplete``: per language, the texts the public page shows in the event's main
    language instead; ``missing_everywhere``: the texts missing in the main language
    itself, which no fallback fills."""
    rows = [row for row in _completeness(event) if not row["complete"]]
    main = next((row["missing"] for row in rows if row["code"] == event.default_language), [])
    incomplete = []
    for row in rows:
        if row["code"] == event.default_language:
            continue
        shown_instead = [label for label in row["missing"] if label not in main]
        if shown_instead:
            incomplete.append({**row, "missing": shown_instead})
    return {"incomplete": incomplete, "missing_everywhere": main}


@login_required
def event_unpublish(request, slug: str):
    event = setup_event(request, slug)
    return _ask_then_do(
        request,
        event,
        lambda: services.event_unpublish(event=event, actor=request.user),
        _("The event is a draft again: only its team sees it."),
        "setup:event",
        question=_(
            "Unpublish this event? Its page and registration form disappear for "
            "everyone but its team; registrations already made are kept."
        )
        + _concerned(
            selectors.confirmed_registrations_count(event=event),
            lambda count: ngettext(
                "%(count)d person with a confirmed place is concerned.",
                "%(count)d people with a confirmed place are concerned.",
                count,
            ),
        ),
        button=_("Unpublish"),
        danger=True,
    )


# --- programme ------------------------------------------------------------------------------


def _people(count: int) -> str:
    return ngettext("%(count)d person", "%(count)d people", count) % {"count": count}


def _programme_days(event: Event) -> list:
    """The programme's days, each item knowing whether it may move up or down."""
    days = selectors.programme_days(event=event)
    moves = selectors.programme_moves(days)
    for day in days:
        for slot in day.slots:
            for item in slot.items:
                item.moves = moves.get(item.pk, {})
                item.can_move_up, item.can_move_down = "up" in item.moves, "down" in item.moves
    return days


def _move(request, event: Event) -> tuple[str, str]:
    """Swap the item named by the POSTed ``move`` ("up:<id>" or "down:<id>") with its
    neighbour: (what was done, what was refused)."""
    direction, _colon, key = request.POST.get("move", "").partition(":")
    days = _programme_days(event)
    item = next(
        (item for day in days for slot in day.slots for item in slot.items if str(item.pk) == key),
        None,
    )
    other = item.moves.get(direction) if item is not None else None
    if other is None:
        return "", _("This item cannot move there. Change its time instead.")
    first, second = (other, item) if direction == "up" else (item, other)
    try:
        services.programme_items_swap(first=first, second=second, actor=request.user)
    except ValidationError as error:
        return "", " ".join(error.messages)
    return (
        _("“%(title)s” now starts at %(time)s.")
        % {"title": item.i18n.title, "time": time_format(event.local(item.starts_at))},
        "",
    )


@login_required
def programme(request, slug: str):
    """The programme day by day; POST moves an item up or down (a plain form, which htmx
    sends in the background and answers with the programme alone)."""
    event = setup_event(request, slug)
    moved = refused = ""
    if request.method == "POST":
        moved, refused = _move(request, event)
        if not is_htmx(request):
            if moved:
                messages.success(request, moved)
            else:
                messages.error(request, refused)
            return redirect("setup:programme", slug=event.slug)
    pending = list(selectors.programme_changes_pending(event=event))
    context = {
        "event": event,
        "days": _programme_days(event),
        "pending": pending,
        "people": _people(
            services.programme_changes_audience(event=event, changes=pending) if pending else 0
        ),
        "moved": moved,
        "refused": refused,
    }
    template = "_programme_days.html" if is_htmx(request) else "programme.html"
    return varies(_page(request, template, context))


@login_required
def item_edit(request, slug: str, item: int | None = None):
    event = setup_event(request, slug)
    instance = get_object_or_404(ProgrammeItem, pk=item, event=event) if item else None
    if instance is None:
        instance = ProgrammeItem(event=event, starts_at=event.starts_at, ends_at=event.starts_at)
    form = ProgrammeItemForm(
        request.POST or None, instance=instance, event=event, user=request.user
    )
    split = []
    if request.method == "POST" and form.is_valid():
        split = selectors.programme_slot_split(
            item=instance, starts_at=form.cleaned_data["starts_at"]
        )
        if split and not request.POST.get("confirm_split"):
            # Say what the move does to the parallel workshops before doing it.
            context = {"event": event, "form": form, "item": instance, "split": split}
            return _page(request, "item.html", context)
    if request.method == "POST" and form.is_valid():
        if split:
            messages.warning(
                request,
                _(
                    "“%(title)s” no longer runs in parallel with %(others)s: participants "
                    "can now choose it as well as one of them."
                )
                % {"title": instance.i18n.title, "others": _titles(split)},
            )
        services.programme_item_setup_save(
            item=form.save(commit=False),
            changed=form.changed_fields(),
            speakers=form.cleaned_data["speakers"],
            actor=request.user,
        )
        messages.success(request, _("The programme is saved."))
        return redirect("setup:programme", slug=event.slug)
    context = {"event": event, "form": form, "item": instance if instance.pk else None}
    return _page(request, "item.html", context, 400 if form.errors else 200)


def _titles(items) -> str:
    return ", ".join(f"“{item.i18n.title}”" for item in items)


@login_required
def item_cancel(request, slug: str, item: int):
    event = setup_event(request, slug)
    item = get_object_or_404(ProgrammeItem, pk=item, event=event, cancelled=False)
    return _ask_then_do(
        request,
        event,
        lambda: services.programme_item_cancel(item=item, actor=request.user),
        _("The item is cancelled."),
        "setup:programme",
        question=_("Cancel “%(title)s”? It stays on the programme, marked cancelled.")
        % {"title": item.i18n.title}
        + _concerned(
            selectors.item_chosen_count(item=item),
            lambda count: ngettext(
                "%(count)d person chose it; they are told when you announce the changes.",
                "%(count)d people chose it; they are told when you announce the changes.",
                count,
            ),
        ),
        button=_("Cancel this item"),
        danger=True,
    )


@login_required
def item_delete(request, slug: str, item: int):
    event = setup_event(request, slug)
    item = get_object_or_404(ProgrammeItem, pk=item, event=event)
    if event.status == Event.Status.PUBLISHED:
        messages.error(request, _("Items of a published programme are cancelled, not deleted."))
        return redirect("setup:programme", slug=event.slug)
    return _ask_then_do(
        request,
        event,
        lambda: services.programme_item_delete(item=item, actor=request.user),
        _("The item is deleted."),
        "setup:programme",
        question=_("Delete “%(title)s” from the programme?") % {"title": item.i18n.title},
        button=_("Delete"),
        danger=True,
    )


@login_required
def changes_announce(request, slug: str):
    event = setup_event(request, slug)
    pending = list(selectors.programme_changes_pending(event=event))
    if request.method == "POST":
        changes, people = services.programme_changes_announce(event=event)
        messages.success(
            request,
            ngettext(
                "%(changes)d change announced to %(people)s.",
                "%(changes)d changes announced to %(people)s.",
                changes,
            )
            % {"changes": changes, "people": _people(people)},
        )
        return redirect("setup:programme", slug=event.slug)
    audience = services.programme_changes_audience(event=event, changes=pending)
    return _confirm(
        request,
        event,
        question=ngettext(
            "Announce %(changes)d change to %(people)s? Each of them receives one email, "
            "in their own language, listing the changes that concern them.",
            "Announce %(changes)d changes to %(people)s? Each of them receives one email, "
            "in their own language, listing the changes that concern them.",
            len(pending),
        )
        % {"changes": len(pending), "people": _people(audience)},
        button=_("Announce"),
        back=reverse("setup:programme", args=[event.slug]),
    )


# --- venues and speakers --------------------------------------------------------------------


@dataclass(frozen=True)
class _Shared:
    """Venues and speakers: shared by events, edited in the setup pages alike."""

    name: str
    objects: Callable  # user -> what the setup pages offer them
    editable: Callable  # (user, object) -> may they edit it
    refusal: str
    form: type
    prefix: str | None
    save: Callable  # (object, actor) -> the saved object
    saved: str
    list_page: str
    listed: Callable  # the list page's queryset, with what it shows loaded


VENUE = _Shared(
    "venue", selectors.venues_for_setup, selectors.venue_editable_by,
    gettext_lazy("This venue is used by another team’s event: create a new one."),
    VenueForm, "venue", lambda venue, actor: services.venue_save(venue=venue, actor=actor),
    gettext_lazy("The venue is saved."), "setup:venues",
    lambda venues: venues.prefetch_related("rooms"),
)  # fmt: skip
SPEAKER = _Shared(
    "speaker", selectors.speakers_for_setup, selectors.speaker_editable_by,
    gettext_lazy("This speaker is on another team’s programme: create a new one."),
    SpeakerForm, None, lambda speaker, actor: services.speaker_save(speaker=speaker, actor=actor),
    gettext_lazy("The speaker is saved."), "setup:speakers",
    lambda speakers: speakers.select_related("organisation"),
)  # fmt: skip


@login_required
def shared_edit(request, slug: str, shared: _Shared, **chosen):
    """Create or edit a venue (with its rooms) or a speaker (``shared`` comes from the URL
    pattern, the id, if any, as ``venue`` or ``speaker``); another team's is refused."""
    event = setup_event(request, slug)
    pk = chosen.get(shared.name)
    instance = None
    if pk is not None:
        instance = get_object_or_404(shared.objects(request.user), pk=pk)
        if not shared.editable(request.user, instance):
            raise Http404(shared.refusal)
    data = request.POST or None
    form = shared.form(data, instance=instance, prefix=shared.prefix)
    rooms = None
    if shared is VENUE:
        rooms = RoomFormSet(data, instance=instance or Venue(), prefix="rooms")
    if request.method == "POST" and form.is_valid() and (rooms is None or rooms.is_valid()):
        with transaction.atomic():
            saved = shared.save(form.save(commit=False), request.user)
            if rooms is not None:
                rooms.instance = saved
                rooms.save()
        messages.success(request, shared.saved)
        return redirect(shared.list_page, slug=event.slug)
    context = {"event": event, "form": form, "rooms": rooms, shared.name: instance}
    if shared is VENUE and instance is not None:
        context["used_by_others"] = selectors.venue_used_by_others(request.user, instance)
    status = 400 if request.method == "POST" else 200
    return _page(request, f"{shared.name}.html", context, status)


@login_required
def shared_list(request, slug: str, shared: _Shared):
    """The venues or speakers an organiser may choose, each with whether they may edit it
    (``shared`` comes from the URL pattern)."""
    event = setup_event(request, slug)
    rows = [
        {shared.name: item, "editable": shared.editable(request.user, item)}
        for item in shared.listed(shared.objects(request.user))
    ]
    return _page(request, f"{shared.name}s.html", {"event": event, "rows": rows})
