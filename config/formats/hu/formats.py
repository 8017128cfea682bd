"""Hungarian, year first: "2026. március 16.", "2026. március 16., hétfő"."""

DATE_FORMAT = "Y. F j."
DATETIME_FORMAT = "Y. F j., H:i"
MONTH_DAY_FORMAT = "F j."
WEEKDAY_DATE_FORMAT = "Y. F j., l"
WEEKDAY_MONTH_DAY_FORMAT = "F j., l"
