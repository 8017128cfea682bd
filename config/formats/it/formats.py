"""Italian: "16 marzo 2026", "lunedì 16 marzo 2026", "16 marzo 2026, 09:30", and the first
of a month with its ordinal sign, "1º marzo" (``FIRST_DAY_OF_MONTH_FORMAT``)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
FIRST_DAY_OF_MONTH_FORMAT = "j\\º"

# Numbers: thousands with a full stop: 8.657 and 1.836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
