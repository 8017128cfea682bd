"""French: Django's formats ("16 mars 2026"), the weekday formats ("lundi 16 mars 2026") and
the per cent sign after a narrow no-break space ("42\u202f%"); a moment reads "18 février 2027
à 09:00" (Django's has no word between the date and the time)."""

DATETIME_FORMAT = "j F Y à H:i"

WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
PERCENT_FORMAT = "{}\u202f%"

# Numbers: thousands with a narrow no-break space: 8\u202f657 and 1\u202f836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
