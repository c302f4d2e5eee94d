"""`debrief mark_lost FILE.csv` against hostile files: random and truncated bytes, the wrong
encoding, huge and odd values. Each either marks the deals lost or stops with a clear error,
naming the row and column when one is at fault, and saves nothing at all."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.losses.management.commands.mark_lost import COLUMNS
from debrief.losses.models import LossRecord
from debrief.pipeline.models import DealEvent

BOUNDED = settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values a spreadsheet or a hostile hand might put in a cell.
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["\x00", "１２", "²", "-1", "0", "9" * 30, "1e9", " ", ";;", '"', "\r\n"]),
    # Past SQLite's longest LIKE pattern (50,000 bytes) and csv's longest field (131,072).
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "é"]), st.sampled_from([600, 50_001, 140_000])
    ),
)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([list(COLUMNS), *rows])
    return out.getvalue()


def _good_row(deal: Any) -> list[str]:
    return [str(deal.pk), "Lost to a competitor", "Price", "", "", "A note", "no", "yes", ""]


def _saved() -> tuple[int, int]:
    return LossRecord.objects.count(), DealEvent.objects.count()


class Outcome:
    """What the command did: its output or error, and what the database held right after,
    before the example's writes are undone so the next one starts from the same world."""

    def __init__(self, path: Path, data: bytes) -> None:
        path.write_bytes(data)
        out = io.StringIO()
        self.error: CommandError | None = None
        with transaction.atomic():
            try:
                call_command("mark_lost", str(path), "--as", "rita@example.com", stdout=out)
            except CommandError as exc:
                self.error = exc
            self.output = out.getvalue()
            self.saved = _saved()
            self.notes = list(LossRecord.objects.order_by("pk").values_list("note", flat=True))
            transaction.set_rollback(True)


@pytest.fixture
def deals(cast: Any, make_deal: Any) -> list[Any]:
    return [make_deal(cast.rita, name="Harbor renewal"), make_deal(cast.rita, name="Robots")]


@BOUNDED
@given(data=st.binary(max_size=2_000))
def test_random_bytes_are_refused_and_save_nothing(tmp_path, deals, data):
    # given a file of random bytes
    before = _saved()

    # when
    outcome = Outcome(tmp_path / "losses.csv", data)

    # then it stops with a clear error naming the file, and nothing was saved
    assert outcome.error is not None
    assert str(tmp_path / "losses.csv") in str(outcome.error)
    assert outcome.saved == before


@BOUNDED
@given(cut=st.integers(min_value=0, max_value=400), encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_a_truncated_or_misencoded_file_saves_all_or_nothing(tmp_path, deals, cut, encoding):
    # given a good two-row file, cut short anywhere, perhaps in the wrong encoding
    text = _csv([_good_row(d) for d in deals]).replace("A note", "Zu teuer für uns — «non»")
    data = text.encode(encoding)[:cut]
    before = _saved()

    # when
    outcome = Outcome(tmp_path / "losses.csv", data)

    # then either every complete row is saved, or none is, with an error that says why
    saved = outcome.saved[0] - before[0]
    if outcome.error is not None:
        assert saved == 0, str(outcome.error)
        assert str(tmp_path / "losses.csv") in str(outcome.error)
    else:
        assert outcome.output.endswith("marked lost.\n")
        assert saved == int(outcome.output.split()[0])


@BOUNDED
@given(column=st.sampled_from(COLUMNS), value=ODD_TEXT)
def test_an_odd_value_is_refused_by_row_and_column_or_saved_as_given(
    tmp_path, deals, column, value
):
    # given a good row, then a row with an odd value in one column
    bad = _good_row(deals[1])
    bad[COLUMNS.index(column)] = value
    data = _csv([_good_row(deals[0]), bad]).encode("utf-8")
    before = _saved()

    # when
    outcome = Outcome(tmp_path / "losses.csv", data)

    # then it is refused with the row (and column) named, and nothing at all is saved...
    if outcome.error is not None:
        assert outcome.saved == before
        message = str(outcome.error)
        assert f"row 3, column {column}" in message or "line 3:" in message, message
        return
    # ...or both rows are saved, the odd value as given
    assert outcome.output == "2 deal(s) marked lost.\n"
    assert outcome.saved[0] == before[0] + 2
    if column == "note":
        assert outcome.notes[-1] == value.strip()
