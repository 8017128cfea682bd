from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_info, pgettext
from django_countries import countries

from events.formats import date_format, date_range, percent, weekday_date
from events.i18n import language_name_in_text

register = template.Library()


@register.simple_tag
def labelled(label, value, isolate: str = ""):
    """ "Label: value" with the reader's punctuation (French writes « Label : value », with a
    no-break space), never a colon glued in the template. ``isolate`` ("label", "value" or
    "both") puts text people typed in a <bdi>."""

    def shown(text, part):
        if isolate in (part, "both"):
            return format_html("<bdi>{}</bdi>", text)
        return conditional_escape(text)

    # The pattern and both parts are escaped: only <bdi> is markup.
    pattern = conditional_escape(pgettext("label and value", "%(label)s: %(value)s"))
    parts = {"label": shown(label, "label"), "value": shown(value, "value")}
    return mark_safe(pattern % parts)  # noqa: S308


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every interface language (plain links: no JavaScript needed).

    As ``translate_url`` makes them, from the match Django resolved for the request
    rather than resolving the path again for each language (the event page, the most read,
    spent a third of its rendering there)."""
    request = context["request"]
    current = context.get("LANGUAGE_CODE")
    full_path = request.get_full_path()
    match = request.resolver_match
    name = match and (f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        url = full_path
        if name:
            with translation.override(code):
                try:
                    url = reverse(name, args=match.args, kwargs=match.kwargs)
                except NoReverseMatch:
                    pass
                else:
                    url += f"?{query}" if query else ""
        links.append(
            {
                "code": code,
                # Each language's own name as it begins a line: "Français", "Magyar".
                "name": capfirst(get_language_info(code)["name_local"]),
                "url": url,
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


@register.filter(name="local_date", expects_localtime=True)
def local_date_filter(value, format_name="DATE_FORMAT"):
    """A date or moment in a named format of the active language (``DATE_FORMAT``,
    ``DATETIME_FORMAT``...), as Django's ``date`` filter writes it except the first of the
    month ("1er janvier" in French): ``{{ event.starts_at|local_date:"DATETIME_FORMAT" }}``."""
    return date_format(value, format_name) if value else ""


@register.simple_tag
def days(start, end):
    """The days an event spans, in its time zone (the template's ``{% timezone %}``) and the
    active language's shape: "4–5 January 2027" (``events.formats.date_range``)."""
    return date_range(template_localtime(start), template_localtime(end))


@register.filter(name="weekday_date", expects_localtime=True)
def weekday_date_filter(value):
    """A day with its weekday and year, in the active language's shape."""
    return weekday_date(value) if value else ""


@register.filter(name="weekday_month_day", expects_localtime=True)
def weekday_month_day_filter(value):
    """A day with its weekday, without the year (days inside one event)."""
    return weekday_date(value, with_year=False) if value else ""


@register.filter(name="percent")
def percent_filter(value) -> str:
    """A percentage in the active language's shape ("42%", French "42\u202f%")."""
    return percent(value) if value is not None and value != "" else ""


@register.filter
def language_name(code) -> str:
    """A language's name from its code, as written inside a text in the active language
    ("anglais" in French, "English" in English)."""
    return language_name_in_text(code) if code else ""


@register.filter
def country_name(code) -> str:
    """A country's name in the active language, from its ISO code ("HU" -> "Hongrie")."""
    return str(countries.name(code)) if code else ""


@register.filter(is_safe=True)
def site_title(page_title: str, site: str = "Rencontres") -> str:
    """The ``<title>`` of a page: "Page · Rencontres" (``site``: the network's name), or
    "Rencontres" alone when the page has no title of its own (never "Rencontres ·
    Rencontres")."""
    page_title = str(page_title).strip()
    site = conditional_escape(site or "Rencontres")  # the page title is escaped already
    return f"{page_title} · {site}" if page_title else site
