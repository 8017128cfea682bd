"""Content entered per language, read with a fallback to the object's own default language.

django-modeltranslation stores one column per language (``title_en``, ``title_fr``…).
Its built-in fallback is global; an event is written first in its own default language,
so reads go: the active language, then the event's default language, then any language
that has a text. Templates use ``{{ event.i18n.title }}``.
"""

from django.conf import settings
from django.utils.translation import get_language, get_language_info
from modeltranslation.utils import build_localized_fieldname


def active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


# Languages that write the names of languages in lowercase inside a text ("en anglais",
# "Nyelv: angol", "in inglese"): Django's translated names are capitalised for menus.
LOWERCASE_LANGUAGE_NAMES = {"fr", "ro", "hu", "pt", "it"}


def language_name_in_text(code: str) -> str:
    """The name of language ``code`` in the active language, as written inside a sentence
    or after a label ("Langue\u00a0: anglais"), not as a menu item ("Anglais")."""
    name = str(get_language_info(code)["name_translated"])
    return name.lower() if active_language() in LOWERCASE_LANGUAGE_NAMES else name


def localized_value(
    obj, field: str, fallback_language: str | None = None, language: str | None = None
) -> str:
    languages = [language or active_language()]
    if fallback_language:
        languages.append(fallback_language)
    languages.extend(settings.MODELTRANSLATION_LANGUAGES)
    for code in languages:
        value = getattr(obj, build_localized_fieldname(field, code), None)
        if value:
            return value
    return ""


class Localized:
    """``obj.i18n.<field>``: the field's text in the active language, with fallbacks."""

    __slots__ = ("_fallback", "_fields", "_obj")

    def __init__(self, obj, fields: tuple[str, ...], fallback_language: str | None):
        self._obj = obj
        self._fields = fields
        self._fallback = fallback_language

    def __getattr__(self, name: str) -> str:
        if name not in self._fields:
            raise AttributeError(name)
        return localized_value(self._obj, name, self._fallback)

    def in_language(self, field: str, language: str) -> str:
        """The text as a reader of ``language`` gets it (used for emails and calendars)."""
        return localized_value(self._obj, field, self._fallback, language)
