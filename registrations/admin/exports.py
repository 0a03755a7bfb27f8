"""CSV downloads of the staff workplace: streamed, safe to open in a spreadsheet.

Every export of personal data writes its audit event before the first byte
(the caller's job) and streams its rows, so memory stays constant whatever
the size of the list.
"""

import csv
import re

from django.http import StreamingHttpResponse

# Spreadsheets run a cell that starts with these as a formula ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+?[\d ()-]+")


def csv_cell(value):
    """A value as a CSV cell: dates in ISO 8601, nothing a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PHONE.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() returns what it is given: csv.writer, row by row."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    writer = csv.writer(_Echo())
    # The byte-order mark makes spreadsheet programs read the names as UTF-8.
    yield "\ufeff" + writer.writerow([str(title) for title in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(header, rows, *, filename):
    """A streamed CSV download of `rows` (an iterable of lists) under `header`; never cached."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
