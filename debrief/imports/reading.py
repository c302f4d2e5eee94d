"""Reading CSV files the way CRMs write them: UTF-8 with or without a byte-order mark, or
Latin-1/Windows-1252; comma, semicolon or tab; quoted fields over several lines; CRLF. Rows are
streamed, never the whole file at once, so memory stays flat whatever the file's size."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DELIMITERS = ",;\t"
# How much of the start of a file is enough to guess its encoding and delimiter.
SNIFF_BYTES = 64 * 1024

# A field can be long (Salesforce descriptions hold whole emails in HTML).
csv.field_size_limit(16 * 1024 * 1024)


class FileProblem(Exception):
    """A file that cannot be read at all (too big, empty, not text). Not a row error."""


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 2 * 1024**3))


@dataclass
class CsvFile:
    """One file to import, with the encoding and delimiter it is read with."""

    path: Path
    encoding: str
    delimiter: str
    headers: list[str]

    @property
    def name(self) -> str:
        return self.path.name

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {header: value}) for each record. Row 1 is the header, as a spreadsheet
        shows it; a record spread over several lines counts as one row."""
        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            next(reader, None)
            headers = self.headers
            width = len(headers)
            for number, values in enumerate(reader, start=2):
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                row = dict(zip(headers, values, strict=False))
                if len(values) > width:
                    row[""] = ",".join(values[width:])
                yield number, row


def open_csv(path: Path, encoding: str | None = None) -> CsvFile:
    """Check a file's size and guess how to read it. The encoding guessed from the first bytes
    can prove wrong further on; `check_encoding` reads the rest and settles it."""
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise FileProblem(
            f"{path.name} is {size:,} bytes, over the import limit of {limit:,} bytes "
            "(setting IMPORT_MAX_BYTES)."
        )
    if size == 0:
        raise FileProblem(f"{path.name} is empty.")
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if b"\x00" in head:
        raise FileProblem(f"{path.name} is not a text file (it holds NUL bytes).")
    if encoding is None:
        encoding = _guess_encoding(head)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FileProblem(f"Unknown encoding {encoding!r}.") from None
    text = head.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
        if encoding.lower().replace("-", "").replace("_", "") == "utf8":
            encoding = "utf-8-sig"
    delimiter = _guess_delimiter(text)
    header_row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    headers = [h.strip() for h in header_row]
    if not any(headers):
        raise FileProblem(f"{path.name} has no header row.")
    return CsvFile(path=path, encoding=encoding, delimiter=delimiter, headers=headers)


def check_encoding(file: CsvFile, chosen: bool) -> CsvFile:
    """Read the whole file once in its guessed encoding; UTF-8 that breaks further on is
    Windows-1252 after all (Salesforce exports are). An encoding the user chose is kept, and a
    byte it cannot read is a clear error."""
    decoder = codecs.getincrementaldecoder(file.encoding)()
    with file.path.open("rb") as handle:
        offset = 0
        while chunk := handle.read(1024 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                if chosen or not file.encoding.startswith("utf-8"):
                    raise FileProblem(
                        f"{file.name} is not {file.encoding}: byte {offset + error.start:,} "
                        "cannot be read. Try --encoding cp1252 or latin-1."
                    ) from None
                return _reopen(file, _fallback_encoding(file.path))
            offset += len(chunk)
    return file


def _reopen(file: CsvFile, encoding: str) -> CsvFile:
    fresh = open_csv(file.path, encoding)
    return CsvFile(fresh.path, encoding, fresh.delimiter, fresh.headers)


def _fallback_encoding(path: Path) -> str:
    """Windows-1252, unless the file holds one of the five bytes it leaves undefined."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return "latin-1"
    return "cp1252"


def _guess_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The last bytes may cut a character in two: ignore an incomplete one at the end.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _guess_delimiter(text: str) -> str:
    """The delimiter of the header line: the one of comma, semicolon and tab it has most of,
    outside quotes."""
    line = _first_record(text)
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_record(text: str) -> str:
    quoted = False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:i]
    return text
