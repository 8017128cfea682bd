"""Calendar feeds anyone can subscribe to: the network, one event, one organisation.

Answers carry an ETag and Last-Modified; a client that polls with If-None-Match gets a
304 without the feed being built. Times are local with their VTIMEZONE.
"""

import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from . import calendar, selectors
from .models import Event, Organisation

FEED_MAX_AGE = 15 * 60


def calendar_response(body: bytes, *, filename: str, private: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    if private:
        patch_cache_control(response, private=True, max_age=5 * 60)
    else:
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    response["Vary"] = "Accept-Language"
    return response


def etag_of(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def _network_etag(request):
    return etag_of(
        "network", get_language(), selectors.feed_version(selectors.network_feed_events())
    )


@condition(etag_func=_network_etag)
def network_feed(request):
    language = get_language()
    entries = [calendar.event_entry(event, language) for event in selectors.network_feed_events()]
    body = calendar.build(entries, name=_("Rencontres: all events"))
    return calendar_response(body, filename="rencontres.ics")


def _event_or_404(slug: str) -> Event:
    try:
        return selectors.feed_event(slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None


def _event_etag(request, slug):
    events = Event.objects.filter(pk=_event_or_404(slug).pk)
    return etag_of("event", slug, get_language(), selectors.feed_version(events, with_items=True))


@condition(etag_func=_event_etag)
def event_feed(request, slug: str):
    event = _event_or_404(slug)
    language = get_language()
    entries = [calendar.event_entry(event, language)]
    url = calendar.event_url(event, language)
    venue = calendar.event_location(event)
    entries += [
        calendar.item_entry(item, language, url=url, venue=venue)
        for item in selectors.programme_items(event=event)
    ]
    body = calendar.build(entries, name=event.i18n.in_language("title", language))
    return calendar_response(body, filename=f"{event.slug}.ics")


def _organisation_etag(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    return etag_of(
        "organisation",
        slug,
        get_language(),
        selectors.feed_version(selectors.organisation_feed_events(organisation=organisation)),
    )


@condition(etag_func=_organisation_etag)
def organisation_feed(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    language = get_language()
    entries = [
        calendar.event_entry(event, language)
        for event in selectors.organisation_feed_events(organisation=organisation)
    ]
    body = calendar.build(entries, name=organisation.name)
    return calendar_response(body, filename=f"{organisation.slug}.ics")
