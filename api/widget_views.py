"""The widget partners embed in their own sites (``<iframe>``, or ``static/api/embed.js``).

Only these pages may be framed, by any site: ``xframe_options_exempt`` and a
Content-Security-Policy whose ``frame-ancestors`` is ``*`` for them alone (every other
page keeps ``DENY`` / ``'none'``). They need no cookie: no session is read (the pages
are the same for everyone), no form, no CSRF token. Links open the full page in a new
tab. What they show is public: events as on the public list, never a draft.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from events import selectors as event_selectors
from events.models import Event, Organisation

from . import selectors

#: Events a list shows at most (the link under it leads to the full list).
LIMIT = 20


def embeddable(view):
    """A page any site may frame; nothing of the visitor's (no session) is read."""

    @require_GET
    @xframe_options_exempt
    @csp_replace({"frame-ancestors": ["*"]})
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def _limit(request) -> int:
    value = request.GET.get("limit", "")
    if value.isascii() and value.isdigit():
        return max(1, min(int(value), LIMIT))
    return LIMIT


@embeddable
def network_events(request):
    events = list(selectors.public_events()[: _limit(request)])
    return render(request, "api/widget_events.html", {"events": events, "organisation": None})


@embeddable
def organisation_events(request, slug: str):
    # Listed organisations only (404 for any other, consent withdrawn included); the
    # organisation's calendar feed stays open to all: see organisation_for_widget.
    try:
        organisation = selectors.organisation_for_widget(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("No such organisation.")) from None
    events = list(
        selectors.organisation_upcoming_events(organisation=organisation)[: _limit(request)]
    )
    context = {"events": events, "organisation": organisation}
    return render(request, "api/widget_events.html", context)


@embeddable
def event_programme(request, slug: str):
    try:
        event = selectors.public_event(slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    context = {"event": event, "days": event_selectors.programme_days(event=event)}
    return render(request, "api/widget_programme.html", context)
