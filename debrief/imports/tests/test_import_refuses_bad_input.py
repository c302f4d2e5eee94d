"""Bad input: each a clear error naming row and column, and nothing half-imported."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from debrief.imports.actions import import_files
from debrief.imports.models import ImportRun
from debrief.pipeline.models import Customer, Deal, Stage

HEADER = "Id,Name,Stage,Amount,Closed,Account\n"
MAPPING = {
    "source": "sheet",
    "columns": {
        "external_id": "Id",
        "name": "Name",
        "stage": "Stage",
        "amount": "Amount",
        "closed": "Closed",
        "customer": "Account",
    },
    "stages": {"Signed": "won", "Dropped": "lost"},
}


def sheet(
    tmp_path: Path, *rows: str, mapping: Mapping[str, object] | None = None
) -> tuple[Path, Path]:
    path = tmp_path / "sheet.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(json.dumps(mapping or MAPPING), encoding="utf-8")
    return path, mapping_path


def errors(report: object) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["column"], e["value"]) for e in report.errors]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_bad_amount_and_impossible_date_fail_the_whole_run(tmp_path: Path) -> None:
    # given one good row and two bad ones
    path, mapping = sheet(
        tmp_path,
        "1,Good,Signed,100,2025-01-31,Acme",
        '2,Typo,Signed,"12,5O0",2025-02-01,Acme',
        "3,No such day,Dropped,300,31/02/2025,Acme",
    )

    # when
    report = import_files([path], "csv", mapping=mapping)

    # then
    assert report.failed
    assert errors(report) == [(3, "Amount", "12,5O0"), (4, "Closed", "31/02/2025")]
    assert "not an amount" in report.errors[0]["message"]
    assert "day is out of range" in report.errors[1]["message"]
    assert not Deal.objects.exists() and not Customer.objects.exists()


@pytest.mark.django_db
def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(tmp_path: Path) -> None:
    # given
    path, mapping = sheet(
        tmp_path, "1,Good,Signed,100,2025-01-31,Acme", '2,Typo,Signed,"12,5O0",,Acme'
    )

    # when
    report = import_files([path], "csv", mapping=mapping, skip_invalid=True)

    # then
    assert not report.failed
    assert (report.created, report.skipped) == (1, 1)
    assert errors(report) == [(3, "Amount", "12,5O0")]
    assert list(Deal.objects.values_list("external_id", flat=True)) == ["1"]


@pytest.mark.django_db
def test_stage_mapped_to_nothing_names_row_and_column(tmp_path: Path) -> None:
    # given "Parked" is no stage and the mapping does not say what it is
    path, mapping = sheet(tmp_path, "1,Good,Signed,100,,Acme", "2,Odd,Parked,100,,Acme")
    stages_before = Stage.objects.count()

    # when
    report = import_files([path], "csv", mapping=mapping)

    # then
    assert report.failed
    assert errors(report) == [(3, "Stage", "Parked")]
    assert "mapped to nothing" in report.errors[0]["message"]
    assert Stage.objects.count() == stages_before and not Deal.objects.exists()


@pytest.mark.django_db
def test_mapping_naming_a_missing_column_is_refused(tmp_path: Path) -> None:
    # given
    broken = {**MAPPING, "columns": {**MAPPING["columns"], "owner": "Sales rep"}}  # type: ignore[dict-item]
    path, mapping = sheet(tmp_path, "1,Good,Signed,100,,Acme", mapping=broken)

    # when
    report = import_files([path], "csv", mapping=mapping)

    # then
    assert report.failed
    assert errors(report) == [(1, "Sales rep", "")]
    assert "'Sales rep'" in report.message and "sheet.csv" in report.message


@pytest.mark.django_db
def test_unknown_layout_is_refused_by_the_cli(tmp_path: Path) -> None:
    # given a Salvirt file said to be a Salesforce export
    path, _ = sheet(tmp_path, "1,Good,Signed,100,,Acme")

    # when / then
    with pytest.raises(CommandError, match="not in the Salesforce layout"):
        call_command("import", str(path), "--format", "salesforce")
    run = ImportRun.objects.get()
    assert run.status == "failed" and "StageName" in run.error
    assert not Deal.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=100)
def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    # given a file of more than 100 bytes
    path, mapping = sheet(tmp_path, *[f"{i},Deal {i},Signed,100,,Acme" for i in range(10)])

    # when
    report = import_files([path], "csv", mapping=mapping)

    # then
    assert report.failed
    assert "over the import limit of 100 bytes" in report.message
    assert "IMPORT_MAX_BYTES" in report.message
    assert not Deal.objects.exists()


@pytest.mark.django_db
def test_dry_run_counts_and_writes_nothing(tmp_path: Path) -> None:
    # given
    path, mapping = sheet(tmp_path, "1,Good,Signed,100,,Acme", "2,Other,Dropped,50,,Beta")

    # when
    report = import_files([path], "csv", mapping=mapping, dry_run=True)

    # then
    assert not report.failed
    assert (report.created, report.customers_created) == (2, 2)
    assert not Deal.objects.exists() and not Customer.objects.exists()
