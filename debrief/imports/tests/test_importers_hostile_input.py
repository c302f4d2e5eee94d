"""The importers against hostile files: random and truncated bytes, the wrong encoding, huge
and odd values in any cell. Each import either succeeds or fails with a clear message (the
row and column when one cell is at fault), and a failed import writes nothing at all."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.imports.actions import ImportReport, import_files
from debrief.losses.models import LossRecord
from debrief.org.models import User
from debrief.pipeline.models import Customer, Deal

FIXTURE = Path(__file__).parent / "fixtures" / "hubspot_deals.csv"

BOUNDED = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(
        ["", "\x00", "a\x00b", "²", "-1", "9" * 40, "1e309", "NaN", "2024-02-30", "true", ";;"]
    ),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é"]), st.sampled_from([300, 140_000])),
)


def _counts() -> tuple[int, int, int, int]:
    return (
        Deal.objects.count(),
        Customer.objects.count(),
        User.objects.count(),
        LossRecord.objects.count(),
    )


class Outcome:
    """The import's report and what the database held right after it, before the example's
    writes are undone so the next one starts from the same world."""

    def __init__(self, path: Path, data: bytes, encoding: str | None = None) -> None:
        path.write_bytes(data)
        with transaction.atomic():
            self.before = _counts()
            self.report: ImportReport = import_files([path], "hubspot", encoding=encoding)
            self.after = _counts()
            transaction.set_rollback(True)

    def check_all_or_nothing(self) -> None:
        if self.report.failed:
            assert self.after == self.before, self.report.summary()
            assert self.report.message or self.report.errors, "failed without saying why"
        else:
            assert self.after[0] - self.before[0] == self.report.created


@pytest.fixture
def people(rita: Any) -> Any:
    return rita


@BOUNDED
@given(data=st.binary(max_size=2_000))
def test_random_bytes_fail_cleanly_and_write_nothing(tmp_path, people, data):
    # when a file of random bytes is imported
    outcome = Outcome(tmp_path / "deals.csv", data)

    # then it fails with a message, and nothing was written
    assert outcome.report.failed
    outcome.check_all_or_nothing()


@BOUNDED
@given(
    cut=st.integers(min_value=0, max_value=FIXTURE.stat().st_size),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    declared=st.sampled_from([None, "utf-8"]),
)
def test_a_truncated_or_misencoded_file_imports_all_or_nothing(
    tmp_path, people, cut, encoding, declared
):
    # given the HubSpot export, in some encoding, cut short anywhere
    text = FIXTURE.read_text(encoding="utf-8-sig")
    data = text.encode(encoding, errors="replace")[:cut]

    # when it is imported, with or without saying its encoding
    outcome = Outcome(tmp_path / "deals.csv", data, encoding=declared)

    # then the complete rows are imported, or nothing is
    outcome.check_all_or_nothing()


@BOUNDED
@given(row=st.integers(min_value=1, max_value=3), column=st.integers(0, 13), value=ODD_TEXT)
def test_an_odd_cell_is_refused_by_row_and_column_or_imported(tmp_path, people, row, column, value):
    # given the HubSpot export with one cell replaced
    rows = list(csv.reader(io.StringIO(FIXTURE.read_text(encoding="utf-8-sig"))))
    rows[row][column] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)

    # when it is imported
    outcome = Outcome(tmp_path / "deals.csv", out.getvalue().encode("utf-8"))

    # then it is imported, or refused naming the row and column, with nothing written
    outcome.check_all_or_nothing()
    if outcome.report.failed:
        named = [(e["row"], e["column"]) for e in outcome.report.errors]
        whole_file = "deals.csv" in outcome.report.message  # e.g. NUL bytes: not a text file
        assert whole_file or any(r == row + 1 and c for r, c in named), named
