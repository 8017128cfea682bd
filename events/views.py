from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors
from .colours import HEX
from .feeds import conditional_response
from .forms import EventFilterForm
from .models import Event

# The page's fragments are keyed on its version: an old one is never read again.
PAGE_CACHE_SECONDS = 24 * 60 * 60


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
    """The event page. Its title and content (facts, programme) are rendered once per
    version of the page, language and site address and kept in Django's cache (``{% cache
    %}`` in the template, keyed on the version read first, in one query): readers get the
    same fragments, logged in or not, an edit shows at the next request, and the event and
    its programme are read only when the cache has not got them. Anonymous readers with
    nothing of their own to see get the whole page from the cache, with an ETag and
    Last-Modified, so a browser that revalidates gets a 304 after that query."""
    try:
        versions = selectors.event_version(user=request.user, slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    version = versions.page
    # The header and footer's network identity, from the cache (keyed on its last change).
    request.network_identity = SimpleLazyObject(
        lambda: selectors.network_identity_cached(changed=versions.network_changed)
    )
    event = SimpleLazyObject(lambda: selectors.event_get(user=request.user, slug=slug))
    context = {
        "event": event,
        "days": lambda: selectors.programme_days(event=event),
        "places": SimpleLazyObject(lambda: selectors.public_places(event=event)),
        # What the apps above add (signals.event_page_additions), asked once, on a render.
        "additions": SimpleLazyObject(lambda: selectors.event_page_additions(event=event)),
        "is_draft": lambda: event.status == Event.Status.DRAFT,
        "page_version": version.token,
        "page_cache_seconds": PAGE_CACHE_SECONDS,
        "language": get_language(),
        "site": request.build_absolute_uri("/"),
    }

    def render_page():
        return render(request, "events/event_detail.html", context)

    if request.user.is_authenticated or _carries_state(request):
        # The reader's own menu, a message for them: rendered for them, with no validator.
        return render_page()
    key = f"event-page:{context['site']}:{context['language']}"

    def whole_page():
        body = cache.get_or_set(
            f"events:{key}:{version.token}", lambda: render_page().content, PAGE_CACHE_SECONDS
        )
        return HttpResponse(body)

    response = conditional_response(
        request, version=version, key=key, render=whole_page, dated=False
    )
    # Browsers ask again each time (a 304 after one query) rather than guess a lifetime.
    patch_cache_control(response, no_cache=True)
    return response


def event_places(request, slug: str):
    """The places left of an event, alone: what the event page's "Places" shows, which
    htmx asks again every so often while the page is open. A browser that has the current
    version gets a 304 after one query."""
    try:
        version = selectors.event_version(user=request.user, slug=slug).page
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None

    def render_places():
        event = selectors.event_get(user=request.user, slug=slug)
        context = {"event": event, "places": selectors.public_places(event=event)}
        response = render(request, "events/_places.html", context)
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return conditional_response(
        request,
        version=version,
        key=f"places:{get_language()}",
        render=render_places,
        dated=False,
    )


def _carries_state(request) -> bool:
    """Whether a request may see something of its own on a page (a message waiting, in
    the session or its cookie): then the page is rendered for it, not read from the cache."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


# --- the network's look -------------------------------------------------------------------

#: The stylesheet's and the logo's addresses carry the row's version (``?v=``): a browser
#: keeps them as long as it likes, and an edit gives them a new address.
IDENTITY_CACHE = "public, max-age=31536000, immutable"
LOGO_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def network_css(request):
    """The network's colours over the site's stylesheet (a file, not an inline style:
    the pages' Content-Security-Policy allows no inline style)."""
    network = selectors.network_identity()
    context = {
        "primary": network.primary_colour
        if HEX.match(network.primary_colour)
        else network.DEFAULT_PRIMARY,
        "accent": network.accent_colour
        if HEX.match(network.accent_colour)
        else network.DEFAULT_ACCENT,
    }
    response = render(request, "events/network.css", context, content_type="text/css")
    response["Cache-Control"] = IDENTITY_CACHE
    return response


def network_logo(request):
    network = selectors.network_identity()
    if not network.logo:
        raise Http404(_("No logo."))
    extension = network.logo.name.rsplit(".", 1)[-1].lower()
    try:
        handle = network.logo.open("rb")
    except FileNotFoundError:
        raise Http404(_("No logo.")) from None
    response = FileResponse(handle, content_type=LOGO_TYPES.get(extension, "image/png"))
    response["Cache-Control"] = IDENTITY_CACHE
    return response
