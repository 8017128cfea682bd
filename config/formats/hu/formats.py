"""Hungarian, year first: "2026. március 16.", "2026. március 16., hétfő"."""

DATE_FORMAT = "Y. F j."
DATETIME_FORMAT = "Y. F j., H:i"
MONTH_DAY_FORMAT = "F j."
WEEKDAY_DATE_FORMAT = "Y. F j., l"
WEEKDAY_MONTH_DAY_FORMAT = "F j., l"

# Numbers: thousands with a no-break space: 8\u00a0657 and 1\u00a0836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3
