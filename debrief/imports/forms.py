"""The upload form of the imports page, and the guards every uploaded file passes: a size limit
checked while the upload streams to disk, a name that cannot reach outside the run's folder,
and a check that the content is text."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser

DATA_EXTENSIONS = (".csv", ".txt", ".tsv")
MAPPING_EXTENSIONS = (".json",)
SNIFF_BYTES = 1024
MAPPING_MAX_BYTES = 1024 * 1024
# Bytes no text file holds: the C0 controls except tab, line feed, form feed and carriage
# return (and DOS's end-of-file mark, which old exports still end with).
_NOT_TEXT = bytes(set(range(32)) - {9, 10, 12, 13, 26}) + b"\x7f"
_SEPARATORS = re.compile(r"[/\\]")

type Uploaded = UploadedFile[Any]


def max_upload_bytes() -> int:
    """The most one upload may hold, all its files together."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", 2 * 1024**3))


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024  # type: ignore[assignment]
    raise AssertionError  # pragma: no cover


# --- names ---------------------------------------------------------------------------------


def name_problem(raw: str) -> str | None:
    """Why a file name as the client sent it is refused, or None. Django would strip the
    directories itself; a name that tries to climb out or hide a NUL is refused instead, so
    that the admin learns their file was not what they thought."""
    for name in (raw, html.unescape(raw)):  # Django unescapes entities: "&#46;&#46;/" is "../"
        if "\x00" in name:
            return "has a NUL character in its name"
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            return "has an absolute path as its name"
        if ".." in _SEPARATORS.split(name):
            return 'has ".." in its name'
    return None


def safe_name(client_name: str, taken: set[str]) -> str:
    """The name a file is stored under: the client's last path part reduced to letters,
    digits, "-" and "_" (so "sales_pipeline.csv" stays itself, which the Maven importer needs),
    its extension in lower case, made unique among `taken`."""
    base = PurePath(_SEPARATORS.split(client_name)[-1])
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", base.stem).strip("_")[:80] or "file"
    suffix = base.suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,8}", base.suffix.lower()) else ""
    name, n = f"{stem}{suffix}", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}{suffix}"
    taken.add(name)
    return name


# --- streaming the upload --------------------------------------------------------------------


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams each file to a temporary file (never whole into memory) and stops reading
    files once the request's files together pass the limit. Django's DATA_UPLOAD_* settings
    limit the form fields only, never the files."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            # Read and drop the rest, so the browser gets the answer rather than a reset.
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


class UploadParser(MultiPartParser):
    """Django's multipart parser, keeping the file names it would quietly have cleaned up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused_names: list[tuple[str, str]] = []

    def sanitize_file_name(self, file_name: str) -> str | None:
        problem = name_problem(file_name)
        if problem:
            self.refused_names.append((file_name, problem))
            return None  # the parser then skips the file: nothing of it is written
        return super().sanitize_file_name(file_name)


class Upload:
    """A multipart request read under the guards: the form data and files, and what was
    refused while reading (a name with a path trick, a total over the limit)."""

    def __init__(self, request: HttpRequest) -> None:
        self.limit = max_upload_bytes()
        self.handler = LimitedUploadHandler(request, self.limit)
        request.upload_handlers = [self.handler]
        parser = UploadParser(request.META, request, request.upload_handlers, request.encoding)
        post, files = parser.parse()
        # Give the request what it would have parsed itself, so that the CSRF check and the
        # form read the same data.
        request._post, request._files = post, files  # type: ignore[attr-defined]
        self.files = files
        self.refused_names = parser.refused_names

    @property
    def too_big(self) -> bool:
        return self.handler.too_big

    def problems(self) -> list[str]:
        """What makes the whole upload unusable, as messages for the top of the form."""
        found = [
            f"“{_printable(raw)}” {problem}; rename the file and upload it again."
            for raw, problem in self.refused_names
        ]
        if self.too_big:
            found.append(
                f"The files are too big: an upload may hold {human_size(self.limit)} in all. "
                "Split the file, or ask your administrator to raise IMPORT_MAX_BYTES."
            )
        return found

    def close(self) -> None:
        """Delete the temporary files (the kept ones have been copied out by then)."""
        for _, uploaded_list in self.files.lists():
            for uploaded in uploaded_list:
                uploaded.close()


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "�" for c in name)[:120]


# --- content ---------------------------------------------------------------------------------


def text_problem(uploaded: Uploaded) -> str | None:
    """Why a file is not text, judged from its first kilobyte, or None."""
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if not head.strip():
        return "is empty"
    if b"\x00" in head:
        return "is not a text file (it has NUL bytes: a spreadsheet, an archive, or UTF-16 text; save it as CSV in UTF-8)"
    if any(b in _NOT_TEXT for b in head):
        return "is not a text file (it has control characters no CSV holds)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # Cut mid-character at the end of the kilobyte is still UTF-8.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return "is not text in UTF-8, Latin-1 or Windows-1252"
    return None


# --- the form ---------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DataFilesField(forms.FileField):
    """One or more CSV files, each with a data extension and text content."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Uploaded]:
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not uploads:
            raise ValidationError("Choose the file or files to import.", code="required")
        errors = []
        for uploaded in uploads:
            problem = _file_problem(uploaded, DATA_EXTENSIONS)
            if problem is None:
                super().clean(uploaded, initial)
            if problem:
                errors.append(problem)
        if errors:
            raise ValidationError(errors)
        return uploads


def _file_problem(uploaded: Uploaded, extensions: Sequence[str]) -> str | None:
    name = uploaded.name or ""
    if not uploaded.size:
        return f"“{_printable(name)}” is empty."
    if PurePath(name).suffix.lower() not in extensions:
        allowed = ", ".join(extensions)
        return f"“{_printable(name)}” is not a {allowed} file."
    problem = text_problem(uploaded)
    return f"“{_printable(name)}” {problem}." if problem else None


class ImportForm(forms.Form):
    csv_files = DataFilesField(
        label="Files",
        help_text="CSV, TSV or TXT. Maven needs its five files; choose them together.",
    )
    format = forms.ChoiceField(label="Format", choices=())
    mapping = forms.FileField(
        label="Mapping file",
        required=False,
        help_text="For generic CSV: a .json file naming the column for each field.",
    )
    encoding = forms.ChoiceField(
        label="Encoding",
        required=False,
        choices=[
            ("", "Detect (UTF-8, else Windows-1252)"),
            ("utf-8", "UTF-8"),
            ("cp1252", "Windows-1252"),
            ("latin-1", "Latin-1"),
        ],
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the files and report, change nothing", required=False
    )
    skip_invalid = forms.BooleanField(
        label="Skip invalid rows (import the valid rows, list the rest)", required=False
    )

    def __init__(self, *args: Any, formats: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", "Choose the format…"), *formats]  # type: ignore[attr-defined]
        self.fields["csv_files"].widget.attrs["accept"] = ",".join(DATA_EXTENSIONS)
        self.fields["mapping"].widget.attrs["accept"] = ",".join(MAPPING_EXTENSIONS)

    def clean_mapping(self) -> dict[str, Any] | None:
        """The mapping, read now: a broken one is an error on the form, not a failed run."""
        mapping: Uploaded | None = self.cleaned_data.get("mapping")
        if mapping is None:
            return None
        problem = _file_problem(mapping, MAPPING_EXTENSIONS)
        if problem:
            raise ValidationError(problem)
        if (mapping.size or 0) > MAPPING_MAX_BYTES:
            raise ValidationError("The mapping file is too big for a mapping (over 1 MB).")
        mapping.seek(0)
        try:
            loaded = json.loads(mapping.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ValidationError(f"The mapping file is not valid JSON: {error}.") from None
        if not isinstance(loaded, dict):
            raise ValidationError("The mapping file must hold one JSON object ({...}).")
        return loaded


def store_files(uploads: Sequence[Uploaded], folder: Path) -> list[Path]:
    """Copy the uploads into `folder` under safe names; the paths, in upload order."""
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    paths = []
    for uploaded in uploads:
        path = folder / safe_name(uploaded.name or "file", taken)
        if isinstance(uploaded, TemporaryUploadedFile):
            # Already on disk: move it rather than copy gigabytes.
            shutil.move(uploaded.temporary_file_path(), path)
        else:
            uploaded.seek(0)
            with path.open("xb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
        paths.append(path)
    return paths
