"""French: Django's formats ("16 mars 2026") and the weekday formats ("lundi 16 mars 2026")."""

WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
