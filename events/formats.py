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

from django.contrib.humanize.templatetags.humanize import apnumber
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


def date_range(start: date | datetime, end: date | datetime) -> str:
    """The days from ``start`` to ``end`` (local dates), in the active language's shape:
    the days of one month share its name and year ("4–5 January 2027", "4–5 janvier
    2027", "2027. január 4–5."); otherwise both dates in full ("30 January 2027 –
    2 February 2027")."""
    last = date_format(end)
    if (start.year, start.month) != (end.year, end.month):
        return f"{date_format(start)} – {last}"
    if start.day == end.day:
        return last
    first_day = str(start.day)
    if start.day == 1:
        first_day = formats.date_format(start, project_format("FIRST_DAY_OF_MONTH_FORMAT"))
    # The end's day number, not a digit of its year ("2027. január 5." -> "… 4–5.").
    return re.sub(rf"(?<!\d){end.day}(?!\d)", f"{first_day}–{end.day}", last, count=1)


def weekday_date(value: date | datetime, *, with_year: bool = True) -> str:
    """``value`` with its weekday, in the active language: "lundi 16 mars 2026"."""
    name = "WEEKDAY_DATE_FORMAT" if with_year else "WEEKDAY_MONTH_DAY_FORMAT"
    return date_format(value, project_format(name))


def percent(value) -> str:
    """A percentage in the active language's shape: "42%" (en, ro, hu, pt, it), "42 %" with
    a narrow no-break space in French (``PERCENT_FORMAT`` of the format modules)."""
    number = formats.number_format(value, use_l10n=True)
    return project_format("PERCENT_FORMAT").format(number)


def count_in_words(count: int, *, one: str, two: str) -> str:
    """A count inside a sentence, as each language's style writes it: in words from one to
    nine ("pose quatre questions", "négy saját kérdést"), in figures from 10. One and two
    agree with their noun, or take the form used before a noun ("une", "o", "două",
    "duas", "két"): the caller gives them translated for its noun
    (``pgettext("number of questions", "two")``); three to nine are invariable in our
    languages and come from Django's own catalogues (humanize's ``apnumber``). Tables and
    figures keep their digits: this is for running text only."""
    if count == 1:
        return str(one)
    if count == 2:
        return str(two)
    if 3 <= count <= 9:
        return str(apnumber(count))
    return formats.number_format(count, use_l10n=True, force_grouping=True)
