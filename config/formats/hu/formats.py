"""Hungarian, year first: "2026. március 16.", "2026. március 16., hétfő"; numeric dates
with a space after each full stop as the Hungarian spelling rules write them ("2026. 03. 16.",
not Django's "2026.03.16.")."""

DATE_FORMAT = "Y. F j."
DATETIME_FORMAT = "Y. F j., H:i"
MONTH_DAY_FORMAT = "F j."
WEEKDAY_DATE_FORMAT = "Y. F j., l"
WEEKDAY_MONTH_DAY_FORMAT = "F j., l"
SHORT_DATE_FORMAT = "Y. m. d."
SHORT_DATETIME_FORMAT = "Y. m. d. H:i"
DATE_INPUT_FORMATS = ["%Y. %m. %d.", "%Y.%m.%d."]
DATETIME_INPUT_FORMATS = [
    "%Y. %m. %d. %H:%M",
    "%Y. %m. %d. %H:%M:%S",
    "%Y.%m.%d. %H:%M",
    "%Y.%m.%d. %H:%M:%S",
]

# Numbers: thousands with a no-break space: 8\u00a0657 and 1\u00a0836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3
