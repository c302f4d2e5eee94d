"""CSV downloads: streamed in chunks, readable by Excel, and safe to open in a spreadsheet."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

# Excel reads a CSV file as the machine's legacy code page unless it starts with a UTF-8 byte
# order mark, which mangles every accented name. Python (`utf-8-sig`), pandas, LibreOffice and
# Debrief's own importer all accept the mark, so every download carries it.
BOM = codecs.BOM_UTF8.decode()
# A cell starting with one of these is a formula to a spreadsheet: "=HYPERLINK(...)" typed
# into a deal name must stay text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text someone typed or imported, made harmless for a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The rows as CSV text (RFC 4180: commas, double quotes, CRLF), after a byte order mark."""
    writer = csv.writer(_Echo())
    batch = [BOM]
    for row in rows:
        batch.append(writer.writerow(row))
        # A few hundred rows a chunk: fewer, fuller writes than one per row.
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def csv_response(filename: str, rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed CSV attachment (the first row is the header): memory stays flat however
    many rows. Callers make their cells safe (`safe_cell`) as they build them."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
