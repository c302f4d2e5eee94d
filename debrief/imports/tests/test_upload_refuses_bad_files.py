"""What the imports page refuses, each with a clear message and nothing stored or queued: a
file name that tries to leave its folder (or hides a NUL), a binary file, an upload over the
size limit (checked while it streams), a wrong extension, no file, an unknown format, a
mapping that is not JSON, and a form without its CSRF token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from debrief.imports.models import ImportRun

CSV = b"Id,Name,StageName\r\n006A1,Harbor renewal,Prospecting\r\n"
BOUNDARY = "----debrief-test-boundary"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    # Where uploads stream to: it must be empty again after every refused upload.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    (tmp_path / "incoming").mkdir()
    return settings.VAR_DIR


def assert_refused(response, message: str, var_dir: Path, tmp_path: Path) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert message in _text(page), _text(page)[:2000]
    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not (var_dir / "imports").exists() or not any((var_dir / "imports").iterdir())
    assert list((tmp_path / "incoming").iterdir()) == []


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace("&quot;", '"')


def multipart(client: Client, parts: list[tuple[str, str | None, bytes]]) -> Any:
    """POST a multipart body built by hand, file names exactly as given (the test client
    would strip their directories itself, as browsers do)."""
    body = b""
    for name, filename, content in parts:
        body += f"--{BOUNDARY}\r\n".encode()
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += disposition.encode() + b"\r\n"
        if filename is not None:
            body += b"Content-Type: text/csv\r\n"
        body += b"\r\n" + content + b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    return client.post(
        "/settings/imports/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("../../etc/cron.d/deals.csv", 'has ".." in its name'),
        ("..\\..\\deals.csv", 'has ".." in its name'),
        ("&#46;&#46;/deals.csv", 'has ".." in its name'),
        ("/etc/passwd.csv", "has an absolute path as its name"),
        ("C:\\Windows\\deals.csv", "has an absolute path as its name"),
        ("deals\x00.csv", "has a NUL character in its name"),
    ],
)
def test_a_file_name_with_a_path_trick_is_refused(
    client, adam, var_dir, tmp_path, filename, message
):
    # given
    client.force_login(adam)

    # when
    response = multipart(
        client,
        [
            ("format", None, b"salesforce"),
            ("csv_files", filename, CSV),
            ("csv_files", "ok.csv", CSV),
        ],
    )

    # then
    assert_refused(response, message, var_dir, tmp_path)
    assert "rename the file and upload it again" in _text(response.content.decode())


def test_directories_a_browser_sends_are_never_used_as_paths(client, adam, var_dir):
    # given a name with a directory but no climbing out
    client.force_login(adam)

    # when
    response = multipart(
        client, [("format", None, b"salesforce"), ("csv_files", "exports/May Deals (1).CSV", CSV)]
    )

    # then it is stored under the run's folder by its last part, made safe
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.paths == [str(var_dir / "imports" / str(run.pk) / "May_Deals_1.csv")]
    assert Path(run.paths[0]).read_bytes() == CSV


def test_two_files_of_the_same_name_are_both_kept(client, adam, var_dir):
    client.force_login(adam)

    multipart(
        client,
        [("format", None, b"maven"), ("csv_files", "a.csv", CSV), ("csv_files", "a.csv", CSV)],
    )

    run = ImportRun.objects.get()
    assert [Path(p).name for p in run.paths] == ["a.csv", "a-2.csv"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00deals", "is not a text file"),
        ("Id,Name\r\n1,Caf\u00e9".encode("utf-16"), "is not a text file"),
        (b"Id,Name\x1b[31m\x07,StageName\r\n", "is not a text file"),
        (b"\xff\xd8\xff\xe0 JFIF" + bytes(range(128, 160)) * 20, "is not text in UTF-8"),
        (b"", "is empty"),
    ],
)
def test_a_file_that_is_not_text_is_refused(client, adam, var_dir, tmp_path, content, message):
    # given
    client.force_login(adam)

    # when
    response = client.post(
        "/settings/imports/",
        {"format": "salesforce", "csv_files": [SimpleUploadedFile("deals.csv", content)]},
    )

    # then
    assert_refused(response, f"“deals.csv” {message}", var_dir, tmp_path)


def test_latin_1_text_is_text(client, adam):
    client.force_login(adam)

    response = client.post(
        "/settings/imports/",
        {
            "format": "salesforce",
            "csv_files": [
                SimpleUploadedFile("deals.csv", "Id,Name\r\n1,Müller GmbH\r\n".encode("latin-1"))
            ],
        },
    )

    assert response.status_code == 302


def test_an_upload_over_the_size_limit_is_refused_while_it_streams(
    client, adam, settings, var_dir, tmp_path
):
    # given
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(adam)
    big = CSV + b"006A2,Fjord expansion,Prospecting\r\n" * 100

    # when two files that each fit but not together are sent
    response = client.post(
        "/settings/imports/",
        {
            "format": "salesforce",
            "csv_files": [SimpleUploadedFile("a.csv", CSV), SimpleUploadedFile("b.csv", big)],
        },
    )

    # then
    assert_refused(
        response, "The files are too big: an upload may hold 1000 bytes in all.", var_dir, tmp_path
    )
    page = response.content.decode()
    assert "IMPORT_MAX_BYTES" in page
    assert '<option value="salesforce" selected>' in page  # what was chosen is kept
    assert "This field is required" not in page


@pytest.mark.parametrize("name", ["deals.xlsx", "deals.csv.exe", "deals", "deals.json"])
def test_a_file_with_another_extension_is_refused(client, adam, var_dir, tmp_path, name):
    client.force_login(adam)

    response = client.post(
        "/settings/imports/", {"format": "salesforce", "csv_files": [SimpleUploadedFile(name, CSV)]}
    )

    assert_refused(response, f"“{name}” is not a .csv, .txt, .tsv file.", var_dir, tmp_path)


def test_no_file_is_refused(client, adam, var_dir, tmp_path):
    client.force_login(adam)

    response = client.post("/settings/imports/", {"format": "salesforce", "csv_files": []})

    assert_refused(response, "Choose the file or files to import.", var_dir, tmp_path)


def test_a_form_sent_without_multipart_is_refused(client, adam, var_dir, tmp_path):
    client.force_login(adam)

    response = client.post(
        "/settings/imports/", "format=salesforce", content_type="application/x-www-form-urlencoded"
    )

    assert_refused(response, "Send the files as a form upload", var_dir, tmp_path)


def test_an_unknown_format_is_refused(client, adam, var_dir, tmp_path):
    client.force_login(adam)

    response = client.post(
        "/settings/imports/", {"format": "excel", "csv_files": [SimpleUploadedFile("d.csv", CSV)]}
    )

    assert_refused(
        response,
        "Select a valid choice. excel is not one of the available choices.",
        var_dir,
        tmp_path,
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("mapping.json", b'{"columns": {"external_id": "Id"', "The mapping file is not valid JSON"),
        ("mapping.json", b'["Id", "Name"]', "The mapping file must hold one JSON object"),
        ("mapping.txt", b'{"columns": {}}', "“mapping.txt” is not a .json file."),
    ],
)
def test_a_broken_mapping_is_refused(client, adam, var_dir, tmp_path, name, content, message):
    client.force_login(adam)

    response = client.post(
        "/settings/imports/",
        {
            "format": "csv",
            "csv_files": [SimpleUploadedFile("d.csv", CSV)],
            "mapping": SimpleUploadedFile(name, content),
        },
    )

    assert_refused(response, message, var_dir, tmp_path)


def test_a_mapping_is_read_into_the_run(client, adam):
    client.force_login(adam)

    client.post(
        "/settings/imports/",
        {
            "format": "csv",
            "csv_files": [SimpleUploadedFile("d.csv", CSV)],
            "mapping": SimpleUploadedFile(
                "m.json", b'{"columns": {"external_id": "Id", "stage": "StageName"}}'
            ),
            "encoding": "cp1252",
        },
    )

    run = ImportRun.objects.get()
    assert run.options["mapping"] == {"columns": {"external_id": "Id", "stage": "StageName"}}
    assert run.options["encoding"] == "cp1252"


def test_an_upload_without_its_csrf_token_is_refused(adam, var_dir, tmp_path):
    # given a browser-like client that checks CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(adam)
    upload = {"format": "salesforce", "csv_files": [SimpleUploadedFile("d.csv", CSV)]}

    # when
    response = client.post("/settings/imports/", upload)

    # then
    assert response.status_code == 403
    assert not ImportRun.objects.exists()
    assert list((tmp_path / "incoming").iterdir()) == []

    # when the token from the page is sent
    page = client.get("/settings/imports/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]  # type: ignore[index]
    upload["csv_files"] = [SimpleUploadedFile("d.csv", CSV)]
    response = client.post("/settings/imports/", {"csrfmiddlewaretoken": token, **upload})

    # then
    assert response.status_code == 302
    assert ImportRun.objects.count() == 1
