"""Kazakh formats: Django has none, so /kk/ pages wrote dates in English order with a 12-hour clock.

Day, month, year, as Kazakh readers write them ("23 қаңтар 2026 ж.", "23.01.2026"),
and a 24-hour clock. Month names in dates come from the "alt. month" context
(lowercase, as inside a Kazakh sentence: locale_django/kk), see Django's
date format syntax: https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
"""

DATE_FORMAT = "j E Y ж."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y ж., H:i"
YEAR_MONTH_FORMAT = "F Y ж."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '23.01.2026'
    "%d.%m.%y",  # '23.01.26'
    "%Y-%m-%d",  # '2026-01-23'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
