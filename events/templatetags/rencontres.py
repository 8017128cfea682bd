from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every interface language (plain links: no JavaScript needed)."""
    request = context["request"]
    current = context.get("LANGUAGE_CODE")
    links = []
    for code, _name in settings.LANGUAGES:
        name = get_language_info(code)["name_local"]
        links.append(
            {
                "code": code,
                # Each language's own name as it begins a line: "Français", "Magyar".
                "name": name[:1].upper() + name[1:],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def calendar_links(context, path: str, name: str) -> dict:
    """Ways to subscribe to the feed at ``path``: webcal, Google Calendar, Outlook."""
    from urllib.parse import quote, urlencode

    request = context["request"]
    https_url = request.build_absolute_uri(path)
    webcal = "webcal://" + https_url.split("://", 1)[1]
    return {
        "ics": https_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": webcal, "name": name}),
    }
