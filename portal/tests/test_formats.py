"""Dates and times in Kazakh are written in Kazakh order with a 24-hour clock (portal/formats/kk)."""

from datetime import date, time

from django.utils import formats, translation


def test_kazakh_dates_and_times():
    day, moment = date(2026, 1, 23), time(14, 59)

    with translation.override("kk"):
        assert formats.date_format(day, "DATE_FORMAT") == "23 қаңтар 2026 ж."
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "23.01.2026"
        assert formats.time_format(moment, "TIME_FORMAT") == "14:59"
        assert formats.get_format("DATETIME_FORMAT") == "j E Y ж., H:i"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d.%m.%Y"


def test_russian_and_english_keep_djangos_formats():
    day = date(2026, 1, 23)

    with translation.override("ru"):
        assert formats.date_format(day, "DATE_FORMAT").startswith("23 января 2026")
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "Jan. 23, 2026"
