import functools

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors
from .feeds import conditional_response
from .forms import EventFilterForm
from .models import Event

# The programme's fragment is keyed on its version: an old one is never read again.
PROGRAMME_CACHE_SECONDS = 24 * 60 * 60


def _event_list(request, *, past: bool):
    countries = selectors.event_countries(user=request.user)
    form = EventFilterForm(request.GET or None, countries=countries)
    status = 200
    filters = {"kind": "", "country": ""}
    if form.is_bound:
        if form.is_valid():
            filters = form.cleaned_data
        else:
            status = 400
    events = selectors.event_list(user=request.user, past=past, **filters)
    context = {"events": events, "form": form, "past": past}
    return render(request, "events/event_list.html", context, status=status)


def event_list(request):
    return _event_list(request, past=False)


def past_event_list(request):
    return _event_list(request, past=True)


def event_detail(request, slug: str):
    """The event page. The programme, the costly part, is rendered once per version and
    language and kept in Django's cache (``{% cache %}`` in the template, keyed on the
    version read with the event): readers get the same fragment, logged in or not, and an
    edit shows at the next request. Anonymous readers get an ETag and Last-Modified, so a
    browser that revalidates gets a 304 after that one query."""
    try:
        event = selectors.event_page_get(user=request.user, slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    programme_version = selectors.programme_version(event)
    context = {
        "event": event,
        "days": functools.partial(selectors.programme_days, event=event),
        "programme_version": programme_version.token,
        "programme_cache_seconds": PROGRAMME_CACHE_SECONDS,
        "language": get_language(),
        "is_draft": event.status == Event.Status.DRAFT,
    }

    def render_page():
        return render(request, "events/event_detail.html", context)

    if request.user.is_authenticated:  # the page carries the reader's own menu
        return render_page()
    key = "|".join(
        map(
            str,
            (
                "event-page",
                request.get_host(),
                get_language(),
                event.places_taken,
                event.offers_registration,
                event.host.updated_at,
            ),
        )
    )
    return conditional_response(request, version=programme_version, key=key, render=render_page)
