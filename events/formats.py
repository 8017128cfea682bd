"""Dates in each language's own shape, with the formats Django has not got.

Django's named formats (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``…) are read with
``django.utils.formats``; the project adds ``WEEKDAY_DATE_FORMAT`` and
``WEEKDAY_MONTH_DAY_FORMAT`` to its format modules (``config/formats/<lang>/formats.py``)
because the place of the weekday differs by language: "Monday 16 March 2026",
"2026. március 16., hétfő", "segunda-feira, 16 de março de 2026".

Every date shown to people goes through :func:`date_format` (templates: the ``local_date``
filter), never Django's own ``date_format`` or ``|date:"DATE_FORMAT"``: French writes the
first of the month "1er janvier", which a Django format cannot say
(``FIRST_DAY_OF_MONTH_FORMAT`` of the format modules).
"""

import re
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import get_language

FALLBACKS = {
    "WEEKDAY_DATE_FORMAT": "l j F Y",
    "WEEKDAY_MONTH_DAY_FORMAT": "l j F",
    "PERCENT_FORMAT": "{}%",
    "FIRST_DAY_OF_MONTH_FORMAT": "j",
}


def project_format(name: str, language: str | None = None) -> str:
    """The format ``name`` of ``language`` (default: the active one) from the format modules."""
    for module in formats.get_format_modules(language or get_language()):
        value = getattr(module, name, None)
        if value:
            return value
    return FALLBACKS[name]


def date_format(value: date | datetime, format: str | None = None) -> str:
    """``value`` in the named ``format`` (default ``DATE_FORMAT``) of the active language, as
    Django's ``date_format`` writes it, except the first day of a month: its day number
    ``j`` becomes the language's ``FIRST_DAY_OF_MONTH_FORMAT`` ("1er janvier" in French)."""
    shape = formats.get_format(format or "DATE_FORMAT")
    if value.day == 1:
        first = project_format("FIRST_DAY_OF_MONTH_FORMAT")
        # Each unescaped "j" (a backslash escapes the character after it).
        shape = re.sub(r"\\.|j", lambda m: first if m.group() == "j" else m.group(), shape)
    return formats.date_format(value, shape)


def weekday_date(value: date | datetime, *, with_year: bool = True) -> str:
    """``value`` with its weekday, in the active language: "lundi 16 mars 2026"."""
    name = "WEEKDAY_DATE_FORMAT" if with_year else "WEEKDAY_MONTH_DAY_FORMAT"
    return date_format(value, project_format(name))


def percent(value) -> str:
    """A percentage in the active language's shape: "42%" (en, ro, hu, pt, it), "42 %" with
    a narrow no-break space in French (``PERCENT_FORMAT`` of the format modules)."""
    number = formats.number_format(value, use_l10n=True)
    return project_format("PERCENT_FORMAT").format(number)
