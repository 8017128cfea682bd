"""Pages that htmx enhances (static/vendor/htmx/) answer its requests with a fragment: the
part of the page it swaps in. Every such page works without JavaScript as well."""

from django.utils.cache import patch_vary_headers


def is_htmx(request) -> bool:
    """Whether htmx sent the request (it says so in the ``HX-Request`` header)."""
    return request.headers.get("HX-Request") == "true"


def varies(response):
    """The response depends on whether htmx asked for it (a fragment or the whole page)."""
    patch_vary_headers(response, ["HX-Request"])
    return response
