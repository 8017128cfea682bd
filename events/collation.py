"""Sorting names the way a reader of the active language expects, without ICU: case and
accents are ignored at first ("Dél-afrikai Köztársaság" before "Dél-Szudán", "Costa do
Marfim" before "Costa Rica", "Île de Man" before "Île Pitcairn"), then break ties."""

import unicodedata

from django_countries import countries


def collation_key(text) -> tuple[str, str]:
    """A sort key: the text without accents, case-folded; the text itself breaks ties."""
    text = str(text)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold(), text


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
