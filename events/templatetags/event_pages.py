"""Template tags of the event page and the setup pages: which language a text is shown
in, what changed in a programme, and whether the user may create events."""

from django import template
from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

from events import selectors
from events.i18n import active_language, language_name_in_text

register = template.Library()


@register.simple_tag
def translated(obj, field: str) -> dict:
    """``obj``'s ``field`` in the active language, or in the language it falls back to:
    ``{"text", "language", "fallback", "language_name"}``, so the page can mark text
    shown in another language (``lang`` attribute and a note)."""
    wanted = active_language()
    fallback = getattr(obj, "default_language", None) or getattr(
        getattr(obj, "event", None), "default_language", None
    )
    order = [wanted, *([fallback] if fallback else []), *settings.MODELTRANSLATION_LANGUAGES]
    for code in order:
        text = getattr(obj, build_localized_fieldname(field, code), None)
        if text:
            return {
                "text": text,
                "language": code,
                "fallback": code != wanted,
                "language_name": language_name_in_text(code),
            }
    return {"text": "", "language": wanted, "fallback": False, "language_name": ""}


@register.simple_tag
def fallback_language_name(*texts: dict) -> str:
    """The name of the language the first of ``texts`` (``translated``) shown in a
    fallback language is written in; "" when each is in the reader's language."""
    for text in texts:
        if text["fallback"]:
            return text["language_name"]
    return ""


@register.simple_tag
def programme_changes_of(event) -> list:
    """What changed in the event's published programme, latest first."""
    return list(selectors.programme_changes_public(event=event))


@register.simple_tag(takes_context=True)
def may_create_events(context) -> bool:
    return selectors.may_create_events(context["request"].user)


@register.filter
def item_part(additions, item_id: int) -> str:
    """What the apps above add to one programme item's card on the event page (HTML they
    rendered, escaped when merged: ``selectors.event_page_additions``)."""
    return additions.item_parts.get(item_id, "")
