"""Calendar feeds anyone can subscribe to: the network, one event, one organisation.

Each feed reads its version first, in one query (``selectors.ContentVersion``): it gives
the ETag and Last-Modified, so a client that polls with If-None-Match or
If-Modified-Since gets a 304 after that one query, and it keys the feed's body in
Django's cache, so an unchanged feed is built once and an edit shows at the next request
without anything being invalidated. Times are local with their VTIMEZONE.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import calendar, selectors
from .downloads import disposition, event_title_slug, file_name
from .models import Event, Organisation

FEED_MAX_AGE = 15 * 60
# Bodies are keyed on their content's version: an old one is never read again, and only
# has to leave the cache some day.
BODY_CACHE_SECONDS = 24 * 60 * 60


def calendar_response(body: bytes, *, filename: str, private: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = disposition(filename, attachment=False)
    if private:
        patch_cache_control(response, private=True, max_age=5 * 60)
    else:
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    response["Vary"] = "Accept-Language"
    return response


def etag_of(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def conditional_response(
    request,
    *,
    version: selectors.ContentVersion,
    key: str,
    render: Callable[[], HttpResponse],
    dated: bool = True,
) -> HttpResponse:
    """A 304 when the client's copy is current (If-None-Match, If-Modified-Since), else
    ``render()``; either way with the ETag of ``version`` and, if ``dated``, its
    Last-Modified. ``key`` names the variant (feed, language...): it is part of the ETag.
    Not ``dated``: a page whose version also turns with the clock (registration closes)
    or may change twice within a second (places taken), which a date cannot tell apart."""
    etag = quote_etag(etag_of(key, version.token))
    last_modified = int(version.changed.timestamp()) if dated and version.changed else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = render()
    if request.method in ("GET", "HEAD"):
        if last_modified is not None:
            response.headers.setdefault("Last-Modified", http_date(last_modified))
        response.headers.setdefault("ETag", etag)
    return response


def cached_feed(
    request,
    *,
    version: selectors.ContentVersion,
    feed: str,
    build: Callable[[str], tuple[str, bytes]],
) -> HttpResponse:
    """A public feed answered from its version: a 304, or its file name and body from the
    cache, built by ``build(language)`` only when the cache has not got this version of
    them. ``feed`` names the feed in the cache and the ETag."""
    language = get_language()
    key = f"feed:{feed}:{language}"

    def render() -> HttpResponse:
        filename, body = cache.get_or_set(
            f"events:named-{key}:{version.token}", lambda: build(language), BODY_CACHE_SECONDS
        )
        return calendar_response(body, filename=filename)

    return conditional_response(request, version=version, key=key, render=render)


def network_feed(request):
    version, network = selectors.network_feed_version()

    def build(language: str) -> tuple[str, bytes]:
        entries = [
            calendar.event_entry(event, language) for event in selectors.network_feed_events()
        ]
        name = _("%(network)s: all events") % {"network": network}
        return "rencontres.ics", calendar.build(entries, name=name)

    return cached_feed(request, version=version, feed="rencontres.ics", build=build)


def event_feed(request, slug: str):
    try:
        version = selectors.event_programme_version(slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None

    def build(language: str) -> tuple[str, bytes]:
        event = selectors.feed_event(slug=slug)
        url = calendar.event_url(event, language)
        venue = calendar.event_location(event, language)
        entries = [calendar.event_entry(event, language)] + [
            calendar.item_entry(item, language, url=url, venue=venue)
            for item in selectors.programme_items(event=event)
        ]
        body = calendar.build(entries, name=event.i18n.in_language("title", language))
        # Named by the event's title in the reader's language: "assemblee-2027.ics".
        return file_name(event_title_slug(event, language), extension="ics"), body

    return cached_feed(request, version=version, feed=f"{slug}.ics", build=build)


def organisation_feed(request, slug: str):
    try:
        version = selectors.organisation_feed_version(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None

    def build(language: str) -> tuple[str, bytes]:
        organisation = Organisation.objects.get(slug=slug)
        entries = [
            calendar.event_entry(event, language)
            for event in selectors.organisation_feed_events(organisation=organisation)
        ]
        body = calendar.build(entries, name=organisation.name)
        return file_name(organisation.name, extension="ics"), body

    return cached_feed(request, version=version, feed=f"org-{slug}.ics", build=build)
