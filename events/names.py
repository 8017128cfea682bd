"""A person's name in the order the text's language writes it.

Names are stored as given name (``first_name``) and family name (``last_name``). Hungarian
writes a Hungarian name family name first ("Horváth Eszter") and keeps a foreign name in its
own order ("Maria Popescu"); every other language of the product writes given name first,
including a Hungarian's ("Eszter Horváth" in English). A name is taken as Hungarian when its
bearer reads the product in Hungarian or lives in Hungary (a speaker, who has no language of
their own: when their organisation is in Hungary). Lists sorted by family name
("Horváth Eszter", "Popescu Maria") put it first in every language and do not use this.
"""

from django.utils.translation import get_language

#: Languages that write their own names family name first.
FAMILY_NAME_FIRST = {"hu": "HU"}


def name_fields(language: str | None = None) -> list[str]:
    """The name fields in the order a form in ``language`` (default: the active one) asks
    them: "Vezetéknév" before "Keresztnév" on a Hungarian form."""
    language = (language or get_language() or "").split("-")[0]
    if language in FAMILY_NAME_FIRST:
        return ["last_name", "first_name"]
    return ["first_name", "last_name"]


def family_name_first(*, language: str | None = None, own_language: str = "", country="") -> bool:
    """Whether a text in ``language`` (default: the active one) writes the name of a person
    who reads ``own_language`` and lives in ``country`` family name first."""
    language = (language or get_language() or "").split("-")[0]
    if language not in FAMILY_NAME_FIRST:
        return False
    return (own_language or "").split("-")[0] == language or str(
        country or ""
    ) == FAMILY_NAME_FIRST[language]


def person_name(
    first: str, last: str, *, language: str | None = None, own_language: str = "", country=""
) -> str:
    """ "Eszter Horváth", or "Horváth Eszter" in a Hungarian text (``family_name_first``)."""
    parts = (first, last)
    if family_name_first(language=language, own_language=own_language, country=country):
        parts = (last, first)
    return " ".join(part.strip() for part in parts if part and part.strip())
