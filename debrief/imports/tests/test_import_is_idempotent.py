"""Importing the same file again changes nothing; a changed row updates its deal."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from debrief.imports.actions import import_files
from debrief.losses.models import LossRecord
from debrief.pipeline.models import Deal

HEADER = "Record ID,Deal Name,Deal Stage,Amount,Deal owner,Is Closed Won,Is closed lost,Closed Lost Reason,Associated Company\n"


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    # given
    path = write(
        tmp_path,
        "1,Alpha,Closed won,100,Rita Reyes,true,false,,Acme",
        "2,Beta,Closed lost,200,Rita Reyes,false,true,Price,Acme",
    )
    first = import_files([path], "hubspot")
    stamps = dict(Deal.objects.values_list("external_id", "updated_at"))

    # when
    again = import_files([path], "hubspot")

    # then
    assert (first.created, first.unchanged) == (2, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(Deal.objects.values_list("external_id", "updated_at")) == stamps
    assert LossRecord.objects.count() == 1


@pytest.mark.django_db
def test_changed_row_updates_its_deal(tmp_path: Path) -> None:
    # given
    import_files([write(tmp_path, "1,Alpha,Proposal,100,Rita Reyes,false,false,,Acme")], "hubspot")

    # when the deal is lost, with a reason, at a new amount
    report = import_files(
        [write(tmp_path, "1,Alpha,Closed lost,150,Rita Reyes,false,true,Timing,Acme")],
        "hubspot",
    )

    # then
    deal = Deal.objects.get(external_source="hubspot", external_id="1")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert (deal.status, deal.amount) == ("lost", Decimal("150.00"))
    assert [r.name for r in LossRecord.objects.get(deal=deal).reasons.all()] == ["Timing"]
    assert Deal.objects.count() == 1


@pytest.mark.django_db
def test_repeated_id_in_a_file_keeps_the_first_row(tmp_path: Path) -> None:
    # when
    report = import_files(
        [
            write(
                tmp_path,
                "7,First,Closed won,100,Rita Reyes,true,false,,Acme",
                "7,Second,Closed lost,900,Rita Reyes,false,true,,Acme",
            )
        ],
        "hubspot",
    )

    # then
    assert (report.created, report.duplicates) == (1, 1)
    assert report.duplicate_rows == [{"row": 3, "external_id": "7"}]
    assert Deal.objects.get().name == "First"
