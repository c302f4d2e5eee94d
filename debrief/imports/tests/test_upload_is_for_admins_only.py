"""The imports pages are settings pages: to anyone but an admin they are not there (404),
an upload included, which then stores and queues nothing. Analysts read everything else, not
this."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from debrief.imports.actions import start_import
from debrief.imports.models import ImportRun

CSV = b"Id,Name,StageName\r\n006A1,Harbor renewal,Prospecting\r\n"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return settings.VAR_DIR


@pytest.mark.parametrize("role", ["rita", "maya", "ana"])
def test_only_admins_find_the_imports_pages(client, cast, var_dir, role):
    # given
    run = start_import([], "csv", by=cast.adam, file_names=["deals.csv"])
    client.force_login(getattr(cast, role))

    # when
    pages = [
        client.get("/settings/imports/"),
        client.get(f"/settings/imports/{run.pk}/"),
        client.get(f"/settings/imports/{run.pk}/", headers={"HX-Request": "true"}),
        client.get(f"/settings/imports/{run.pk}/errors.csv"),
        client.post(f"/settings/imports/{run.pk}/"),
    ]
    upload = client.post(
        "/settings/imports/",
        {"format": "salesforce", "csv_files": [SimpleUploadedFile("deals.csv", CSV)]},
    )

    # then
    assert [p.status_code for p in pages] == [404, 404, 404, 404, 404]
    assert upload.status_code == 404
    assert ImportRun.objects.count() == 1
    assert not (var_dir / "imports").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, db, var_dir):
    response = client.post(
        "/settings/imports/",
        {"format": "salesforce", "csv_files": [SimpleUploadedFile("deals.csv", CSV)]},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not ImportRun.objects.exists()


def test_a_run_that_does_not_exist_is_404_for_admins_too(client, adam):
    client.force_login(adam)

    assert client.get("/settings/imports/999/").status_code == 404
    assert client.get("/settings/imports/999/errors.csv").status_code == 404
