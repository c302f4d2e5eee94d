"""Whatever name a client gives a file, the upload either stores it inside the run's own
folder under a plain name, or refuses it with a message: never a server error, never a path
elsewhere. Names are generated, hostile ones included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from debrief.imports.models import ImportRun

BOUNDARY = "----debrief-hypothesis-boundary"
CSV = b"Id,Name,StageName\r\n006A1,Harbor renewal,Prospecting\r\n"
PLAIN = re.compile(r"[A-Za-z0-9_-]+(-\d+)?\.csv")

# Pieces that make names hostile, mixed with any text a multipart header can carry.
PIECES = st.sampled_from(
    ["..", "/", "\\", "C:", "\x00", "&#46;", "&#47;", ".csv", "~", " ", "%2e%2e", "é", "\t"]
)
NAMES = st.lists(
    st.one_of(
        PIECES, st.text(st.characters(codec="utf-8", exclude_characters='"\r\n'), max_size=8)
    ),
    min_size=1,
    max_size=8,
).map("".join)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=NAMES)
def test_a_stored_file_stays_in_its_run_folder(client, adam, settings, tmp_path, name):
    # given
    settings.VAR_DIR = tmp_path / "var"
    client.force_login(adam)
    before = ImportRun.objects.count()

    # when
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="format"\r\n\r\nsalesforce\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csv_files"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + CSV
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    response = client.post(
        "/settings/imports/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )

    # then
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert ImportRun.objects.count() == before
        assert 'class="errorlist' in response.content.decode()
        return
    run = ImportRun.objects.latest("pk")
    [stored] = [Path(p) for p in run.paths]
    folder = (tmp_path / "var" / "imports" / str(run.pk)).resolve()
    assert stored.resolve().parent == folder
    assert PLAIN.fullmatch(stored.name), stored.name
    assert stored.read_bytes() == CSV
