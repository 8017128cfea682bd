"""European Portuguese: "16 de março de 2026", "segunda-feira, 16 de março de 2026", and a
time as Portuguese administrations write it, the hours and minutes joined by "h": "9h00",
"16h30" (never "16:30" nor "4:30 PM"). A moment reads "12 de março de 2027, às 16h30", so
"until {date}" becomes "até 12 de março de 2027, às 16h30"; in tables "12/03/2027, 16h30".
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = r"G\hi"
DATETIME_FORMAT = r"j \d\e F \d\e Y, \à\s G\hi"
SHORT_DATETIME_FORMAT = r"d/m/Y, G\hi"
MONTH_DAY_FORMAT = r"j \d\e F"
WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"
WEEKDAY_MONTH_DAY_FORMAT = r"l, j \d\e F"

# Numbers: thousands with a no-break space (European Portuguese): 8\u00a0657 and 1\u00a0836,3.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3
