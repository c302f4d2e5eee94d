"""`debrief mark_lost FILE.csv --as EMAIL`: a good file marks every deal lost through the
same action as the page; a file with any bad row saves nothing and names each problem by row
and column; `--dry-run` checks everything and saves nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from debrief.losses import actions
from debrief.losses.management.commands.mark_lost import COLUMNS, Command
from debrief.losses.models import DebriefConsent, LossRecord
from debrief.losses.tests.api_helpers import reason
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import DealStatus

HEADER = "deal,outcome_type,reasons,primary_reason,competitors,note,debrief_consent,lost_on\n"


def mark_lost(tmp_path, text, *args):
    path = tmp_path / "losses.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("mark_lost", str(path), *args, stdout=out)
    return out.getvalue()


def problems(raised):
    """The listed problems, after the summary line."""
    return [line.strip() for line in str(raised.value).splitlines()[1:]]


def test_a_good_file_marks_every_deal_lost(
    tmp_path, cast, make_deal, django_capture_on_commit_callbacks
):
    # given
    harbor = make_deal(cast.rita, name="Harbor renewal")
    robots = make_deal(cast.nico, name="Warehouse robots")
    pipeline_actions.create_competitor(None, "Acme Rival")
    text = HEADER + (
        f"{harbor.pk},Lost to a competitor,Price; Missing capability,missing capability,"
        f'acme rival,"They chose Acme, politely.",yes,2026-01-05\n'
        f"{robots.pk},no decision,No decision or priority,,,,,\n"
        ",,,,,,,\n"
    )

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        output = mark_lost(tmp_path, text, "--as", "MAYA@example.com")

    # then
    assert output == "2 deal(s) marked lost.\n"
    harbor_loss, robots_loss = (LossRecord.objects.get(deal=d) for d in (harbor, robots))
    assert harbor_loss.recorded_by == cast.maya
    assert harbor_loss.primary_reason == reason("Missing capability")
    assert {r.name for r in harbor_loss.reasons.all()} == {"Price", "Missing capability"}
    assert [c.name for c in harbor_loss.competitors.all()] == ["Acme Rival"]
    assert harbor_loss.note == "They chose Acme, politely."
    assert harbor_loss.debrief_consent == DebriefConsent.YES
    assert str(harbor_loss.lost_on) == "2026-01-05"
    assert robots_loss.outcome_type.name == "No decision"
    assert robots_loss.debrief_consent == DebriefConsent.NOT_ASKED
    for deal in (harbor, robots):
        deal.refresh_from_db()
        assert deal.status == DealStatus.LOST
    assert callbacks  # the own-it reminders and debrief invites, queued once it commits


def test_every_bad_row_is_named_and_nothing_is_saved(
    tmp_path, cast, make_deal, django_capture_on_commit_callbacks
):
    # given one good row, then rows each wrong in one way, then one wrong in three
    good, no_reason, retired, south = (
        make_deal(cast.rita),
        make_deal(cast.rita),
        make_deal(cast.rita),
        make_deal(cast.oscar),
    )
    actions.retire_reason(reason("Timing"), cast.adam)
    text = HEADER + (
        f"{good.pk},Lost to a competitor,Price,,,,,\n"
        f"{no_reason.pk},Lost to a competitor,,,,,,\n"
        f"{retired.pk},Lost to a competitor,Timing,,,,,\n"
        "999999,Lost to a competitor,Price,,,,,\n"
        f"{south.pk},Lost to a competitor,Price,,,,,\n"
        f"{good.pk},Gone fishing,Pricing,,,,,2026-13-01\n"
    )

    # when
    with pytest.raises(CommandError) as raised, django_capture_on_commit_callbacks() as callbacks:
        mark_lost(tmp_path, text, "--as", "rita@example.com")

    # then
    assert str(raised.value).startswith("Nothing saved: 7 problem(s) in ")
    assert problems(raised) == [
        "row 3, column reasons: Give at least one reason: it is the lesson the team keeps.",
        "row 4, column reasons: Retired reasons cannot be used: Timing.",
        "row 5, column deal ('999999'): no such deal that you may change.",
        f"row 6, column deal ('{south.pk}'): no such deal that you may change.",
        "row 7, column outcome_type ('Gone fishing'): not on the outcome type list.",
        "row 7, column reasons ('Pricing'): not on the reason list.",
        "row 7, column lost_on ('2026-13-01'): not a date (YYYY-MM-DD).",
    ]
    assert not LossRecord.objects.exists()
    for deal in (good, no_reason, retired, south):
        deal.refresh_from_db()
        assert deal.status == DealStatus.OPEN
    assert callbacks == []


def test_a_deal_twice_in_the_file_is_named(tmp_path, cast, make_deal):
    # given
    deal = make_deal(cast.rita)
    text = HEADER + f"{deal.pk},No budget,No budget,,,,,\n{deal.pk},No budget,No budget,,,,,\n"

    # when
    with pytest.raises(CommandError) as raised:
        mark_lost(tmp_path, text, "--as", "rita@example.com")

    # then
    [problem] = problems(raised)
    assert problem.startswith("row 3, column deal: This deal is already lost")
    assert not LossRecord.objects.exists()


def test_a_dry_run_checks_every_row_and_saves_nothing(
    tmp_path, cast, make_deal, django_capture_on_commit_callbacks
):
    # given
    deals = [make_deal(cast.rita) for _ in range(3)]
    text = HEADER + "".join(f"{d.pk},No budget,No budget,,,,no,\n" for d in deals)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        output = mark_lost(tmp_path, text, "--as", "rita@example.com", "--dry-run")

    # then
    assert output == "3 deal(s) would be marked lost (dry run: nothing saved).\n"
    assert not LossRecord.objects.exists()
    assert {d.status for d in (type(deals[0]).objects.all())} == {DealStatus.OPEN}
    assert callbacks == []


def test_a_dry_run_reports_problems_too(tmp_path, cast, make_deal):
    # given
    text = HEADER + "999999,No budget,No budget,,,,,\n"

    # when
    with pytest.raises(CommandError) as raised:
        mark_lost(tmp_path, text, "--as", "rita@example.com", "--dry-run")

    # then
    assert problems(raised) == ["row 2, column deal ('999999'): no such deal that you may change."]


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("deal,outcome_type\n", "missing column(s) reasons"),
        ("deal,outcome_type,reasons,primary reason\n", "unknown column(s) primary reason"),
        ("", "the file is empty"),
    ],
)
def test_the_columns_are_checked_first(tmp_path, cast, header, says):
    # when
    with pytest.raises(CommandError) as raised:
        mark_lost(tmp_path, header, "--as", "rita@example.com")

    # then
    assert says in str(raised.value)


def test_the_recorder_must_exist_and_may_write(tmp_path, cast):
    # when
    with pytest.raises(CommandError) as nobody:
        mark_lost(tmp_path, HEADER, "--as", "ghost@example.com")
    with pytest.raises(CommandError) as analyst:
        mark_lost(tmp_path, HEADER, "--as", "ana@example.com")

    # then
    assert "no active user ghost@example.com" in str(nobody.value)
    assert "analysts don't change deals" in str(analyst.value)


def test_the_help_documents_every_column():
    # when
    text = Command().create_parser("debrief", "mark_lost").format_help()

    # then
    assert "--as EMAIL" in text
    assert "--dry-run" in text
    for column in COLUMNS:
        assert f"\n  {column} " in text
    assert "not_asked" in text
    assert "YYYY-MM-DD" in text
