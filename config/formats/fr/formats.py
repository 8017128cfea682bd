"""French: Django's formats ("16 mars 2026"), the weekday formats ("lundi 16 mars 2026") and
the per cent sign after a narrow no-break space ("42\u202f%").

Times as French typography writes them, "9 h 00", "11 h 15" (no-break spaces around the
"h"), never "09:00"; a moment reads "18 février 2027 à 9 h 00". The first day of a month is
"1er janvier" (``FIRST_DAY_OF_MONTH_FORMAT``, read by :func:`events.formats.date_format`)."""

TIME = "G\u00a0\\h\u00a0i"

DATE_FORMAT = "j F Y"
TIME_FORMAT = TIME
DATETIME_FORMAT = f"j F Y à {TIME}"
SHORT_DATETIME_FORMAT = f"d/m/Y {TIME}"
FIRST_DAY_OF_MONTH_FORMAT = "j\\e\\r"

WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
PERCENT_FORMAT = "{}\u202f%"

# Numbers: thousands with a narrow no-break space: 8\u202f657 and 1\u202f836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
