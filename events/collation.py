"""Sorting names the way a reader of the active language expects, without ICU: case and
accents are ignored at first ("Dél-afrikai Köztársaság" before "Dél-Szudán", "Costa do
Marfim" before "Costa Rica", "Île de Man" before "Île Pitcairn"), then break ties.

Every list of countries in the product (forms, filters, the admin's selects and filters)
comes from ``sorted_countries``, so two lists of one page or of two pages are in one
order in every language; django-countries' own order (accents dropped, capitals first)
is never shown."""

import re
import unicodedata

from django_countries import countries

from .i18n import active_language

# Hungarian has letters of its own: ö and ő come after every o and ó, ü and ű after every
# u and ú, and cs, dz, dzs, gy, ly, ny, sz, ty, zs after their first letter ("Oroszország"
# before "Örményország", "Curaçao" before "Csád"). A letter that follows its base letter
# is written as the base letter and a character above every letter.
_AFTER = "\U0010ffff"
_HUNGARIAN_LETTERS = str.maketrans(
    {"ö": "o" + _AFTER, "ő": "o" + _AFTER, "ü": "u" + _AFTER, "ű": "u" + _AFTER}
)
_HUNGARIAN_DIGRAPHS = re.compile(r"dzs|cs|dz|gy|ly|ny|sz|ty|zs")


def _hungarian(text: str) -> str:
    text = text.translate(_HUNGARIAN_LETTERS)
    return _HUNGARIAN_DIGRAPHS.sub(lambda found: found[0][0] + _AFTER * (len(found[0]) - 1), text)


def collation_key(text) -> tuple[str, str]:
    """A sort key: the text without accents, case-folded (with Hungarian's own letters in
    Hungarian); the text itself breaks ties."""
    text = str(text)
    folded = text.casefold()
    if active_language() == "hu":
        folded = _hungarian(folded)
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare, text


def sorted_countries(codes=None) -> list[tuple[str, str]]:
    """(code, name in the active language) of ``codes`` (default: every country), sorted
    by the name as the reader expects."""
    if codes is None:
        pairs = [(country.code, str(country.name)) for country in countries]
    else:
        pairs = [(code, str(countries.name(code))) for code in codes]
    return sorted(pairs, key=lambda pair: collation_key(pair[1]))


def country_choices() -> list[tuple[str, str]]:
    """A select's choices: none, then every country, named and sorted in the active
    language (a callable for ``ChoiceField.choices``: each reader gets their own)."""
    return [("", "—"), *sorted_countries()]
