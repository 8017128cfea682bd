"""Romanian: "16 martie 2026", "luni, 16 martie 2026" (names lowercased by the catalogue); the
per cent sign after a no-break space ("42\u00a0%")."""

DATETIME_FORMAT = "j F Y, H:i"
WEEKDAY_DATE_FORMAT = "l, j F Y"
WEEKDAY_MONTH_DAY_FORMAT = "l, j F"
PERCENT_FORMAT = "{}\u00a0%"

# Numbers: thousands with a full stop: 8.657 and 1.836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
