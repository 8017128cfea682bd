"""The project's date and time formats per language (``FORMAT_MODULE_PATH``).

Each ``<lang>/formats.py`` overrides only the Django formats that are wrong for the product
(US dates in English, capitalised or zero-padded days in Italian, a comma after the date in
Hungarian) and adds formats Django has not got, read by :func:`events.formats.weekday_date`:

- ``WEEKDAY_DATE_FORMAT``: a day of the programme with its weekday and year
  ("Monday 16 March 2026", "2026. március 16., hétfő", "segunda-feira, 16 de março de 2026");
- ``WEEKDAY_MONTH_DAY_FORMAT``: the same without the year, for days inside one event;
- ``PERCENT_FORMAT``: where the per cent sign goes ("42%"; French "42\u202f%", a narrow
  no-break space), read by :func:`events.formats.percent`;
- ``FIRST_DAY_OF_MONTH_FORMAT``: how the day number ``j`` is written on the first of a month
  (French "1er janvier": ``j\\e\\r``), read by :func:`events.formats.date_format`.

Lowercase month and day names (ro, pt, it) come from the project's catalogues, which
override Django's own translations of "March", "Monday"... (see ``locale/GLOSSARY.md``).
"""
