"""`debrief import` prints the report, records who imported, and says by its exit status
whether rows were left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from debrief.imports.models import ImportRun

HEADER = "Record ID,Deal Name,Deal Stage,Amount,Is Closed Won,Is closed lost\n"


@pytest.mark.django_db
def test_skip_invalid_exits_2_and_records_the_importer(
    tmp_path: Path, adam: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # given one good row and one with a bad amount
    path = tmp_path / "deals.csv"
    path.write_text(HEADER + "1,Good,Closed won,10,true,false\n2,Bad,Closed won,1O,true,false\n")

    # when
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import", str(path), "--format", "hubspot", "--skip-invalid", "--as", adam.email
        )

    # then
    assert exit_.value.code == 2
    out = capsys.readouterr().out
    assert "1 created" in out and "1 invalid rows skipped" in out
    assert "Error at row 3, column 'Amount', value '1O'" in out
    run = ImportRun.objects.get()
    assert (run.created_by, run.status, run.report["skipped"]) == (adam, "done", 1)


@pytest.mark.django_db
def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given
    path = tmp_path / "deals.csv"
    path.write_text(HEADER + "1,Good,Closed won,10,true,false\n")

    # when
    call_command("import", str(path), "--format", "hubspot", "--dry-run", "--json")

    # then
    report = json.loads(capsys.readouterr().out)
    assert (report["dry_run"], report["created"], report["failed"]) == (True, 1, False)
