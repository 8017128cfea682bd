"""European Portuguese: "16 de março de 2026", "segunda-feira, 16 de março de 2026"."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"
WEEKDAY_MONTH_DAY_FORMAT = r"l, j \d\e F"

# Numbers: thousands with a no-break space (European Portuguese): 8\u00a0657 and 1\u00a0836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3
